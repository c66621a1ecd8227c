"""What a page shows, and the banners that say when it is not what the reader asked for.

* **Fallbacks.** A page missing in the reader's language is built from the Korean source
  (mkdocs-static-i18n's fallback); :func:`fallback_banner` says so, in the reader's language, and
  the body is marked with the language it is written in.
* **Stubs.** A translation marked ``untranslated: true`` shows its source page
  (:func:`shown_page`), under the same banner.
* **Outdated translations.** A translation whose ``source_hash`` is not its source's current hash
  (:mod:`aieng.i18n.staleness`) gets :func:`outdated_banner`, linking to the source page.

The words are in ``aieng/data/strings.toml`` (``[fallback_banner]``, ``[outdated_banner]``,
``[language_names]``); a reader's language without its own words reads English.

Example:
    >>> "Korean original" in fallback_banner("en", "ko")
    True
    >>> "Read the Korean original" in outdated_banner("en", "../../1.1/x/")
    True
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

from aieng.core.lang import language_of_path
from aieng.core.strings import word, words
from aieng.i18n.staleness import source_hash
from aieng.i18n.translations import LOCALE_RE, SOURCE_LANGUAGE
from aieng.text.pages import normalise, split_front_matter


def fallback_banner(reader: str, source: str) -> str:
    """The HTML banner on a page written in ``source``, shown to a ``reader`` of another language.

    Example:
        >>> "영어 원문" in fallback_banner("ko", "en")
        True
        >>> "Not translated yet" in fallback_banner("ja", "ko")  # no words of its own: English
        True
    """
    names = words("language_names", reader)
    text = word("fallback_banner", "text", reader, source=names.get(source, source))
    title = word("fallback_banner", "title", reader)
    return (
        f'<div class="admonition warning aieng-fallback" role="note" lang="{html.escape(reader)}">'
        f'<p class="admonition-title">{html.escape(title)}</p><p>{html.escape(text)}</p></div>'
    )


def outdated_banner(reader: str, href: str, *, unstamped: bool = False) -> str:
    """The HTML banner on an outdated translation, in the reader's language, linking to the
    source page. ``unstamped``: the translation records no ``source_hash`` at all, so the banner
    says that rather than "the original changed".

    Example:
        >>> "原文" in outdated_banner("ja", "x/"), "원문" in outdated_banner("ko", "x/")
        (True, True)
    """
    w = words("outdated_banner", reader)
    text = w["unrecorded"] if unstamped else w["changed"]
    return (
        f'<div class="admonition warning aieng-outdated" role="note" lang="{html.escape(reader)}">'
        f'<p class="admonition-title">{html.escape(w["title"])}</p>'
        f'<p>{html.escape(text)} <a href="{html.escape(href)}" hreflang="{SOURCE_LANGUAGE}">'
        f"{html.escape(w['link'])}</a></p></div>\n\n"
    )


@dataclass(frozen=True)
class ShownPage:
    """The file a page is rendered from, and the banner above it."""

    text: str  # the whole file, front matter included, line endings normalised
    src_uri: str  # its path under docs/, as errors name it
    banner: str = ""  # HTML put above the body ('' for none)
    stub: bool = False  # an untranslated stub, shown from its source


def _source_url(page: Any, config: Any, language: str, source: str) -> str:
    """The URL of ``page``'s source page, relative to ``page``."""
    links = {lang: f"{lang}/" for lang in (language, source)}
    links[source] = ""
    plugin = (getattr(config, "plugins", None) or {}).get("i18n")
    for entry in getattr(getattr(plugin, "config", None), "languages", None) or []:
        links[entry.locale] = (
            (entry.link or "").strip("/") + "/" if (entry.link or "").strip("/") else ""
        )
    url = page.url or ""
    prefix = links.get(language, "")
    rest = url[len(prefix) :] if prefix and url.startswith(prefix) else url
    return get_relative_url(links.get(source, "") + rest, url) or "./"


def shown_page(markdown: str, *, page: Any, config: Any) -> ShownPage:
    """What the site shows for ``page``, whose body MkDocs read as ``markdown``.

    * A translation stub marked ``untranslated: true`` shows its source page.
    * A translation whose ``source_hash`` is not the source's current hash gets an
      :func:`outdated_banner` in the translation's language.
    * Everything else is the page's own file.
    """
    src_uri = page.file.src_uri
    try:
        text = normalise(page.file.content_string)
    except (AttributeError, OSError, TypeError, ValueError):
        text = normalise(markdown)
    if split_front_matter(text)[1].rstrip("\n") != normalise(markdown).rstrip("\n"):
        text = normalise(markdown)  # a plugin changed the body first: lines count from it
    own = ShownPage(text, src_uri)
    parts = src_uri.split("/", 1)
    plugin = (getattr(config, "plugins", None) or {}).get("i18n")
    source = getattr(plugin, "default_language", None) or SOURCE_LANGUAGE
    if len(parts) != 2 or parts[0] == source or not LOCALE_RE.match(parts[0]):
        return own
    language, relative = parts
    source_path = Path(config["docs_dir"]) / source / relative
    if not source_path.is_file():
        return own
    source_text = normalise(source_path.read_text(encoding="utf-8"))
    if (page.meta or {}).get("untranslated"):
        return ShownPage(source_text, f"{source}/{relative}", stub=True)
    recorded = (page.meta or {}).get("source_hash")
    if recorded and str(recorded) == source_hash(source_text):
        return own
    href = _source_url(page, config, language, source)
    return ShownPage(text, src_uri, outdated_banner(language, href, unstamped=not recorded))


def page_locales(page: Any, default: str = SOURCE_LANGUAGE) -> tuple[str, str]:
    """(language the page's file is written in, language of the build showing it)."""
    file = page.file
    written = getattr(file, "locale", None) or language_of_path(file.src_uri)
    shown = getattr(file, "locale_alternate_of", None) or written
    if (getattr(page, "meta", None) or {}).get("untranslated"):  # a stub: shows the source
        written = default
    return written, shown


def keep_h1_title(page: Any) -> None:
    """Title a page by its H1 even when a banner (outdated translation, ...) was put above it.

    MkDocs takes a page's title from its H1 only when the H1 comes first; otherwise the nav and
    ``<title>`` fall back to the file name ("Ai engineering").
    """
    if "title" in (page.meta or {}) or getattr(page, "_title_from_render", None):
        return
    heading = next((item for item in page.toc.items if item.level == 1), None)
    if heading is not None and heading.title:
        page.meta["title"] = heading.title
