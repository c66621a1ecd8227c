"""A blank, two kinds of model: the masked LM sees both sides, the GPT only the left.

:func:`compare_blank` ranks the same candidate words with both models. The result is a plain
dataclass, rendered by :mod:`aieng.book.render`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aieng.book.queries import MAIN, MLM, char_ids, load_preset
from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training import train


def candidate_words(n: int = 2000) -> tuple[str, ...]:
    """The ``n`` most frequent all-letter words of the train split (lower-case).

    Example:
        >>> candidate_words(3)
        ('the', 'and', 'i')
    """
    words = (w for w in corpus.word_counts("train") if w.isalpha())
    return tuple(w for _, w in zip(range(n), words, strict=False))


def _length_prior(words: tuple[str, ...]) -> dict[int, float]:
    """Share of the candidates' occurrences that have each length: ``P(len(word))``."""
    counts = corpus.word_counts("train")
    mass: dict[int, float] = {}
    for w in words:
        mass[len(w)] = mass.get(len(w), 0.0) + counts[w]
    total = sum(mass.values())
    return {k: v / total for k, v in mass.items()}


def _normalise(log_scores: dict[str, float], k: int) -> list[tuple[str, float]]:
    top = max(log_scores.values())
    weights = {w: math.exp(s - top) for w, s in log_scores.items()}
    total = sum(weights.values())
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])[:k]
    return [(w, v / total) for w, v in ranked]


def _candidates(candidates: int, length: int | None) -> tuple[str, ...]:
    words = candidate_words(candidates)
    if length is not None:
        words = tuple(w for w in words if len(w) == length)
        if not words:
            raise ValueError(f"no candidate word has {length} letters; try another length")
    return words


@cached(data=train.data_hash)
def fill_blank(
    left: str,
    right: str,
    *,
    length: int | None = None,
    k: int = 8,
    candidates: int = 2000,
    preset: str = MLM,
) -> list[tuple[str, float]]:
    """The masked LM's most probable words for the blank between ``left`` and ``right``.

    The blank is written as one ``[MASK]`` per character, so the model is told how long the
    word is; each candidate ``w`` among the ``candidates`` most frequent words of the plays is
    scored ``log P_MLM(w | left, len(w) masks, right)`` (:func:`aieng.models.mlm.word_log_probs`).
    With ``length``, only words of that length compete; without it, every length does, each
    weighted by how often words of that length occur (``log P(len(w))`` is added).
    Probabilities are normalised over the candidates.

    Returns:
        ``[(word, probability), ...]``, most probable first.
    """
    from aieng.models.mlm import word_log_probs

    words = _candidates(candidates, length)
    prior = _length_prior(words)
    model = load_preset(preset).cpu()
    scores = word_log_probs(model, char_ids(left), char_ids(right), [char_ids(w) for w in words])
    log_scores = {w: s + math.log(prior[len(w)]) for w, s in zip(words, scores, strict=True)}
    return _normalise(log_scores, k)


@cached(data=train.data_hash)
def gpt_next_word(
    left: str,
    *,
    length: int | None = None,
    k: int = 8,
    candidates: int = 2000,
    after: str = " ",
    preset: str = MAIN,
) -> list[tuple[str, float]]:
    """The GPT's most probable words after ``left``, among the same candidates as
    :func:`fill_blank`: ``P(w + after | left)`` by the chain rule, normalised over them."""
    import torch
    from torch.nn import functional as F

    words = _candidates(candidates, length)
    model = load_preset(preset).cpu()
    log_scores: dict[str, float] = {}
    by_length: dict[int, list[str]] = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)
    for n, group in by_length.items():
        ids = torch.stack([char_ids(left + w + after) for w in group])[
            :, -model.cfg.block_size - 1 :
        ]
        with torch.no_grad():
            logits, _ = model(ids[:, :-1])  # (g, T, V)
        span = n + len(after)  # the word and what follows it
        logp = F.log_softmax(logits[:, -span:].float(), dim=-1)
        scores = logp.gather(2, ids[:, -span:, None]).squeeze(2).sum(1)
        log_scores.update(zip(group, scores.tolist(), strict=True))
    return _normalise(log_scores, k)


@dataclass(frozen=True)
class BlankComparison:
    """What each kind of model proposes for a blank."""

    left: str
    right: str
    masked: list[tuple[str, float]]  # the masked LM, seeing both sides
    autoregressive: list[tuple[str, float]]  # the GPT, seeing the left side only


def compare_blank(left: str, right: str, *, length: int | None = None, k: int = 5):
    """The masked LM's and the GPT's top ``k`` words for ``left ___ right``.

    Both rank the same candidates (of ``length`` letters, if given); only the masked LM sees
    ``right``.
    """
    return BlankComparison(
        left,
        right,
        fill_blank(left, right, length=length, k=k),
        gpt_next_word(left, length=length, k=k),
    )
