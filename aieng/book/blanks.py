"""A blank, two kinds of model: the masked LM sees both sides, the GPT only the left.

:func:`compare_blank` ranks the same candidate words with both models for one blank;
:func:`blank_benchmark` fills a thousand held-out blanks (:mod:`aieng.book.cloze`) with both and
counts how often each one's first choice is the hidden word. The results are plain dataclasses,
rendered by :mod:`aieng.book.render`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aieng.book.cloze import (
    CANDIDATES,
    MAX_LETTERS,
    MIN_LETTERS,
    blank_set,
    candidate_words,
    candidates_of_length,
    gpt_scores,
    mlm_best,
    mlm_scores,
)
from aieng.book.prefixsearch import best_words
from aieng.book.queries import MAIN, MLM, config_of, load_preset, models_hash
from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training.config import flops_per_token

__all__ = ["fill_blank", "gpt_next_word", "compare_blank", "BlankComparison", "candidate_words"]
__all__ += ["blank_benchmark", "BlankBenchmark", "BlankExample"]


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


def _by_length(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    groups: dict[int, list[str]] = {}
    for w in words:
        groups.setdefault(len(w), []).append(w)
    return [tuple(g) for g in groups.values()]


@cached(data=models_hash)
def fill_blank(
    left: str,
    right: str,
    *,
    length: int | None = None,
    k: int = 8,
    candidates: int = CANDIDATES,
    preset: str = MLM,
) -> list[tuple[str, float]]:
    """The masked LM's most probable words for the blank between ``left`` and ``right``.

    The blank is written as one ``[MASK]`` per character, so the model is told how long the
    word is; each candidate ``w`` among the ``candidates`` most frequent words of the plays is
    scored as in the benchmark, the sum of its letters' log-probabilities at the masked
    positions (:func:`aieng.book.cloze.mlm_scores`). With ``length``, only words of that length
    compete; without it, every length does, each weighted by how often words of that length
    occur (``log P(len(w))`` is added). Probabilities are normalised over the candidates.

    Returns:
        ``[(word, probability), ...]``, most probable first.
    """
    words = _candidates(candidates, length)
    prior = _length_prior(words)
    model = load_preset(preset).cpu()
    log_scores: dict[str, float] = {}
    for group in _by_length(words):
        scores = mlm_scores(model, left, right, group)
        log_scores.update(
            (w, float(s) + math.log(prior[len(w)])) for w, s in zip(group, scores, strict=True)
        )
    return _normalise(log_scores, k)


@cached(data=models_hash)
def gpt_next_word(
    left: str,
    *,
    length: int | None = None,
    k: int = 8,
    candidates: int = CANDIDATES,
    preset: str = MAIN,
) -> list[tuple[str, float]]:
    """The GPT's most probable words after ``left`` (not empty), among the same candidates as
    :func:`fill_blank`: ``P(w, then a non-letter | left)`` by the chain rule, as in the
    benchmark (:func:`aieng.book.cloze.gpt_scores`), normalised over them."""
    words = _candidates(candidates, length)
    model = load_preset(preset).cpu()
    log_scores: dict[str, float] = {}
    for group in _by_length(words):
        scores = gpt_scores(model, left, group)
        log_scores.update((w, float(s)) for w, s in zip(group, scores, strict=True))
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


@dataclass(frozen=True)
class BlankExample:
    """One blank of the benchmark and each model's first choice for it."""

    left: str
    word: str  # the hidden word
    right: str
    masked: str  # the masked LM's first choice
    autoregressive: str  # the GPT's first choice


@dataclass(frozen=True)
class BlankBenchmark:
    """Top-1 accuracy of the masked LM and of the GPT on the same held-out blanks."""

    blanks: int  # sentences, one word hidden in each
    mlm_top1: float  # share of blanks where the masked LM's first choice is the hidden word
    gpt_top1: float  # the same for the GPT, on the same blanks and candidates
    frequency_top1: float  # ... for "the most frequent candidate of that length"
    chance: float  # mean of 1 / (candidates of the blank's length): a uniform guess
    outcomes: tuple[int, int, int, int]  # blanks both got, only the masked LM, only the GPT, none
    examples: list[BlankExample]  # the first two blanks of each outcome, in text order
    mlm_flops: int = 0  # training compute of the masked LM
    gpt_flops: int = 0  # ... and of the GPT
    candidates: int = CANDIDATES  # the candidate list: the most frequent training words
    letters: tuple[int, int] = (MIN_LETTERS, MAX_LETTERS)  # hidden word lengths
    seed: int = 0  # the draw of sentences and words

    @property
    def ratio(self) -> float:
        """How many times the GPT's accuracy the masked LM's is."""
        return self.mlm_top1 / self.gpt_top1 if self.gpt_top1 else math.inf


@cached(data=models_hash)
def blank_benchmark(
    n: int = 1000, seed: int = 0, *, mlm: str = MLM, gpt: str = MAIN
) -> BlankBenchmark:
    """Fill ``n`` held-out blanks (:func:`aieng.book.cloze.blank_set`) with the masked LM and the
    GPT; each model's choice is its highest-scoring candidate of the hidden word's length.

    The masked LM reads the whole sentence with the word masked
    (:func:`aieng.book.cloze.mlm_scores`, batched by :func:`aieng.book.cloze.mlm_best`); the
    GPT reads the sentence up to the blank (:func:`aieng.book.prefixsearch.best_words`, the
    exact best of its chain-rule scores, many blanks at once).
    """
    masked_model, causal_model = load_preset(mlm).cpu(), load_preset(gpt).cpu()
    blanks = blank_set(n, seed)
    masked = mlm_best(masked_model, blanks)
    causal = [0] * len(blanks)
    for length in sorted({len(b.word) for b in blanks}):
        # blanks with left contexts of similar length share a batch (less padding); 40 at a
        # time was the fastest of 20 to 250 on 2 cores
        at = sorted(
            (i for i, b in enumerate(blanks) if len(b.word) == length),
            key=lambda i: len(blanks[i].left),
        )
        for start in range(0, len(at), 40):
            chunk = at[start : start + 40]
            lefts = [blanks[i].left for i in chunk]
            found = best_words(causal_model, lefts, candidates_of_length(length))
            for i, (index, _) in zip(chunk, found, strict=True):
                causal[i] = index
    rows = []
    for b, m_best, g_best in zip(blanks, masked, causal, strict=True):
        words = candidates_of_length(len(b.word))
        m, g = words[m_best], words[g_best]
        rows.append((BlankExample(b.left, b.word, b.right, m, g), len(words), words[0] == b.word))
    kinds = [(e.masked == e.word, e.autoregressive == e.word) for e, _, _ in rows]
    order = [(True, True), (True, False), (False, True), (False, False)]
    examples: list[BlankExample] = []
    for kind in order:
        examples += [e for (e, _, _), k in zip(rows, kinds, strict=True) if k == kind][:2]
    return BlankBenchmark(
        blanks=n,
        mlm_top1=sum(m for m, _ in kinds) / n,
        gpt_top1=sum(g for _, g in kinds) / n,
        frequency_top1=sum(f for _, _, f in rows) / n,
        chance=sum(1 / size for _, size, _ in rows) / n,
        outcomes=tuple(kinds.count(kind) for kind in order),
        examples=examples,
        mlm_flops=_train_flops(mlm),
        gpt_flops=_train_flops(gpt),
        seed=seed,
    )


def _train_flops(name: str) -> int:
    cfg = config_of(name)
    return flops_per_token(cfg) * cfg.tokens()
