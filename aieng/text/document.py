"""A page's lines, front matter, fenced blocks and prose: the core of the page parser.

:func:`parse_page` reads a page into a :class:`Page`: its front matter
(:mod:`aieng.text.frontmatter`), its fenced blocks (:mod:`aieng.text.fences`, SuperFences' rules)
and its prose, the lines outside blocks with code spans blanked. The extractors here return
records with 1-based file line numbers: headings (:func:`extract_headings`), code blocks
(:func:`extract_code_blocks`), admonitions (:func:`extract_admonitions`). The parser's whole
interface is :mod:`aieng.text.pages`.

Example:
    >>> page = '---\\ntitle: T\\n---\\n# 제목 {#title}\\n\\n~~~python exec="1"\\nprint(1)\\n~~~\\n'
    >>> extract_headings(page)
    [Heading(line=4, level=1, text='제목', anchor='title')]
    >>> [(b.line, b.fence, b.language, b.executed) for b in extract_code_blocks(page)]
    [(6, '~~~', 'python', True)]
    >>> executed_block_lines(page)
    [6]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from aieng.text.fences import CodeBlock, find_fences, is_fence_line
from aieng.text.frontmatter import normalise, split_front_matter


@dataclass(frozen=True)
class Heading:
    """A Markdown heading (``#`` or underlined)."""

    line: int  # 1-based line in the file
    level: int  # 1 for '#', 2 for '##', ...
    text: str  # the heading's words, without '#' marks or attribute list
    anchor: str | None  # explicit id from '{#id}'; None when the heading has none


@dataclass(frozen=True)
class Admonition:
    """A container: ``!!! note``, ``??? tip``, ``/// details`` or a content tab ``=== "..."``."""

    line: int
    kind: str  # 'note', 'warning', ... ('tab' for content tabs)
    marker: str  # '!!!', '???', '???+', '///' or '==='
    title: str  # translatable


@dataclass
class Page:
    """A page split into lines, with its fenced blocks and its prose (code spans blanked)."""

    text: str  # the page, line endings normalised
    meta: dict[str, Any]  # its front matter
    offset: int  # front matter lines before the body
    lines: list[str]  # all lines of the file, as Python-Markdown sees them: tabs expanded
    blocks: list[CodeBlock] = field(default_factory=list)
    code_lines: set[int] = field(default_factory=set)  # 0-based indexes of fence and body lines
    prose: list[str] = field(default_factory=list)  # lines outside blocks, code spans blanked

    @property
    def source_lines(self) -> list[str]:
        """The lines of the file as written (tabs kept), for code that edits the page."""
        return self.text.split("\n")

    @property
    def body(self) -> str:
        """The page without its front matter: what MkDocs hands to ``on_page_markdown``."""
        return "\n".join(self.source_lines[self.offset :])

    def executed(self) -> list[CodeBlock]:
        """The blocks markdown-exec runs, in the order it runs them."""
        return [b for b in self.blocks if b.executed]


_CODE_SPAN_RE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")


@lru_cache(maxsize=256)
def parse_page(text: str) -> Page:
    """Read a page: front matter, fenced blocks (SuperFences' rules) and prose.

    Cached on the text (pages are read by several checks); treat the result as read-only.
    """
    text = normalise(text)
    meta, _, offset = split_front_matter(text)
    # As Python-Markdown normalises a page before any extension sees it: tabs expanded to 4
    # columns, lines of only spaces emptied.
    lines = [line.expandtabs(4) for line in text.split("\n")]
    lines = [line if line.strip(" ") else "" for line in lines]
    doc = Page(text=text, meta=meta, offset=offset, lines=lines)
    doc.blocks, doc.code_lines = find_fences(lines, offset)
    for index, line in enumerate(lines):
        if index < offset or index in doc.code_lines:
            doc.prose.append("")
        else:
            doc.prose.append(_CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line))
    return doc


def executed_block_lines(text: str) -> list[int]:
    """File line numbers (1-based) of the opening fences of the blocks markdown-exec runs.

    Example:
        >>> executed_block_lines('# t\\n\\n```python exec="1"\\nprint(1)\\n```\\n```text\\nx\\n```')
        [3]
    """
    return [block.line for block in parse_page(text).executed()]


def extract_code_blocks(text: str) -> list[CodeBlock]:
    """Fenced code blocks, in order, with info string, options, body and whether they run.

    Example:
        >>> [(b.line, b.language, b.executed) for b in extract_code_blocks(
        ...     '```python exec="1"\\nprint(1)\\n```\\n\\n~~~~text\\nx\\n~~~~\\n')]
        [(1, 'python', True), (5, 'text', False)]
    """
    return list(parse_page(text).blocks)


def fence_lines(doc: Page) -> list[tuple[int, str]]:
    """Every line that looks like a fence, wherever it is (front matter and code included)."""
    return [
        (index + 1, line.rstrip()) for index, line in enumerate(doc.lines) if is_fence_line(line)
    ]


# --------------------------------------------------------------------------- headings

_ATX_RE = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(?P<u>=+|-+)[ \t]*$")
_HEADING_ATTRS_RE = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
_BLOCK_START_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|\||!!!|\?\?\?|#|<)")


def extract_headings(text: str) -> list[Heading]:
    """Headings of a page, with level and explicit anchor.

    Example:
        >>> for heading in extract_headings("# 제목 {#title}\\n\\nText\\n\\n## 절\\n"):
        ...     print(heading)
        Heading(line=1, level=1, text='제목', anchor='title')
        Heading(line=5, level=2, text='절', anchor=None)
    """
    doc = parse_page(text)
    headings = []
    for index, line in enumerate(doc.prose):
        if index < doc.offset or index in doc.code_lines:
            continue
        match = _ATX_RE.match(line)
        if match:
            headings.append(_heading(index, len(match["marks"]), match["text"] or ""))
            continue
        match = _SETEXT_RE.match(line)
        if match and index > doc.offset and (index - 1) not in doc.code_lines:
            previous = doc.prose[index - 1]
            if (
                previous.strip()
                and not _BLOCK_START_RE.match(previous)
                and not _SETEXT_RE.match(previous)
            ):
                level = 1 if match["u"][0] == "=" else 2
                headings.append(_heading(index - 1, level, doc.lines[index - 1].strip()))
    return headings


def _heading(index: int, level: int, text: str) -> Heading:
    anchor = None
    match = _HEADING_ATTRS_RE.search(text)
    if match:
        ids = re.findall(r"#([\w-]+)", match["attrs"])
        anchor = ids[0] if ids else None
        text = text[: match.start()]
    return Heading(line=index + 1, level=level, text=text.strip(), anchor=anchor)


# --------------------------------------------------------------------------- admonitions

_ADMONITION_RE = re.compile(r"^\s*(?P<marker>!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+)?(?P<rest>.*)$")
_BLOCKS_RE = re.compile(r"^\s*(?P<marker>/{3,})[ \t]*(?P<kind>[\w-]+)(?P<rest>.*)$")
_TAB_RE = re.compile(r"^\s*(?P<marker>===\+?)[ \t]+\"(?P<title>.*)\"")


def extract_admonitions(text: str) -> list[Admonition]:
    """Admonitions (``!!!``, ``???``), pymdownx blocks (``/// type``) and content tabs.

    Example:
        >>> page = '!!! warning "책과 다른 점"\\n    본문\\n\\n??? note\\n    x\\n'
        >>> for admonition in extract_admonitions(page):
        ...     print(admonition)
        Admonition(line=1, kind='warning', marker='!!!', title='책과 다른 점')
        Admonition(line=4, kind='note', marker='???', title='')
    """
    doc = parse_page(text)
    found = []
    for index, line in enumerate(doc.prose):
        match = _ADMONITION_RE.match(line) or _BLOCKS_RE.match(line)
        if match:
            rest = match["rest"].strip()
            title = re.search(r"\"(.*)\"", rest)
            title = (
                title.group(1)
                if title
                else rest.lstrip("|").strip()
                if match["marker"][0] == "/"
                else ""
            )
            found.append(Admonition(index + 1, match["kind"] or "", match["marker"], title))
            continue
        match = _TAB_RE.match(line)
        if match:
            found.append(Admonition(index + 1, "tab", match["marker"], match["title"]))
    return found
