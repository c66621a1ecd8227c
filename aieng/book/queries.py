"""Asking the trained GPT questions: completions and the probabilities behind them.

Every function returns a plain dataclass or plain values through the result cache, so a warm
build never imports torch; on a miss it loads (or trains) the model through
:func:`aieng.training.train.trained`. :mod:`aieng.book.render` turns the results into the page's
tables and figures, in the page's language.

* :func:`complete` and :func:`completions`: continue a prompt, greedily or by sampling at a
  temperature with a seed.
* :func:`next_chars` and :func:`word_odds`: the probabilities of what comes next.

:mod:`aieng.book.blanks` asks the masked model and the GPT to fill a blank;
:mod:`aieng.book.contexts` shows the training pairs and what longer context buys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aieng.core.cache import cached
from aieng.models import incremental
from aieng.text import corpus
from aieng.training import frozen, train
from aieng.training.config import TrainConfig
from aieng.training.recipes import RECIPES

MAIN = "main"  # the GPT the pages use: frozen (aieng.training.recipes)

MLM = "mlm"  # the masked LM preset


def config_of(preset: str) -> TrainConfig:
    """The config of a frozen recipe or of a preset the build trains."""
    return RECIPES[preset] if preset in RECIPES else train.PRESETS[preset]


def load_preset(preset: str):
    """The torch model of ``preset``: a frozen one, checked and verified against its receipt
    (:func:`aieng.training.frozen.load_model`), or a preset trained on a cache miss."""
    if preset in RECIPES:
        return frozen.load_model(preset)
    return train.load_model(train.trained(preset))


def models_hash() -> str:
    """The data a model's answers depend on: the corpus and the frozen weights (their SHA-256)."""
    return train.data_hash() + ";" + frozen.digests()


def char_ids(text: str):
    """``text`` as a tensor of character ids (imports torch)."""
    import torch

    return torch.from_numpy(corpus.encode(text).astype(np.int64))


@cached(data=models_hash)
def complete(
    prompt: str,
    *,
    max_new: int = 60,
    temperature: float = 0.0,
    seed: int = 0,
    top_k: int | None = None,
    preset: str = MAIN,
) -> str:
    """The prompt followed by the model's continuation of ``max_new`` characters.

    ``temperature == 0`` is greedy decoding (deterministic); otherwise characters are sampled
    from ``softmax(logits / temperature)`` with a generator seeded by ``seed``.
    """
    import torch

    gen = torch.Generator().manual_seed(seed)
    model = load_preset(preset).cpu()  # sampling on the CPU: the same generator on every machine
    out = incremental.generate(
        model, char_ids(prompt)[None], max_new, temperature=temperature, top_k=top_k, generator=gen
    )
    return prompt + corpus.decode(out[0, len(prompt) :].tolist())


@dataclass(frozen=True)
class Completions:
    """One prompt completed at several temperatures and seeds."""

    prompt: str
    rows: list[tuple[float, int, str]]  # (temperature, seed, continuation)


def completions(
    prompt: str,
    *,
    temperatures: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5),
    seeds: tuple[int, ...] = (0, 1),
    max_new: int = 60,
    preset: str = MAIN,
) -> Completions:
    """Greedy once, then each temperature above 0 with each seed."""
    rows = []
    for t in temperatures:
        for s in seeds if t > 0 else seeds[:1]:
            text = complete(prompt, max_new=max_new, temperature=t, seed=s, preset=preset)
            rows.append((t, s, text[len(prompt) :]))
    return Completions(prompt, rows)


@cached(data=models_hash)
def next_char_distribution(prompt: str, *, preset: str = MAIN) -> dict[str, float]:
    """Probability of every character of the alphabet coming next after ``prompt``.

    The values sum to 1 (a softmax over the whole alphabet).
    """
    probs = load_preset(preset).cpu().next_token_probs(char_ids(prompt)[None])[0]
    return {c: float(p) for c, p in zip(corpus.alphabet(), probs.tolist(), strict=True)}


@dataclass(frozen=True)
class NextChars:
    """The most likely next characters after a prompt."""

    prompt: str
    top: list[tuple[str, float]]  # (character, probability), most likely first
    total: float  # sum over the whole alphabet (1 up to rounding)


def next_chars(prompt: str, k: int = 8, *, preset: str = MAIN) -> NextChars:
    """The ``k`` most likely next characters after ``prompt`` (and the total probability)."""
    dist = next_char_distribution(prompt, preset=preset)
    top = sorted(dist.items(), key=lambda kv: -kv[1])[:k]
    return NextChars(prompt, top, sum(dist.values()))


@cached(data=models_hash)
def word_probabilities(
    prompt: str, words: tuple[str, ...], *, preset: str = MAIN
) -> dict[str, float]:
    """``P(word | prompt)`` for each word: the product of its characters' probabilities.

    Each word is scored character by character (the chain rule); include the leading space,
    as in ``(" blue", " car")``.
    """
    import torch
    from torch.nn import functional as F

    model = load_preset(preset).cpu()
    out = {}
    for word in words:
        ids = char_ids(prompt + word)[None, -model.cfg.block_size - 1 :]
        with torch.no_grad():
            logits, _ = model(ids[:, :-1])
        logp = F.log_softmax(logits[0, -len(word) :].float(), dim=-1)
        target = ids[0, -len(word) :]
        out[word] = math.exp(float(logp.gather(1, target[:, None]).sum()))
    return out


@dataclass(frozen=True)
class WordOdds:
    """``P(word | prompt)`` for a few candidate continuations."""

    prompt: str
    probs: dict[str, float]  # word (with its leading space) -> probability


def word_odds(prompt: str, words: tuple[str, ...], *, preset: str = MAIN) -> WordOdds:
    """The probabilities of ``words`` (two or more) continuing ``prompt``."""
    if len(words) < 2:
        raise ValueError("give at least two words to compare")
    return WordOdds(prompt, word_probabilities(prompt, words, preset=preset))


@dataclass(frozen=True)
class WordShare:
    """How many of the words the GPT generates occur in its training text."""

    share: float  # found / words
    words: int  # complete words generated
    temperatures: tuple[float, ...]
    samples: int  # continuations generated
    prompts: int  # distinct prompts
    unseen: list[str]  # the words not found, most frequent first (at most 20)


# Prompts for the word-share sample: the page's prompt and two openings in the plays' style.
WORD_PROMPTS = ("To be or not to be", "My favorite color is", "KING HENRY:\n")


@cached(data=models_hash)
def words_in_training(
    prompts: tuple[str, ...] = WORD_PROMPTS,
    temperatures: tuple[float, ...] = (0.5, 0.8, 1.0),
    samples: int = 8,
    max_new: int = 100,
    preset: str = MAIN,
) -> WordShare:
    """Sample ``samples`` continuations of each prompt at each temperature (seeded, one batch
    per prompt and temperature) and count the complete words that occur in the training text.

    A word is a run of letters and apostrophes, compared case-insensitively; the first word of
    a continuation (it may finish the prompt's last word) and its last (it may be cut off) are
    left out. Prompt and continuation fit one context window, so no character is forgotten.
    """
    import re
    from collections import Counter

    import torch

    model = load_preset(preset).cpu()
    known = set(re.findall(r"[a-z']+", corpus.text("train").lower()))
    found, total, unseen = 0, 0, Counter()
    for p, prompt in enumerate(prompts):
        for t, temperature in enumerate(temperatures):
            gen = torch.Generator().manual_seed(1000 * p + t)
            idx = char_ids(prompt)[None].repeat(samples, 1)
            out = incremental.generate(model, idx, max_new, temperature=temperature, generator=gen)
            for row in out[:, len(prompt) :].tolist():
                words = [w.strip("'") for w in re.findall(r"[a-z']+", corpus.decode(row).lower())]
                for word in filter(None, words[1:-1]):
                    total += 1
                    if word in known:
                        found += 1
                    else:
                        unseen[word] += 1
    return WordShare(
        found / max(total, 1),
        total,
        tuple(temperatures),
        len(prompts) * len(temperatures) * samples,
        len(prompts),
        [w for w, _ in unseen.most_common(20)],
    )
