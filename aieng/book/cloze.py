"""A cloze test from the held-out plays: sentences with one word hidden, and two ways to fill it.

The blanks follow a fixed rule (:func:`blank_set`), so that anyone can rebuild them:

* the text is the held-out split (the last 10% of each play), read speech by speech: a speech
  is a block between blank lines; a block of one line (a stage direction, "Exit") is skipped
  and the first line of a longer block (the speaker's name) is dropped;
* a sentence is what ends at ``.``, ``!`` or ``?`` followed by white space; sentences of
  :data:`MIN_CHARS` to :data:`MAX_CHARS` characters are kept (the masked LM's context is 128);
* the hidden word is a run of :data:`MIN_LETTERS` to :data:`MAX_LETTERS` lower-case letters
  (not part of a longer word: no letter or apostrophe next to it), not at the sentence's start,
  that is one of the candidates of its length; one such word per sentence is drawn with
  ``random.Random(seed)``, and ``n`` of the sentences that have one are drawn with the same
  generator, then kept in text order.

The candidates (:func:`candidates_of_length`) are the words of the hidden word's length among
the :data:`CANDIDATES` most frequent all-letter words of the training split, the list the
page's single blank uses too. Both models rank exactly these words for exactly these blanks, and
both know how many letters the word has:

* the masked LM (:func:`mlm_scores`) reads the whole sentence with the word's letters replaced
  by as many ``[MASK]`` ids, once, and scores each candidate by the sum of the log-probabilities
  of its letters at the masked positions (the task it was trained on: whole words hidden);
* the GPT (:func:`gpt_scores`) reads only the text left of the blank and scores each candidate
  by the chain rule over its letters, plus the log-probability that the word ends there (the
  next character is not a letter), which is what the masked LM's number of masks tells it.

Example:
    >>> b = blank_set(1000)
    >>> len(b), b[0]
    (1000, Blank(left='My love thou ', word='art', right=', my love I think.'))
    >>> len(candidates_of_length(3)), candidates_of_length(3)[:4]
    (136, ('the', 'and', 'you', 'not'))
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from aieng.book.prefixsearch import best_words, non_letters
from aieng.models.incremental import attend, finish, heads
from aieng.text import corpus

if TYPE_CHECKING:
    from aieng.models.gpt import GPT

__all__ = ["Blank", "blank_set", "sentences", "candidate_words", "candidates_of_length"]
__all__ += ["mlm_scores", "mlm_best", "gpt_scores", "gpt_best", "CANDIDATES"]

CANDIDATES = 2000  # the most frequent all-letter training words that may fill a blank
MIN_CHARS, MAX_CHARS = 20, 120  # sentence lengths kept, in characters
MIN_LETTERS, MAX_LETTERS = 3, 8  # hidden word lengths, in letters
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"(?<![A-Za-z'])[a-z]+(?![A-Za-z'])")


@dataclass(frozen=True)
class Blank:
    """One sentence with one word hidden: ``left + word + right`` is the sentence."""

    left: str
    word: str
    right: str


def candidate_words(n: int = CANDIDATES) -> tuple[str, ...]:
    """The ``n`` most frequent all-letter words of the train split (lower-case).

    Example:
        >>> candidate_words(3)
        ('the', 'and', 'i')
    """
    words = (w for w in corpus.word_counts("train") if w.isalpha())
    return tuple(w for _, w in zip(range(n), words, strict=False))


@cache
def candidates_of_length(length: int, n: int = CANDIDATES) -> tuple[str, ...]:
    """The words of ``length`` letters among :func:`candidate_words`, most frequent first."""
    return tuple(w for w in candidate_words(n) if len(w) == length)


def sentences(split: corpus.Split = "val") -> list[str]:
    """The sentences of ``split`` that :func:`blank_set` may use, in text order."""
    found = []
    for block in corpus.text(split).split("\n\n"):
        lines = block.strip("\n").split("\n")
        if len(lines) < 2:  # a stage direction or a lone name
            continue
        for s in _SENTENCE_END.split("\n".join(lines[1:])):
            if MIN_CHARS <= len(s) <= MAX_CHARS:
                found.append(s)
    return found


def _hideable(sentence: str) -> list[re.Match[str]]:
    """The words of ``sentence`` that the rule lets :func:`blank_set` hide."""
    return [
        m
        for m in _WORD.finditer(sentence)
        if MIN_LETTERS <= len(m.group()) <= MAX_LETTERS
        and m.start() > 0
        and m.group() in candidates_of_length(len(m.group()))
    ]


def blank_set(n: int = 1000, seed: int = 0) -> list[Blank]:
    """``n`` held-out sentences with one word hidden each, by the rule in the module docstring.

    Raises:
        ValueError: when fewer than ``n`` sentences have a word the rule may hide.
    """
    rng = random.Random(seed)
    chosen: list[Blank] = []
    for s in sentences("val"):
        words = _hideable(s)
        if words:
            m = rng.choice(words)
            chosen.append(Blank(s[: m.start()], m.group(), s[m.end() :]))
    if len(chosen) < n:
        raise ValueError(f"only {len(chosen)} held-out sentences have a word to hide, not {n}")
    keep = sorted(rng.sample(range(len(chosen)), n))
    return [chosen[i] for i in keep]


def _ids(text: str):
    import torch

    return torch.from_numpy(corpus.encode(text).astype(np.int64))


@cache
def _candidate_ids(words: tuple[str, ...]):
    """The words' character ids ``(N, L)``, made once per candidate list (never written to)."""
    import torch

    return torch.stack([_ids(w) for w in words])  # (N, L)


def _window(left: str, length: int, right: str, block: int) -> tuple[str, str]:
    """``left`` and ``right`` cut so that the blank and both fit ``block`` characters (only a
    model with a shorter context than the sentences, as in the tests, needs the cut)."""
    room = block - length
    if len(left) + len(right) <= room:
        return left, right
    keep_right = min(len(right), room // 2)
    keep_left = room - keep_right
    return left[len(left) - keep_left :] if keep_left else "", right[:keep_right]


def mlm_scores(model: GPT, left: str, right: str, words: tuple[str, ...]) -> np.ndarray:
    """Each candidate's ``sum_i log P(letter_i | left, [MASK] x L, right)`` under the masked LM.

    All candidates have the same length ``L``; one forward pass scores them all.
    """
    import torch
    from torch.nn import functional as F

    length = len(words[0])
    mask_id = model.cfg.vocab_size - 1
    left, right = _window(left, length, right, model.cfg.block_size)
    seq = torch.cat([_ids(left), torch.full((length,), mask_id), _ids(right)])[None]
    with torch.no_grad():
        logits, _ = model(seq)  # (1, T, V)
    logp = F.log_softmax(logits[0, len(left) : len(left) + length].float(), dim=-1)  # (L, V)
    chars = _candidate_ids(words)  # (N, L)
    return logp.gather(1, chars.T).sum(0).numpy()  # (N,)


def mlm_best(model: GPT, blanks: list[Blank], *, batch: int = 64) -> list[int]:
    """For each blank, the index (in :func:`candidates_of_length`) of the masked LM's best
    candidate: ``argmax`` of :func:`mlm_scores`, for many blanks at once.

    Blanks whose masked sentences have the same length go through the model together, up to
    ``batch`` at a time (the model has no padding mask, so only equal lengths can share a pass).
    """
    import torch
    from torch.nn import functional as F

    mask_id = model.cfg.vocab_size - 1
    rows: dict[int, list[tuple[int, int, int, torch.Tensor]]] = {}  # length -> rows
    for i, b in enumerate(blanks):
        length = len(b.word)
        left, right = _window(b.left, length, b.right, model.cfg.block_size)
        seq = torch.cat([_ids(left), torch.full((length,), mask_id), _ids(right)])
        rows.setdefault(len(seq), []).append((i, len(left), length, seq))
    best = [0] * len(blanks)
    for group in rows.values():
        for at in range(0, len(group), batch):
            chunk = group[at : at + batch]
            with torch.no_grad():
                logits, _ = model(torch.stack([seq for *_, seq in chunk]))  # (n, T, V)
            for row, (i, start, length, _) in enumerate(chunk):
                logp = F.log_softmax(logits[row, start : start + length].float(), dim=-1)
                chars = _candidate_ids(candidates_of_length(length))  # (N, L)
                best[i] = int(logp.gather(1, chars.T).sum(0).argmax())
    return best


def gpt_scores(model: GPT, left: str, words: tuple[str, ...]) -> np.ndarray:
    """Each candidate's ``log P(word, then a non-letter | left)`` under the causal GPT.

    The left context runs through the model once; its keys and values are kept, and the
    candidates' letters (``N x L`` positions) attend to them and to the letters before them,
    so the result equals scoring each ``left + word`` on its own at a fraction of the cost.
    """
    import torch
    from torch.nn import functional as F

    length = len(words[0])
    left = left[-(model.cfg.block_size - length) :]
    chars = _candidate_ids(words)  # (N, L)
    p = len(left)
    with torch.no_grad():
        x = model.tok_emb(_ids(left)[None]) + model.pos_emb(torch.arange(p))  # (1, P, C)
        cached = []
        for block in model.blocks:
            q, k, v = heads(block.attn, block.ln_1(x))
            cached.append((k, v))
            x = finish(block, x, F.scaled_dot_product_attention(q, k, v, is_causal=True))
        first = F.log_softmax(model.head(model.ln_f(x[0, -1])).float(), dim=-1)  # (V,)
        y = model.tok_emb(chars) + model.pos_emb(torch.arange(p, p + length))  # (N, L, C)
        sees = torch.tril(torch.ones(length, length, dtype=torch.bool))  # the letters so far
        for block, (k0, v0) in zip(model.blocks, cached, strict=True):
            q, k, v = heads(block.attn, block.ln_1(y))
            y = finish(block, y, attend(q, k0, v0, k, v, sees))
        logp = F.log_softmax(model.head(model.ln_f(y)).float(), dim=-1)  # (N, L, V)
    total = first[chars[:, 0]]  # the first letter, from the left context alone
    if length > 1:
        total = total + logp[:, :-1].gather(2, chars[:, 1:, None]).squeeze(2).sum(1)
    ends = torch.logsumexp(logp[:, -1, list(non_letters())], dim=-1)  # then the word ends
    return (total + ends).numpy()


def gpt_best(model: GPT, left: str, words: tuple[str, ...]) -> tuple[int, float]:
    """The index and score of the GPT's best candidate: ``argmax`` of :func:`gpt_scores`, exactly,
    without scoring every candidate (:func:`aieng.book.prefixsearch.best_words`, which does many
    blanks at once). Ties go to the more frequent candidate."""
    return best_words(model, [left], words)[0]
