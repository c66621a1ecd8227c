"""Edits show fast under ``mkdocs serve``: a page whose Markdown is unchanged is not rendered again.

``mkdocs serve`` rebuilds the whole site on every save: both languages (mkdocs-static-i18n), the
API reference (mkdocstrings renders every module again), and every executed block again (their
results come from the result cache, but markdown-exec still runs them and Python-Markdown converts
each page again). While serving, :func:`enable` makes MkDocs' ``Page.render`` remember what it
made of each page: the HTML, the table of contents, the title, the anchors the page has and links
to (MkDocs validates links after every page is rendered, so a reused page's links are still
checked), and the anchors it registered with mkdocs-autorefs (so cross-references to it still
resolve). A page whose Markdown, as the plugins hand it to MkDocs, is byte for byte what it was
is given back; anything else is rendered. The key also holds the page's place (its file and
URL), the list of files (links resolve against it), the Markdown configuration, and the bytes of
every file of the ``aieng`` package (what blocks, macros and the reference read).

This is a development mode, like MkDocs' own ``--dirty``, and said so in the log: a figure that a
block computes from *other* pages (the chapter's token counts, say) is refreshed on the page you
edit, and on the others at the next ``mkdocs build`` or restart of ``mkdocs serve``.
``mkdocs build`` never uses it.

Example:
    >>> cache = PageCache()
    >>> (cache.hits, cache.misses)
    (0, 0)
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.aieng")

_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class _Rendered:
    content: str
    toc: Any
    title: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # src_uri of the target -> its links
    anchors: list[tuple[str, str | None, str | None, bool]]  # autorefs: id, anchor, title, primary


@dataclass
class PageCache:
    """What each page rendered to, by key (see the module's docstring)."""

    entries: dict[str, _Rendered] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    _code: tuple[tuple[str, float], str] | None = None  # (mtimes, digest) of the package

    def code_digest(self) -> str:
        """SHA-256 of every file of the ``aieng`` package (recomputed when an mtime changes)."""
        files = sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and p.suffix != ".pyc")
        stamp = tuple((str(p), p.stat().st_mtime) for p in files)
        if self._code is None or self._code[0] != stamp:
            digest = hashlib.sha256()
            for path in files:
                digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes())
            self._code = (stamp, digest.hexdigest())  # type: ignore[assignment]
        return self._code[1]  # type: ignore[index]

    def key(self, page: Page, config: Any, files: Any) -> str:
        digest = hashlib.sha256()
        for part in (
            page.file.src_uri,
            page.file.dest_uri,
            page.url,
            page.markdown or "",
            "\n".join(sorted(f.src_uri for f in files)),
            _stable_repr(config["markdown_extensions"]),
            _stable_repr(sorted((config["mdx_configs"] or {}).items())),
            str(config.get("site_url")),
            self.code_digest(),
        ):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _stable_repr(value: Any) -> str:
    """``repr`` without object addresses: the configuration is loaded again for each rebuild, so
    its functions and extension objects are new objects with the same meaning."""
    return _ADDRESS.sub("", repr(value))


_ACTIVE: list[PageCache] = []
_ORIGINAL_RENDER = Page.render


def _render(page: Page, config: Any, files: Any) -> None:
    if not _ACTIVE:
        return _ORIGINAL_RENDER(page, config, files)
    cache = _ACTIVE[0]
    key = cache.key(page, config, files)
    autorefs = config.plugins.get("autorefs")
    found = cache.entries.get(key)
    if found is not None:
        cache.hits += 1
        page.content, page.toc, page._title_from_render = found.content, found.toc, found.title
        page.present_anchor_ids = found.present_anchor_ids
        if found.links_to_anchors is not None:
            page.links_to_anchors = {
                target: links
                for uri, links in found.links_to_anchors.items()
                if (target := files.get_file_from_path(uri)) is not None
            }
        for identifier, anchor, title, primary in found.anchors if autorefs is not None else ():
            autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
        return None
    cache.misses += 1
    anchors: list[tuple[str, str | None, str | None, bool]] = []
    if autorefs is not None:
        register = autorefs.register_anchor

        def recording(page_: Any, identifier: str, anchor: str | None = None, **kw: Any) -> None:
            anchors.append((identifier, anchor, kw.get("title"), kw.get("primary", True)))
            register(page_, identifier, anchor, **kw)

        autorefs.register_anchor = recording  # this instance only, for this page
    try:
        _ORIGINAL_RENDER(page, config, files)
    finally:
        if autorefs is not None:
            del autorefs.register_anchor
    links = page.links_to_anchors
    cache.entries[key] = _Rendered(
        content=page.content or "",
        toc=page.toc,
        title=page._title_from_render,
        present_anchor_ids=page.present_anchor_ids,
        links_to_anchors=None if links is None else {f.src_uri: v for f, v in links.items()},
        anchors=anchors,
    )
    return None


def _search_index_class() -> Any:
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # another theme: nothing to memoise
        return None
    return SearchIndex


_SEARCH_INDEX = _search_index_class()
_ORIGINAL_ADD_ENTRY = getattr(_SEARCH_INDEX, "add_entry_from_context", None)
_SEARCH_ENTRIES: dict[str, list[dict[str, Any]]] = {}


def _add_entry(index: Any, page: Any) -> None:
    """Material's search entries of a page, memoised on what they are made of: parsing every
    page's HTML again is half of what a rebuild costs once the pages themselves are reused."""
    digest = hashlib.sha256()
    parts = (page.url, page.content or "", _stable_repr(page.toc), repr(page.meta.get("search")))
    for part in (*parts, _stable_repr(sorted(index.config.items()))):
        digest.update(str(part).encode() + b"\0")
    key = digest.hexdigest()
    if key not in _SEARCH_ENTRIES:
        before = len(index.entries)
        _ORIGINAL_ADD_ENTRY(index, page)
        _SEARCH_ENTRIES[key] = copy.deepcopy(index.entries[before:])
    else:
        index.entries.extend(copy.deepcopy(_SEARCH_ENTRIES[key]))


class _Templates(jinja2.BytecodeCache):
    """Compiled theme templates, kept across rebuilds (MkDocs makes a new environment for each,
    and compiling Material's templates again is a second's work)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _Templates()


def enable() -> PageCache:
    """Reuse unchanged pages' rendering from now on in this process (``mkdocs serve``)."""
    if not _ACTIVE:
        _ACTIVE.append(PageCache())
        Page.render = _render  # type: ignore[method-assign]
        if _SEARCH_INDEX is not None:
            _SEARCH_INDEX.add_entry_from_context = _add_entry
        log.info(
            "aieng: serving: a page whose Markdown did not change is not rendered again, so a "
            "figure computed from other pages catches up at the next mkdocs build"
        )
    return _ACTIVE[0]


def disable() -> None:
    """Render every page again (the default; what ``mkdocs build`` does)."""
    _ACTIVE.clear()
    Page.render = _ORIGINAL_RENDER  # type: ignore[method-assign]
    if _SEARCH_INDEX is not None:
        _SEARCH_INDEX.add_entry_from_context = _ORIGINAL_ADD_ENTRY
    _SEARCH_ENTRIES.clear()
