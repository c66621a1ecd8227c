"""The ledger of the chapter's checkable claims: what the book says, what we measure, a verdict.

Every statement of the chapter that a computer can check is listed once in
``aieng/data/claims-1.1.toml`` (its id, where it appears, the book's value and the statement in
Korean and English), and :mod:`aieng.checks` computes each one from the real tokenizers, the
site's own pages, the corpus, or the book's own stated inputs. The verdict is

* ``holds``: the computed value agrees with the book, to the precision the book states it (a
  figure marked "≈" within ±10%);
* ``differs``: it does not; the reason gives the real value and why;
* ``cannot-check``: nothing here can check it (a publication date, a market forecast, a model
  size its maker published); the reason says so, and where the book's figure is an input to a
  ratio, the ratio is checked instead.

Entries of ``kind = "figure"`` are values the site measures that the book does not state (what
the same chapter costs in Korean tokens, for instance); their verdict is ``"measured"`` and they
are not part of the ledger, but pages print them the same way.

Pages print values with the macro ``[[claim:ID]]`` (:mod:`aieng.macros`); :func:`render` says
what it shows. Command line::

    python -m aieng claims            # a table and the counts
    python -m aieng claims --json     # a JSON list of {id, where, book, measured, verdict, ...}

Example:
    >>> entry = get("gpt4-example-tokens")
    >>> entry.book, entry.measured, entry.verdict
    (9, 8, 'differs')
    >>> render("gpt4-example-tokens", lang="en")
    '8 (book: 9)'
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from aieng.cache import cached
from aieng.lang import output_language

__all__ = [
    "VERDICTS",
    "Check",
    "Claim",
    "Entry",
    "UnknownClaimError",
    "claims",
    "counts",
    "figures",
    "figures_table",
    "format_value",
    "get",
    "ids",
    "ledger",
    "ledger_table",
    "main",
    "render",
    "summary",
]

Verdict = Literal["holds", "differs", "cannot-check"]
Value = int | float | str
VERDICTS: tuple[Verdict, ...] = ("holds", "differs", "cannot-check")
TOLERANCE = 0.10  # a figure the book marks "≈" holds within ±10%
DATA = Path(__file__).with_name("data") / "claims-1.1.toml"


class UnknownClaimError(KeyError):
    """A page or a call named a claim id that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the chapter, as the book makes it (a row of the TOML file)."""

    id: str  # stable, lower-case, hyphenated: what [[claim:ID]] names
    where: tuple[str, ...]  # "1.1/<page>.md#<section anchor>", every place it appears
    says: tuple[str, str]  # the statement in (Korean, English)
    book: Value | None  # the book's figure; None for a figure the book does not state
    digits: int = 0  # decimals shown for a measured float
    inputs: tuple[tuple[str, float], ...] = ()  # other figures the book states with it
    kind: Literal["claim", "figure"] = "claim"

    def input(self, name: str) -> float:
        """A stated input of this claim (``inputs`` in the TOML file)."""
        try:
            return dict(self.inputs)[name]
        except KeyError:
            raise KeyError(f"claim {self.id!r} has no input {name!r} in {DATA.name}") from None


@dataclass(frozen=True)
class Check:
    """The outcome of checking a claim: the computed value, the verdict and why."""

    measured: Value | None
    verdict: Verdict | Literal["measured"]
    reason: tuple[str, str] = ("", "")  # (Korean, English)


@dataclass(frozen=True)
class Entry:
    """A row of the ledger: the claim and its check."""

    id: str
    where: tuple[str, ...]
    says: tuple[str, str]
    book: Value | None
    measured: Value | None
    verdict: str
    reason: tuple[str, str]
    digits: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``where``, ``statement``, ``book``, ``measured``, ..."""
        row = asdict(self)
        row["where"] = list(self.where)
        row["statement"] = {"ko": self.says[0], "en": self.says[1]}
        row["reason"] = {"ko": self.reason[0], "en": self.reason[1]}
        del row["says"], row["digits"]
        return row


# --- the registry ---------------------------------------------------------------------------------

CheckFn = Callable[[Claim], Check]


@dataclass
class _Checks:
    by_id: dict[str, CheckFn] = field(default_factory=dict)


_CHECKS = _Checks()


def check(*ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register the function that checks the claims ``ids`` (used by :mod:`aieng.checks`)."""

    def register(fn: CheckFn) -> CheckFn:
        for id in ids:
            if id in _CHECKS.by_id:
                raise ValueError(f"claim {id!r} has two checks")
            _CHECKS.by_id[id] = fn
        return fn

    return register


@functools.cache
def claims() -> dict[str, Claim]:
    """Every claim and figure of ``claims-1.1.toml``, by id, in the chapter's order.

    Raises:
        ValueError: when an id is malformed or a claim has no check (or a check no claim).
    """
    import aieng.checks  # noqa: F401 - registers the checks

    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    result = {}
    for id, row in raw.items():
        if id != id.lower() or "." in id or " " in id:
            raise ValueError(f"{DATA.name}: claim id {id!r}: use lower-case words joined by '-'")
        kind = row.get("kind", "claim")
        if (kind == "claim") != ("book" in row):
            raise ValueError(f"{DATA.name}: [{id}]: a claim needs a book value, a figure has none")
        inputs = tuple(sorted((k, float(v)) for k, v in row.get("inputs", {}).items()))
        result[id] = Claim(
            id, tuple(row["where"]), (row["ko"], row["en"]), row.get("book"),
            row.get("digits", 0), inputs, kind,
        )  # fmt: skip
    missing, orphans = set(result) - set(_CHECKS.by_id), set(_CHECKS.by_id) - set(result)
    if missing or orphans:
        raise ValueError(
            f"{DATA.name} and aieng/checks.py disagree: no check for {sorted(missing)}, "
            f"no claim for {sorted(orphans)}"
        )
    return result


def ids() -> list[str]:
    """Every registered id (claims and figures), without computing anything."""
    return list(claims())


def _evaluate(claim: Claim) -> Entry:
    try:
        result = _CHECKS.by_id[claim.id](claim)
    except FileNotFoundError as exc:  # e.g. the English pages are not written yet
        result = Check(None, "cannot-check", (f"입력 파일이 없음: {exc}", f"input missing: {exc}"))
    measured = result.measured
    if isinstance(measured, float) and measured.is_integer() and isinstance(claim.book, int):
        measured = int(measured)
    return Entry(
        claim.id, claim.where, claim.says, claim.book, measured, result.verdict, result.reason,
        claim.digits,
    )  # fmt: skip


def _inputs_hash() -> str:
    """Hash of everything the checks read: claims, tokenizer files, corpus and chapter pages."""
    from aieng import prose
    from aieng.corpus import corpus_hash
    from aieng.tokens import _data_hash

    parts = [DATA.read_text(encoding="utf-8"), _data_hash(), corpus_hash()]
    for lang in ("ko", "en"):
        try:
            parts.append(prose.chapter_hash(lang))
        except FileNotFoundError:
            parts.append(f"{lang}: missing")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@cached(data=_inputs_hash)
def _all_entries() -> tuple[Entry, ...]:
    return tuple(_evaluate(c) for c in claims().values())


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
            f"new ones go in aieng/data/{DATA.name} and aieng/checks.py)"
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


# --- helpers for the checks -----------------------------------------------------------------------


def _significant(book: float) -> int:
    """Significant figures the book gives: 13 -> 2, 1,500 -> 2, 14,500 -> 3, 0.05 -> 1."""
    digits = f"{book:.10g}".split("e")[0].replace(".", "").replace("-", "").strip("0")
    return max(1, len(digits))


def agrees(book: float, measured: float) -> bool:
    """Whether ``measured``, rounded to as many significant figures as ``book``, equals it.

    Example:
        >>> agrees(1500, 175e9 / 117e6), agrees(13, 1.5e9 / 117e6), agrees(12, 1.5e9 / 117e6)
        (True, True, False)
    """
    if measured == 0:
        return book == 0
    sig = _significant(book)
    rounded = round(measured, sig - 1 - int(math.floor(math.log10(abs(measured)))))
    return math.isclose(rounded, book, rel_tol=1e-9)


def number(x: float) -> str:
    """A number for a sentence: 12.82, 1,496, 50,000,000.

    Example:
        >>> number(1.5e9 / 117e6), number(175e9 / 117e6), number(5e7), number(0.05)
        ('12.82', '1,496', '50,000,000', '0.05')
    """
    if float(x).is_integer() or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def ratio(claim: Claim, measured: float, how: tuple[str, str]) -> Check:
    """Check a figure the book computes from stated inputs: ``how`` is the computation (ko, en)."""
    book = float(claim.book)  # type: ignore[arg-type]
    if agrees(book, measured):
        exact = math.isclose(measured, book)
        return Check(measured, "holds", (
            f"{how[0]} = {number(measured)}" + ("" if exact else f", 반올림하면 {number(book)}"),
            f"{how[1]} = {number(measured)}"
            + ("" if exact else f", which rounds to {number(book)} at the book's precision"),
        ))  # fmt: skip
    return Check(measured, "differs", (
        f"{how[0]} = {number(measured)}: 책의 {number(book)}와 다름",
        f"{how[1]} = {number(measured)}, not {number(book)}",
    ))  # fmt: skip


def approx(claim: Claim, measured: float, what: tuple[str, str]) -> Check:
    """Check a figure the book marks "≈": it holds within ±:data:`TOLERANCE`."""
    book = float(claim.book)  # type: ignore[arg-type]
    ok = abs(measured - book) <= TOLERANCE * book
    return Check(measured, "holds" if ok else "differs", (
        f"{what[0]}: {measured:.3g} (책과 ±{TOLERANCE:.0%} {'이내' if ok else '밖'})",
        f"{what[1]}: {measured:.3g} ({'within' if ok else 'outside'} ±{TOLERANCE:.0%} of the book)",
    ))  # fmt: skip


def external(ko: str, en: str) -> Check:
    """A claim nothing here can check (an outside fact); ``ko``/``en`` say why."""
    return Check(None, "cannot-check", (ko, en))


def book_value(id: str) -> float:
    """The book's figure of claim ``id`` as a number: ``"117M"`` -> 117e6, ``"1.7T"`` -> 1.7e12.

    Example:
        >>> book_value("gpt1-params"), book_value("imagenet-images")
        (117000000.0, 1000000.0)
    """
    value = claims()[id].book
    if isinstance(value, str):
        scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
        if value[-1:] in scale:
            return float(value[:-1]) * scale[value[-1]]
        return float(value)
    if value is None:
        raise ValueError(f"{id!r} is a figure: the book states no value for it")
    return float(value)


# --- rendering ------------------------------------------------------------------------------------

_VERDICT_WORDS = {
    "ko": {"holds": "✓ 맞음", "differs": "✗ 다름", "cannot-check": "? 확인 불가"},
    "en": {"holds": "✓ holds", "differs": "✗ differs", "cannot-check": "? cannot check"},
}


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
    lang = output_language(lang)
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
        return f"{measured} ({'책' if lang == 'ko' else 'book'}: {book})"
    return book


def summary(lang: str = "ko") -> str:
    """One line: how many claims hold, differ and cannot be checked."""
    c = counts()
    if lang == "ko":
        return (
            f"확인한 주장 {sum(c.values())}개: 맞음 {c['holds']}, 다름 {c['differs']}, "
            f"확인 불가 {c['cannot-check']}"
        )
    return (
        f"{sum(c.values())} claims: {c['holds']} hold, {c['differs']} differ, "
        f"{c['cannot-check']} cannot be checked here"
    )


def _cell(text: str) -> str:
    """Text for a Markdown table cell: ``<s>`` stays text, ``|`` does not end the cell."""
    return html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")


_LEDGER_HEAD = {
    "ko": ("판정", "책의 주장", "책", "계산", "근거", "무엇"),
    "en": ("Verdict", "The book says", "Book", "Computed", "Why", "What"),
}


def _about(e: Entry, lang: str, link_prefix: str) -> str:
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
    lang = output_language(lang)
    verdict, says, book, computed, why, _ = _LEDGER_HEAD[lang]
    k = 0 if lang == "ko" else 1
    rows = [
        f"**{summary(lang)}**",
        "",
        '<div class="aieng-ledger" markdown="1">',
        "",
        f"| {verdict} | {says} | {book} | {computed} |",
        "|---|---|---:|---:|",
    ]
    for e in ledger():
        claim = (
            f"{_cell(e.says[k])}<br>{_about(e, lang, link_prefix)}"
            f"<details><summary>{why}</summary>{_cell(e.reason[k])}</details>"
        )
        rows.append(
            f'| <span class="aieng-verdict aieng-verdict--{e.verdict}">'
            f"{_VERDICT_WORDS[lang][e.verdict]}</span> | {claim} "
            f"| {_cell(format_value(e.book, e.digits))} "
            f"| {_cell(format_value(e.measured, e.digits))} |"
        )
    return "\n".join([*rows, "", "</div>"])


def figures_table(lang: str = "ko", *, link_prefix: str = "../") -> str:
    """The measured figures the book does not state, as a Markdown table (laid out as the
    ledger: what, with where and the id under it, then the value)."""
    lang = output_language(lang)
    *_, computed, _, what = _LEDGER_HEAD[lang]
    k = 0 if lang == "ko" else 1
    rows = ['<div class="aieng-ledger aieng-figures" markdown="1">', ""]
    rows += [f"| {what} | {computed} |", "|---|---:|"]
    for e in figures():
        rows.append(
            f"| {_cell(e.says[k])}<br>{_about(e, lang, link_prefix)} "
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


# --- command line ---------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """``python -m aieng claims [--json] [--figures] [--lang ko|en]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m aieng claims", description="The ledger of the chapter's checkable claims."
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--figures", action="store_true", help="also list the measured figures")
    parser.add_argument("--lang", choices=["ko", "en"], default="en", help="language of the text")
    ns = parser.parse_args(argv)
    rows = ledger() + (figures() if ns.figures else [])
    if ns.json:
        print(json.dumps([e.to_json() for e in rows], ensure_ascii=False, indent=2))
        return 0
    k = 0 if ns.lang == "ko" else 1
    width = max(len(e.id) for e in rows)
    for e in rows:
        book, measured = format_value(e.book, e.digits), format_value(e.measured, e.digits)
        print(f"{e.id:<{width}}  {e.verdict:<12}  book {book:>12}  measured {measured:>12}  "
              f"{e.reason[k]}")  # fmt: skip
    print()
    print(summary(ns.lang))
    return 0
