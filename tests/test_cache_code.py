"""A key covers all the code a result depends on: edits to a copy of the package, then a rebuild.

Each test copies ``aieng/`` to a temporary folder, edits one module of the copy, and runs a probe
in a fresh interpreter (``PYTHONPATH`` = the copy, ``AIENG_CACHE_DIR`` = a copy of a warm cache).
The probe renders the claims page (the Python blocks of ``docs/en/claims.md``, as the site runs
them), splits a sentence into GPT-4 tokens, scores n-gram models on the plays, and computes one
result that depends on none of the edited modules; it reports which cached functions this process
computed (:func:`aieng.core.cache.computed`) and what the page printed.

What each edit must recompute follows from the imports: the ledger depends on the checks, the
tokenizers and the corpus; token splits on the tokenizers and the corpus; n-grams on the corpus
only; the independent result on none of them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "en" / "claims.md"

pytestmark = pytest.mark.slow  # cold: tokenizers and the ledger (about a minute on 2 cores)

PROBE = r"""
import contextlib, io, json, re, sys
from pathlib import Path

import aieng
from aieng.core import cache
from aieng.core.lang import using_page_language

page = Path(sys.argv[1]).read_text(encoding="utf-8")
printed = io.StringIO()
with using_page_language("en"), contextlib.redirect_stdout(printed):
    for block in re.findall(r"^```python exec=\"on\"[^\n]*\n(.*?)^```", page, re.M | re.S):
        exec(compile(block, "claims.md", "exec"), {})

from aieng.models import ngram
from aieng.text import tokens

import independent

pieces = tokens.split("Caches that cannot lie", "gpt-4").pieces
losses = ngram.held_out_losses(orders=(1, 2))
shouted = independent.shout("a result that depends on none of the edits")
print(json.dumps({
    "aieng": aieng.__file__,
    "computed": sorted({c.function for c in cache.computed()}),
    "stats": cache.stats(),
    "page": printed.getvalue(),
    "torch": "torch" in sys.modules,
}))
"""

INDEPENDENT = '''
"""A cached result whose code is this module and aieng.text.shannon only."""
from aieng.core.cache import cached
from aieng.text.shannon import normalize


@cached()
def shout(text: str) -> str:
    return normalize(text).upper()
'''


def _copy_package(dest: Path) -> Path:
    shutil.copytree(
        ROOT / "aieng", dest / "aieng", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for folder in ("docs", "chapter"):  # what the package reads from the repository (core.paths)
        (dest / folder).symlink_to(ROOT / folder, target_is_directory=True)
    (dest / "independent.py").write_text(textwrap.dedent(INDEPENDENT), encoding="utf-8")
    (dest / "probe.py").write_text(PROBE, encoding="utf-8")
    return dest


def _probe(pkg: Path, cache_dir: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(pkg),
        "AIENG_CACHE_DIR": str(cache_dir),
        "AIENG_CACHE": "on",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    run = subprocess.run(
        [sys.executable, str(pkg / "probe.py"), str(PAGE)],
        cwd=pkg,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(report["aieng"]).is_relative_to(pkg), "the probe imported the wrong aieng"
    report["log"] = run.stderr
    return report


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A warm cache of the unedited package, and what the cold run computed and printed."""
    base = tmp_path_factory.mktemp("base")
    pkg = _copy_package(base / "pkg")
    cold = _probe(pkg, base / "cache")
    assert cold["computed"], "a cold cache computes"
    again = _probe(pkg, base / "cache")
    assert again["computed"] == [], f"an unchanged package recomputes {again['computed']}"
    assert again["page"] == cold["page"]
    assert not again["torch"], "reading entries imported torch"
    return base / "cache", cold


def _edit(tmp_path: Path, warm_cache: Path, edits: dict[str, tuple[str, str]]) -> dict:
    """Copy the package and the warm cache, apply ``edits`` (file -> (pattern, replacement)),
    and probe. A pattern that no longer matches fails the test: update the edit."""
    pkg = _copy_package(tmp_path / "pkg")
    for name, (pattern, replacement) in edits.items():
        path = pkg / "aieng" / name
        source = path.read_text(encoding="utf-8")
        edited, n = re.subn(pattern, replacement, source, count=1, flags=re.M)
        assert n == 1, f"edit target {pattern!r} not found in aieng/{name}: update the test"
        path.write_text(edited, encoding="utf-8")
    shutil.copytree(warm_cache, tmp_path / "cache")
    return _probe(pkg, tmp_path / "cache")


def _groups(functions: list[str]) -> set[str]:
    """Which of the probe's results the computed functions belong to."""
    kinds = {
        "ledger": "aieng.book.",
        "tokens": "aieng.text.tokens.",
        "ngram": "aieng.models.ngram.",
        "independent": "independent.",
    }
    return {k for k, prefix in kinds.items() for f in functions if f.startswith(prefix)}


def test_comments_docstrings_and_formatting_recompute_nothing(tmp_path, warm):
    warm_cache, cold = warm
    comment = r"\g<0>\n# a comment that changes no result\n"
    report = _edit(
        tmp_path,
        warm_cache,
        {
            "book/checks.py": (r"^from __future__ import annotations$", comment),
            "text/tokenizers.py": (r'^"""', '"""Edited docstring. '),
            "text/corpus.py": (r"^from __future__ import annotations$", "\n\n" + comment),
        },
    )
    assert report["computed"] == []
    assert report["page"] == cold["page"]


def test_a_claims_wording_edit_recomputes_the_ledger_only(tmp_path, warm):
    """The ``cant`` claim shows the pieces of "can't" joined by " | "; the edit joins them by
    " / ". Before code fingerprints the ledger stayed as it was ("results computed 0")."""
    warm_cache, cold = warm
    report = _edit(
        tmp_path,
        warm_cache,
        {
            "book/checks.py": (
                r'because\("cant", pieces=" \| "\.join',
                'because("cant", pieces=" / ".join',
            )
        },
    )
    assert _groups(report["computed"]) == {"ledger"}, report["computed"]
    assert report["page"] != cold["page"]
    changed = set(report["page"].splitlines()) - set(cold["page"].splitlines())
    assert any(" / " in line for line in changed), changed


def test_a_tokenizer_module_edit_recomputes_tokens_and_the_ledger(tmp_path, warm):
    warm_cache, _ = warm
    report = _edit(
        tmp_path, warm_cache, {"text/tokenizers.py": (r"\Z", '\n_EDITED = "a real statement"\n')}
    )
    assert _groups(report["computed"]) == {"ledger", "tokens"}, report["computed"]


def test_a_corpus_edit_recomputes_everything_that_reads_the_plays(tmp_path, warm):
    warm_cache, _ = warm
    report = _edit(tmp_path, warm_cache, {"text/corpus.py": (r"\Z", "\n_EDITED = 1\n")})
    assert _groups(report["computed"]) == {"ledger", "tokens", "ngram"}, report["computed"]


def test_a_corrupted_entry_is_a_warning_and_a_recomputation(tmp_path, warm):
    warm_cache, cold = warm
    shutil.copytree(warm_cache, tmp_path / "cache")
    entries = sorted((tmp_path / "cache").glob("*/*.json")) + sorted(
        (tmp_path / "cache").glob("*/*.npz")
    )
    for entry in entries:  # every entry truncated: a crash would fail the probe
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    pkg = _copy_package(tmp_path / "pkg")
    report = _probe(pkg, tmp_path / "cache")
    assert report["stats"]["unreadable"] >= 1
    assert "is unreadable" in report["log"] and "recomputing it" in report["log"]
    assert report["page"] == cold["page"]
