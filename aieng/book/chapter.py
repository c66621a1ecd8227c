"""The recovered chapter and how the site's Korean pages are cut from it.

``chapter/1.1.md`` is the chapter exactly as the author wrote it (recovered by
:mod:`aieng.recovery.repair`). The site shows it one page per ``##`` section; this module names
those pages and checks that a page still carries every line of its section, in order, so an edit
to a page can add executed examples and notes but cannot silently drop or reword the author's text.

What a page may change, and nothing else:

* headings move up one level (the section title becomes the page title) and carry an ASCII
  anchor ``{#...}`` shared by both languages;
* links to the book's ``README.md`` and to section 1.2 point at this site's contents and 1.2 pages;
* a number may be replaced by a claim macro ``[[claim:ID...]]`` that renders it from the ledger.

Example:
    >>> [s.slug for s in sections()][:3]
    ['language-models', 'self-supervision', 'transformer']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aieng.core import paths as _paths
from aieng.text.pages import claim_macros, parse_page

ROOT = _paths.ROOT
CHAPTER = ROOT / "chapter" / "1.1.md"
DOCS = ROOT / "docs"

#: Page slug of each ``##`` section, in the chapter's order.
PAGES: tuple[str, ...] = (
    "language-models",
    "self-supervision",
    "transformer",
    "scaling-laws",
    "multimodal",
    "foundation-models",
    "ai-engineering",
    "summary",
)

_LINKS = {
    "(./README.md)": "(../index.md)",
    "(./1.2-foundation-model-use-cases.md)": "(../1.2.md)",
}
_ANCHOR = re.compile(r"\s*\{#[a-z0-9-]+\}\s*$")
# A line of the chapter's contents list: a link to a heading of the chapter itself.
_CONTENTS_ITEM = re.compile(r"^\s*[-*]\s+\[[^\]]+\]\(#[^)]*\)\s*$")


@dataclass(frozen=True)
class Section:
    """One ``##`` section of the chapter: its page slug, title and lines (title first)."""

    slug: str
    title: str
    lines: tuple[str, ...]

    def page(self, lang: str = "ko") -> Path:
        return DOCS / lang / "1.1" / f"{self.slug}.md"


@cache
def text() -> str:
    """The recovered chapter (UTF-8 Markdown)."""
    if not CHAPTER.is_file():
        raise FileNotFoundError(
            f"{CHAPTER.name} is missing: run 'python -m aieng import chapter/1.1.seed.txt "
            "--overrides chapter/1.1.overrides.toml -o chapter/1.1.md'"
        )
    return CHAPTER.read_text(encoding="utf-8")


def _is_contents(lines: list[str], start: int) -> bool:
    """Whether the ``##`` section at ``start`` is the chapter's contents: its lines up to the next
    heading are in-page links, rules and blanks only."""
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.strip() not in {"", "---"}:
            body.append(line)
    return bool(body) and all(_CONTENTS_ITEM.match(line) for line in body)


def sections() -> list[Section]:
    """The chapter's ``##`` sections that become pages (the contents list is the home page)."""
    lines = text().split("\n")
    starts = [
        i for i, line in enumerate(lines) if line.startswith("## ") and not _is_contents(lines, i)
    ]
    if len(starts) != len(PAGES):
        raise ValueError(f"the chapter has {len(starts)} sections but PAGES names {len(PAGES)}")
    out = []
    for k, (start, slug) in enumerate(zip(starts, PAGES, strict=True)):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body = list(lines[start:end])
        while body and body[-1].strip() in {"", "---"}:
            body.pop()
        out.append(Section(slug, body[0][3:], tuple(body)))
    return out


def _as_on_page(line: str) -> str:
    """A chapter line as the page shows it: headings one level up, links mapped."""
    if line.startswith("##"):
        line = line[1:]
    for old, new in _LINKS.items():
        line = line.replace(old, new)
    return line.rstrip()


def _matches(page_line: str, macros: list[str], chapter_line: str) -> bool:
    """Whether a page line shows ``chapter_line``, each claim macro of ``macros`` (the macros on
    the page line, found by the page parser) standing for some text of the chapter's line."""
    page_line = _ANCHOR.sub("", page_line).rstrip()
    if not macros:
        return page_line == chapter_line
    parts, rest = [], page_line
    for macro in macros:
        before, _, rest = rest.partition(macro)
        parts.append(before)
    parts.append(rest)
    pattern = ".+?".join(re.escape(p) for p in parts)
    return re.fullmatch(pattern, chapter_line) is not None


def missing_lines(section: Section, page_text: str) -> list[str]:
    """Lines of ``section`` that the page lacks, in order (an empty list: nothing dropped).

    The page's lines are matched greedily in order, so added lines anywhere are fine but a
    dropped, reworded or reordered chapter line is reported. Inside the chapter's code blocks
    (found by the page parser) lines are compared as written; elsewhere as the page shows them.
    """
    page = parse_page(page_text).source_lines
    macros: dict[int, list[str]] = {}
    for macro in claim_macros(page_text):
        if macro.ok:
            macros.setdefault(macro.line - 1, []).append(macro.text)
    code = parse_page("\n".join(section.lines)).code_lines
    missing, at = [], 0
    for index, raw in enumerate(section.lines):
        want = raw.rstrip() if index in code else _as_on_page(raw)
        if not want.strip():
            continue
        for j in range(at, len(page)):
            if _matches(page[j], macros.get(j, []), want):
                at = j + 1
                break
        else:
            missing.append(raw)
    return missing
