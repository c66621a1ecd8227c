"""Shannon and the Dancing Men: letter frequencies and the entropy of English, measured.

Holmes breaks the dancing-men cipher because the commonest figure must stand for E, the
commonest letter of English; Shannon (1951) measured how predictable English is, in bits per
letter, from letter frequencies and from longer and longer contexts. This module measures both
on any text; :mod:`aieng.book.letters` applies it to the site's English chapter and to
Shakespeare's plays and draws the page's charts.

Text is reduced to Shannon's 27-symbol alphabet (:func:`normalize`): the 26 letters, lower-cased
and stripped of accents, and one space for every run of anything else.

The entropy of order N (Shannon's F_N) is the uncertainty of a symbol given the N - 1 before it:
``F_N = H(N-grams) - H((N-1)-grams)``, with ``F_0 = log2 27`` (all symbols equally likely) and
``F_1`` the entropy of the symbol frequencies. These are plug-in estimates from counts: for long
contexts in a short text most contexts are seen once and F_N falls towards 0, an artefact of the
sample size, not a property of English. :class:`Entropy` therefore reports how many distinct
contexts each order saw.

Example:
    >>> stats = letter_stats("Elementary, my dear Watson!")
    >>> stats.most_common, stats.counts["e"]
    ('e', 4)
    >>> entropy_profile("abababab", max_order=2).bits[2]  # b always follows a, a always b
    0.0
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ALPHABET",
    "Entropy",
    "LetterStats",
    "entropy_profile",
    "letter_stats",
    "normalize",
]

ALPHABET = " abcdefghijklmnopqrstuvwxyz"  # Shannon's 27 symbols; space is symbol 0
LETTERS = ALPHABET[1:]
_NON_LETTERS = re.compile("[^a-z]+")


def normalize(text: str) -> str:
    """Reduce ``text`` to lower-case letters a-z and single spaces.

    Example:
        >>> normalize("Café—it's 42 °C!")
        'cafe it s c'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    plain = unicodedata.normalize("NFKD", text).lower()
    if not plain.isascii():  # drop the accents of decomposed letters: "é" is "e" + U+0301
        plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NON_LETTERS.sub(" ", plain).strip(" ")  # each run of other symbols is one space


def _codes(text: str) -> np.ndarray:
    """Symbol codes 0..26 of the normalised text."""
    norm = normalize(text)
    if not norm:
        raise ValueError("the text has no letters a-z to count; pass English text")
    raw = np.frombuffer(norm.encode("ascii"), dtype=np.uint8).astype(np.int64)
    return np.where(raw == 32, 0, raw - 96)


@dataclass(frozen=True)
class LetterStats:
    """How often each letter occurs (spaces and other symbols not counted)."""

    counts: dict[str, int]  # letter -> count, for all 26 letters
    total: int  # letters counted

    @property
    def frequencies(self) -> dict[str, float]:
        """letter -> share of all letters."""
        return {c: n / self.total for c, n in self.counts.items()}

    @property
    def ranking(self) -> str:
        """The letters from most to least common (ties alphabetical), e.g. ``"etaoin..."``."""
        return "".join(sorted(self.counts, key=lambda c: (-self.counts[c], c)))

    @property
    def most_common(self) -> str:
        return self.ranking[0]


def letter_stats(text: str) -> LetterStats:
    """Count the letters of ``text`` (case and accents folded)."""
    codes = _codes(text)
    counts = np.bincount(codes, minlength=27)[1:]
    return LetterStats({c: int(n) for c, n in zip(LETTERS, counts, strict=True)}, int(counts.sum()))


@dataclass(frozen=True)
class Entropy:
    """Shannon's F_N, in bits per symbol, for N = 0 .. max_order."""

    bits: tuple[float, ...]  # bits[N] = F_N
    contexts: tuple[int, ...]  # contexts[N] = distinct (N-1)-symbol contexts seen (1 for N <= 1)
    symbols: int  # length of the normalised text

    @property
    def max_order(self) -> int:
        return len(self.bits) - 1


def _entropy(keys: np.ndarray, distinct: int = 0) -> tuple[float, int]:
    """Entropy (bits) of the empirical distribution of ``keys``, and how many distinct keys;
    keys below a small enough ``distinct`` are counted in bins instead of sorted."""
    if 0 < distinct <= 1 << 22:
        counts = np.bincount(keys, minlength=distinct)
        counts = counts[counts > 0]
    else:
        _, counts = np.unique(keys, return_counts=True)
    p = counts / len(keys)
    return float(-(p * np.log2(p)).sum()), len(counts)


def entropy_profile(text: str, *, max_order: int = 6) -> Entropy:
    """Shannon's F_0 .. F_max_order for ``text`` (see the module docstring).

    F_N is computed as H(N-gram) - H(its first N - 1 symbols) over the same windows, so it is
    never negative.

    Example:
        >>> e = entropy_profile("to be or not to be that is the question", max_order=1)
        >>> round(e.bits[0], 2), round(e.bits[1], 2)
        (4.75, 3.29)
    """
    if not 0 <= max_order <= 12:  # 27**13 would overflow the base-27 code of an n-gram
        raise ValueError(f"max_order must be between 0 and 12, got {max_order}")
    codes = _codes(text)
    if len(codes) < max_order:
        raise ValueError(
            f"the text has {len(codes)} symbols, too few for order {max_order}; "
            "use a longer text or a smaller max_order"
        )
    bits, contexts = [math.log2(27)], [1]
    for n in range(1, max_order + 1):
        windows = len(codes) - n + 1
        key = np.zeros(windows, dtype=np.int64)
        for j in range(n):  # the base-27 number of each n-gram
            key = key * 27 + codes[j : j + windows]
        joint, _ = _entropy(key, 27**n)
        context, distinct = _entropy(key // 27, 27 ** (n - 1)) if n > 1 else (0.0, 1)
        bits.append(joint - context)
        contexts.append(distinct)
    return Entropy(tuple(bits), tuple(contexts), int(len(codes)))
