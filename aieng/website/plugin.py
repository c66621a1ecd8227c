"""The ``aieng`` MkDocs plugin: the one place where the site meets MkDocs.

Registered by its entry point (``[project.entry-points."mkdocs.plugins"]`` in ``pyproject.toml``)
and listed last under ``plugins:`` in ``mkdocs.yml``, it is imported as :mod:`aieng.website.plugin`
like any module, so the build and the tests share one copy of its state. It does, in this order:

* **Configuration** (``on_config``). Adds the list extension (:mod:`aieng.website.lists`) to the
  Markdown extensions, before markdown-exec saves them for the Markdown it renders itself (priority
  50, above markdown-exec's 0); then, after markdown-exec has registered its fences and Material's
  search has read its own configuration (-50), wraps markdown-exec's fences so that a failing block
  fails the build (:mod:`aieng.website.execution`) and sets up Korean search
  (:mod:`aieng.website.search`).
* **Each page's Markdown** (``on_page_markdown``, 100: before mkdocs-static-i18n at 50 and before
  any block runs, since markdown-exec runs blocks while the Markdown is converted). Sets
  :func:`aieng.page_language` to the language the page's file is written in; picks what the page
  shows (:func:`aieng.website.banners.shown_page`: the source page for an untranslated stub, a
  banner on an outdated translation); reads its executed blocks' lines with the page parser, so an
  error names the file's line; expands the claim macros (:mod:`aieng.website.macros`).
* **Each page's HTML** (``on_page_content``, 100). Clears the page language, keeps the H1 as the
  title, marks the heavy blocks below the first screen, which the browser renders only when the
  reader comes near them (:mod:`aieng.website.offscreen`), and puts the fallback banner on a page
  shown in a language it is not written in (:mod:`aieng.website.banners`).
* **Each page's context** (``on_page_context``). Points the language switcher at each page's
  counterpart (0: after mkdocs-static-i18n, 50, has set the links), then segments the page's search
  entries into Korean morphemes (-50: after Material's search plugin, 0, has added them).
* **Each page's output** (``on_post_page``). Names the search dialog and points the page at the
  Korean-aware search worker (0), then drops the head's hreflang links (-100: after
  mkdocs-static-i18n's own -100) and defers the theme's script and ours, so that the browser
  draws the article before running them.
* **After the build** (``on_post_build``). Writes the search worker and logs the result cache's
  counters; with ``AIENG_BUILD_STATS`` set, writes them there as JSON with the pages' torch use
  (``python -m aieng bench build`` reads it). Once every language is built (-200: after
  mkdocs-static-i18n, -100, has built the other languages), ends the log with the slowest
  computations and their share of the build, or one line saying it computed nothing
  (:mod:`aieng.website.buildlog`, which also logs each computation as its block finishes and
  shows training's progress on the terminal), and writes the site's receipt
  (:mod:`aieng.website.receipt`: what it was built from, so tests can reuse it).

Options (``plugins: - aieng: ...`` in ``mkdocs.yml``): ``fallback_banner`` (default true) and
``block_timeout``, the seconds an executed block may run before the build stops naming it
(default :data:`aieng.website.execution.DEFAULT_BLOCK_TIMEOUT`; ``AIENG_BLOCK_TIMEOUT``
overrides it; 0: no limit).

The API reference's docstrings are prepared by a griffe extension (:mod:`aieng.website.docstrings`),
which mkdocstrings loads itself.

Environment:
    ``AIENG_EXEC``: ``0``/``off``/``false``/``no`` renders executed blocks as plain code.
    ``AIENG_KO_SEARCH``: ``off`` builds Material's stock search.
    ``AIENG_BLOCK_TIMEOUT``: seconds a block may run (overrides ``block_timeout``; 0: no limit).
    ``AIENG_BUILD_STATS``: a file that receives, after each language's build, a JSON object with
    the result cache's counters (:func:`aieng.core.cache.stats`) and whether torch was imported.

Example:
    >>> plugin = AiengPlugin()
    >>> plugin.run.where()
    "page '?', executed block 0"
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from aieng.core import lang as _lang
from aieng.core.threads import spin_briefly
from aieng.text.pages import executed_block_lines, split_front_matter
from aieng.website import completion, lists, pagecache, playground, receipt, search
from aieng.website.banners import fallback_banner, keep_h1_title, page_locales, shown_page
from aieng.website.buildlog import BuildLog
from aieng.website.execution import (
    ExampleError,
    PageRun,
    block_timeout,
    execution_enabled,
    wrap_markdown_exec_fences,
)
from aieng.website.macros import expand
from aieng.website.offscreen import mark_offscreen

__all__ = ["AiengPlugin", "AiengPluginConfig", "ExampleError"]

log = logging.getLogger("mkdocs.plugins.aieng")

spin_briefly()  # before torch loads: the build's small forward passes (aieng.core.threads)

_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
# The theme's script and ours at the end of the body (see defer_body_scripts).
_BODY_SCRIPT = re.compile(
    r'<script src="(?P<src>[^"]*assets/(?:javascripts/bundle\.[0-9a-f]+\.min|aieng)\.js)"></script>'
)


def defer_body_scripts(html: str) -> str:
    """``html`` with the theme's script and ours (at the end of the body) deferred.

    The browser, having fetched the theme's script early, ran it as soon as the parser reached
    it, often before it had drawn the article: the title (the page's largest paint) then waited
    for the script, and Lighthouse's largest contentful paint jumped from about 1.5 to 2.5 s on
    one load in four or five. Deferred, the scripts run when the page is parsed (before
    DOMContentLoaded, which is all the theme waits for), in the same order, ours after it.
    Measured on three chapter pages, four loads each: no such jump, and the first paint 0.3 s
    sooner (``python -m aieng bench site --every-page``).
    """
    return _BODY_SCRIPT.sub(r'<script src="\g<src>" defer></script>', html)


class AiengPluginConfig(Config):
    """Options of the ``aieng`` plugin in ``mkdocs.yml``."""

    fallback_banner = config_options.Type(bool, default=True)
    """Put a banner on pages shown in a language they are not written in."""

    block_timeout = config_options.Optional(config_options.Type((int, float)))
    """Seconds an executed block may run; 0: no limit (``AIENG_BLOCK_TIMEOUT`` overrides it)."""


def check_frozen_models() -> None:
    """Every frozen model must match what the current code would train, and its weights must
    score what its receipt says (:mod:`aieng.training.frozen`): out of date, a warning on a
    developer's machine (an error with ``--strict``) and an error under ``CI=true``; a missing
    or mismatched model, always an error. Each names the command that retrains."""
    from aieng.training import frozen

    checked = []
    for name in frozen.RECIPES:
        try:
            st = frozen.status(name)
            if st.stale:
                message = (
                    f"aieng: frozen model {name!r} is out of date: {'; '.join(st.stale)}; "
                    f"{st.retrain_hint()}"
                )
                if frozen._on_ci():
                    raise PluginError(message + " (CI=true: a stale model fails the build)")
                log.warning(message)
            checked.append(f"{name} {frozen.verify(name):.4f}")
        except frozen.ReceiptError as error:
            raise PluginError(f"aieng: {error}") from None
    log.info("aieng: frozen models checked against their receipts: %s", ", ".join(checked))


class AiengPlugin(BasePlugin[AiengPluginConfig]):
    """The ``aieng`` MkDocs plugin (see the module's docstring for its events and their order)."""

    def __init__(self) -> None:
        super().__init__()
        self.run = PageRun()  # the page being rendered and its executed blocks
        self.book = BuildLog(log)  # what the build computed, where, how long
        self.search: search.KoreanSearch | None = None  # None: stock search
        self._inputs = ""  # receipt.inputs_digest() when the build began
        self._disk_before = 0  # results read from disk before the build began
        self.pages: pagecache.PageCache | None = None  # serve: unchanged pages are not rendered

    # --- configuration

    @event_priority(50)  # before markdown-exec (0) saves the extensions for its own Markdown
    def _add_extensions(self, config: Any) -> Any:
        if lists.NAME not in config.markdown_extensions:
            config.markdown_extensions.append(lists.NAME)
        return config

    @event_priority(-50)  # after markdown-exec's fences (0) and Material search's config (0)
    def _wrap_and_search(self, config: Any) -> Any:
        # mkdocstrings adds its stylesheet once per configuration, and mkdocs-static-i18n
        # configures each language again: the English pages linked it twice.
        config.extra_css[:] = list(dict.fromkeys(config.extra_css))
        wrapped = wrap_markdown_exec_fences(config.mdx_configs, self.run)
        if wrapped:
            log.debug("aieng: watching %d markdown-exec fences", wrapped)
        if not execution_enabled():
            log.info("aieng: AIENG_EXEC is off: executed blocks are shown as plain code")
        self.search = search.configure(config) if search.enabled() else None
        try:
            self.run.timeout = block_timeout(self.config.block_timeout)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        return config

    on_config = CombinedEvent(_add_extensions, _wrap_and_search)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin, and what it remembers, across rebuilds;
        ``mkdocs serve`` reuses unchanged pages' rendering (:mod:`aieng.website.pagecache`)."""
        self.pages = pagecache.enable() if command == "serve" else None

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        if self.pages is not None:
            env.bytecode_cache = pagecache.TEMPLATES
        return env

    def on_shutdown(self) -> None:
        if self.pages is not None:
            pagecache.disable()

    def on_pre_build(self, *, config: Any) -> None:
        if _other_language_build(config):
            return
        from aieng.core import cache

        self.book.start(train=execution_enabled())
        self.run.book = self.book if execution_enabled() else None
        # The frozen models belong to this project's pages; a site built from other docs
        # (a test's tiny site, a contributor's scaffold) neither needs nor checks them.
        from aieng.core import paths as _paths

        ours = Path(config.docs_dir).resolve() == _paths.DOCS.resolve()
        if execution_enabled() and ours:
            with self.book.watch("frozen models", block=False):
                check_frozen_models()
        receipt.discard_receipt(config.site_dir)
        root = Path(config.config_file_path or ".").resolve().parent
        self._inputs = receipt.inputs_digest(root, Path(config.docs_dir))
        self._disk_before = cache.stats()["disk"]

    # --- pages

    @event_priority(100)  # before mkdocs-static-i18n (50) and before any block runs
    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        written, _ = page_locales(page)
        _lang.set_page_language(written)
        shown = shown_page(markdown, page=page, config=config)
        self.run.start(shown.src_uri, executed_block_lines(shown.text))
        with self.book.watch(f"page '{shown.src_uri}', claim macros", block=False):
            text = expand(
                shown.text,
                lang=_lang.output_language(written),
                page=shown.src_uri,
                compute=execution_enabled(),
            )
        body = markdown if text == shown.text and not shown.stub else split_front_matter(text)[1]
        return shown.banner + body

    @event_priority(100)
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        _lang.set_page_language(None)
        self.run.finish()
        keep_h1_title(page)
        html = mark_offscreen(html)
        written, shown = page_locales(page)
        if self.config.fallback_banner and written != shown:
            html = f'{fallback_banner(shown, written)}<div lang="{escape(written)}">{html}</div>'
        return html

    @event_priority(0)  # after mkdocs-static-i18n (50) has pointed the switcher at this page
    def _link_alternates(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        # mkdocs-static-i18n leaves the home page's language links absolute ("/", "/en/"), which
        # break when the site is opened from disk or served below a path. Link every page's
        # counterpart by its full URL when site_url is known (hreflang wants full URLs), else by
        # its site-relative URL, which the theme makes relative to the page.
        alternates = getattr(page.file, "alternates", None) or {}
        # mkdocs-static-i18n sets the list as an attribute of ``extra``, which the theme reads.
        links = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        for alternate in links:
            target = alternates.get(alternate.get("lang"))
            if target is not None:
                url = target.url or "."
                if config.site_url:
                    url = urljoin(config.site_url.rstrip("/") + "/", target.url)
                alternate["link"] = url
        return context

    @event_priority(-50)  # after Material's search plugin (0) has added the page's entries
    def _segment_search(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        if self.search is not None:
            with self.book.watch(f"page '{page.file.src_uri}', search index", block=False):
                search.segment_page_entries(config, page)
        return context

    on_page_context = CombinedEvent(_link_alternates, _segment_search)

    @event_priority(0)
    def _point_search(self, output: str, *, page: Any, config: Any) -> str:
        output = search.label_search_dialog(output)
        if self.search is None or 'id="__config"' not in output:
            return output
        query = self.search.query(self.search.page_language(page))
        return search.point_to_worker(output, self.search.worker, query)

    @event_priority(-100)  # after mkdocs-static-i18n's own (-100)
    def _drop_head_alternates(self, output: str, *, page: Any, config: Any) -> str:
        # The theme fetches <alternate>/sitemap.xml for every <link rel="alternate" hreflang> in
        # the head; with one link per page counterpart that is a 404 (a console error) on every
        # page, and the theme then steals the switcher's click and drops the #section. The
        # sitemap already lists each page's hreflang alternates, so the head links go.
        return _HEAD_ALTERNATE.sub("", output)

    @event_priority(-100)
    def _defer_scripts(self, output: str, *, page: Any, config: Any) -> str:
        return defer_body_scripts(output)

    on_post_page = CombinedEvent(_point_search, _drop_head_alternates, _defer_scripts)

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        return defer_body_scripts(output_content)  # the 404 page, like every other

    # --- the end

    @event_priority(0)
    def _after_language(self, *, config: Any) -> None:
        if self.search is not None:
            search.write_worker(self.search, config.site_dir)
        playground.write_assets(config.site_dir)
        completion.write_assets(config.site_dir)
        from aieng.core import cache

        counts = cache.stats()
        log.info(
            "aieng: results computed %d, from memory %d, from disk %d",
            counts["computed"],
            counts["memory"],
            counts["disk"],
        )
        target = os.environ.get("AIENG_BUILD_STATS")
        if target:
            report = {"cache": counts, "torch_imported": "torch" in sys.modules}
            Path(target).write_text(json.dumps(report), encoding="utf-8")

    @event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
    def _after_build(self, *, config: Any) -> None:
        if _other_language_build(config):
            return
        from aieng.core import cache

        counts = cache.stats()
        for line in self.book.summary(memory=counts["memory"], disk=counts["disk"]):
            log.info(line)
        if self.pages is not None:
            log.info(
                "aieng: pages rendered so far %d, reused %d", self.pages.misses, self.pages.hits
            )
            if self.search is not None:  # ready for the first edit of a Korean page
                seconds = search.preload()
                if seconds:
                    log.info("aieng: Korean search analyser loaded in %.1f s", seconds)
        self.book.stop()
        receipt.write_receipt(
            receipt.Receipt(
                site_dir=str(Path(config.site_dir).resolve()),
                inputs=self._inputs,
                executed=execution_enabled(),
                cold=counts["disk"] == self._disk_before and counts["computed"] > 0,
                source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
                offline=receipt.offline(),
                cache_dir=str(cache.cache_dir().resolve()),
            )
        )

    on_post_build = CombinedEvent(_after_language, _after_build)

    def on_build_error(self, *, error: Exception) -> None:
        _lang.set_page_language(None)
        self.run.finish()
        self.book.stop()


def _other_language_build(config: Any) -> bool:
    """Whether this is one of the builds mkdocs-static-i18n runs, from its own ``on_post_build``,
    for the languages after the first (it sets ``building`` while it runs them)."""
    i18n = config.plugins.get("i18n") if hasattr(config.plugins, "get") else None
    return bool(getattr(i18n, "building", False))
