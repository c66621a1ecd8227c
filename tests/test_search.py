"""Korean search at build time: morpheme marks in the index, what each section emphasises, the
worker swap, the dialog's name.

Known answers come from Kiwi's analysis (kiwipiepy 0.2x), written out below; the browser tests
(``tests/browser/test_browser_search.py``) check what a reader then finds.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

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


def test_separator_keeps_an_ampersand_inside_a_word() -> None:
    # the index holds HTML: "S&P 500" is "S&amp;P 500", one word and a number
    parts = [p for p in re.split(search.SEPARATOR, "S&amp;P 500 기업: a;b &lt;BOS&gt;") if p]
    assert parts == ["S&amp;P", "500", "기업", "a", "b", "BOS"]


# Rendered as Python-Markdown renders the chapter: a pseudo-heading paragraph, a bold-led list
# whose items nest a list, a loose list (li > p), bold that does not lead, a code lead.
_PAGE = """<h1 id="expanding-to-multimodal">Multimodal로의 확장</h1>
<p><strong>인간의 인식:</strong></p>
<h2 id="major-multimodal-models">주요 Multimodal Models</h2>
<ul>
<li><strong>Flamingo</strong> (DeepMind, 2022): 이미지 + 질문 → 답변</li>
<li><strong>Whisper</strong> (OpenAI, 2022):<ul>
<li>오디오 → 텍스트 (transcription)</li>
<li>다국어 <strong>음성</strong> 인식</li>
</ul>
</li>
<li>Sora, <strong>not a lead</strong></li>
<li><code>&lt;BOS&gt;</code>: <strong>not a lead either</strong></li>
</ul>
<h2 id="emergent-abilities">Emergent Abilities</h2>
<ol>
<li>
<p><strong>1. Few-Shot <em>Learning</em></strong></p>
</li>
</ol>
<h3>no id: not a section</h3>
<p>The <strong>S&amp;P 500</strong> and <b>R&amp;D</b> mid-sentence are not leads.</p>
<script>var x = "<strong>no</strong>";</script>
"""


def test_emphasis_is_the_bold_lead_of_paragraphs_and_list_items() -> None:
    assert search.emphasis_by_section(_PAGE) == {
        "": "인간의 인식:",
        "major-multimodal-models": "Flamingo Whisper",
        "emergent-abilities": "1. Few-Shot Learning",
    }


def test_a_page_without_an_h1_first_keeps_its_first_heading_as_a_section() -> None:
    html = '<p><strong>Lead</strong> text</p><h2 id="a">A</h2><p><b>B</b></p>'
    assert search.emphasis_by_section(html) == {"": "Lead", "a": "B"}


def test_page_entries_get_their_sections_emphasis() -> None:
    entries = [
        {"location": "1.1/multimodal/", "title": "Multimodal로의 확장", "text": "x"},
        {"location": "1.1/multimodal/#major-multimodal-models", "title": "t", "text": "y"},
        {"location": "1.1/multimodal/#emergent-abilities", "title": "u", "text": "z"},
        {"location": "1.1/other/#major-multimodal-models", "title": "v", "text": "w"},
        {"location": "1.1/multimodal/#clip", "title": "c", "text": "d", "emphasis": "stale"},
    ]
    plugin = SimpleNamespace(search_index=SimpleNamespace(entries=entries))
    config = SimpleNamespace(plugins={"material/search": plugin})
    page = SimpleNamespace(url="1.1/multimodal/", content=_PAGE)
    assert search.segment_page_entries(config, page) == 4
    assert _show(entries[0]["emphasis"]) == "인간+의 인식:"
    assert entries[1]["emphasis"] == "Flamingo Whisper"
    assert "emphasis" not in entries[3]  # another page
    assert "emphasis" not in entries[4]  # no bold lead there (any more)
    # a page seen twice gets the same entries
    again = [dict(e) for e in entries]
    search.segment_page_entries(
        SimpleNamespace(
            plugins={
                "material/search": SimpleNamespace(search_index=SimpleNamespace(entries=again))
            }
        ),
        page,
    )
    assert again == entries


def test_preloading_the_analyser_loads_it_once():
    """mkdocs serve loads the Korean analyser after its first build, so the first edit of a
    Korean page does not wait for it; a second call finds it loaded."""
    search.preload()
    assert search._kiwi.cache_info().currsize == 1
    assert search.preload() == 0.0
