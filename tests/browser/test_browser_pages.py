"""What a reader does with the built site, in headless Chromium: open every page, switch language,
follow the contents and the footer, look at token views, charts and tables, toggle dark mode.

Screenshots of the main pages go to ``artifacts/screenshots/`` (light and dark).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aieng.book.chapter import PAGES

CHAPTER = list(PAGES)  # the chapter's pages, in order
_CHART = re.compile(r"<svg\b(?![^>]*viewBox=\"0 0 24 24\")")  # an <svg> that is not an icon
MAIN_PAGES = {"home": "", **{name: f"1.1/{name}/" for name in CHAPTER}}


def _root(base_url: str, lang: str) -> str:
    return base_url if lang == "ko" else f"{base_url}{lang}/"


def _heading(page: Any) -> str:
    return page.inner_text("article h1").replace("¶", "").strip()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_loads_without_errors(
    page: Any, base_url: str, page_paths: dict, lang: str, screenshot: Any
) -> None:
    """Each page answers 200, is in its language, has a heading, and logs no error."""
    paths = page_paths[lang]
    # home, the chapter's 8 sections, 1.2 (not yet available) and the API reference at least
    assert len(paths) >= 11, f"{lang}: only {len(paths)} pages in the built site: {paths}"
    names = {path: name for name, path in MAIN_PAGES.items()}
    prefix = "" if lang == "ko" else f"{lang}/"
    for path in paths:
        response = page.goto(base_url + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        assert page.get_attribute("html", "lang") == lang, f"{path}: wrong <html lang>"
        assert _heading(page), f"{path}: no <h1>"
        page.problems.check(f"{lang} page /{path}")
        name = names.get(path[len(prefix) :])
        if name is not None:
            screenshot(page, f"{lang}-{name}")


@pytest.mark.parametrize(
    ("start", "hreflang", "landing"),
    [
        ("1.1/transformer/#limits-of-earlier-models", "en", "en/1.1/transformer/"),
        ("en/1.1/scaling-laws/#emergent-abilities", "ko", "1.1/scaling-laws/"),
        ("", "en", "en/"),
    ],
)
def test_language_switcher_keeps_page_and_section(
    page: Any, base_url: str, start: str, hreflang: str, landing: str
) -> None:
    page.goto(base_url + start, wait_until="networkidle")
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f".md-select__link[hreflang='{hreflang}']")
    page.wait_for_load_state("networkidle")
    anchor = start.partition("#")[2]
    expected = base_url + landing + (f"#{anchor}" if anchor else "")
    assert page.url == expected
    assert page.get_attribute("html", "lang") == hreflang
    if anchor:
        heading = page.locator(f"[id='{anchor}']")
        assert heading.count() == 1, f"no #{anchor} on the {hreflang} page"
        assert heading.is_visible()
        top = heading.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < 400, f"#{anchor} is not scrolled into view (top={top})"
    page.problems.check(f"switching {start} to {hreflang}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_contents_links_open_each_section(page: Any, base_url: str, lang: str) -> None:
    """The home page is the chapter's contents; each entry opens its section's page."""
    root = _root(base_url, lang)
    page.goto(root)
    links = page.locator("article a[href*='1.1/']")
    entries = [
        (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    targets = [
        href.split("#")[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        for _, href in entries
    ]
    assert targets[: len(CHAPTER)] == CHAPTER, f"contents of {root}: {targets}"
    for text, href in entries[: len(CHAPTER)]:
        page.goto(root)
        with page.expect_navigation():
            page.click(f"article a[href='{href}']")
        assert page.url.startswith(root + "1.1/")
        assert _heading(page) == text, f"{text!r} opened a page titled {_heading(page)!r}"
    page.problems.check(f"contents of {root}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_footer_walks_the_chapter_in_order(page: Any, base_url: str, lang: str) -> None:
    root = _root(base_url, lang)
    page.goto(root + "1.1/language-models/")
    visited = ["language-models"]
    for _ in CHAPTER[1:]:
        with page.expect_navigation():
            page.click("a.md-footer__link--next")
        visited.append(page.url.rstrip("/").rsplit("/", 1)[-1])
    assert visited == CHAPTER
    # and the sidebar goes back to the first section
    with page.expect_navigation():
        page.click(".md-sidebar--primary a.md-nav__link[href$='language-models/']")
    assert page.url == root + "1.1/language-models/"
    page.problems.check(f"footer of {root}")


def _visible_boxes(page: Any, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {w: r.width, h: r.height, text: e.textContent.trim().slice(0, 40)}; })",
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_token_views_charts_and_tables_render(
    page: Any, base_url: str, site_dir: Path, lang: str
) -> None:
    root = _root(base_url, lang)
    found = {"tokens": 0, "charts": 0, "tables": 0}
    for name in CHAPTER:
        page.goto(root + f"1.1/{name}/", wait_until="networkidle")
        chips = _visible_boxes(page, "article figure.aieng-tokens li.aieng-tok")
        assert all(c["w"] > 4 and c["h"] > 4 and c["text"] for c in chips), f"{name}: {chips}"
        found["tokens"] += len(chips)
        charts = page.locator("article svg:not([viewBox='0 0 24 24'])")  # not the icons
        for i in range(charts.count()):
            chart = charts.nth(i)
            box = chart.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, f"{name}: chart {i} {box}"
            shapes = chart.locator("rect, path, polyline, line, circle").count()
            assert shapes > 2, f"{name}: chart {i} draws {shapes} shapes"
            found["charts"] += 1
        # each as a reader sees it: scrolled to (a table far down is drawn only near the screen)
        tables = page.eval_on_selector_all(
            "article table",
            "async els => { const out = []; for (const t of els) { t.scrollIntoView();"
            " await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));"
            " out.push({w: t.getBoundingClientRect().width, rows: t.querySelectorAll('tr').length,"
            " cells: t.querySelectorAll('td').length}); } return out; }",
        )
        for table in tables:
            assert table["w"] > 100 and table["rows"] >= 2 and table["cells"], f"{name}: {table}"
        found["tables"] += len(tables)
        page.problems.check(f"{lang} {name}")
    assert found["tokens"] > 0, f"{lang}: no token view on any chapter page"
    assert found["tables"] > 0, f"{lang}: no table on any chapter page"
    # every chart the build wrote was drawn (the pages decide how many there are)
    prefix = "" if lang == "ko" else f"{lang}/"
    written = sum(
        len(_CHART.findall((site_dir / prefix / f"1.1/{name}/index.html").read_text("utf-8")))
        for name in CHAPTER
    )
    assert found["charts"] >= written, f"{lang}: {written} charts written, {found['charts']} drawn"


def _scheme(page: Any) -> tuple[str, str]:
    return (
        page.get_attribute("body", "data-md-color-scheme"),
        page.evaluate("getComputedStyle(document.body).backgroundColor"),
    )


def test_light_dark_toggle(page: Any, base_url: str, screenshot: Any) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(base_url + "1.1/language-models/", wait_until="networkidle")
    light = _scheme(page)
    assert light[0] == "default"
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    dark = _scheme(page)
    assert dark[1] != light[1], "the background did not change"
    brightness = [int(v) for v in re.findall(r"\d+", dark[1])[:3]]
    assert sum(brightness) < 3 * 100, f"dark background is not dark: {dark[1]}"
    screenshot(page, "ko-language-models-dark")
    # the choice survives a reload and a page change
    page.goto(base_url + "en/1.1/transformer/", wait_until="networkidle")
    assert _scheme(page)[0] == "slate"
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    page.problems.check("palette toggle")


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_claims_ledger_is_readable_without_scrolling_sideways(
    page: Any, base_url: str, lang: str, width: int, height: int, screenshot: Any
) -> None:
    """At a desktop and a phone width, the ledger fits its column: no sideways scroll, and every
    claim's verdict is on screen (the verdict is what a reader comes for)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(_root(base_url, lang) + "claims/", wait_until="networkidle")
    table = page.locator("article .aieng-ledger:not(.aieng-figures) table")
    assert table.count() == 1, "no ledger table on the page"
    sizes = table.evaluate(
        "t => { const w = t.closest('.md-typeset__scrollwrap') || t.parentElement;"
        " return {table: t.scrollWidth, box: w.clientWidth,"
        " page: document.documentElement.scrollWidth, view: window.innerWidth}; }"
    )
    assert sizes["table"] <= sizes["box"] + 1, f"the ledger scrolls sideways: {sizes}"
    assert sizes["page"] <= sizes["view"], f"the page scrolls sideways: {sizes}"
    verdicts = page.eval_on_selector_all(
        "article .aieng-ledger .aieng-verdict",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, w: r.width, text: e.textContent}; })",
    )
    assert len(verdicts) >= 40
    off = [v for v in verdicts if v["w"] <= 0 or v["left"] < 0 or v["right"] > width]
    assert not off, f"verdicts off screen at {width}px: {off[:3]}"
    # the reason is folded under its claim and opens on a click
    reason = page.locator("article .aieng-ledger details").first
    assert not reason.evaluate("d => d.open")
    reason.locator("summary").click()
    assert reason.evaluate("d => d.open")
    screenshot(page, f"{lang}-claims-{width}")
    page.problems.check(f"{lang} ledger at {width}px")


def test_emoji_are_drawn_in_colour(page: Any, base_url: str) -> None:
    """Screenshots show the emoji readers see (📋 on the home page), not empty boxes: with an
    emoji font installed the glyph has coloured pixels; a missing glyph's box is grey."""
    page.goto(base_url, wait_until="networkidle")
    assert "📋" in page.inner_text("article h2")
    coloured = page.evaluate(
        "() => { const c = document.createElement('canvas'); c.width = c.height = 64;"
        " const x = c.getContext('2d'); x.font = '48px ' + getComputedStyle(document.body)"
        ".fontFamily; x.fillText('📋', 4, 52); const d = x.getImageData(0, 0, 64, 64).data;"
        " let n = 0; for (let i = 0; i < d.length; i += 4) {"
        " const hi = Math.max(d[i], d[i+1], d[i+2]), lo = Math.min(d[i], d[i+1], d[i+2]);"
        " if (d[i+3] > 0 && hi - lo > 40) n++; } return n; }"
    )
    assert coloured > 50, (
        f"📋 drew {coloured} coloured pixels: install an emoji font (fonts-noto-color-emoji)"
    )


# The widest common screen: where the article's blocks sit highest, so where the build's estimate
# of "below the first screen" (aieng.website.offscreen) is tightest.
_WIDEST = {"width": 2560, "height": 1440}
_FIRST_MARKED = (
    "() => { const first = document.querySelector('article [data-aieng-offscreen]');"
    " return {marked: document.querySelectorAll('article [data-aieng-offscreen]').length,"
    " top: first ? first.getBoundingClientRect().top + scrollY : null, view: innerHeight,"
    " late: [...document.querySelectorAll('article [data-aieng-offscreen]')].filter(e =>"
    " [e, ...e.querySelectorAll('pre, table')].some(x =>"
    " getComputedStyle(x).contentVisibility === 'auto')).length}; }"
)
_SHIFTS = (  # the layout shifts since the page began loading (CLS's sum, without input)
    "() => new Promise(done => { let sum = 0; new PerformanceObserver(list => {"
    " for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; })"
    ".observe({type: 'layout-shift', buffered: true}); setTimeout(() => done(sum), 300); })"
)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_marked_blocks_start_below_the_first_screen(
    page: Any, base_url: str, page_paths: dict, lang: str
) -> None:
    """The blocks the browser renders only near the viewport (content-visibility) are all below
    the first screen of the widest window, on every page, so none of them is first drawn at a
    guessed height and then moves what is under it; and the longest pages do have such blocks."""
    page.set_viewport_size(_WIDEST)
    marked = {}
    for path in page_paths[lang]:
        page.goto(base_url + path, wait_until="load")
        found = page.evaluate(_FIRST_MARKED)
        if found["marked"]:
            assert found["top"] >= found["view"], f"/{path}: a marked block is on screen: {found}"
        shifts = page.evaluate(_SHIFTS)
        assert shifts < 0.01, f"/{path}: the layout shifted by {shifts:.3f} while loading"
        # the stylesheet gives each marked block (or the code and tables in it) the rule
        assert found["late"] == found["marked"], f"/{path}: marked but drawn at once: {found}"
        marked[path] = found["marked"]
    prefix = "" if lang == "ko" else f"{lang}/"
    for name in ("language-models", "scaling-laws"):
        assert marked[f"{prefix}1.1/{name}/"] >= 3, f"{name}: few blocks marked: {marked}"
