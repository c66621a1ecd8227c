"""The Korean pages carry the recovered chapter whole: every line of each section, in order."""

from __future__ import annotations

import re

import pytest

from aieng.book import chapter

SECTIONS = chapter.sections()
HEADING = re.compile(r"^(#{1,6}) (.*?)(?: \{#([a-z0-9-]+)\})?$")


def _headings(markdown: str) -> list[tuple[int, str, str | None]]:
    out, in_code = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        elif not in_code and (m := HEADING.match(line)):
            out.append((len(m.group(1)), m.group(2), m.group(3)))
    return out


def test_eight_sections_in_the_chapters_order():
    assert [s.slug for s in SECTIONS] == list(chapter.PAGES)
    assert SECTIONS[0].title == "Language Models의 역사"
    assert SECTIONS[-1].title == "핵심 요약"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.slug)
def test_page_keeps_every_line_of_its_section(section):
    page = section.page("ko").read_text(encoding="utf-8")
    assert chapter.missing_lines(section, page) == []


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.slug)
def test_headings_are_the_chapters_with_ascii_anchors(section):
    """The chapter's headings, one level up, in order; a page may add sections of its own."""
    page = _headings(section.page("ko").read_text(encoding="utf-8"))
    book = [(level - 1, title) for level, title, _ in _headings("\n".join(section.lines))]
    remaining = iter((lv, t) for lv, t, _ in page)
    assert all(heading in remaining for heading in book), "a chapter heading is missing or moved"
    assert page[0][:2] == book[0], "the section title is the page title"
    anchors = [a for _, _, a in page]
    assert all(anchors), "every heading carries an explicit {#anchor}"
    assert len(set(anchors)) == len(anchors)


def test_a_dropped_or_reworded_line_is_reported():
    section = SECTIONS[0]
    page = section.page("ko").read_text(encoding="utf-8")
    line = "- 가장 흔한 막대기 그림 = E"
    assert line in page
    assert chapter.missing_lines(section, page.replace(line, "")) == [line]
    assert chapter.missing_lines(section, page.replace(line, line + "!")) == [line]


def test_a_claim_macro_may_stand_for_a_number():
    section = chapter.Section("x", "T", ("## T", "- Mixtral 8x7B: 32,000 tokens", "- 끝"))
    macro = "[[claim:mixtral-vocab]]"
    assert chapter.missing_lines(section, f"# T\n- Mixtral 8x7B: {macro}\n- 끝") == []
    assert chapter.missing_lines(section, f"# T\n- Mixtral: {macro}\n- 끝") == [
        "- Mixtral 8x7B: 32,000 tokens"
    ]
