"""The site's MkDocs plugin: the page language, visible fallbacks and examples that fail loudly.

Registered as the ``aieng`` MkDocs plugin (an entry point in ``pyproject.toml``) and listed in
``mkdocs.yml``. It does four things while the site builds:

* **Page language.** :func:`page_language` tells a code block which language the page being
  rendered is written in (``"ko"`` or ``"en"``), so that a block that is byte-identical in both
  languages can print its words in the page's language. Under pytest, ``conftest.py`` derives the
  language from the page's path (:func:`language_of_path`); elsewhere it is ``"ko"``.
* **Examples fail loudly.** markdown-exec only logs a warning and renders the traceback into the
  page when a block raises, and SuperFences swallows a crashing formatter. The plugin wraps
  markdown-exec's formatter so that a failing block aborts the build with an error that names the
  page, the block's number on the page and its line (:class:`ExampleError`).
* **Execution can be switched off.** With ``AIENG_EXEC=off`` executed blocks are shown as plain
  highlighted code and nothing runs: the floor that the build benchmark compares against.
* **Fallbacks are visible.** A page that is missing in the reader's language is built from the
  Korean source (mkdocs-static-i18n's fallback); the plugin puts a banner in the reader's language
  on top of it and marks the body with the language it is written in.

Environment:
    ``AIENG_EXEC``: ``0``/``off``/``false``/``no`` renders executed blocks as plain code.
    ``AIENG_BUILD_STATS``: a file that receives, after each language's build, a JSON object with
    the result cache's counters (:func:`aieng.core.cache.stats`), the pages built and whether torch was
    imported. ``python -m aieng bench build`` reads it.

Example:
    >>> page_language()
    'ko'
    >>> with using_page_language("en"):
    ...     page_language()
    'en'
    >>> language_of_path("docs/en/1.1/transformer.md")
    'en'
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urljoin

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from pymdownx.superfences import SuperFencesException

from aieng.core import lang as _lang
from aieng.core.lang import language_of_path, page_language, using_page_language

log = logging.getLogger("mkdocs.plugins.aieng")

DEFAULT_LANGUAGE = "ko"
"""The source language of the site; pages without another language are Korean."""

_LOCALE_RE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
_FALSE = {"0", "off", "false", "no"}
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')

# Loggers that markdown-exec reports a failing block on: its own, and the name MkDocs gives it
# once its MkDocs plugin has patched its loggers.
_EXEC_LOGGERS = ("markdown_exec", "mkdocs.plugins.markdown_exec")

# The banner on a page shown in a language it was not written in, in the reader's language.
# ``{source}`` is the name of the language the page is written in.
_FALLBACK_BANNERS: dict[str, tuple[str, str]] = {
    "ko": (
        "아직 번역되지 않았습니다",
        "이 페이지는 아직 한국어로 번역되지 않아 {source} 원문을 보여 드립니다.",
    ),
    "en": (
        "Not translated yet",
        "This page has not been translated into English yet; "
        "you are reading the {source} original.",
    ),
}
_LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "ko": {"ko": "한국어", "en": "영어"},
    "en": {"ko": "Korean", "en": "English"},
}

def execution_enabled() -> bool:
    """Whether executed blocks run (``AIENG_EXEC`` is not ``0``/``off``/``false``/``no``)."""
    return os.environ.get("AIENG_EXEC", "1").strip().lower() not in _FALSE


# --------------------------------------------------------------------------- failing examples


class ExampleError(PluginError, SuperFencesException):
    """An executed code block raised: the build stops and names the page, block and line.

    It is a :class:`~mkdocs.exceptions.PluginError`, so MkDocs aborts with a clean message and a
    non-zero exit status, and a ``SuperFencesException``, the one exception SuperFences lets
    through instead of swallowing it.
    """


_EXEC_FENCE_RE = re.compile(
    r"""^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w+-]*)(?P<info>[^\n]*)$"""
)
_EXEC_OPTION_RE = re.compile(r"""\bexec\s*=\s*["']?(?P<value>[^"'\s}]*)""")


def executed_block_lines(markdown: str) -> list[int]:
    """Line numbers (1-based) of the fences in ``markdown`` that markdown-exec executes.

    Used to point at the block in an error message; fences inside other fences are skipped.

    Example:
        >>> page = '# t\\n\\n```python exec="1"\\nprint(1)\\n```\\n```text\\nx\\n```\\n'
        >>> executed_block_lines(page)
        [3]
    """
    lines: list[int] = []
    closing: re.Pattern[str] | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        if closing is not None:
            if closing.match(line):
                closing = None
            continue
        match = _EXEC_FENCE_RE.match(line)
        if not match:
            continue
        fence = match["fence"]
        closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        option = _EXEC_OPTION_RE.search(match["info"])
        if option and option["value"].lower() not in _FALSE | {""}:
            lines.append(number)
    return lines


def _failure_summary(message: str) -> str:
    """The last line of the traceback that markdown-exec logged: ``ZeroDivisionError: ...``."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("```")]
    return lines[-1] if lines else message.strip()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _collect_warnings(names: tuple[str, ...]) -> Iterator[list[logging.LogRecord]]:
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@dataclass
class _PageState:
    """Where the build is: the page being rendered and how many executed blocks it has run."""

    src_uri: str = ""
    block_lines: list[int] = field(default_factory=list)
    blocks: int = 0

    def where(self) -> str:
        number = self.blocks
        line = self.block_lines[number - 1] if 0 < number <= len(self.block_lines) else None
        at = f" (line {line})" if line else ""
        return f"page '{self.src_uri or '?'}', executed block {number}{at}"


_state = _PageState()


def _wrap_formatter(format_: Callable[..., Any]) -> Callable[..., Any]:
    """markdown-exec's fence formatter, turned into one that raises :class:`ExampleError`."""

    def run_block(source: str, language: str, *args: Any, **kwargs: Any) -> Any:
        _state.blocks += 1
        where = _state.where()
        with _collect_warnings(_EXEC_LOGGERS) as warnings:
            try:
                html = format_(source, language, *args, **kwargs)
            except ExampleError:
                raise
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, never swallowed
                raise ExampleError(
                    f"{where}: the {language} block crashed ({type(exc).__name__}: {exc}). "
                    "Fix the block or the aieng code it calls."
                ) from exc
        if warnings:
            summary = _failure_summary(warnings[-1].getMessage())
            raise ExampleError(
                f"{where}: the {language} block raised {summary}. Fix the block or the aieng code "
                "it calls (the whole traceback is logged above)."
            )
        return html

    run_block.__aieng_wrapped__ = format_  # type: ignore[attr-defined]
    return run_block


def _wrap_validator(validate: Callable[..., bool]) -> Callable[..., bool]:
    """markdown-exec's fence validator; with execution off it declines every block.

    markdown-exec's validator removes its own options (``exec``, ``session``, ...) from the fence's
    inputs; declining afterwards lets SuperFences render the block as ordinary highlighted code.
    """

    def accept(language: str, inputs: dict[str, str], *args: Any, **kwargs: Any) -> bool:
        accepted = validate(language, inputs, *args, **kwargs)
        return bool(accepted) and execution_enabled()

    accept.__aieng_wrapped__ = validate  # type: ignore[attr-defined]
    return accept


def wrap_markdown_exec_fences(mdx_configs: dict[str, Any]) -> int:
    """Wrap every markdown-exec fence registered in ``mdx_configs``; returns how many were wrapped.

    Idempotent: mkdocs-static-i18n runs ``on_config`` again for every language, and markdown-exec
    registers its fences again each time.
    """
    fences = mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    wrapped = 0
    for fence in fences:
        format_ = fence.get("format")
        if format_ is None or hasattr(format_, "__aieng_wrapped__"):
            continue
        if not getattr(format_, "__module__", "").startswith("markdown_exec"):
            continue
        fence["format"] = _wrap_formatter(format_)
        if "validator" in fence:
            fence["validator"] = _wrap_validator(fence["validator"])
        wrapped += 1
    return wrapped


# --------------------------------------------------------------------------- fallback banner


def fallback_banner(reader: str, source: str) -> str:
    """The HTML banner on a page written in ``source``, shown to a ``reader`` of another language.

    Unknown reader languages get the English text.

    Example:
        >>> "Korean original" in fallback_banner("en", "ko")
        True
    """
    title, text = _FALLBACK_BANNERS.get(reader, _FALLBACK_BANNERS["en"])
    names = _LANGUAGE_NAMES.get(reader, _LANGUAGE_NAMES["en"])
    text = text.format(source=names.get(source, source))
    return (
        f'<div class="admonition warning aieng-fallback" role="note" lang="{escape(reader)}">'
        f'<p class="admonition-title">{escape(title)}</p><p>{escape(text)}</p></div>'
    )


def _page_locales(page: Any) -> tuple[str, str]:
    """(language the page's file is written in, language of the build showing it)."""
    file = page.file
    written = getattr(file, "locale", None) or language_of_path(file.src_uri)
    shown = getattr(file, "locale_alternate_of", None) or written
    if (getattr(page, "meta", None) or {}).get("untranslated"):  # a stub: shows the source (i18n)
        written = DEFAULT_LANGUAGE
    return written, shown


def _keep_h1_title(page: Any) -> None:
    """Title a page by its H1 even when a banner (outdated translation, ...) was put above it.

    MkDocs takes a page's title from its H1 only when the H1 comes first; otherwise the nav and
    ``<title>`` fall back to the file name ("Ai engineering").
    """
    if "title" in (page.meta or {}) or getattr(page, "_title_from_render", None):
        return
    heading = next((item for item in page.toc.items if item.level == 1), None)
    if heading is not None and heading.title:
        page.meta["title"] = heading.title


# --------------------------------------------------------------------------- API reference

_EXAMPLE_HEADING_RE = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)


def examples_heading(docstring: str) -> str:
    """``docstring`` with its ``Example:`` sections renamed ``Examples:``.

    The package's docstrings say ``Example:``; griffe's Google parser reads ``>>>`` lines as code
    only under ``Examples:`` and renders the singular as an admonition of Markdown text, where a
    printed list such as ``['a', 'b']`` turns into a broken cross-reference.

    Example:
        >>> examples_heading("Sum.\\n\\nExample:\\n    >>> 1 + 1\\n    2\\n").splitlines()[2]
        'Examples:'
    """
    return _EXAMPLE_HEADING_RE.sub(r"\g<indent>Examples:", docstring)


_ROLE_RE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const):`(~?)([^`]+)`")


def plain_roles(docstring: str) -> str:
    """``docstring`` with Sphinx roles (``:func:`name```) turned into Markdown inline code.

    The package's docstrings use Sphinx roles, which Markdown would show as raw text. A ``~``
    keeps the last part of the name, as in Sphinx.

    Example:
        >>> plain_roles("See :func:`page_language` and :class:`~mkdocs.exceptions.PluginError`.")
        'See `page_language` and `PluginError`.'
    """

    def code(match: re.Match[str]) -> str:
        short, target = match.groups()
        return f"`{target.rsplit('.', 1)[-1] if short else target}`"

    return _ROLE_RE.sub(code, docstring)


def _griffe_extension() -> type:
    import griffe

    class ExampleSections(griffe.Extension):
        """Griffe extension (``mkdocs.yml``): ``Example:`` sections and Sphinx roles read well."""

        def on_object(self, *, obj: Any, **kwargs: Any) -> None:
            if obj.docstring is not None:
                obj.docstring.value = plain_roles(examples_heading(obj.docstring.value))

    return ExampleSections


def __getattr__(name: str) -> Any:
    # The griffe extension is built on first use, so that importing this module (which every
    # page does for page_language) does not import griffe.
    if name == "ExampleSections":
        value = _griffe_extension()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- the plugin


class AiengPluginConfig(Config):
    """Options of the ``aieng`` plugin in ``mkdocs.yml``."""

    fallback_banner = config_options.Type(bool, default=True)
    """Put a banner on pages shown in a language they are not written in."""


class AiengPlugin(BasePlugin[AiengPluginConfig]):
    """The ``aieng`` MkDocs plugin (see the module's docstring)."""

    @event_priority(-50)  # after markdown-exec has registered its fences (priority 0)
    def on_config(self, config: Any) -> Any:
        wrapped = wrap_markdown_exec_fences(config.mdx_configs)
        if wrapped:
            log.debug("aieng: watching %d markdown-exec fences", wrapped)
        if not execution_enabled():
            log.info("aieng: AIENG_EXEC is off: executed blocks are shown as plain code")
        return config

    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        written, _ = _page_locales(page)
        _lang.set_page_language(written)
        _state.src_uri = page.file.src_uri
        _state.blocks = 0
        try:
            raw = page.file.content_string
        except (OSError, TypeError, ValueError):
            raw = markdown
        _state.block_lines = executed_block_lines(raw)
        from aieng.i18n.staleness import (
            page_markdown,  # outdated-translation banner, untranslated stubs
        )

        return page_markdown(markdown, page=page, config=config)

    @event_priority(100)
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        _lang.set_page_language(None)
        _state.src_uri, _state.blocks, _state.block_lines = "", 0, []
        _keep_h1_title(page)
        written, shown = _page_locales(page)
        if self.config.fallback_banner and written != shown:
            html = f'{fallback_banner(shown, written)}<div lang="{escape(written)}">{html}</div>'
        return html

    @event_priority(0)  # after mkdocs-static-i18n (50) has pointed the switcher at this page
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
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

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        # The theme fetches <alternate>/sitemap.xml for every <link rel="alternate" hreflang> in
        # the head; with one link per page counterpart that is a 404 (a console error) on every
        # page, and the theme then steals the switcher's click and drops the #section. The
        # sitemap already lists each page's hreflang alternates, so the head links go.
        return _HEAD_ALTERNATE.sub("", output)

    def on_post_build(self, *, config: Any) -> None:
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

    def on_build_error(self, *, error: Exception) -> None:
        _lang.set_page_language(None)
