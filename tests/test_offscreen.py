"""Marking the heavy blocks below the first screen (aieng.website.offscreen), from HTML alone.

The browser test ``test_marked_blocks_start_below_the_first_screen`` checks the estimate against
the real layout of every page; these check the rule and that marking never changes anything else.
"""

from __future__ import annotations

import re

import pytest

from aieng.website.offscreen import ATTRIBUTE, estimated_tops, mark_offscreen

ROW = "<tr><td>1</td><td>2</td></tr>\n"
TABLE = "<table>\n<tr><th>a</th><th>b</th></tr>\n" + ROW * 6 + "</table>"
CODE = '<div class="highlight"><pre><span></span><code>' + "x = 1\n" * 40 + "</code></pre></div>"
PROSE = "<p>" + "Lorem ipsum dolor sit amet. " * 60 + "</p>"  # 1,680 characters


def _unmarked(html: str) -> str:
    return html.replace(f" {ATTRIBUTE}", "")


def test_a_heavy_block_far_down_is_marked_and_nothing_else_changes() -> None:
    html = "<h1>Title</h1>\n" + PROSE * 12 + "\n" + TABLE + "\n" + CODE
    marked = mark_offscreen(html)
    assert marked.count(ATTRIBUTE) == 2
    assert f"<table {ATTRIBUTE}>" in marked
    assert f'<div class="highlight" {ATTRIBUTE}>' in marked
    assert _unmarked(marked) == html
    # the theme styles and wraps tables without a class: marking must not add one
    assert not re.search(r"<table[^>]*class=", marked)


def test_blocks_on_the_first_screen_and_light_blocks_are_left_alone() -> None:
    first = "<h1>Title</h1>\n" + TABLE + "\n" + CODE + "\n" + PROSE
    assert mark_offscreen(first) == first
    # far down, but cheap: paragraphs, lists and headings are not worth deferring
    light = PROSE * 20 + "<ul><li>one</li><li>two</li></ul><h2>Next</h2>" + PROSE
    assert mark_offscreen(light) == light


def test_only_blocks_the_stylesheet_can_draw_late_are_marked() -> None:
    """A plain div (an API entry) is left alone: its children's margins would stop collapsing;
    a boxed note, or a div holding code, is marked."""
    spans = "<span>x</span>" * 20
    plain = f'<div class="doc">{spans}</div>'
    note = f'<div class="admonition note">{spans}</div>'
    marked = mark_offscreen(PROSE * 12 + plain + note + CODE)
    assert '<div class="doc">' in marked
    assert f'<div class="admonition note" {ATTRIBUTE}>' in marked
    assert f'<div class="highlight" {ATTRIBUTE}>' in marked


def test_estimates_grow_with_what_comes_before() -> None:
    tops = estimated_tops("<h1>T</h1>" + CODE + PROSE + TABLE + "<p>end</p>")
    assert [tag for tag, _ in tops] == ["h1", "div", "p", "table", "p"]
    ys = [y for _, y in tops]
    assert ys == sorted(ys) and ys[0] == 0
    assert ys[2] - ys[1] >= 40 * 15  # forty lines of code are at least 600 pixels
    assert ys[4] - ys[3] >= 7 * 25  # seven table rows


def test_a_chart_counts_by_its_drawn_height() -> None:
    chart = '<p><svg viewBox="0 0 640 2400">' + "<rect/>" * 20 + "</svg></p>"
    marked = mark_offscreen("<h1>T</h1>" + chart + TABLE)
    assert marked.endswith(f"<table {ATTRIBUTE}>" + TABLE[len("<table>") :])


@pytest.mark.parametrize("separator", ["\n", "\r\n", "\u2028", "한국어 텍스트\n"])
def test_marks_land_inside_the_right_tag_whatever_the_text(separator: str) -> None:
    """HTMLParser counts lines at "\\n" only; offsets must too (a Korean or U+2028 in the
    text must not shift the mark into the wrong place)."""
    html = separator.join(["<h1>T</h1>", PROSE * 12, TABLE, CODE])
    marked = mark_offscreen(html)
    assert _unmarked(marked) == html
    assert f"<table {ATTRIBUTE}>" in marked and f'<div class="highlight" {ATTRIBUTE}>' in marked


def test_the_first_screen_can_be_set() -> None:
    html = "<h1>T</h1>" + PROSE + TABLE
    assert ATTRIBUTE not in mark_offscreen(html)
    assert ATTRIBUTE in mark_offscreen(html, first_screen=0)
