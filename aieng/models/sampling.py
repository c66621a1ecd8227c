"""The playground's sampler: a small seeded generator and one draw by inverse CDF, without torch.

The completion playground (:mod:`aieng.website.completion`) samples in the reader's browser, where
``torch.multinomial`` and its generator do not exist. So the browser and Python share this
sampler instead, written twice, line for line: here, and in
``docs/assets/playground/sampling.js``. Given the same logits, temperature and seed, both draw
the same characters:

* :class:`Mulberry32` is Tommy Ettinger's 32-bit generator (public domain): one 32-bit state, a
  few multiplications and shifts, exactly the same in Python's integers and JavaScript's
  ``Math.imul``. Each draw is ``next_u32() / 2**32``, a float64 in ``[0, 1)`` that both
  languages compute exactly. It is small and fast, fine for picking characters, not for
  statistics (2**32 states).
* :func:`pick` turns a step's logits into a character id. Temperature 0 is greedy: the first
  id of the largest logit, as ``torch.argmax``, and no random number is used. Above 0, the
  weights ``exp(logit / T - max)`` are summed from the first id to the last in float64, and the
  first id whose running sum exceeds ``u * total`` is drawn (inverse CDF; one ``u`` per step).
  The sums run in a fixed order, so both languages add the same numbers the same way.

A given seed therefore gives one sample everywhere, but not the sample ``torch.multinomial`` would
give (the page's table of temperatures uses torch's generator). The Python completion that feeds
this sampler torch's logits is :func:`aieng.book.sampled.sampled_complete`.

Example:
    >>> rng = Mulberry32(0)
    >>> [rng.next_u32() for _ in range(3)]
    [1144304738, 1416247, 958946056]
    >>> pick([0.0, 2.0, 2.0, 1.0], 0.0, Mulberry32(0))  # greedy: the first of the largest
    1
    >>> [pick([0.0, 1.0, 0.5], 1.0, rng) for rng in [Mulberry32(7)] for _ in range(8)]
    [0, 0, 2, 2, 1, 1, 1, 1]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["Mulberry32", "check_options", "pick", "softmax"]

_MASK = 0xFFFFFFFF
SEED_LIMIT = 2**32  # seeds are 0 .. 2**32 - 1: the generator's whole state


def _imul(a: int, b: int) -> int:
    """JavaScript's ``Math.imul`` on unsigned 32-bit values: the low 32 bits of the product."""
    return (a * b) & _MASK


class Mulberry32:
    """Mulberry32: a 32-bit state advanced by a Weyl step and mixed (public domain)."""

    def __init__(self, seed: int) -> None:
        _check_seed(seed)
        self.state = seed

    def next_u32(self) -> int:
        """The next 32-bit output, ``0 .. 2**32 - 1``."""
        self.state = a = (self.state + 0x6D2B79F5) & _MASK
        t = _imul(a ^ (a >> 15), a | 1)
        t = ((t + _imul(t ^ (t >> 7), t | 61)) & _MASK) ^ t
        return t ^ (t >> 14)

    def random(self) -> float:
        """The next float64 in ``[0, 1)``: ``next_u32() / 2**32`` (exact in both languages)."""
        return self.next_u32() / 4294967296.0


def check_options(*, temperature: float, seed: int, length: int) -> None:
    """Refuse what the browser refuses too: a negative or non-finite temperature, a seed that is
    not ``0 .. 2**32 - 1``, a negative length (``bool`` is not an integer here)."""
    if not (isinstance(temperature, int | float) and math.isfinite(temperature)) or (
        temperature < 0
    ):
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}")
    _check_seed(seed)
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(f"length must be an integer >= 0, got {length!r}")


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise ValueError(f"seed must be an integer from 0 to {SEED_LIMIT - 1}, got {seed!r}")


def _weights(logits: Sequence[float], temperature: float) -> list[float]:
    """``exp(logit / T - max(logit / T))`` for every id, in float64 (the largest is 1)."""
    scaled = [float(x) / temperature for x in logits]
    top = max(scaled)
    return [math.exp(z - top) for z in scaled]


def softmax(logits: Sequence[float], temperature: float = 1.0) -> list[float]:
    """The probabilities :func:`pick` draws from at ``temperature`` (> 0), in float64.

    Example:
        >>> [round(p, 4) for p in softmax([0.0, 1.0, 0.5])]
        [0.1863, 0.5065, 0.3072]
    """
    weights = _weights(logits, temperature)
    total = 0.0
    for w in weights:  # left to right, as in JavaScript
        total += w
    return [w / total for w in weights]


def pick(logits: Sequence[float], temperature: float, rng: Mulberry32) -> int:
    """The id drawn from ``logits`` at ``temperature`` with ``rng`` (see the module docstring)."""
    if temperature == 0:
        best = 0
        for i, x in enumerate(logits):
            if x > logits[best]:
                best = i
        return best
    weights = _weights(logits, temperature)
    total = 0.0
    for w in weights:
        total += w
    target = rng.random() * total
    running = 0.0
    last = 0
    for i, w in enumerate(weights):
        running += w
        if w > 0:
            last = i
        if target < running:
            return i
    return last  # rounding left ``target`` at the very end: the last id with any weight
