"""Asking the trained models questions: what the pages show, as plain cached results.

Every function here returns plain Python values through the result cache, so that a warm build
of the site never imports torch; on a miss it loads (or trains) the model through
:func:`aieng.train.trained`. Results that a page prints render themselves in the page's language
with ``markdown(lang)``.

* :func:`complete`: continue a prompt, greedily or by sampling at a temperature with a seed.
* :func:`next_char_distribution` and :func:`word_probabilities`: the probabilities behind it.
* :func:`fill_blank`: the masked model's candidates for a blank, next to what the GPT can say
  from the left side alone.
* :func:`training_pairs`: the (context, next character) pairs the GPT really trained on.
* :func:`context_losses`: the GPT's loss at each position of its context window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aieng import corpus, train
from aieng.cache import cached

MAIN = "main"  # the GPT preset the pages use
MLM = "mlm"  # the masked LM preset

_WORDS = {
    "ko": {
        "temperature": "온도",
        "seed": "시드",
        "completion": "완성된 텍스트",
        "greedy": "0 (greedy)",
        "char": "다음 글자",
        "prob": "확률",
        "space": "(공백)",
        "newline": "(줄바꿈)",
        "word": "단어",
        "rank": "순위",
        "mlm": "Masked LM (양쪽 문맥)",
        "gpt": "GPT (왼쪽 문맥만)",
        "context": "모델이 본 문맥",
        "target": "맞혀야 할 다음 글자",
        "of": "합계",
    },
    "en": {
        "temperature": "Temperature",
        "seed": "Seed",
        "completion": "Completed text",
        "greedy": "0 (greedy)",
        "char": "Next character",
        "prob": "Probability",
        "space": "(space)",
        "newline": "(newline)",
        "word": "Word",
        "rank": "Rank",
        "mlm": "Masked LM (both sides)",
        "gpt": "GPT (left side only)",
        "context": "Context the model saw",
        "target": "Next character to predict",
        "of": "Total",
    },
}


def _w(lang: str, key: str) -> str:
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}; use 'ko' or 'en'")
    return _WORDS[lang][key]


def _show(text: str) -> str:
    """Text for a Markdown table cell: visible newlines, escaped pipes and backticks."""
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ⏎ ")


def _visible(text: str) -> str:
    """Text for a code span in a table: spaces as ␣ and newlines as ⏎, so none is lost.

    Example:
        >>> _visible(" all\\nho")
        '␣all⏎ho'
    """
    return text.replace("|", "\\|").replace("`", "'").replace(" ", "␣").replace("\n", "⏎")


def _char_name(c: str, lang: str) -> str:
    return {" ": _w(lang, "space"), "\n": _w(lang, "newline")}.get(c, f"`{c}`")


def _model(preset: str):
    return train.load_model(train.trained(preset))


def _ids(text: str):
    import torch

    return torch.from_numpy(corpus.encode(text).astype(np.int64))


# Completion ----------------------------------------------------------------------------------


@cached(data=train.data_hash)
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
    model = _model(preset).cpu()  # sampling on the CPU: the same generator on every machine
    out = model.generate(
        _ids(prompt)[None], max_new, temperature=temperature, top_k=top_k, generator=gen
    )
    return prompt + corpus.decode(out[0, len(prompt) :].tolist())


@dataclass(frozen=True)
class Completions:
    """One prompt completed at several temperatures and seeds."""

    prompt: str
    rows: list[tuple[float, int, str]]  # (temperature, seed, continuation)

    def markdown(self, lang: str = "ko") -> str:
        """A table: temperature, seed, and the continuation after the prompt."""
        head = f"| {_w(lang, 'temperature')} | {_w(lang, 'seed')} | {_w(lang, 'completion')} |"
        lines = [head, "|---:|---:|---|"]
        for t, s, text in self.rows:
            label = _w(lang, "greedy") if t == 0 else f"{t:g}"
            seed = "–" if t == 0 else str(s)
            lines.append(f"| {label} | {seed} | **{_show(self.prompt)}**{_show(text)} |")
        return "\n".join(lines)


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


# Probabilities -------------------------------------------------------------------------------


@cached(data=train.data_hash)
def next_char_distribution(prompt: str, *, preset: str = MAIN) -> dict[str, float]:
    """Probability of every character of the alphabet coming next after ``prompt``.

    The values sum to 1 (a softmax over the whole alphabet).
    """
    probs = _model(preset).cpu().next_token_probs(_ids(prompt)[None])[0]
    return {c: float(p) for c, p in zip(corpus.alphabet(), probs.tolist(), strict=True)}


@dataclass(frozen=True)
class NextChars:
    """The most likely next characters after a prompt."""

    prompt: str
    top: list[tuple[str, float]]  # (character, probability), most likely first
    total: float  # sum over the whole alphabet (1 up to rounding)

    def markdown(self, lang: str = "ko") -> str:
        lines = [f"| {_w(lang, 'char')} | {_w(lang, 'prob')} |", "|---|---:|"]
        lines += [f"| {_char_name(c, lang)} | {p:.1%} |" for c, p in self.top]
        lines.append(f"| *{_w(lang, 'of')}: {len(corpus.alphabet())}* | *{self.total:.3f}* |")
        return "\n".join(lines)


def next_chars(prompt: str, k: int = 8, *, preset: str = MAIN) -> NextChars:
    """The ``k`` most likely next characters after ``prompt`` (and the total probability)."""
    dist = next_char_distribution(prompt, preset=preset)
    top = sorted(dist.items(), key=lambda kv: -kv[1])[:k]
    return NextChars(prompt, top, sum(dist.values()))


@cached(data=train.data_hash)
def word_probabilities(
    prompt: str, words: tuple[str, ...], *, preset: str = MAIN
) -> dict[str, float]:
    """``P(word | prompt)`` for each word: the product of its characters' probabilities.

    Each word is scored character by character (the chain rule); include the leading space,
    as in ``(" blue", " car")``.
    """
    import torch
    from torch.nn import functional as F

    model = _model(preset).cpu()
    out = {}
    for word in words:
        ids = _ids(prompt + word)[None, -model.cfg.block_size - 1 :]
        with torch.no_grad():
            logits, _ = model(ids[:, :-1])
        logp = F.log_softmax(logits[0, -len(word) :].float(), dim=-1)
        target = ids[0, -len(word) :]
        out[word] = math.exp(float(logp.gather(1, target[:, None]).sum()))
    return out


# Masked versus autoregressive ----------------------------------------------------------------


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
    scored ``log P_MLM(w | left, len(w) masks, right)`` (:func:`aieng.mlm.word_log_probs`).
    With ``length``, only words of that length compete; without it, every length does, each
    weighted by how often words of that length occur (``log P(len(w))`` is added).
    Probabilities are normalised over the candidates.

    Returns:
        ``[(word, probability), ...]``, most probable first.
    """
    from aieng.mlm import word_log_probs

    words = _candidates(candidates, length)
    prior = _length_prior(words)
    model = _model(preset).cpu()
    scores = word_log_probs(model, _ids(left), _ids(right), [_ids(w) for w in words])
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
    model = _model(preset).cpu()
    log_scores: dict[str, float] = {}
    by_length: dict[int, list[str]] = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)
    for n, group in by_length.items():
        ids = torch.stack([_ids(left + w + after) for w in group])[:, -model.cfg.block_size - 1 :]
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

    def markdown(self, lang: str = "ko") -> str:
        head = f"| {_w(lang, 'rank')} | {_w(lang, 'mlm')} | {_w(lang, 'gpt')} |"
        lines = [head, "|---:|---|---|"]
        for i, ((m, pm), (g, pg)) in enumerate(
            zip(self.masked, self.autoregressive, strict=False), 1
        ):
            lines.append(f"| {i} | {m} ({pm:.1%}) | {g} ({pg:.1%}) |")
        return "\n".join(lines)


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


# Self-supervision ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingPairs:
    """(context, next character) pairs cut from one sequence of a real training batch."""

    step: int
    row: int
    pairs: list[tuple[str, str]]

    def markdown(self, lang: str = "ko") -> str:
        lines = [f"| {_w(lang, 'context')} | {_w(lang, 'target')} |", "|---|---|"]
        lines += [f"| `{_visible(c)}` | {_char_name(t, lang)} |" for c, t in self.pairs]
        return "\n".join(lines)


@cached(data=train.data_hash)
def training_pairs(step: int = 0, row: int = 0, n: int = 8, preset: str = MAIN) -> TrainingPairs:
    """The first ``n`` (context, next character) pairs of row ``row`` of batch ``step``.

    The batch is replayed from the preset's seed exactly as training drew it
    (:func:`aieng.train.training_batch`): every position of the sequence is one example whose
    label is simply the next character of the text.
    """
    x, y = train.training_batch(train.PRESETS[preset], step)
    text = corpus.decode(x[row].tolist())
    pairs = [(text[: t + 1], corpus.decode([int(y[row, t])])) for t in range(n)]
    return TrainingPairs(step, row, pairs)


# Long context --------------------------------------------------------------------------------


@cached(data=train.data_hash)
def context_losses(preset: str = MAIN, eval_tokens: int = 65536) -> list[float]:
    """Mean held-out loss (nats) at each position of the context window.

    Position ``t`` predicts its character from the ``t`` characters before it in the window,
    so the curve shows how much the GPT gains from longer context.
    """
    import torch
    from torch.nn import functional as F

    cfg = train.PRESETS[preset]
    model = _model(preset).cpu()
    T = cfg.model.block_size
    val = corpus.encode(corpus.text("val"))
    starts = train.eval_windows(val, T, eval_tokens)
    windows = torch.from_numpy(np.stack([val[s : s + T + 1] for s in starts]).astype(np.int64))
    total = torch.zeros(T)
    with torch.no_grad():
        for chunk in windows.split(64):
            logits, _ = model(chunk[:, :-1])
            loss = F.cross_entropy(logits.float().transpose(1, 2), chunk[:, 1:], reduction="none")
            total += loss.sum(0)
    return (total / len(windows)).tolist()
