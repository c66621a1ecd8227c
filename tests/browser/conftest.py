"""Fixtures of the real-browser tests: the built site, served on localhost, in headless Chromium.

The site is the one ``site/`` that the setup step builds (``AIENG_SITE_DIR`` points elsewhere).
If it is missing, the session builds it once (``mkdocs build --strict``), so the tests never
pass by skipping. Without Chromium or Playwright the tests skip on a developer's machine, with the
reason, but fail under CI (``CI=true``), where setup must have installed them.

Every page opened through the ``page`` fixture records console errors, failed requests and HTTP
errors in ``page.problems``; ``page.problems.check(what)`` fails a test that saw any.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aieng.tools.browser import chromium, chromium_path, serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.path)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install playwright)"
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install chromium) and AIENG_CHROMIUM is unset"
    return None


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; built here (strict) if the setup step did not build it."""
    configured = os.environ.get("AIENG_SITE_DIR")
    path = Path(configured) if configured else ROOT / "site"
    if not (path / "index.html").is_file() or not (path / "en" / "index.html").is_file():
        from aieng.tools.sitebuild import BuildOptions, build_site

        result = build_site(BuildOptions(site_dir=str(path)), cwd=ROOT)
        assert result.ok, f"building the site for the browser tests failed:\n{result.log[-3000:]}"
    return path


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """URL of the site's root (Korean home), served from ``site_dir`` on 127.0.0.1."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing_browser()
    if missing:
        if _in_ci():
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(f"BROWSER TESTS SKIPPED: {missing}")
    with chromium() as context:
        yield context


@dataclass
class Problems:
    """What went wrong while a page was open."""

    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.console or self.failed)

    def report(self) -> str:
        lines = [f"console error: {m}" for m in self.console]
        lines += [f"request failed: {m}" for m in self.failed]
        return "\n".join(lines)

    def check(self, what: str) -> None:
        """Fail if a console error was logged or a request failed while showing ``what``."""
        assert not self, f"{what}:\n{self.report()}"
        self.console.clear()
        self.failed.clear()


def _recording_tab(browser: Any) -> Iterator[Any]:
    """A fresh tab that records console errors and failed requests in ``tab.problems``."""
    tab = browser.new_page()
    problems = Problems()
    tab.on(
        "console",
        lambda m: (
            problems.console.append(f"{m.text} ({m.location.get('url', '')})")
            if m.type == "error"
            else None
        ),
    )
    tab.on("pageerror", lambda exc: problems.console.append(f"uncaught: {exc}"))
    # net::ERR_ABORTED is the browser cancelling a page's requests when the reader leaves it
    tab.on(
        "requestfailed",
        lambda r: (
            problems.failed.append(f"{r.url}: {r.failure}")
            if r.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: problems.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
    )
    tab.problems = problems
    yield tab
    tab.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab for one test that records console errors and failed requests in
    ``page.problems``."""
    yield from _recording_tab(browser)


@pytest.fixture(scope="module")
def module_page(browser: Any) -> Iterator[Any]:
    """Such a tab shared by the tests of one module (for work they share, done once)."""
    yield from _recording_tab(browser)


def _page_paths(site_dir: Path, lang: str) -> list[str]:
    """Every page of one language, as paths relative to the site root ("", "1.1/transformer/")."""
    others = [other for other in LANGUAGES if other != DEFAULT_LANGUAGE]
    paths = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        rel = "" if rel == "." else rel + "/"
        first = rel.split("/", 1)[0]
        if rel.startswith(("assets/", "search/")):
            continue
        if lang == DEFAULT_LANGUAGE and first not in others:
            paths.append(rel)
        elif lang != DEFAULT_LANGUAGE and first == lang:
            paths.append(rel)
    return paths


@pytest.fixture(scope="session")
def page_paths(site_dir: Path) -> dict[str, list[str]]:
    """Language -> every page of that language (paths relative to the site root)."""
    return {lang: _page_paths(site_dir, lang) for lang in LANGUAGES}


@pytest.fixture(scope="session")
def screenshot() -> Any:
    """Save a full-page screenshot as a test artefact: ``artifacts/screenshots/<name>.png``."""

    def take(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
