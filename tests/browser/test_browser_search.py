"""Search as a reader uses it, in headless Chromium: Korean queries find the right page (with
particles, compounds, spacing variants and English terms), English queries too, and each
language searches only its own pages.

The evaluation set is ``tests/search_queries.toml``; the stock Material search scores 0.50 on it
(``AIENG_KO_SEARCH=off``), the target is at least 0.90 of the expected pages ranked first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aieng.tools.browser import load_cases, run_cases, search, summarise

CASES = load_cases(Path(__file__).resolve().parents[1] / "search_queries.toml")
TARGET = 0.90


def test_evaluation_set_is_realistic() -> None:
    korean = [c for c in CASES if c.lang == "ko"]
    assert len(korean) >= 20
    kinds = {c.kind for c in korean}
    assert {"particle", "compound", "spacing", "english"} <= kinds, kinds


@pytest.fixture(scope="module")
def case_results(module_page: Any, base_url: str) -> list[dict[str, Any]]:
    """Every query of the evaluation set searched once, in the browser; the tests below read
    these records (searching them all takes about 20 s)."""
    results = run_cases(module_page, base_url, CASES)
    module_page.problems.check("search")
    return results


def test_korean_search_puts_the_expected_page_first(case_results: list[dict[str, Any]]) -> None:
    summary = summarise(case_results)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    for lang, rate in summary["hit_at_1_by_language"].items():
        assert rate >= TARGET, (
            f"{lang}: expected page first for {rate:.0%} of the queries (target {TARGET:.0%}); "
            f"misses: {json.dumps(summary['misses'], ensure_ascii=False)}"
        )


def test_each_language_searches_its_own_pages(page: Any, base_url: str) -> None:
    # "GPT" appears on pages of both languages
    page.goto(base_url)
    korean = search(page, "GPT")
    assert korean and all(not url.startswith(base_url + "en/") for url in korean), korean
    page.goto(base_url + "en/")
    english = search(page, "GPT")
    assert english and all(url.startswith(base_url + "en/") for url in english), english
    page.problems.check("search per language")


def test_a_result_opens_its_page_and_highlights(page: Any, base_url: str) -> None:
    page.goto(base_url)
    found = search(page, "창발적 능력은")
    assert found[0] == base_url + "1.1/scaling-laws/"
    with page.expect_navigation():
        page.click(".md-search-result__list > li.md-search-result__item > a")
    assert page.url.split("?")[0].split("#")[0] == base_url + "1.1/scaling-laws/"
    page.problems.check("opening a search result")


_RESULTS = ".md-search-result__list > li.md-search-result__item > a.md-search-result__link"
_READY = (
    "() => { const c = JSON.parse(document.getElementById('__config').textContent);"
    " const m = document.querySelector('.md-search-result__meta');"
    " return m.textContent.trim() === c.translations['search.result.placeholder']; }"
)


def _open_search(page: Any, url: str) -> str:
    """Open ``url``, focus the search box and wait until the index is loaded."""
    page.goto(url)
    box = "input.md-search__input"
    page.click(box)
    page.wait_for_function(_READY, timeout=10_000)
    return box


def _first_result(page: Any) -> str:
    page.wait_for_function(f"() => document.querySelector('{_RESULTS}') !== null", timeout=10_000)
    return page.eval_on_selector(_RESULTS, "a => a.href").split("?")[0].split("#")[0]


def test_search_answers_text_typed_without_key_events(page: Any, base_url: str) -> None:
    """Playwright types Hangul as inserted text (as input methods and dictation do): input
    events and no keyup. The results must follow the text, not wait for the next key."""
    box = _open_search(page, base_url)
    keyups = page.evaluate(
        "() => { window.__keyups = 0; document.querySelector('input.md-search__input')"
        ".addEventListener('keyup', e => { if (e.isTrusted) window.__keyups++ }); }"
    )
    assert keyups is None
    page.type(box, "창발", delay=30)
    assert page.evaluate("window.__keyups") == 0, "typing Hangul sent key events: not the case"
    assert _first_result(page) == base_url + "1.1/scaling-laws/"
    page.problems.check("typing a Korean query")


def test_search_answers_a_paste(page: Any, base_url: str) -> None:
    """A paste from the context menu: the value changes with one input event, no key at all."""
    box = _open_search(page, base_url + "en/")
    page.eval_on_selector(
        box,
        "el => { el.value = 'attention mechanism';"
        " el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste',"
        " data: 'attention mechanism'})); }",
    )
    assert _first_result(page) == base_url + "en/1.1/transformer/"
    page.problems.check("pasting a query")


# The target for held-out queries is 0.95 (issue 10). Before the sections' emphasis and the
# ranking by a page's best section, the plain build (AIENG_EXEC=off) put the expected section first
# for 0.86 of them (92 of 107; the fourth batch was written later); the test holds the target.
HELD_OUT_FLOOR = 0.95


def test_the_index_holds_what_each_section_emphasises(site_dir: Path) -> None:
    """The emphasis field is declared with its weight and filled from the bold leads: the
    multimodal section's bold-led list names Whisper, the foundation-models list does not."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert (
        index["config"]["fields"]["emphasis"]["boost"] > index["config"]["fields"]["text"]["boost"]
    )
    emphasis = {doc["location"]: doc.get("emphasis", "") for doc in index["docs"]}
    for root in ("", "en/"):
        assert "Whisper" in emphasis[root + "1.1/multimodal/#major-multimodal-models"]
        assert "Whisper" not in emphasis[root + "1.1/foundation-models/#major-foundation-models"]


def test_held_out_queries_find_their_section(case_results: list[dict[str, Any]]) -> None:
    """The queries written without looking at the results (``tuned = false``)."""
    held_out = [r for r in case_results if not r["tuned"]]
    assert len(held_out) >= 30 and len(case_results) == len(CASES) >= 60
    summary = summarise(held_out)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    assert summary["hit_at_1"] >= HELD_OUT_FLOOR, json.dumps(summary["misses"], ensure_ascii=False)
