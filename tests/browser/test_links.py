"""Every internal link and anchor of the built site resolves, in both languages.

MkDocs' ``validation`` (strict) checks the Markdown links of the pages; this checks the HTML
that readers get, which also has the theme's links (navigation, footer, language switcher, search
result targets) and what plugins and executed blocks wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from aieng.tools.browser import site_prefix


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(values[key] or "")
        if tag in {"a", "link"} and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in {"script", "img", "source"} and values.get("src"):
            self.links.append(values["src"] or "")


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site_dir: Path, url_path: str) -> Path:
    path = site_dir / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_every_internal_link_and_anchor_resolves(site_dir: Path) -> None:
    prefix = site_prefix(site_dir)
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 20
    parsed = {page: _parse(page) for page in pages}
    broken = []
    checked = 0
    for page, found in parsed.items():
        here = prefix + page.relative_to(site_dir).as_posix()
        for link in found.links:
            url = urlsplit(urljoin("http://site" + here, link))
            if url.netloc != "site" or re.match(r"^(mailto|javascript|data):", link):
                continue  # external: nothing on the site links out at build time anyway
            if not url.path.startswith(prefix):
                broken.append(f"{here}: {link} leaves the site's path {prefix}")
                continue
            target = _target(site_dir, url.path[len(prefix) :])
            checked += 1
            if not target.is_file():
                broken.append(f"{here}: {link} -> missing {target.relative_to(site_dir)}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{here}: {link} -> no #{url.fragment} in that page")
    assert checked > 200, f"only {checked} internal links found: is the site built?"
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])
