"""What a section of a page emphasises, for the search index: the bold leads of its paragraphs
and list items (:func:`emphasis_by_section`), indexed as a field of their own
(:data:`EMPHASIS_FIELD`, weighted :data:`EMPHASIS_BOOST`) by :mod:`aieng.website.search`.
"""

from __future__ import annotations

import functools
from html import escape
from html.parser import HTMLParser
from typing import Any

__all__ = ["EMPHASIS_FIELD", "EMPHASIS_BOOST", "emphasis_by_section"]

# The index field that holds what a section emphasises, and its weight beside Material's title
# (1000) and text (1). A name the multimodal section discusses in a bold-led list item
# ("**Whisper** (OpenAI, 2022): ...") is only listed bare on the foundation-models page and named
# in the summary's recap: in the text alone the three sections score the same. Counted again
# at 3, one emphasised mention outweighs any number of plain ones (lunr's term frequency
# saturates at 2.2 times one mention), and a match in a title still decides.
EMPHASIS_FIELD = "emphasis"
EMPHASIS_BOOST = 3.0
_HEADINGS = {f"h{level}" for level in range(1, 7)}
_BLOCKS = {"p", "li"}
_BOLD = {"strong", "b"}
_SKIPPED = {"script", "style", "object"}


class _Leads(HTMLParser):
    """The bold leads of a page's paragraphs and list items, section by section, where
    Material's search divides the page: at each heading with an ``id``; the page's own
    entry ("") holds what comes before the second heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section = ""
        self.headings = 0
        self.found: dict[str, list[str]] = {"": []}
        self.blocks: list[list[Any]] = []  # [tag, whether a bold lead may still start]
        self.lead: list[str] | None = None
        self.bold_depth = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in _HEADINGS and dict(attrs).get("id"):
            # the first heading, if it is the h1, is the page's own entry (Material's rule)
            if self.headings or tag != "h1":
                self.section = str(dict(attrs)["id"])
                self.found.setdefault(self.section, [])
            self.headings += 1
        if self.lead is not None:
            self.bold_depth += tag in _BOLD
        elif tag in _BLOCKS:
            if self.blocks:
                self.blocks[-1][1] = False
            self.blocks.append([tag, True])
        elif tag in _BOLD and self.blocks and self.blocks[-1][1]:
            self.lead, self.bold_depth = [], 1
        elif self.blocks:
            self.blocks[-1][1] = False

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.lead is not None and tag in _BOLD:
            self.bold_depth -= 1
            if self.bold_depth == 0:
                text = " ".join("".join(self.lead).split())
                if text:
                    self.found[self.section].append(text)
                self.lead = None
                if self.blocks:
                    self.blocks[-1][1] = False
        elif tag in _BLOCKS:
            while self.blocks:
                if self.blocks.pop()[0] == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.lead is not None:
            self.lead.append(data)
        elif self.blocks and data.strip():
            self.blocks[-1][1] = False


def emphasis_by_section(html: str) -> dict[str, str]:
    """What each section of a page emphasises: the bold text that opens a paragraph or a list
    item (a pseudo-heading such as "**1. Few-Shot Learning**", the name at the head of a
    bold-led list item), keyed by the section's heading ``id`` ("" for the page's own entry),
    escaped as Material escapes the index text.

    Example:
        >>> page = ('<h1 id="m">Models</h1><p><strong>Audio:</strong></p>'
        ...         '<ul><li><strong>Whisper</strong> (OpenAI): speech <strong>x</strong></li>'
        ...         '<li>Sora, <strong>not a lead</strong></li></ul>'
        ...         '<h2 id="s">S&amp;P</h2><p><b>S&amp;P 500</b> firms</p>')
        >>> emphasis_by_section(page)
        {'': 'Audio: Whisper', 's': 'S&amp;P 500'}
    """
    return dict(_emphasis(html))


@functools.lru_cache(maxsize=256)
def _emphasis(html: str) -> tuple[tuple[str, str], ...]:
    """:func:`emphasis_by_section` once per page text: ``mkdocs serve`` rebuilds every page's
    search entries after each edit, and parsing all 28 pages' HTML took 0.8 s of a 1.5 s
    rebuild."""
    parser = _Leads()
    parser.feed(html)
    parser.close()
    return tuple(
        (section, escape(" ".join(leads), quote=False))
        for section, leads in parser.found.items()
        if leads
    )
