"""Which of a page's heavy blocks start below the first screen, so that the browser may render
them only when the reader scrolls near them (:func:`mark_offscreen`).

The stylesheet (``docs/assets/aieng.css``) gives the blocks marked here ``content-visibility:
auto``: until a block comes near the viewport the browser skips its style, layout and paint.
That matters at start-up, when the theme's script has the browser restyle the whole document
several times. A block that is on the first screen must not be marked: it would be laid out at a
guessed height for the first frame and then at its real one, and everything under it would jump
(a layout shift, which Lighthouse and readers both notice). Where a block will land depends on
the reader's screen, so the build estimates, from the HTML alone, a lower bound of each
top-level block's distance from the top of the article on a wide screen (where lines hold the
most and blocks are shortest): text by its characters, code by its lines, tables by their rows,
charts by their drawn height. Only heavy blocks that the stylesheet can draw late, and whose
estimated top is at least :data:`FIRST_SCREEN` pixels down, are marked; on a phone the same
blocks sit lower still.

Example:
    >>> table = "<table>" + "<tr><td>1</td><td>2</td></tr>" * 6 + "</table>"  # 19 elements
    >>> long_text = "<p>" + "word " * 4000 + "</p>"  # 20,000 characters: 3,600 pixels or more
    >>> mark_offscreen(long_text + table).count("<table data-aieng-offscreen>")
    1
    >>> mark_offscreen("<h1>T</h1>" + table) == "<h1>T</h1>" + table  # on the first screen
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["mark_offscreen", "estimated_tops", "ATTRIBUTE", "FIRST_SCREEN"]

ATTRIBUTE = "data-aieng-offscreen"
# The first screen, in CSS pixels from the top of the article, with room to spare: a desktop
# window shows about 900 pixels of it, a tall monitor 1,300.
FIRST_SCREEN = 1600
# What the stylesheet's rule can draw late (docs/assets/aieng.css names the same; the browser
# test of marked blocks fails when the two differ): a table, chart, fold or paragraph (a chart's),
# one of these boxes, or a block holding code or a table. The playgrounds (sections) stay as they
# are: their script reads and writes them. Paragraphs of text, lists and headings are cheap.
_DEFERRABLE_TAGS = {"table", "figure", "details", "p"}
_DEFERRABLE_BOXES = {"admonition", "aieng-figure-row", "aieng-tokens-compare"}
_HEAVY_ELEMENTS = 12  # ... worth it with at least this many elements inside
_HEAVY_CODE = 10  # ... or this many lines of code

# Lower bounds on a wide screen (the content column is about 680 pixels, 20-pixel type).
_CHARS_PER_LINE = 120  # more than a line of prose holds: fewer lines, a lower estimate
_TEXT_LINE, _CODE_LINE, _TABLE_ROW = 22.0, 17.0, 28.0  # pixels
_BLOCK_GAP = 12.0  # the least space between two blocks
_HEADING = 30.0
_CHART_SCALE = 0.8  # a chart ``viewBox`` h high is drawn at least 0.8 h pixels high (its width
# is at most its viewBox's, and the column holds at least 0.8 of that)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_VIEWBOX = re.compile(r"\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)")


@dataclass
class _Block:
    tag: str
    end_of_tag: int  # offset just after the start tag's ">" in the page's HTML
    elements: int = 1
    chars: int = 0
    code_lines: int = 0
    rows: int = 0
    chart: float = 0.0  # the tallest chart in it, in viewBox units
    headings: int = 0
    classes: frozenset[str] = frozenset()
    holds_code_or_table: bool = False
    in_pre: int = field(default=0, repr=False)

    def deferrable(self) -> bool:
        """Whether the stylesheet can draw it late, and it is worth it."""
        drawn_late = (
            self.tag in _DEFERRABLE_TAGS
            or bool(self.classes & _DEFERRABLE_BOXES)
            or self.holds_code_or_table
        )
        return drawn_late and (self.elements >= _HEAVY_ELEMENTS or self.code_lines >= _HEAVY_CODE)

    def height(self) -> float:
        """A lower bound of the block's height on a wide screen, in pixels."""
        if self.tag in _HEADINGS:
            return _HEADING
        if self.code_lines:
            return self.code_lines * _CODE_LINE
        if self.rows:
            return self.rows * _TABLE_ROW
        if self.chart:
            return self.chart * _CHART_SCALE
        return (self.chars // _CHARS_PER_LINE) * _TEXT_LINE + self.headings * _HEADING


class _Blocks(HTMLParser):
    """The top-level blocks of an article's HTML, with what their heights are estimated from."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        # HTMLParser counts lines at "\n" only
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.blocks: list[_Block] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            line, column = self.getpos()  # where this start tag begins
            start = self.line_starts[line - 1] + column
            classes = frozenset((dict(attrs).get("class") or "").split())
            self.blocks.append(
                _Block(tag, start + len(self.get_starttag_text() or ""), classes=classes)
            )
        else:
            self.blocks[-1].elements += 1
            self.blocks[-1].holds_code_or_table |= tag in {"pre", "table"}
        block = self.blocks[-1]
        block.rows += tag == "tr"
        block.headings += self.depth > 0 and tag in _HEADINGS
        block.in_pre += tag == "pre"
        if tag == "svg":
            found = _VIEWBOX.match(dict(attrs).get("viewbox") or "")  # names come lower-cased
            # side by side or stacked: the tallest is a lower bound either way
            block.chart = max(block.chart, float(found.group(2)) if found else 0.0)
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            return  # a lone void element between blocks (an <hr/>) is not worth deferring
        self.blocks[-1].elements += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.blocks:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "pre" and self.blocks[-1].in_pre:
            self.blocks[-1].in_pre -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            return
        block = self.blocks[-1]
        if block.in_pre:
            block.code_lines += data.count("\n")
        else:
            block.chars += len(data.strip())


def _placed(html: str) -> list[tuple[_Block, float]]:
    """The top-level blocks of ``html``, each with the lower bound of its top."""
    parser = _Blocks(html)
    parser.feed(html)
    parser.close()
    placed, y = [], 0.0
    for block in parser.blocks:
        placed.append((block, y))
        y += block.height() + _BLOCK_GAP
    return placed


def estimated_tops(html: str) -> list[tuple[str, float]]:
    """Each top-level block's tag and the lower bound of its top, in pixels from the article's
    top on a wide screen."""
    return [(block.tag, y) for block, y in _placed(html)]


def mark_offscreen(html: str, *, first_screen: float = FIRST_SCREEN) -> str:
    """``html`` (a page's article) with :data:`ATTRIBUTE` on each heavy top-level block whose
    estimated top is at least ``first_screen`` pixels down (see the module docstring)."""
    marks = [
        block.end_of_tag - 1  # inside the start tag, before its ">"
        for block, y in _placed(html)
        if y >= first_screen and block.deferrable()
    ]
    out, last = [], 0
    for at in marks:
        out += [html[last:at], f" {ATTRIBUTE}"]
        last = at
    return "".join(out) + html[last:]
