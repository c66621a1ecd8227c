"""What a reader gets from the built site, as JSON: ``python -m aieng bench site``.

* **Search quality**: hit@1 of the evaluation set ``tests/search_queries.toml`` in headless
  Chromium (``--search``). Build once with ``AIENG_KO_SEARCH=off`` to measure the stock search.
* **Page weight**: bytes of each language's home page and heaviest chapter page, as served
  (gzip) with everything they load, measured by Lighthouse.
* **Lighthouse** 12 (``npm install -g lighthouse@12.2.3``; ``CHROME_PATH`` or Debian's
  ``chromium``): performance, accessibility, best practices and SEO of those pages
  (``--lighthouse``; mobile emulation, Lighthouse's default), or of the home page and every
  chapter page of both languages (``--every-page``).

The site is served from ``site/`` (``--site-dir``) on 127.0.0.1, compressed as GitHub Pages
serves it. Figures are measured, never asserted here; the browser tests hold the thresholds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LANGUAGES = ("ko", "en")


def heaviest_chapter_page(site_dir: Path, lang: str) -> str:
    """Path (relative to the site root) of the language's largest chapter page by HTML bytes."""
    root = site_dir if lang == "ko" else site_dir / lang
    pages = sorted(root.glob("1.1/*/index.html"), key=lambda p: (-p.stat().st_size, str(p)))
    if not pages:
        raise FileNotFoundError(f"no chapter pages under {root}/1.1: build the site first")
    return pages[0].parent.relative_to(site_dir).as_posix() + "/"


def chapter_pages(site_dir: Path, lang: str) -> list[str]:
    """Paths (relative to the site root) of the language's chapter pages, in name order."""
    root = site_dir if lang == "ko" else site_dir / lang
    pages = sorted(root.glob("1.1/*/index.html"))
    return [p.parent.relative_to(site_dir).as_posix() + "/" for p in pages]


def lighthouse(url: str, chromium: str) -> dict[str, Any]:
    """Scores (0-100) and total byte weight of one page, from a Lighthouse run."""
    binary = shutil.which("lighthouse")
    if binary is None:
        raise FileNotFoundError("lighthouse is not installed: npm install -g lighthouse@12.2.3")
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run " + (
        "--disable-background-networking --disable-component-update --disable-sync"
    )
    with tempfile.TemporaryDirectory(prefix="aieng-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [binary, url, "--quiet", f"--chrome-flags={flags}", "--output=json",
             f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}"],
            env={**os.environ, "CHROME_PATH": chromium},
            check=True,
            timeout=300,
        )  # fmt: skip
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = sorted(
        name
        for name, audit in audits.items()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    )
    return {
        "scores": {k: round(v["score"] * 100) for k, v in report["categories"].items()},
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "failing_audits": failing,
    }


def site_report(
    site_dir: Path,
    *,
    search: bool = True,
    lighthouse_scores: bool = True,
    every_page: bool = False,
    queries: Path = Path("tests/search_queries.toml"),
) -> dict[str, Any]:
    """Search hit@1 in the browser and Lighthouse scores of the built site in ``site_dir``.

    Raises:
        ValueError: when the site is not built or Chromium is missing (the message says what to
            do).
    """
    if not (site_dir / "index.html").is_file():
        raise ValueError(f"{site_dir}/index.html not found: build the site first (./setup.sh)")
    from aieng.tools.browser import chromium_path, evaluate_search, load_cases, serve

    report: dict[str, Any] = {"site_dir": str(site_dir)}
    if search:
        report["search"] = evaluate_search(site_dir, load_cases(queries))
    if lighthouse_scores or every_page:
        chromium = chromium_path()
        if chromium is None:
            raise ValueError("Chromium not found: apt-get install chromium (or set AIENG_CHROMIUM)")
        pages = {}
        with serve(site_dir) as base:
            for lang in LANGUAGES:
                home = "" if lang == "ko" else f"{lang}/"
                targets = [("home", home), ("heaviest", heaviest_chapter_page(site_dir, lang))]
                if every_page:
                    targets = [("home", home)] + [
                        ("chapter", p) for p in chapter_pages(site_dir, lang)
                    ]
                for kind, path in targets:
                    pages[f"{lang}:{kind}:/{path}"] = lighthouse(base + path, chromium)
        report["lighthouse"] = pages
        report["lighthouse_min"] = {
            c: min(p["scores"][c] for p in pages.values()) for c in CATEGORIES
        }
    return report
