"""Character n-gram models with interpolated Kneser-Ney smoothing: the baseline a GPT beats.

An n-gram model predicts the next character from the previous ``n - 1`` characters only, by
counting. Contexts never seen in training get their probability from shorter contexts
(interpolation), and every count gives up a fixed discount ``d`` to make room for that
(absolute discounting). Lower orders count in how many different contexts a string follows
rather than how often it occurs (Kneser-Ney), so that a frequent pair like "ng" does not make
"g" look likely after any character. The result is a proper distribution for every context:
its probabilities sum to 1 (see :meth:`NGramModel.distribution`).

Counting is vectorised: an n-gram of character ids is one integer key in base ``V`` (the
alphabet size), and counts come from :func:`numpy.unique` over all keys of the text.

Example:
    >>> import numpy as np
    >>> model = NGramModel.fit(np.array([0, 1, 0, 1, 0, 2]), vocab_size=3, order=2)
    >>> model.distribution(np.array([0])).round(3).tolist()  # after "0": "1" twice, "2" once
    [0.167, 0.583, 0.25]
    >>> float(model.distribution(np.array([0])).sum())
    1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aieng.core.cache import cached
from aieng.text import corpus


@dataclass(frozen=True)
class NGramConfig:
    """An n-gram model's settings."""

    order: int = 5  # n: the model sees n - 1 previous characters
    discount: float = 0.75  # absolute discount d taken from every count (0 < d < 1)


def _keys(ids: np.ndarray, n: int, vocab_size: int) -> np.ndarray:
    """Integer key of every n-gram in ``ids``: ``sum(ids[i + j] * V ** (n - 1 - j))``.

    Example:
        >>> _keys(np.array([1, 2, 3]), 2, 10).tolist()
        [12, 23]
    """
    keys = np.zeros(len(ids) - n + 1, dtype=np.int64)
    for j in range(n):
        keys = keys * vocab_size + ids[j : len(ids) - n + 1 + j]
    return keys


@dataclass
class _Table:
    """Counts of one order: sorted n-gram keys with their counts, and per (n-1)-gram context
    the total count and the number of distinct next characters."""

    gram_keys: np.ndarray
    gram_counts: np.ndarray
    ctx_keys: np.ndarray
    ctx_totals: np.ndarray
    ctx_types: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, counts: np.ndarray, vocab_size: int) -> _Table:
        ctx, inverse = np.unique(keys // vocab_size, return_inverse=True)
        totals = np.bincount(inverse, weights=counts).astype(np.int64)
        return cls(keys, counts.astype(np.int64), ctx, totals, np.bincount(inverse))


@dataclass
class _Level:
    """Order n: raw counts (used when n is the model's highest order) and continuation
    counts (distinct one-character left extensions, used when n is a lower order)."""

    raw: _Table
    continuation: _Table


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``values`` at ``query`` keys (0 where absent); ``keys`` must be sorted."""
    if len(keys) == 0:
        return np.zeros(len(query), dtype=values.dtype)
    at = np.searchsorted(keys, query).clip(max=len(keys) - 1)
    return np.where(keys[at] == query, values[at], 0)


class NGramModel:
    """An interpolated Kneser-Ney character n-gram model (build it with :meth:`fit`)."""

    def __init__(self, levels: list[_Level], vocab_size: int, cfg: NGramConfig) -> None:
        self.levels = levels  # levels[n - 1] holds order n
        self.vocab_size = vocab_size
        self.cfg = cfg

    @classmethod
    def fit(cls, ids: np.ndarray, *, vocab_size: int, order: int = 5, discount: float = 0.75):
        """Count the n-grams of ``ids`` (character ids below ``vocab_size``) for orders 1..n."""
        if not 0 < discount < 1:
            raise ValueError(f"discount must lie between 0 and 1, got {discount}")
        if len(ids) <= order:
            raise ValueError(f"need more than {order} characters to fit an order-{order} model")
        ids = np.asarray(ids, dtype=np.int64)
        V = vocab_size
        levels: list[_Level] = []
        for n in range(1, order + 1):
            keys, counts = np.unique(_keys(ids, n, V), return_counts=True)
            raw = _Table.of(keys, counts, V)
            if n < order:  # continuation counts: how many distinct characters precede it
                longer = np.unique(_keys(ids, n + 1, V))
                cont_keys, cont_counts = np.unique(longer % V**n, return_counts=True)
                levels.append(_Level(raw, _Table.of(cont_keys, cont_counts, V)))
            else:
                levels.append(_Level(raw, raw))
        return cls(levels, V, NGramConfig(order, discount))

    def _probs(self, contexts: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        """P(nxt | context) for rows of ``contexts`` ``(N, order - 1)`` (-1 = no character)."""
        V, d = self.vocab_size, self.cfg.discount
        p = np.full(len(nxt), 1.0 / V)  # order 0: uniform
        for n, level in enumerate(self.levels, start=1):
            table = level.raw if n == len(self.levels) else level.continuation
            h = contexts[:, contexts.shape[1] - (n - 1) :] if n > 1 else contexts[:, :0]
            known = (h >= 0).all(axis=1)  # contexts near the start of a text are shorter
            ctx = np.zeros(len(nxt), dtype=np.int64)
            for j in range(n - 1):
                ctx = ctx * V + np.where(known, h[:, j], 0)
            total = _lookup(table.ctx_keys, table.ctx_totals, ctx).astype(float)
            types = _lookup(table.ctx_keys, table.ctx_types, ctx).astype(float)
            count = _lookup(table.gram_keys, table.gram_counts, ctx * V + nxt).astype(float)
            seen = known & (total > 0)
            safe = np.where(seen, total, 1.0)
            interpolated = np.maximum(count - d, 0) / safe + d * types / safe * p
            p = np.where(seen, interpolated, p)
        return p

    def _contexts(self, ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """The ``order - 1`` ids before each position (-1 before the start)."""
        width = self.cfg.order - 1
        offsets = positions[:, None] - width + np.arange(width)  # (N, width)
        if len(ids) == 0:
            return np.full(offsets.shape, -1, dtype=np.int64)
        return np.where(offsets >= 0, ids[offsets.clip(min=0)], -1)

    def distribution(self, context: np.ndarray) -> np.ndarray:
        """Probability of every next character after ``context`` (uses its last n-1 ids)."""
        ids = np.asarray(context, dtype=np.int64)
        ctx = self._contexts(ids, np.array([len(ids)]))
        return self._probs(np.repeat(ctx, self.vocab_size, axis=0), np.arange(self.vocab_size))

    def log_loss(self, ids: np.ndarray) -> float:
        """Mean negative log-probability (nats per character) of ``ids[1:]`` given what precedes."""
        ids = np.asarray(ids, dtype=np.int64)
        positions = np.arange(1, len(ids))
        return float(-np.log(self._probs(self._contexts(ids, positions), ids[1:])).mean())

    def sample(self, context: np.ndarray, n: int, *, seed: int = 0) -> np.ndarray:
        """Extend ``context`` by ``n`` ids sampled from the model with a seeded generator."""
        rng = np.random.default_rng(seed)
        out = list(np.asarray(context, dtype=np.int64))
        for _ in range(n):
            out.append(int(rng.choice(self.vocab_size, p=self.distribution(np.array(out)))))
        return np.array(out)


@dataclass(frozen=True)
class NGramLoss:
    """Held-out loss of one n-gram order."""

    order: int  # n
    context: int  # characters of context it sees (n - 1)
    val_loss: float  # nats per character on the held-out split
    distinct_contexts: int  # (n-1)-grams seen in training


@cached(data=corpus.corpus_hash)
def held_out_losses(
    orders: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7),
    discount: float = 0.75,
    val_chars: int = 200_000,
) -> list[NGramLoss]:
    """Held-out loss of n-gram models of each order, trained on the train split.

    Args:
        orders: the values of n.
        discount: Kneser-Ney discount.
        val_chars: how many characters of the held-out split to score (from its start).
    """
    train = corpus.encode(corpus.text("train"))
    val = corpus.encode(corpus.text("val"))[:val_chars]
    V = len(corpus.alphabet())
    model = NGramModel.fit(train, vocab_size=V, order=max(orders), discount=discount)
    result = []
    for n in orders:
        sub = NGramModel(model.levels[:n], V, NGramConfig(n, discount))
        result.append(NGramLoss(n, n - 1, sub.log_loss(val), len(model.levels[n - 1].raw.ctx_keys)))
    return result
