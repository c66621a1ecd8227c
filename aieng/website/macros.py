"""The ``[[claim:ID]]`` macro: numbers in prose that come from the claims ledger.

A page writes ``[[claim:label-cost-1m]]`` where the book has a figure. While the site builds, the
``aieng`` plugin replaces the macro by what :func:`aieng.book.ledger.render` shows for the page's
language: the book's figure where it holds (or cannot be checked), the measured value followed by
the book's where they differ (``8 (책: 9)`` on a Korean page, ``8 (book: 9)`` on an English one),
a figure's measured value. ``[[claim:ID.book]]`` and ``[[claim:ID.measured]]`` pick one of the two.

What a macro is, and where one counts (the prose, not code), is the page parser's
(:data:`aieng.text.pages.CLAIM_MACRO`). An unknown id, or a malformed macro, fails the build
with the page and line named. With ``AIENG_EXEC=off`` (the plain build the benchmark compares
against) nothing is computed: ids are still checked, and the book's figure is shown.

Example:
    >>> print(expand("GPT-4 gives [[claim:gpt4-example-tokens]] tokens.", lang="en"))
    GPT-4 gives 8 (book: 9) tokens.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from aieng.text.pages import CLAIM_MACRO, ClaimMacro, claim_macros, substitute_claims

__all__ = ["MACRO", "MacroError", "expand", "find"]

MACRO = CLAIM_MACRO
"""The parser's claim macro pattern (:data:`aieng.text.pages.CLAIM_MACRO`)."""


class MacroError(PluginError):
    """A claim macro that cannot be expanded: unknown id, malformed, or no such value.

    A :class:`~mkdocs.exceptions.PluginError`, so MkDocs stops with this message and a non-zero
    exit status.
    """


def find(markdown: str) -> list[tuple[int, str, str | None]]:
    """Every well-formed macro of ``markdown``: (line, id, field).

    Example:
        >>> find("a [[claim:x-1]]\\nb [[claim:y.book]] `[[claim:in-code]]`")
        [(1, 'x-1', None), (2, 'y', 'book')]
    """
    return [(m.line, m.id, m.field) for m in claim_macros(markdown) if m.id is not None]


def expand(markdown: str, *, lang: str = "ko", page: str = "<text>", compute: bool = True) -> str:
    """Replace every claim macro of ``markdown``.

    Args:
        markdown: the page's Markdown (the whole file, so that errors name the file's lines).
        lang: the page's language (``"ko"`` or ``"en"``).
        page: how errors name the page (its path under ``docs``).
        compute: ``False`` shows the book's figure without computing anything (ids are still
            checked); a figure the book does not state then shows ``…``.

    Raises:
        MacroError: for an unknown id or a malformed macro, naming the page and line.
    """
    from aieng.book import claims, ledger

    if "[[" not in markdown:
        return markdown
    known = claims.claims()
    table = ledger.entries() if compute else None

    def replace(m: ClaimMacro) -> str:
        where = f"{page}, line {m.line}"
        if m.id is None:
            raise MacroError(
                f"{where}: malformed claim macro {m.text!r}; write [[claim:ID]], "
                "[[claim:ID.book]] or [[claim:ID.measured]] with a lower-case hyphenated ID"
            )
        if m.id not in known:
            try:
                ledger.get(m.id)
            except claims.UnknownClaimError as exc:
                raise MacroError(f"{where}: {exc}") from None
        if table is None:
            book = known[m.id].book
            if m.field == "measured" or book is None:
                return "…"
            return ledger.format_value(book)
        try:
            return ledger.render(m.id, m.field, lang=lang, table=table)
        except ValueError as exc:
            raise MacroError(f"{where}: {exc}") from None

    return substitute_claims(markdown, replace)
