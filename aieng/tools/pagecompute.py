"""What a cold build computes, derived from the pages themselves: their executed Python blocks.

Nothing here keeps a list of prompts or presets. :func:`executed_blocks` reads every page of
every language with the one page parser (:mod:`aieng.text.pages`) and returns the Python blocks
markdown-exec will run; :func:`run_blocks` runs them as the build does (the page's language set,
a ``session`` shared within its page, output captured) and records what each computed, so the
training benchmark (``python -m aieng bench train --all``) times exactly what a cold build does.

Example:
    >>> blocks = executed_blocks(languages=("ko",))
    >>> all(b.lang == "ko" for b in blocks) and any("completions" in b.code for b in blocks)
    True
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aieng.core import cache, paths
from aieng.core.lang import using_page_language
from aieng.text.pages import parse_page

_PYTHON = frozenset({"py", "python", "python3"})
_SESSION = re.compile(r"""\bsession\s*=\s*["']?(?P<name>[^"'\s}]+)""")


@dataclass(frozen=True)
class PageBlock:
    """One executed Python block of one page."""

    page: str  # path below the language folder, e.g. "1.1/transformer.md"
    lang: str  # the language folder the page is in
    line: int  # line of the opening fence
    session: str | None  # markdown-exec session name; blocks of one session share globals
    code: str


@dataclass(frozen=True)
class BlockRun:
    """How long a block took and what it made the cache compute."""

    block: PageBlock
    seconds: float
    computed: tuple[str, ...]  # "module.function" of each result computed (not read back)


def executed_blocks(
    docs: Path = paths.DOCS, languages: Sequence[str] | None = None
) -> list[PageBlock]:
    """Every Python block that markdown-exec runs, page by page, in file order.

    Args:
        docs: the docs folder, one subfolder per language.
        languages: the language folders to read (default: every one there).
    """
    folders = sorted(p for p in docs.iterdir() if p.is_dir() and p.name != "assets")
    found = []
    for folder in folders:
        if languages is not None and folder.name not in languages:
            continue
        for path in sorted(folder.rglob("*.md")):
            page = parse_page(path.read_text(encoding="utf-8"))
            for block in page.blocks:
                if block.executed and block.language in _PYTHON:
                    session = _SESSION.search(block.info)
                    found.append(
                        PageBlock(
                            page=path.relative_to(folder).as_posix(),
                            lang=folder.name,
                            line=block.line,
                            session=session["name"] if session else None,
                            code=block.body,
                        )
                    )
    return found


def run_blocks(blocks: Sequence[PageBlock]) -> list[BlockRun]:
    """Run ``blocks`` as the build runs them and say what each computed.

    Raises:
        RuntimeError: naming the page and line of a block that fails.
    """
    sessions: dict[tuple[str, str, str], dict] = {}
    runs = []
    for block in blocks:
        key = (block.lang, block.page, block.session or f"line {block.line}")
        namespace = sessions.setdefault(key, {"__name__": "__main__"})
        before = len(cache.computed())
        start = time.perf_counter()
        try:
            with using_page_language(block.lang), contextlib.redirect_stdout(io.StringIO()):
                exec(
                    compile(block.code, f"{block.lang}/{block.page}:{block.line}", "exec"),
                    namespace,
                )
        except Exception as exc:
            raise RuntimeError(
                f"the block at {block.lang}/{block.page} line {block.line} failed: {exc}"
            ) from exc
        seconds = time.perf_counter() - start
        computed = tuple(c.function for c in cache.computed()[before:])
        runs.append(BlockRun(block, seconds, computed))
    return runs
