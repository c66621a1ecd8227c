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
from aieng.lang import output_language

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
        "blank": "빈칸과 정답",
        "continuation": "이어지는 텍스트",
        "ratio": "가장 높은 것이 두 번째보다 {ratio:,.1f}배 더 그럴듯합니다.",
        "model": "모델",
        "sees": "보는 앞 글자 수",
        "loss": "검증 손실 (nats/글자)",
        "average": "창 전체 평균",
        "pairs_caption": (
            "학습 {step}단계 배치의 {row}번째 줄 (한 줄 {block}글자 = 학습 예제 {block}개, "
            "배치 {batch}줄 = 예제 {per_step:,}개, 전체 {steps:,}단계 = 예제 {total:,}개)"
        ),
        "mean_loss": "평균 손실 (nats)",
        "long_worse": (
            "이번 학습에서 이 작은 GPT의 검증 손실({gpt:.3f})은 가장 좋은 n-gram({order}-gram, "
            "{best:.3f})보다 높습니다."
        ),
        "long_better": (
            "이번 학습에서 이 작은 GPT의 검증 손실({gpt:.3f})은 가장 좋은 n-gram({order}-gram, "
            "{best:.3f})보다 낮습니다."
        ),
        "long_plateau": (
            "앞 글자를 {at}개 넘게 보아도 손실은 {gain:.3f} nats밖에 더 내려가지 않습니다."
        ),
        "long_more": "긴 문맥을 정말로 활용하려면 훨씬 큰 모델과 긴 학습이 필요합니다.",
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
        "blank": "Blank and answer",
        "continuation": "Continuation",
        "ratio": "The most likely is {ratio:,.1f} times as likely as the second.",
        "model": "Model",
        "sees": "Characters it sees",
        "loss": "Held-out loss (nats/char)",
        "average": "whole window",
        "pairs_caption": (
            "Row {row} of the batch of training step {step} (a row of {block} characters = "
            "{block} examples; a batch of {batch} rows = {per_step:,} examples; {steps:,} steps "
            "= {total:,} examples)"
        ),
        "mean_loss": "mean loss (nats)",
        "long_worse": (
            "In this run, this small, briefly trained GPT has a higher held-out loss ({gpt:.3f}) "
            "than the best n-gram (the {order}-gram, {best:.3f})."
        ),
        "long_better": (
            "In this run, this small, briefly trained GPT has a lower held-out loss ({gpt:.3f}) "
            "than the best n-gram (the {order}-gram, {best:.3f})."
        ),
        "long_plateau": (
            "Beyond {at} characters of context, its loss falls by only {gain:.3f} nats more."
        ),
        "long_more": "Using long context for real takes far larger models and far more training.",
    },
}


def _w(lang: str, key: str) -> str:
    return _WORDS[output_language(lang)][key]


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


@dataclass(frozen=True)
class WordOdds:
    """``P(word | prompt)`` for a few candidate continuations."""

    prompt: str
    probs: dict[str, float]  # word (with its leading space) -> probability

    def markdown(self, lang: str = "ko") -> str:
        lines = [f"| {_w(lang, 'continuation')} | {_w(lang, 'prob')} |", "|---|---:|"]
        for word, p in sorted(self.probs.items(), key=lambda kv: -kv[1]):
            lines.append(f"| **{_show(self.prompt)}**`{_visible(word)}` | {p:.2e} |")
        best, second = sorted(self.probs.values(), reverse=True)[:2]
        lines.append("")
        lines.append(_w(lang, "ratio").format(ratio=best / second))
        return "\n".join(lines)


def word_odds(prompt: str, words: tuple[str, ...], *, preset: str = MAIN) -> WordOdds:
    """The probabilities of ``words`` (two or more) continuing ``prompt``."""
    if len(words) < 2:
        raise ValueError("give at least two words to compare")
    return WordOdds(prompt, word_probabilities(prompt, words, preset=preset))


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
class CharBlanks:
    """For each letter of a text: its probability when it alone is hidden (masked LM, both
    sides visible) and when it comes next (GPT, left side only)."""

    text: str
    letters: list[tuple[int, str, float, float]]  # (position, letter, P masked LM, P GPT)

    def mean_log_loss(self) -> tuple[float, float]:
        """Mean negative log-probability of the letters (nats): (masked LM, GPT)."""
        n = len(self.letters)
        mlm = -sum(math.log(m) for _, _, m, _ in self.letters) / n
        gpt = -sum(math.log(g) for *_, g in self.letters) / n
        return mlm, gpt

    def markdown(self, lang: str = "ko") -> str:
        head = f"| {_w(lang, 'blank')} | {_w(lang, 'mlm')} | {_w(lang, 'gpt')} |"
        lines = [head, "|---|---:|---:|"]
        for i, c, m, g in self.letters:
            shown = self.text[:i] + "_" + self.text[i + 1 :]
            lines.append(f"| `{_visible(shown)}` → `{c}` | {m:.1%} | {g:.1%} |")
        mlm, gpt = self.mean_log_loss()
        lines.append(f"| *{_w(lang, 'mean_loss')}* | *{mlm:.2f}* | *{gpt:.2f}* |")
        return "\n".join(lines)


@cached(data=train.data_hash)
def char_blanks(text: str, *, mlm: str = MLM, gpt: str = MAIN) -> CharBlanks:
    """Hide each letter of ``text`` in turn and ask both models for it.

    The masked LM sees the whole text with one ``[MASK]``; the GPT sees only what precedes the
    letter (that is all an autoregressive model can use).
    """
    import torch

    ids = _ids(text)
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    masked_model, causal_model = _model(mlm).cpu(), _model(gpt).cpu()
    batch = ids.repeat(len(positions), 1)  # (n, T): one row per hidden letter
    rows = torch.arange(len(positions))
    batch[rows, positions] = masked_model.cfg.vocab_size - 1  # [MASK]
    with torch.no_grad():
        masked_logits, _ = masked_model(batch)
        causal_logits, _ = causal_model(ids[None, :-1])
    p_mlm = masked_logits[rows, positions].float().softmax(-1)[rows, ids[positions]]
    p_gpt = causal_logits[0].float().softmax(-1)[torch.tensor(positions) - 1, ids[positions]]
    letters = [
        (i, text[i], float(m), float(g))
        for i, m, g in zip(positions, p_mlm.tolist(), p_gpt.tolist(), strict=True)
    ]
    return CharBlanks(text, letters)


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
    block_size: int = 0  # characters per row (examples per row)
    batch_size: int = 0  # rows per step
    steps: int = 0  # training steps

    def markdown(self, lang: str = "ko") -> str:
        per_step = self.block_size * self.batch_size
        caption = _w(lang, "pairs_caption").format(
            step=self.step,
            row=self.row,
            block=self.block_size,
            batch=self.batch_size,
            per_step=per_step,
            steps=self.steps,
            total=per_step * self.steps,
        )
        lines = [
            f"*{caption}*",
            "",
            f"| {_w(lang, 'context')} | {_w(lang, 'target')} |",
            "|---|---|",
        ]
        lines += [f"| `{_visible(c)}` | {_char_name(t, lang)} |" for c, t in self.pairs]
        return "\n".join(lines)


@cached(data=train.data_hash)
def training_pairs(step: int = 0, row: int = 0, n: int = 8, preset: str = MAIN) -> TrainingPairs:
    """The first ``n`` (context, next character) pairs of row ``row`` of batch ``step``.

    The batch is replayed from the preset's seed exactly as training drew it
    (:func:`aieng.train.training_batch`): every position of the sequence is one example whose
    label is simply the next character of the text.
    """
    cfg = train.PRESETS[preset]
    x, y = train.training_batch(cfg, step)
    text = corpus.decode(x[row].tolist())
    pairs = [(text[: t + 1], corpus.decode([int(y[row, t])])) for t in range(n)]
    return TrainingPairs(step, row, pairs, cfg.model.block_size, cfg.batch_size, cfg.max_iters)


# Long context --------------------------------------------------------------------------------


@cached(data=train.data_hash)
def context_losses(preset: str = MAIN, eval_tokens: int = 262_144) -> list[float]:
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


@dataclass(frozen=True)
class LongContext:
    """The GPT against n-gram models on held-out text."""

    gpt_val_loss: float  # the GPT's held-out loss (nats per character)
    gpt_params: int
    by_position: list[float]  # the GPT's loss at each context length 0..block_size-1
    ngrams: list  # aieng.ngram.NGramLoss, one per order

    def markdown(self, lang: str = "ko") -> str:
        """A table: each n-gram's context and loss, then the GPT at growing context lengths."""
        head = f"| {_w(lang, 'model')} | {_w(lang, 'sees')} | {_w(lang, 'loss')} |"
        lines = [head, "|---|---:|---:|"]
        for g in self.ngrams:
            lines.append(f"| {g.order}-gram | {g.context} | {g.val_loss:.3f} |")
        T = len(self.by_position)
        edges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        for lo, hi in zip(edges, edges[1:], strict=False):
            if lo >= T:
                break
            part = self.by_position[lo : min(hi, T)]
            seen = str(lo) if len(part) == 1 else f"{lo}–{lo + len(part) - 1}"
            lines.append(f"| GPT | {seen} | {sum(part) / len(part):.3f} |")
        lines.append(f"| GPT ({_w(lang, 'average')}) | 0–{T - 1} | {self.gpt_val_loss:.3f} |")
        return "\n".join(lines)

    def plateau(self, within: float = 0.05) -> int:
        """The shortest context after which the GPT's loss falls by less than ``within`` nats."""
        final = self.by_position[-1]
        return next(t for t, loss in enumerate(self.by_position) if loss - final < within)

    def summary(self, lang: str = "ko") -> str:
        """The page's sentences about this run, written from its numbers: the GPT against the
        best n-gram, and where longer context stops helping."""
        best = min(self.ngrams, key=lambda g: g.val_loss)
        worse = self.gpt_val_loss > best.val_loss
        at = self.plateau()
        sentences = [
            _w(lang, "long_worse" if worse else "long_better").format(
                gpt=self.gpt_val_loss, order=best.order, best=best.val_loss
            ),
            _w(lang, "long_plateau").format(
                at=at, gain=self.by_position[at] - self.by_position[-1]
            ),
        ]
        if worse:
            sentences.append(_w(lang, "long_more"))
        return " ".join(sentences)

    def svg(self, lang: str = "ko") -> str:
        from aieng.plots import context_svg

        return context_svg(self.by_position, self.ngrams, lang)


def long_context(preset: str = MAIN, orders: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)):
    """The GPT's held-out loss by context length next to n-gram models of each order."""
    from aieng.ngram import held_out_losses

    return LongContext(
        _gpt_val(preset),
        train.num_params(train.PRESETS[preset]),
        context_losses(preset),
        held_out_losses(orders),
    )


@cached(data=train.data_hash)
def _gpt_val(preset: str) -> float:
    return train.trained(preset).val_loss


def page_examples() -> None:
    """Compute every model query the chapter's pages make (what a cold build evaluates).

    Keep in step with the pages' code blocks: ``python -m aieng bench train --all`` times this.
    """
    from aieng.word2vec import analogy

    completions("To be or not to be")
    next_chars("My favorite color is")
    word_odds("My favorite color is", (" blue", " car"))
    complete("What is the capital of France?\n", max_new=120)
    compare_blank("My favorite ", " is blue.", length=5)
    training_pairs(n=10)
    long_context()
    analogy("king", "man", "woman", expect=("queen",))
