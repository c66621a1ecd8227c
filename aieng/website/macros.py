"""The ``[[claim:ID]]`` macro: numbers in prose that come from the claims ledger.

A page writes ``[[claim:label-cost-1m]]`` where the book has a figure. While the site builds, the
macro is replaced by what :func:`aieng.book.claims.render` shows for the page's language: the book's
figure where it holds (or cannot be checked), the measured value followed by the book's where
they differ (``8 (책: 9)`` on a Korean page, ``8 (book: 9)`` on an English one), a figure's
measured value. ``[[claim:ID.book]]`` and ``[[claim:ID.measured]]`` pick one of the two.

An unknown id, or a malformed macro, fails the build with the page and line named. With
``AIENG_EXEC=off`` (the plain build the benchmark compares against) nothing is computed: ids are
still checked, and the book's figure is shown.

Registered in ``mkdocs.yml`` as a hook (``hooks: [aieng/website/macros.py]``): MkDocs calls
:func:`on_page_markdown` for every page, after the ``aieng`` plugin has set the page language.

Example:
    >>> print(expand("GPT-4 gives [[claim:gpt4-example-tokens]] tokens.", lang="en"))
    GPT-4 gives 8 (book: 9) tokens.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.exceptions import PluginError

from aieng.core.lang import output_language

__all__ = ["MACRO", "MacroError", "expand", "find", "on_page_markdown"]

#: ``[[claim:ID]]``, ``[[claim:ID.book]]``, ``[[claim:ID.measured]]``; ids are lower-case words
#: joined by hyphens. Anything else that starts with ``[[claim:`` is an error.
MACRO = re.compile(r"\[\[claim:(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<field>book|measured))?\]\]")
_ANY = re.compile(r"\[\[claim:[^\]\n]*\]\]?")


class MacroError(PluginError):
    """A claim macro that cannot be expanded: unknown id, malformed, or no such value.

    A :class:`~mkdocs.exceptions.PluginError`, so MkDocs stops with this message and a non-zero
    exit status.
    """


def find(markdown: str) -> list[tuple[int, str, str | None]]:
    """Every well-formed macro of ``markdown``: (line, id, field).

    Example:
        >>> find("a [[claim:x-1]]\\nb [[claim:y.book]]")
        [(1, 'x-1', None), (2, 'y', 'book')]
    """
    found = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        found += [(number, m["id"], m["field"]) for m in MACRO.finditer(line)]
    return found


def expand(markdown: str, *, lang: str = "ko", page: str = "<text>", compute: bool = True) -> str:
    """Replace every claim macro of ``markdown``.

    Args:
        markdown: the page's Markdown.
        lang: the page's language (``"ko"`` or ``"en"``).
        page: how errors name the page (its path under ``docs``).
        compute: ``False`` shows the book's figure without computing anything (ids are still
            checked); a figure the book does not state then shows ``…``.

    Raises:
        MacroError: for an unknown id or a malformed macro, naming the page and line.
    """
    from aieng.book import claims

    if "[[claim:" not in markdown:
        return markdown
    known = set(claims.ids())
    table = claims.entries() if compute else None
    out = []
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        where = f"{page}, line {number}"
        for bad in _ANY.finditer(line):
            if not MACRO.fullmatch(bad.group()):
                raise MacroError(
                    f"{where}: malformed claim macro {bad.group()!r}; write [[claim:ID]], "
                    "[[claim:ID.book]] or [[claim:ID.measured]] with a lower-case hyphenated ID"
                )

        def replace(m: re.Match[str], where: str = where) -> str:
            id, field = m["id"], m["field"]
            if id not in known:
                try:
                    claims.get(id)
                except claims.UnknownClaimError as exc:
                    raise MacroError(f"{where}: {exc}") from None
            if table is None:
                book = claims.claims()[id].book
                if field == "measured" or book is None:
                    return "…"
                return claims.format_value(book)
            try:
                return claims.render(id, field, lang=lang, table=table)
            except ValueError as exc:
                raise MacroError(f"{where}: {exc}") from None

        out.append(MACRO.sub(replace, line))
    return "".join(out)


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """MkDocs hook: expand the claim macros of a page in the page's language."""
    from aieng.website import plugin as site

    lang = output_language(site.page_language())  # set by the aieng plugin for this page
    return expand(markdown, lang=lang, page=page.file.src_uri, compute=site.execution_enabled())
