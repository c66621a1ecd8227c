"""Code fingerprints on a small made-up package: which edits count, which imports are followed."""

from __future__ import annotations

import textwrap

import pytest

from aieng.core import fingerprint, paths

FILES = {
    "__init__.py": '_EXPORTS: dict[str, str] = {"shout": "aieng.text.loud"}\n',
    "core/__init__.py": "",
    "core/cache.py": "def cached(): ...\n",
    "text/__init__.py": "",
    "text/loud.py": '''
        """Loud text."""

        def shout(s):
            """Upper case."""
            return s.upper()  # loudly
    ''',
    "text/quiet.py": "def whisper(s):\n    return s.lower()\n",
    "text/tables.py": 'NAME = "words.toml"\n',
    "data/words.toml": 'a = "b"\n',
    "book/__init__.py": "",
    "book/page.py": """
        from aieng.core.cache import cached
        from ..text import loud


        @cached()
        def page():
            from aieng.text.quiet import whisper  # a function-level import runs just the same

            return loud.shout(whisper("x"))
    """,
    "book/lazy.py": """
        import importlib

        def f():
            return importlib.import_module("aieng.text.tables").NAME
    """,
    "book/exported.py": "from aieng import shout\n\nimport aieng\n\nX = aieng.shout\n",
    "book/alone.py": "Y = 1\n",
}


@pytest.fixture
def package(tmp_path, monkeypatch):
    root = tmp_path / "aieng"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE", root)
    monkeypatch.setattr(paths, "DATA", root / "data")
    fingerprint.forget()
    yield root
    fingerprint.forget()


def _after(root, name, old, new):
    """The fingerprint of aieng.book.page after replacing ``old`` by ``new`` in ``name``."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    fingerprint.forget()
    return fingerprint.fingerprint("aieng.book.page")


def test_imports_are_followed_everywhere_they_can_be_written(package):
    assert fingerprint.closure("aieng.book.page") == (
        "aieng.book.page",
        "aieng.text.loud",  # relative: from ..text import loud
        "aieng.text.quiet",  # inside the function
    )  # aieng.core.cache is the cache's machinery: left out
    assert "aieng.text.tables" in fingerprint.closure("aieng.book.lazy")  # import_module("...")
    assert fingerprint.imports("aieng.book.exported") == {"aieng.text.loud"}  # lazy exports
    assert fingerprint.closure("aieng.book.alone") == ("aieng.book.alone",)


def test_comments_docstrings_and_formatting_do_not_count(package):
    first = fingerprint.fingerprint("aieng.book.page")
    assert _after(package, "text/loud.py", "# loudly", "# LOUDLY, with a longer comment") == first
    assert _after(package, "text/loud.py", '"""Upper case."""', '"""Capitals."""') == first
    assert (
        _after(package, "text/loud.py", "return s.upper()", "return (\n        s.upper()\n    )")
        == first
    )
    assert _after(package, "book/page.py", "loud.shout(", "loud.shout( ") == first


def test_every_statement_and_string_literal_counts(package):
    seen = {fingerprint.fingerprint("aieng.book.page")}
    for name, old, new in [
        ("text/quiet.py", "s.lower()", "s.casefold()"),  # a dependency's code
        ("book/page.py", 'whisper("x")', 'whisper("y")'),  # a string literal
        ("text/loud.py", "def shout(s):", "N = 1\n\n\ndef shout(s):"),  # a new statement
    ]:
        after = _after(package, name, old, new)
        assert after not in seen, f"{name}: {old!r} -> {new!r} did not change the fingerprint"
        seen.add(after)


def test_order_of_top_level_statements_counts(package):
    (package / "text/quiet.py").write_text("A = 1\nA = 2\n", encoding="utf-8")
    fingerprint.forget()
    first = fingerprint.fingerprint("aieng.book.page")
    assert _after(package, "text/quiet.py", "A = 1\nA = 2\n", "A = 2\nA = 1\n") != first


def test_package_data_a_module_names_counts(package):
    first = fingerprint.fingerprint("aieng.book.lazy")
    (package / "data/words.toml").write_text('a = "c"\n', encoding="utf-8")
    fingerprint.forget()
    assert fingerprint.fingerprint("aieng.book.lazy") != first
    assert fingerprint.data_files("aieng.text.tables") == (package / "data/words.toml",)


def test_unrelated_modules_do_not_count(package):
    first = fingerprint.fingerprint("aieng.book.page")
    assert _after(package, "book/alone.py", "Y = 1", "Y = 2") == first
    assert _after(package, "text/tables.py", "words", "other") == first


def test_the_memo_is_keyed_on_a_files_bytes_and_ignored_when_it_is_odd(package, tmp_path):
    """A warm build reads what each file says from the memo instead of parsing it again; the memo
    is keyed on the file's bytes, so an edited file is parsed afresh, and a broken memo is
    ignored."""
    import hashlib
    import json

    memo = tmp_path / "memo" / "fingerprints.json"
    fingerprint.use_memo(memo)
    first = fingerprint.fingerprint("aieng.book.page")
    fingerprint.save_memo()
    saved = json.loads(memo.read_text(encoding="utf-8"))
    loud = hashlib.sha256((package / "text/loud.py").read_bytes()).hexdigest()
    assert saved["files"][loud]["imports"] == []

    # A memo that claims another hash for loud.py's bytes is believed (so it is really read) ...
    saved["files"][loud]["hash"] = "0" * 64
    memo.write_text(json.dumps(saved), encoding="utf-8")
    fingerprint._MEMO.clear()
    fingerprint._MEMO_FILE = None
    fingerprint.forget()
    fingerprint.use_memo(memo)
    assert fingerprint.fingerprint("aieng.book.page") != first
    # ... but not once the file's bytes change.
    (package / "text/loud.py").write_text("def shout(s):\n    return s.upper() + '!'\n")
    fingerprint.forget()
    edited = fingerprint.fingerprint("aieng.book.page")
    assert fingerprint.module_hash("aieng.text.loud") != "0" * 64 and edited != first

    memo.write_text("{not json", encoding="utf-8")
    fingerprint._MEMO.clear()
    fingerprint._MEMO_FILE = None
    fingerprint.forget()
    fingerprint.use_memo(memo)  # ignored, never an error
    assert fingerprint.fingerprint("aieng.book.page") == edited
    fingerprint._MEMO.clear()
    fingerprint._MEMO_FILE = None
