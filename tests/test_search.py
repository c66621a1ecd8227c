"""Korean search at build time: morpheme marks in the index, the worker swap, the dialog's name.

Known answers come from Kiwi's analysis (kiwipiepy 0.2x), written out below; the browser tests
(``tests/browser/test_browser_search.py``) check what a reader then finds.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieng.website import search


def _show(text: str) -> str:
    return text.replace(search.CONTENT_MARK, "|").replace(search.TAIL_MARK, "+")


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        # compound nouns split; the particle after them is a tail
        ("자기지도학습은", "자기|지도|학습+은"),
        # a particle after an English term and a number
        ("GPT-4가", "GPT-4+가"),
        # 하다-verbs: the noun stays searchable, 한다 is one tail (하 + ㄴ다)
        ("학습한다", "학습+한다"),
        ("가능해졌다", "가능+해졌다"),
        # noun suffixes stay on their noun (범용성, 창발적 are searched as words)
        ("범용성이", "범용성+이"),
        ("창발적 능력", "창발적 능력"),
        # a stem contracted with its ending (빠지 + ㄴ) is not cut inside the syllable
        ("빠진 토큰을", "빠진 토큰+을"),
        # no Hangul: unchanged
        ("attention is all you need", "attention is all you need"),
    ],
)
def test_segment_korean_marks_morpheme_boundaries(text: str, marked: str) -> None:
    assert _show(search.segment_korean(text)) == marked


def test_html_tags_are_left_alone() -> None:
    html = '<p>자기지도학습은 <code class="x">토큰화</code></p>'
    out = search.segment_korean(html)
    assert '<code class="x">' in out and out.startswith("<p>")
    assert search.strip_marks(out) == html


@given(st.text(alphabet="가나다라학습모델은는이가을를 <>/abAB-4", max_size=40))
def test_marks_are_invisible_round_trip(text: str) -> None:
    assert search.strip_marks(search.segment_korean(text)) == text


def test_worker_swap_names_the_page_language() -> None:
    page = (
        '<script id="__config" type="application/json">{"base": ".", "search": '
        '"assets/javascripts/workers/search.a7633da7.min.js"}</script>'
    )
    out = search.point_to_worker(page, "aieng-search.12345678.js", "lang=ko&drop=en/")
    assert '"search": "assets/javascripts/workers/aieng-search.12345678.js?lang=ko' in out
    assert "\\u0026drop=en/" in out


def test_worker_swap_fails_loudly_when_the_theme_changed() -> None:
    with pytest.raises(ValueError, match="Material's templates changed"):
        search.point_to_worker("<html>no config</html>", "w.js", "lang=ko")


def test_worker_source_loads_materials_worker() -> None:
    source = search.worker_source("search.a7633da7.min.js")
    assert 'importScripts("search.a7633da7.min.js")' in source
    assert search.worker_name(source) != search.worker_name(source + " ")


def test_search_dialog_gets_a_name() -> None:
    html = (
        '<div class="md-search" data-md-component="search" role="dialog">'
        '<input type="text" class="md-search__input" name="query" aria-label="검색" placeholder>'
    )
    assert 'role="dialog" aria-label="검색">' in search.label_search_dialog(html)
