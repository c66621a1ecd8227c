"""pytest setup for the pages' code blocks (pytest-markdown-docs, ``--markdown-docs``).

Two things make a page's block behave under pytest as it does in the built site:

* **Page language.** While a block of ``docs/<lang>/...`` runs, :func:`aieng.page_language`
  returns ``<lang>``, as the MkDocs plugin makes it do while that page renders.
* **Sessions.** markdown-exec runs the blocks of one ``session="name"`` in shared globals. Here a
  block of a session runs after the session's earlier blocks on the same page, in the same
  namespace, so it sees what they defined, whichever tests are selected. (A session is therefore
  scoped to one page; keep it that way in pages.)
"""

from __future__ import annotations

import builtins
import dataclasses
import io
from pathlib import Path

import pytest

from aieng.core.threads import spin_briefly

spin_briefly()  # before torch loads, as in the build (aieng.core.threads)

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"

_PYTHON = {"py", "python", "python3"}


def _session(info: str) -> str | None:
    """The ``session="name"`` option of a fence's info string, read as the site reads it."""
    from aieng.text.pages import parse_info

    return dict(parse_info(info)[1]).get("session")


_UNIT_CACHES: dict[Path, Path] = {}


@pytest.fixture(autouse=True)
def _unit_test_cache(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tests of one ``tests/`` module share a cache folder of their own, away from the reader's
    cache (page blocks use the reader's on purpose: building the site has filled it)."""
    path = Path(str(request.node.path))
    if ROOT / "tests" not in path.parents:
        return
    if path not in _UNIT_CACHES:
        _UNIT_CACHES[path] = tmp_path_factory.mktemp("aieng-cache")
    monkeypatch.setenv("AIENG_CACHE_DIR", str(_UNIT_CACHES[path]))
    monkeypatch.delenv("AIENG_CACHE", raising=False)


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty cache, on disk and in memory, for one test; yields its folder.

    Afterwards the process's in-memory results come back: they are content-addressed (code,
    arguments and data are in each key), so they are still right, and the tests after this one
    need not compute them again (the main GPT's held-out score alone takes 12 s).
    """
    from aieng.core import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv("AIENG_CACHE_DIR", str(folder))
    before = dict(cache._MEMORY)  # the cache's in-memory layer (private: only tests swap it)
    cache.clear_cache(disk=False)
    yield folder
    cache.clear_cache(disk=False)
    cache._MEMORY.update(before)


@pytest.fixture(autouse=True)
def _doctest_cache(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Docstring examples write their cache entries under pytest's temporary folder.

    (Page blocks use the reader's cache, which building the site has filled; unit tests isolate
    their own.)
    """
    if type(request.node).__name__ == "DoctestItem":
        folder = request.getfixturevalue("tmp_path_factory").getbasetemp() / "doctest-cache"
        monkeypatch.setenv("AIENG_CACHE_DIR", str(folder))


def _page_block(item: pytest.Item) -> bool:
    """Whether ``item`` is a code block of a page under ``docs/``."""
    path = Path(str(item.path))
    return (
        item.get_closest_marker("markdown-docs") is not None
        and path.suffix == ".md"
        and DOCS in path.parents
    )


def _python_fences(config: pytest.Config, path: Path) -> list[tuple[int, str, str]]:
    """(first code line, info string, code) of every Python fence, parsed as the plugin does."""
    parser = config.hook.pytest_markdown_docs_markdown_it()
    fences = []
    for token in parser.parse(path.read_text(encoding="utf-8")):
        if token.type != "fence" or not token.map:
            continue
        words = token.info.split()
        if words and words[0].lstrip("{.") in _PYTHON:
            fences.append((token.map[0] + 1, token.info, token.content))
    return fences


def _session_source(fences: list[tuple[int, str, str]], start_line: int) -> str | None:
    """The code of the session's blocks up to the one at ``start_line``, each at its own line."""
    infos = {line: info for line, info, _ in fences}
    session = _session(infos.get(start_line, ""))
    if session is None:
        return None
    source = ""
    for line, info, code in fences:
        if line > start_line:
            break
        if _session(info) == session:
            source += "\n" * (line - source.count("\n")) + code
    return source


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    parsed: dict[Path, list[tuple[int, str, str]]] = {}
    for item in items:
        if not _page_block(item):
            continue
        path = Path(str(item.path))
        if path not in parsed:
            parsed[path] = _python_fences(config, path)
        definition = item.test_definition  # type: ignore[attr-defined]
        source = _session_source(parsed[path], definition.start_line)
        if source is not None:
            item.test_definition = dataclasses.replace(definition, source=source)  # type: ignore[attr-defined]
            item.code = source  # type: ignore[attr-defined]


_printed: list[io.StringIO] = []  # the running page block's output, innermost last


def _page_print(*args: object, **kwargs: object) -> None:
    """``print`` for page blocks: like markdown-exec, collect the output instead of showing it."""
    if _printed and kwargs.get("file") is None:
        kwargs["file"] = _printed[-1]
    builtins.print(*args, **kwargs)  # type: ignore[call-overload]


def pytest_markdown_docs_globals() -> dict[str, object]:
    return {"print": _page_print}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    if not _page_block(item):
        return (yield)
    from aieng.core.lang import language_of_path, using_page_language

    # What the block prints (the page's output) is shown with the report only if it fails.
    language = language_of_path(Path(str(item.path)).relative_to(ROOT))
    _printed.append(io.StringIO())
    try:
        with using_page_language(language):
            return (yield)
    finally:
        item.add_report_section("call", "stdout", _printed.pop().getvalue())
