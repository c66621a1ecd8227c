"""The ledger: every claim of the chapter checked, and the tables and macros that show it.

:func:`entries` runs every check of :mod:`aieng.book.checks` on its claim of
:mod:`aieng.book.claims` through the result cache (keyed on everything the checks read);
:func:`render` is what a page's ``[[claim:ID]]`` shows, and :func:`ledger_table` the ledger page.
Reasons are rendered from the string table in the reader's language.

Example:
    >>> entry = get("gpt4-example-tokens")
    >>> entry.book, entry.measured, entry.verdict
    (9, 8, 'differs')
    >>> render("gpt4-example-tokens", lang="en")
    '8 (book: 9)'
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any

import aieng.book.checks  # noqa: F401 - registers every claim's check
from aieng.book.claims import (
    DATA,
    VERDICTS,
    Check,
    Claim,
    Reason,
    UnknownClaimError,
    Value,
    because,
    claims,
    ids,
    registered,
)
from aieng.core import strings
from aieng.core.cache import cached
from aieng.core.lang import output_language

__all__ = [
    "Entry",
    "counts",
    "entries",
    "figures",
    "figures_table",
    "format_value",
    "get",
    "ids",
    "ledger",
    "ledger_table",
    "reason_text",
    "render",
    "summary",
]


@dataclass(frozen=True)
class Entry:
    """A row of the ledger: the claim and its check."""

    id: str
    where: tuple[str, ...]
    says: tuple[str, str]  # the book's statement in (Korean, English)
    book: Value | None
    measured: Value | None
    verdict: str
    reason: Reason | None
    digits: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``where``, ``statement``, ``book``, ``measured``, ..."""
        return {
            "id": self.id,
            "where": list(self.where),
            "statement": {"ko": self.says[0], "en": self.says[1]},
            "book": self.book,
            "measured": self.measured,
            "verdict": self.verdict,
            "reason": {lang: reason_text(self.reason, lang) for lang in ("ko", "en")},
        }


def reason_text(reason: Reason | None, lang: str) -> str:
    """A :class:`~aieng.book.claims.Reason` in words, from the ``[ledger]`` string table.

    Example:
        >>> from aieng.book.claims import because
        >>> reason_text(because("published"), "en")
        "published by the model's makers; nothing here computes it"
    """
    if reason is None:
        return ""
    fields = {k: reason_text(v, lang) if isinstance(v, Reason) else v for k, v in reason.fields}
    return strings.word("ledger", reason.key, lang, **fields)


def checked_claims() -> dict[str, Claim]:
    """The claims, after making sure that each has exactly one check."""
    found, checks = claims(), registered()
    missing, orphans = set(found) - set(checks), set(checks) - set(found)
    if missing or orphans:
        raise ValueError(
            f"{DATA.name} and aieng/book/checks.py disagree: no check for {sorted(missing)}, "
            f"no claim for {sorted(orphans)}"
        )
    return found


def _evaluate(claim: Claim) -> Entry:
    try:
        result = registered()[claim.id](claim)
    except FileNotFoundError as exc:  # e.g. the English pages are not written yet
        result = Check(None, "cannot-check", because("input_missing", error=str(exc)))
    measured = result.measured
    if isinstance(measured, float) and measured.is_integer() and isinstance(claim.book, int):
        measured = int(measured)
    return Entry(
        claim.id, claim.where, claim.says, claim.book, measured, result.verdict, result.reason,
        claim.digits,
    )  # fmt: skip


def _inputs_hash() -> str:
    """Hash of everything the checks read: claims, tokenizer files, corpus and chapter pages."""
    from aieng.book import prose
    from aieng.text.corpus import corpus_hash
    from aieng.text.tokens import data_hash

    parts = [DATA.read_text(encoding="utf-8"), data_hash(), corpus_hash()]
    for lang in ("ko", "en"):
        try:
            parts.append(prose.chapter_hash(lang))
        except FileNotFoundError:
            parts.append(f"{lang}: missing")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@cached(data=_inputs_hash)
def _all_entries() -> tuple[Entry, ...]:
    return tuple(_evaluate(c) for c in checked_claims().values())


def entries() -> dict[str, Entry]:
    """Every claim and figure, checked (cached under the hash of everything they read)."""
    return {e.id: e for e in _all_entries()}


def get(id: str, table: dict[str, Entry] | None = None) -> Entry:
    """The entry ``id`` (a claim or a figure), from ``table`` if given.

    Raises:
        UnknownClaimError: for an id that is not registered; the message suggests close ones.
    """
    if id not in claims():
        import difflib

        close = difflib.get_close_matches(id, claims(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownClaimError(
            f"unknown claim id {id!r}{hint} (`python -m aieng claims --figures` lists them; "
            f"new ones go in aieng/data/{DATA.name} and aieng/book/checks.py)"
        )
    return (table or entries())[id]


def ledger() -> list[Entry]:
    """Every claim of the chapter with its verdict, in the chapter's order (figures excluded)."""
    return [e for e in entries().values() if e.verdict != "measured"]


def figures() -> list[Entry]:
    """Measured values that the book does not state (verdict ``"measured"``)."""
    return [e for e in entries().values() if e.verdict == "measured"]


def counts() -> dict[str, int]:
    """How many claims hold, differ and cannot be checked."""
    rows = ledger()
    return {v: sum(e.verdict == v for e in rows) for v in VERDICTS}


# --- rendering ------------------------------------------------------------------------------------


def format_value(value: Value | None, digits: int = 0) -> str:
    """A value as a page shows it: thousands separators, ``digits`` decimals for a float.

    Example:
        >>> format_value(50000000), format_value(0.7312, 2), format_value("E"), format_value(None)
        ('50,000,000', '0.73', 'E', '—')
    """
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def render(
    id: str, field: str | None = None, *, lang: str = "ko", table: dict[str, Entry] | None = None
) -> str:
    """What ``[[claim:ID]]`` (``field`` None), ``[[claim:ID.book]]`` or ``.measured`` shows.

    Without a field: the book's value where it holds or cannot be checked; where the measured
    value differs, the measured value followed by the book's (``8 (책: 9)``, ``8 (book: 9)``);
    for a figure, its measured value.

    Example:
        >>> render("gpt4-example-tokens"), render("gpt4-example-tokens", "book")
        ('8 (책: 9)', '9')
        >>> render("label-cost-1m"), render("mixtral-example-tokens")
        ('50,000', '9')
    """
    output_language(lang)
    if field not in (None, "book", "measured"):
        raise ValueError(f"[[claim:{id}.{field}]]: unknown field {field!r}; use .book or .measured")
    e = get(id, table)
    book, measured = format_value(e.book, e.digits), format_value(e.measured, e.digits)
    if field == "book":
        if e.book is None:
            raise ValueError(f"[[claim:{id}.book]]: {id!r} is a measured figure, the book has none")
        return book
    if field == "measured" or e.verdict == "measured":
        if e.measured is None:
            raise ValueError(f"[[claim:{id}.measured]]: {id!r} has no measured value ({e.verdict})")
        return measured
    if e.verdict == "differs":
        return strings.word("ledger_page", "differs_inline", lang, measured=measured, book=book)
    return book


def summary(lang: str = "ko") -> str:
    """One line: how many claims hold, differ and cannot be checked."""
    c = counts()
    return strings.word(
        "ledger_page", "summary", lang, n=sum(c.values()), holds=c["holds"],
        differs=c["differs"], cannot=c["cannot-check"],
    )  # fmt: skip


def verdict_text(verdict: str, lang: str) -> str:
    """A verdict as the ledger shows it: ``✓ holds``, ``✗ differs``, ``? cannot check``."""
    return strings.word("ledger_page", f"verdict_{verdict.replace('-', '_')}", lang)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: ``<s>`` stays text, ``|`` does not end the cell."""
    return html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")


def _about(e: Entry, link_prefix: str) -> str:
    """The small line under a claim: where the chapter makes it, and its id."""
    where = ", ".join(f"[{_link_text(w)}]({_href(w, link_prefix)})" for w in e.where)
    return f'<span class="aieng-ledger-where">{where} · `{e.id}`</span>'


def ledger_table(lang: str = "ko", *, link_prefix: str = "../") -> str:
    """The ledger as Markdown: the counts, then one table row per claim.

    The verdict comes first, then what the book says with where it says it and the claim's id
    under it, the two values, and the reason folded (``<details>``) under the claim, so the
    table fits a desktop column and, stacked by ``docs/assets/aieng.css``, a phone.

    Args:
        lang: ``"ko"`` or ``"en"``.
        link_prefix: how the ledger page reaches the site's root; the default fits a page
            served at ``claims/`` (MkDocs' directory URLs).
    """
    k = 0 if output_language(lang) == "ko" else 1
    head = strings.words("ledger_page", lang)
    rows = [
        f"**{summary(lang)}**",
        "",
        '<div class="aieng-ledger" markdown="1">',
        "",
        f"| {head['verdict']} | {head['says']} | {head['book']} | {head['computed']} |",
        "|---|---|---:|---:|",
    ]
    for e in ledger():
        claim = (
            f"{_cell(e.says[k])}<br>{_about(e, link_prefix)}"
            f"<details><summary>{head['why']}</summary>{_cell(reason_text(e.reason, lang))}"
            "</details>"
        )
        rows.append(
            f'| <span class="aieng-verdict aieng-verdict--{e.verdict}">'
            f"{verdict_text(e.verdict, lang)}</span> | {claim} "
            f"| {_cell(format_value(e.book, e.digits))} "
            f"| {_cell(format_value(e.measured, e.digits))} |"
        )
    return "\n".join([*rows, "", "</div>"])


def figures_table(lang: str = "ko", *, link_prefix: str = "../") -> str:
    """The measured figures the book does not state, as a Markdown table (laid out as the
    ledger: what, with where and the id under it, then the value)."""
    k = 0 if output_language(lang) == "ko" else 1
    head = strings.words("ledger_page", lang)
    rows = ['<div class="aieng-ledger aieng-figures" markdown="1">', ""]
    rows += [f"| {head['what']} | {head['computed']} |", "|---|---:|"]
    for e in figures():
        rows.append(
            f"| {_cell(e.says[k])}<br>{_about(e, link_prefix)} "
            f"| {format_value(e.measured, e.digits)} |"
        )
    return "\n".join([*rows, "", "</div>"])


def _href(where: str, link_prefix: str) -> str:
    """The URL of a ``where`` entry as the built site serves it.

    markdown-exec renders a block's output outside MkDocs' link rewriting, so links to ``.md``
    files would stay broken: point at the page's directory URL instead.

    Example:
        >>> _href("1.1/language-models.md#tokens", "../")
        '../1.1/language-models/#tokens'
    """
    page, _, anchor = where.partition("#")
    url = link_prefix + page.removesuffix(".md") + "/"
    return f"{url}#{anchor}" if anchor else url


def _link_text(where: str) -> str:
    return where.split("/")[-1].replace(".md", "")
