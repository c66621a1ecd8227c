"""What a cold build computes is read from the pages (aieng.tools.pagecompute), not kept by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from aieng.core import cache
from aieng.tools.pagecompute import executed_blocks, run_blocks


def _docs(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_both_languages_execute_the_same_blocks() -> None:
    ko, en = executed_blocks(languages=("ko",)), executed_blocks(languages=("en",))
    assert ko and [b.code for b in ko] == [b.code for b in en]
    assert [b.page for b in ko] == [b.page for b in en]


def test_only_executed_python_blocks_count(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"ko/a.md": (
        "# A\n\n```python exec=\"on\"\nprint(1)\n```\n\n```python\nprint(2)\n```\n\n"
        "```bash exec=\"on\"\necho 3\n```\n\n```python exec=\"off\"\nprint(4)\n```\n"
    )})  # fmt: skip
    blocks = executed_blocks(docs)
    assert [(b.page, b.lang, b.line, b.code.strip()) for b in blocks] == [
        ("a.md", "ko", 3, "print(1)")
    ]


def test_sessions_share_globals_within_a_page_and_runs_record_what_they_computed(
    tmp_path: Path, isolated_cache: Path
) -> None:
    fence = '```python exec="on" session="s"\n'
    docs = _docs(tmp_path, {"en/a.md": (
        f"{fence}from aieng.text.tokens import split\nn = split('cooking').count\n```\n\n"
        f"{fence}assert n == 2\nprint(n)\n```\n"
    )})  # fmt: skip
    runs = run_blocks(executed_blocks(docs))
    assert [r.block.line for r in runs] == [1, 6]
    assert any(name.endswith("_split_cached") for name in runs[0].computed)
    assert runs[1].computed == ()
    assert cache.stats()["computed"] >= 1


def test_a_failing_block_names_its_page_and_line(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"ko/x/b.md": 'text\n\n```python exec="on"\n1 / 0\n```\n'})
    with pytest.raises(RuntimeError, match=r"ko/x/b\.md line 3 failed: division by zero"):
        run_blocks(executed_blocks(docs))
