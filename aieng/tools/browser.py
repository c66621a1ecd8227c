"""A built site in a real browser: serve ``site/`` on localhost and drive headless Chromium.

Used by the browser tests (``tests/browser``) and by ``python -m aieng bench site`` (search
quality). Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``AIENG_CHROMIUM``):
Playwright's own browser download is not used, so nothing is fetched at run time.

Example:
    >>> with serve(Path("site")) as url:  # doctest: +SKIP
    ...     with chromium() as browser:
    ...         page = browser.new_page()
    ...         page.goto(url)
    ...         search(page, "자기지도학습")[0]
    'http://127.0.0.1:40123/1.1/self-supervision/'
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# flags for a quiet, offline, reproducible headless Chromium
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str | None:
    """Path of the browser: ``AIENG_CHROMIUM``, else Debian's ``chromium`` on ``PATH``, else a
    Chrome (as on GitHub's Ubuntu runners, where ``chromium`` is only a snap stub)."""
    configured = os.environ.get("AIENG_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def site_prefix(site_dir: Path) -> str:
    """URL path the site is published under, from the first ``<loc>`` of its sitemap."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return "/"
    match = re.search(r"<loc>(https?://[^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
    path = urlsplit(match.group(1)).path if match else "/"  # no site_url: served at the root
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under a path prefix; everything else is a 404."""

    def __init__(self, *args: Any, prefix: str = "/", **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_head(self) -> Any:
        """Text files go out gzip-compressed when the browser accepts it, as static hosts do."""
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(url_path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the stdlib redirects /dir to /dir/
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in _COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(site_dir: Path, prefix: str | None = None) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 at an ephemeral port; yields the base URL (with ``/``).

    The site is served under ``prefix`` (default: the path of ``site_url``, read from the
    site's ``sitemap.xml``), as on GitHub Pages: Material fetches ``<prefix>sitemap.xml``.
    """
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"{site_dir}/index.html does not exist: build the site first (mkdocs build)"
        )
    prefix = site_prefix(site_dir) if prefix is None else prefix
    handler = functools.partial(_QuietHandler, directory=str(site_dir), prefix=prefix)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``) with a fresh, throw-away profile."""
    path = chromium_path()
    if path is None:
        raise FileNotFoundError(
            "Chromium was not found: install it (apt-get install chromium) or set AIENG_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="aieng-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=path,
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": 1280, "height": 900},
            locale="ko-KR",
            reduced_motion="reduce",
        )
        try:
            yield context
        finally:
            context.close()


def search(page: Any, query: str, *, timeout_ms: int = 10_000) -> list[str]:
    """Type ``query`` into Material's search box; returns the result URLs, best first.

    The page must be open on the site. Results are the article links Material lists (one per
    page, sections of the same page folded in), as absolute URLs without ``?h=``
    (highlighting) or ``#section``.
    """
    box = "input.md-search__input"
    if page.locator(box).is_visible():
        page.click(box)
    else:  # narrow screens hide the box behind a button
        page.click("label.md-header__button[for='__search']")
    # wait until the worker has the index: with an empty query Material then shows its
    # placeholder ("Type to start searching"), instead of "Initializing search"
    page.fill(box, "")
    page.press(box, "End")
    page.wait_for_function(
        "() => { const c = JSON.parse(document.getElementById('__config').textContent);"
        " const m = document.querySelector('.md-search-result__meta');"
        " return m.textContent.trim() === c.translations['search.result.placeholder']; }",
        timeout=timeout_ms,
    )
    # blank the result count; Material writes it again once the worker has answered
    page.eval_on_selector(".md-search-result__meta", "el => { el.textContent = '' }")
    page.fill(box, query)
    page.press(box, "End")  # Material reads the query on keyup
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.trim() !== ''",
        timeout=timeout_ms,
    )
    links = page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item > a.md-search-result__link",
        "els => els.map(a => a.href)",
    )
    pages = [urlsplit(link)._replace(query="", fragment="").geturl() for link in links]
    return list(dict.fromkeys(pages))  # one entry per page, in rank order


@dataclass(frozen=True)
class SearchCase:
    """One query of the search evaluation set."""

    query: str  # what a reader types
    expect: str  # page path relative to the language root, e.g. "1.1/transformer/"
    lang: str = "ko"  # which language's pages are searched
    kind: str = ""  # what the case exercises (particle, compound, spacing, english, ...)
    tuned: bool = True  # False: held out, never used to adjust the ranking
    batch: str = ""  # which batch of held-out queries (written at one time, before one change)


def load_cases(path: Path) -> list[SearchCase]:
    """Read the evaluation set (``[[case]]`` tables of a TOML file)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    cases = [SearchCase(**case) for case in data.get("case", [])]
    if not cases:
        raise ValueError(f"{path} has no [[case]] entries")
    return cases


def run_cases(page: Any, base_url: str, cases: list[SearchCase]) -> list[dict[str, Any]]:
    """Search every case on a page of its language; one record per case, in order.

    ``base_url`` is the site's root; the default language lives there, the others under
    ``<lang>/``. A record has the query, its kind, the expected page, the top page found (path
    relative to the language root) and the expected page's rank (None: not found).
    """
    default = cases_default_language(cases)
    results = []
    current = None
    for case in cases:
        root = base_url if case.lang == default else f"{base_url}{case.lang}/"
        if current != case.lang:
            page.goto(root)
            current = case.lang
        found = search(page, case.query)
        top = found[0][len(root) :] if found and found[0].startswith(root) else None
        rank = next((i + 1 for i, url in enumerate(found) if url == root + case.expect), None)
        results.append(
            {
                "query": case.query,
                "kind": case.kind,
                "lang": case.lang,
                "expect": case.expect,
                "tuned": case.tuned,
                "batch": case.batch,
                "top": top,
                "rank": rank,
            }
        )
    return results


def cases_default_language(cases: list[SearchCase]) -> str:
    """The site's default language as the evaluation set sees it (the field's default)."""
    return SearchCase.__dataclass_fields__["lang"].default


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """hit@1 overall, per language, for the tuned and held-out cases apart and per batch of
    held-out cases; the share found at all, and the misses."""

    def rate(rows: list[dict[str, Any]], ok: Any) -> float | None:
        return round(sum(map(ok, rows)) / len(rows), 3) if rows else None

    languages = sorted({r["lang"] for r in results})
    return {
        "cases": len(results),
        "hit_at_1": rate(results, lambda r: r["top"] == r["expect"]),
        "hit_at_1_by_language": {
            lang: rate([r for r in results if r["lang"] == lang], lambda r: r["top"] == r["expect"])
            for lang in languages
        },
        "hit_at_1_by_set": {
            name: rate(
                [r for r in results if r.get("tuned", True) == tuned],
                lambda r: r["top"] == r["expect"],
            )
            for name, tuned in (("tuned", True), ("held_out", False))
        },
        "hit_at_1_by_batch": {
            batch: rate(
                [r for r in results if r.get("batch") == batch],
                lambda r: r["top"] == r["expect"],
            )
            for batch in sorted({r["batch"] for r in results if r.get("batch")})
        },
        "cases_by_set": {
            "tuned": sum(r.get("tuned", True) for r in results),
            "held_out": sum(not r.get("tuned", True) for r in results),
        },
        "found_at_all": rate(results, lambda r: r["rank"] is not None),
        "misses": [r for r in results if r["top"] != r["expect"]],
    }


def evaluate_search(site_dir: Path, cases: list[SearchCase]) -> dict[str, Any]:
    """Run every case against ``site_dir`` in headless Chromium; :func:`summarise` of it."""
    with serve(site_dir) as base, chromium() as browser:
        return summarise(run_cases(browser.new_page(), base, cases))
