"""The chapter's checkable claims: what the book says (a data file), and how a check answers.

Every statement of the chapter that a computer can check is listed once in
``aieng/data/claims-1.1.toml`` (its id, where it appears, the book's value and the statement in
Korean and English). :mod:`aieng.book.checks` registers one function per claim with
:func:`check`; each returns a :class:`Check`: the computed value, a verdict and a
:class:`Reason`, which names an entry of the string table and the values it shows, so the
words stay in ``aieng/data/strings.toml`` and the numbers in the result. The verdict is

* ``holds``: the computed value agrees with the book, to the precision the book states it (a
  figure marked "≈" within ±10%);
* ``differs``: it does not; the reason gives the real value and why;
* ``cannot-check``: nothing here can check it (a publication date, a market forecast, a model
  size its maker published); the reason says so, and where the book's figure is an input to a
  ratio, the ratio is checked instead.

Entries of ``kind = "figure"`` are values the site measures that the book does not state (what
the same chapter costs in Korean tokens, for instance); their verdict is ``"measured"``.
:mod:`aieng.book.ledger` runs the checks and renders the results.

Example:
    >>> claims()["gpt4-example-tokens"].book
    9
    >>> book_value("gpt1-params")
    117000000.0
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from aieng.core import paths as _paths

Verdict = Literal["holds", "differs", "cannot-check"]


Value = int | float | str


VERDICTS: tuple[Verdict, ...] = ("holds", "differs", "cannot-check")


TOLERANCE = 0.10  # a figure the book marks "≈" holds within ±10%


DATA = _paths.DATA / "claims-1.1.toml"


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
class Reason:
    """Why a check came out as it did: a ``[ledger]`` entry of the string table and its values.

    A value may itself be a :class:`Reason` (the computation inside "… = 50,000"), rendered in
    the same language.
    """

    key: str
    fields: tuple[tuple[str, Value | Reason], ...] = ()


def because(key: str, **fields: Value | Reason) -> Reason:
    """A :class:`Reason` from keyword fields.

    Example:
        >>> because("published")
        Reason(key='published', fields=())
    """
    return Reason(key, tuple(sorted(fields.items())))


@dataclass(frozen=True)
class Check:
    """The outcome of checking a claim: the computed value, the verdict and why."""

    measured: Value | None
    verdict: Verdict | Literal["measured"]
    reason: Reason | None = None


# --- the registry ---------------------------------------------------------------------------------

CheckFn = Callable[[Claim], Check]


@dataclass
class _Checks:
    by_id: dict[str, CheckFn] = field(default_factory=dict)


_CHECKS = _Checks()


def check(*ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register the function that checks the claims ``ids`` (used by :mod:`aieng.book.checks`)."""

    def register(fn: CheckFn) -> CheckFn:
        for id in ids:
            if id in _CHECKS.by_id:
                raise ValueError(f"claim {id!r} has two checks")
            _CHECKS.by_id[id] = fn
        return fn

    return register


def registered() -> dict[str, CheckFn]:
    """Claim id -> the function that checks it (filled as :mod:`aieng.book.checks` is imported)."""
    return dict(_CHECKS.by_id)


@functools.cache
def claims() -> dict[str, Claim]:
    """Every claim and figure of ``claims-1.1.toml``, by id, in the chapter's order.

    Raises:
        ValueError: when an id is malformed, or a claim lacks its book value.
    """
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
    return result


def ids() -> list[str]:
    """Every registered id (claims and figures), without computing anything."""
    return list(claims())


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


def ratio(claim: Claim, measured: float, how: Reason) -> Check:
    """Check a figure the book computes from stated inputs: ``how`` is the computation."""
    book = float(claim.book)  # type: ignore[arg-type]
    if agrees(book, measured):
        key = "ratio_exact" if math.isclose(measured, book) else "ratio_rounds"
        return Check(
            measured, "holds", because(key, how=how, measured=number(measured), book=number(book))
        )
    return Check(
        measured,
        "differs",
        because("ratio_differs", how=how, measured=number(measured), book=number(book)),
    )


def approx(claim: Claim, measured: float, what: Reason) -> Check:
    """Check a figure the book marks "≈": it holds within ±:data:`TOLERANCE`."""
    book = float(claim.book)  # type: ignore[arg-type]
    ok = abs(measured - book) <= TOLERANCE * book
    key = "approx_within" if ok else "approx_outside"
    return Check(
        measured,
        "holds" if ok else "differs",
        because(key, what=what, measured=measured, tolerance=TOLERANCE),
    )


def external(key: str) -> Check:
    """A claim nothing here can check (an outside fact); ``key`` names the reason."""
    return Check(None, "cannot-check", because(key))


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
