"""The claims ledger (aieng.book.claims, checks, ledger) and the [[claim:ID]] macro.

Every verdict is asserted: a change in a tokenizer, the corpus, the pages or the arithmetic that
flips one fails here, and so does a claim added without a verdict in this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from aieng.__main__ import main
from aieng.book import ledger as claims
from aieng.book.claims import agrees
from aieng.book.ledger import reason_text, render
from aieng.website import macros

DOCS = Path(__file__).resolve().parent.parent / "docs"

# The verdict of every claim, with the derivation where it is arithmetic.
EXPECTED = {
    # GPT-4 splits the sentence into the 8 pieces the book lists; "9" is Mixtral's count.
    "gpt4-example-tokens": "differs",
    "gpt4-example-pieces": "holds",
    "gpt4-cant-tokens": "holds",  # can | 't
    "cooking-split": "differs",  # GPT-4: co | oking ("␣cooking" is one token); Mixtral: cooking
    "chatgpting-split": "differs",  # chat | g | pt | ing under both tokenizers
    "mixtral-vocab": "holds",  # 3 special + 256 byte pieces + 31,741 text pieces = 32,000
    "gpt4-vocab": "holds",  # 100,256 ordinary tokens; 5 special tokens on top
    "gpt4-words-per-token": "differs",  # the site's English: about 0.54 words per token
    "gpt4-words-per-100-tokens": "differs",
    "char-token-word-order": "holds",  # 1 < ~3.9 < ~7 characters per unit
    "most-common-letter-e": "holds",
    "dancing-men-year": "cannot-check",
    "shannon-year": "cannot-check",
    "imagenet-images": "cannot-check",
    "imagenet-categories": "cannot-check",
    "label-cost-1m": "holds",  # 0.05 × 1,000,000 = 50,000
    "label-cost-cross-check": "holds",  # 2 × 50,000 = 100,000
    "label-cost-1m-categories": "holds",  # 1,000 images/category × 1,000,000 × 0.05 = 5e7
    "self-supervision-samples": "holds",  # 5 tokens + <EOS> = 6 targets
    "supervised-cost-1m-labels": "holds",  # 1 × 1,000,000
    "gpt1-params": "cannot-check",
    "gpt2-params": "cannot-check",
    "gpt3-params": "cannot-check",
    "gpt4-params": "cannot-check",
    "gpt1-to-gpt2": "holds",  # 1.5e9 / 117e6 = 12.82 -> 13 at 2 significant figures
    "gpt1-to-gpt3": "holds",  # 175e9 / 117e6 = 1,495.7 -> 1,500 at 2 significant figures
    "gpt1-to-gpt4": "holds",  # 1.7e12 / 117e6 = 14,530 -> 14,500 at 3 significant figures
    "cot-15-percent-of-80": "holds",  # 0.15 × 80 = 12
    "clip-pairs": "cannot-check",
    "clip-vs-imagenet": "holds",  # 400,000,000 / 1,000,000 = 400
    "runway-gen2-seconds": "cannot-check",
    "sora-max-seconds": "cannot-check",
    "goldman-ai-investment-2025": "cannot-check",
    "us-ai-investment-2025": "cannot-check",
    "us-education-budget": "cannot-check",
    "us-ai-vs-education": "holds",  # 100 / 900 = 1/9
    "sp500-ai-mentions-3x": "holds",  # 33 / 11 = 3
    "sp500-stock-ai": "cannot-check",
    "sp500-stock-other": "cannot-check",
    "ai-cost-drop-100x": "holds",  # 10^2
    "linkedin-monthly-growth": "cannot-check",
    "term-survey-people": "cannot-check",
}


# --- verdicts -------------------------------------------------------------------------------------


def test_every_claim_has_the_expected_verdict():
    got = {e.id: e.verdict for e in claims.ledger()}
    assert got == EXPECTED


def test_counts_add_up():
    c = claims.counts()
    assert c == {"holds": 19, "differs": 5, "cannot-check": 18}
    assert claims.summary("en") == "42 claims: 19 hold, 5 differ, 18 cannot be checked here"


def test_measured_values_of_the_token_claims():
    assert claims.get("gpt4-example-tokens").measured == 8
    assert claims.get("mixtral-example-tokens").measured == 9
    assert claims.get("gpt4-vocab").measured == 100_256
    assert claims.get("mixtral-vocab").measured == 32_000
    assert claims.get("cooking-split").measured == "co + oking"
    assert claims.get("chatgpting-split").measured == "chat + g + pt + ing"
    assert claims.get("gpt4-example-pieces").measured == claims.get("gpt4-example-pieces").book


def test_words_per_token_is_measured_on_the_site_and_stays_in_a_plausible_band():
    """Technical, list-heavy English: fewer words per token than plain prose."""
    entry = claims.get("gpt4-words-per-token")
    assert 0.45 < entry.measured < 0.675  # differs: below 0.75 - 10%
    assert claims.get("gpt4-words-per-100-tokens").measured == pytest.approx(100 * entry.measured)
    assert "Shakespeare" in reason_text(entry.reason, "en")


def test_korean_costs_more_tokens_than_english():
    assert claims.get("ko-en-tokens-gpt4").measured > 1.1
    assert claims.get("ko-en-tokens-mixtral").measured > 1.1
    assert claims.get("ko-en-chars").measured < 1.0  # but fewer characters


def test_every_ratio_is_computed_from_the_books_own_inputs():
    assert claims.get("gpt1-to-gpt3").measured == pytest.approx(175e9 / 117e6)
    assert claims.get("label-cost-1m-categories").measured == 50_000_000
    assert "1.7T / 117M" in reason_text(claims.get("gpt1-to-gpt4").reason, "en")


@pytest.mark.parametrize(
    ("book", "measured", "ok"),
    [
        (13, 12.82, True),  # 2 significant figures
        (1500, 1495.7, True),
        (14500, 14530, True),  # 3 significant figures
        (14500, 14600, False),
        (12, 12.82, False),
        (0.05, 0.049, True),  # 1 significant figure
        (50_000, 50_000.0, True),
    ],
)
def test_agrees_to_the_precision_the_book_states(book, measured, ok):
    assert agrees(book, measured) is ok


# --- rendering and the macro ----------------------------------------------------------------------


def test_render_shows_both_values_where_they_differ_in_the_page_language():
    assert render("gpt4-example-tokens", lang="ko") == "8 (책: 9)"
    assert render("gpt4-example-tokens", lang="en") == "8 (book: 9)"
    assert render("gpt4-example-tokens", "book") == "9"
    assert render("gpt4-example-tokens", "measured") == "8"
    assert render("label-cost-1m-categories") == "50,000,000"  # holds: the book's figure
    assert render("gpt4-params") == "1.7T"  # cannot be checked: the book's figure
    with pytest.raises(ValueError, match="no measured value"):
        render("gpt4-params", "measured")
    with pytest.raises(ValueError, match="the book has none"):
        render("ko-en-tokens-gpt4", "book")


def test_macro_expands_in_the_page_language():
    text = "책: [[claim:gpt4-example-tokens]] / [[claim:label-cost-1m.book]]\n"
    assert macros.expand(text, lang="ko") == "책: 8 (책: 9) / 50,000\n"
    assert macros.expand(text, lang="en") == "책: 8 (book: 9) / 50,000\n"


def test_unknown_id_fails_naming_the_page_and_line():
    text = "first line\nsecond [[claim:gpt4-exampel-tokens]]\n"
    with pytest.raises(
        macros.MacroError,
        match=r"ko/1\.1/x\.md, line 2: unknown claim id "
        r"'gpt4-exampel-tokens'; did you mean gpt4-example-tokens",
    ):
        macros.expand(text, page="ko/1.1/x.md")


def test_malformed_macro_fails():
    with pytest.raises(macros.MacroError, match="malformed claim macro"):
        macros.expand("x [[claim:Label Cost]]", page="p.md")
    with pytest.raises(macros.MacroError, match="malformed"):
        macros.expand("x [[claim:label-cost-1m.value]]", page="p.md")


def test_macros_expand_in_prose_and_illustrations_but_not_in_code_that_runs_or_code_spans():
    """The chapter writes figures inside its illustrative blocks; a block that runs is code (and
    pytest runs it unexpanded), and a code span shows the syntax."""
    page = (
        "# T\n\n```\nGPT-4: [[claim:gpt4-example-tokens.book]]\n```\n\n"
        '```python exec="on"\nprint("[[claim:not-a-claim]]")\n```\n\n'
        "Write `[[claim:ID]]` for [[claim:gpt4-example-tokens.book]].\n"
    )
    assert macros.expand(page, compute=False) == page.replace(
        "[[claim:gpt4-example-tokens.book]]", "9"
    )
    assert [line for line, _, _ in macros.find(page)] == [4, 11]


def test_errors_name_the_line_of_the_file_front_matter_included():
    page = "---\ntitle: T\n---\n# T\n\nx [[claim:nope]]\n"
    with pytest.raises(macros.MacroError, match=r"^p\.md, line 6: unknown claim id 'nope'"):
        macros.expand(page, page="p.md", compute=False)


def test_macro_without_computation_shows_the_book_and_still_checks_ids():
    assert macros.expand("[[claim:gpt4-example-tokens]]", compute=False) == "9"
    assert macros.expand("[[claim:ko-en-tokens-gpt4]]", compute=False) == "…"
    with pytest.raises(macros.MacroError, match="unknown claim id"):
        macros.expand("[[claim:nope]]", compute=False)


def test_every_macro_in_the_pages_names_a_known_claim():
    known = set(claims.ids())
    for page in DOCS.rglob("*.md"):
        for line, id, _ in macros.find(page.read_text(encoding="utf-8")):
            assert id in known, f"{page.relative_to(DOCS)}:{line}: unknown claim {id!r}"


# --- where the claims appear ----------------------------------------------------------------------


def test_every_location_is_a_real_page_and_section_in_both_languages():
    for entry in claims.entries().values():
        for where in entry.where:
            path, anchor = where.split("#")
            for lang in ("ko", "en"):
                page = DOCS / lang / path
                if lang == "en" and not page.exists():
                    continue  # an untranslated page falls back to Korean
                assert f"{{#{anchor}}}" in page.read_text(encoding="utf-8"), f"{lang}/{where}"


def test_ledger_table_links_every_claim():
    table = claims.ledger_table("en")
    assert table.startswith("**42 claims: 19 hold")
    assert table.count('\n| <span class="aieng-verdict') == len(EXPECTED)
    assert "[language-models#tokens](../1.1/language-models/#tokens)" in table
    assert "✗ differs" in table and "✓ holds" in table and "? cannot check" in table


def test_ledger_puts_the_verdict_first_and_folds_the_reason():
    """Four columns, the verdict first; each claim's reason is folded under it."""
    for lang, head in (("en", "| Verdict | The book says | Book | Computed |"), ("ko", "| 판정 |")):
        table = claims.ledger_table(lang)
        assert head in table
        rows = [r for r in table.splitlines() if r.startswith("| <span")]
        assert len(rows) == len(EXPECTED)
        assert all(r.count(" | ") == 3 and "<details><summary>" in r for r in rows)
        assert table.count("`gpt4-vocab`") == 1  # the id stays, under the claim


# --- the registry and the command line ------------------------------------------------------------


def test_a_claim_without_a_check_is_refused(tmp_path, monkeypatch):
    data = tmp_path / "claims.toml"
    data.write_text(
        claims.DATA.read_text(encoding="utf-8")
        + "\n[new-claim]\nwhere = ['1.1/summary.md#timeline']\nbook = 1\nko = 'x'\nen = 'x'\n",
        encoding="utf-8",
    )
    from aieng.book import claims as data_module

    monkeypatch.setattr(data_module, "DATA", data)
    data_module.claims.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"no check for \['new-claim'\]"):
            claims.checked_claims()
    finally:
        monkeypatch.undo()
        data_module.claims.cache_clear()


def test_unknown_id_error_lists_close_matches():
    with pytest.raises(claims.UnknownClaimError, match="did you mean label-cost-1m"):
        claims.get("label-cost-1M")


def test_json_command_prints_every_claim(capsys):
    assert main(["claims", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == list(EXPECTED)
    assert {"id", "book", "measured", "verdict", "where", "statement", "reason"} <= set(rows[0])
    assert rows[0] == rows[0] | {"book": 9, "measured": 8, "verdict": "differs"}


def test_table_command(capsys):
    assert main(["claims", "--figures", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ko-en-tokens-gpt4 +measured", out, re.M)
    assert out.rstrip().endswith("확인한 주장 42개: 맞음 19, 다름 5, 확인 불가 18")


# --- measuring the site's own text (aieng.book.prose) ----------------------------------------


def test_plain_text_keeps_the_chapter_and_drops_the_machinery():
    from aieng.book.prose import plain_text

    page = (
        "---\nsource_hash: abc\n---\n# Tokens {#tokens}\n\n"
        "The book says [[claim:gpt4-example-tokens]] tokens.\n\n"
        '```python exec="on"\nprint("machinery")\n```\n\n'
        "```\nMy favorite __ is blue\n```\n<!-- a note -->\n"
        '!!! warning "Where it differs"\n    **bold** and `code`\n'
    )
    text = plain_text(page)
    assert "machinery" not in text and "source_hash" not in text and "note" not in text
    assert "[[claim" not in text and "{#" not in text and "**" not in text
    assert "My favorite __ is blue" in text  # the chapter's own block, blank and all
    assert "Where it differs" in text and "bold and code" in text
    assert "My favorite" not in plain_text(page, code=False)


def test_units_on_the_english_chapter():
    """Character < Token < Word: GPT-4 tokens hold more characters than characters, fewer than
    a word tokenizer's units; byte-level BPE has no unknown input, a Shakespeare word list has."""
    from aieng.book.prose import units

    u = units()
    assert u.count["char"] > u.count["gpt-4"] > u.count["word"]
    assert u.unknown["gpt-4"] == 0 < u.unknown["char"] < u.unknown["word"]
    assert u.vocab["char"] < u.vocab["word"] < u.vocab["gpt-4"] == 100_256


def test_no_computed_figure_is_typed_by_hand_where_it_appears():
    """A checked figure of four or more digits (50,000; 14,500; 100,256 ...) must reach its pages
    through [[claim:ID]], in both languages, not as typed text."""
    for e in claims.ledger():
        if e.verdict == "cannot-check" or not isinstance(e.book, int | float) or e.book < 1000:
            continue
        shown = claims.format_value(e.book, e.digits)
        for where in e.where:
            for lang in ("ko", "en"):
                text = macros.MACRO.sub("", (DOCS / lang / where.split("#")[0]).read_text("utf-8"))
                typed = re.search(rf"(?<![\d,.]){re.escape(shown)}(?![\d,])", text)
                assert typed is None, f"{lang}/{where}: {shown} is typed; use [[claim:{e.id}]]"


# --- the macro in a real build --------------------------------------------------------------------


def _tiny_site(tmp_path: Path, body: str) -> Path:
    """A two-page site that inherits the real mkdocs.yml (plugins) with its own pages."""
    root = Path(__file__).resolve().parent.parent
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "assets", docs / "assets")
    for lang in ("ko", "en"):
        (docs / lang).mkdir(parents=True, exist_ok=True)
        (docs / lang / "index.md").write_text("# Home {#home}\n", encoding="utf-8")
        (docs / lang / "numbers.md").write_text(body, encoding="utf-8")
    config = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": "docs",
        "site_dir": "site",
        "nav": ["index.md", "numbers.md"],
    }
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return tmp_path


@pytest.mark.slow
def test_an_unknown_claim_id_fails_the_build_naming_the_page(tmp_path, monkeypatch):
    from aieng.tools.sitebuild import BuildOptions, build_site

    monkeypatch.delenv("AIENG_BUILD_ONLY_LANGUAGE", raising=False)
    body = "# Numbers {#numbers}\n\nThe book says [[claim:gpt4-exampel-tokens]] tokens.\n"
    root = _tiny_site(tmp_path, body)
    result = build_site(BuildOptions(execute=False), cwd=root)
    assert result.returncode != 0
    assert "ko/numbers.md, line 3: unknown claim id 'gpt4-exampel-tokens'" in result.log
    assert not (root / "site" / "numbers" / "index.html").exists()


@pytest.mark.slow
def test_macros_render_in_each_page_language(tmp_path, monkeypatch):
    from aieng.tools.sitebuild import BuildOptions, build_site

    monkeypatch.delenv("AIENG_BUILD_ONLY_LANGUAGE", raising=False)
    claims.entries()  # fill this module's cache, which the build reads
    body = "# Numbers {#numbers}\n\nGPT-4: [[claim:gpt4-example-tokens]] tokens.\n"
    root = _tiny_site(tmp_path, body)
    result = build_site(BuildOptions(cache_dir=os.environ["AIENG_CACHE_DIR"]), cwd=root)
    assert result.returncode == 0, result.log
    ko = (root / "site" / "numbers" / "index.html").read_text(encoding="utf-8")
    en = (root / "site" / "en" / "numbers" / "index.html").read_text(encoding="utf-8")
    assert "GPT-4: 8 (책: 9) tokens." in ko
    assert "GPT-4: 8 (book: 9) tokens." in en
