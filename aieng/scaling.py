"""Scaling laws measured on the plays: a model-size sweep, a data-size sweep and emergence.

* :func:`model_sweep` trains the ``sweep-*`` presets of :mod:`aieng.train` (one data budget,
  sizes over almost two orders of magnitude of parameters) and fits power laws to held-out
  loss against parameters and against training compute.
* :func:`data_sweep` trains one size on growing slices of the training text.
* :func:`emergence` puts, for the same models, a per-character loss next to an exact-match
  metric, to show how a sharp-looking jump can come from the metric while the loss moves
  smoothly.

Every result is plain Python (through the result cache); torch is imported only to train or to
evaluate a model on a cache miss. Figures are drawn by :mod:`aieng.plots`.

Example:
    >>> law = fit_power_law([1, 10, 100], [8.0, 4.0, 2.0])
    >>> round(law.exponent, 4), round(law.r2, 4)
    (0.301, 1.0)
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aieng import corpus, train
from aieng.cache import cached
from aieng.lang import output_language

_WORDS = {
    "ko": {
        "preset": "프리셋",
        "params": "파라미터",
        "compute": "학습 연산량 (FLOPs)",
        "loss": "검증 손실 (nats/글자)",
        "chars": "학습 텍스트 (글자)",
        "final": "마지막 손실",
        "best": "최저 손실",
        "target_loss": "목표 글자 손실",
        "acc": "글자 정답률",
        "em": "단어 완성 일치율",
        "em_summary": (
            "이번 학습에서 단어 완성 일치율은 가장 작은 모델({first})의 {em0:.1%}에서 {last}의 "
            "{em1:.1%}로 올랐고, 목표 글자 손실은 {loss0:.3f}에서 {loss1:.3f}로 내려갔습니다."
        ),
        "em_lags": (
            " 연산량으로 가운데인 {mid}까지 손실은 전체 하락의 {loss_share:.0%}를 이미 내려갔지만, "
            "일치율은 전체 상승의 {em_share:.0%}만 올랐습니다."
        ),
        "em_keeps_up": (
            " 연산량으로 가운데인 {mid}까지 손실은 전체 하락의 {loss_share:.0%}, 일치율은 전체 "
            "상승의 {em_share:.0%}를 지나, 이번에는 일치율이 손실보다 늦게 오르지 않았습니다."
        ),
        "fit": "적합: 손실 ≈ {a:.3g} × {x}^−{alpha:.3f} (R² = {r2:.3f}, 점 {n}개)",
        "x_params": "파라미터",
        "x_compute": "FLOPs",
        "x_chars": "글자 수",
        "em_note": "여섯 글자 이상 단어 {n}개: 앞 문맥 {context}글자와 첫 {given}글자를 주고 "
        "나머지를 greedy로 생성",
    },
    "en": {
        "preset": "Preset",
        "params": "Parameters",
        "compute": "Training compute (FLOPs)",
        "loss": "Held-out loss (nats/char)",
        "chars": "Training text (characters)",
        "final": "Final loss",
        "best": "Lowest loss",
        "target_loss": "Target-character loss",
        "acc": "Characters ranked first",
        "em": "Words completed exactly",
        "em_summary": (
            "In this run, words completed exactly rose from {em0:.1%} for the smallest model "
            "({first}) to {em1:.1%} for {last}, while the target-character loss fell from "
            "{loss0:.3f} to {loss1:.3f}."
        ),
        "em_lags": (
            " By {mid}, the middle model by compute, the loss had already gone {loss_share:.0%} "
            "of the way down, but words completed exactly only {em_share:.0%} of the way up."
        ),
        "em_keeps_up": (
            " By {mid}, the middle model by compute, the loss had gone {loss_share:.0%} of the "
            "way down and words completed exactly {em_share:.0%} of the way up: this time the "
            "sharp metric did not lag behind the smooth one."
        ),
        "fit": "Fit: loss ≈ {a:.3g} × {x}^−{alpha:.3f} (R² = {r2:.3f}, {n} points)",
        "x_params": "parameters",
        "x_compute": "FLOPs",
        "x_chars": "characters",
        "em_note": "{n} words of six or more letters; each given {context} characters of context "
        "and its first {given} letters, the rest generated greedily",
    },
}


def _w(lang: str, key: str) -> str:
    return _WORDS[output_language(lang)][key]


def _fit_line(lang: str, law: PowerLaw, x: str) -> str:
    return _w(lang, "fit").format(
        a=law.coefficient, x=_w(lang, x), alpha=law.exponent, r2=law.r2, n=law.n
    )


@dataclass(frozen=True)
class PowerLaw:
    """``y = coefficient * x ** -exponent``, fitted by least squares on log-log axes."""

    coefficient: float  # a
    exponent: float  # alpha (positive when y falls as x grows)
    r2: float  # coefficient of determination of the fit in log-log space
    n: int  # number of points fitted

    def __call__(self, x: float) -> float:
        return self.coefficient * x ** (-self.exponent)


def fit_power_law(x: Sequence[float], y: Sequence[float]) -> PowerLaw:
    """Fit ``y = a * x ** -alpha`` by linear least squares on ``log y`` against ``log x``.

    Args:
        x: positive values (parameters, FLOPs, characters).
        y: positive values (losses).

    Raises:
        ValueError: with fewer than two points or a non-positive value.

    Example:
        >>> law = fit_power_law([1e3, 1e4, 1e5], [3 * 1e3**-0.5, 3 * 1e4**-0.5, 3 * 1e5**-0.5])
        >>> round(law.coefficient, 6), round(law.exponent, 6), round(law.r2, 6)
        (3.0, 0.5, 1.0)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"need at least two (x, y) pairs of equal length, got {len(x)}/{len(y)}")
    if (x <= 0).any() or (y <= 0).any():
        raise ValueError("a power law is fitted on log axes: every x and y must be positive")
    lx, ly = np.log(x), np.log(y)
    slope, intercept = np.polyfit(lx, ly, 1)
    residual = ly - (slope * lx + intercept)
    spread = ((ly - ly.mean()) ** 2).sum()
    r2 = 1.0 - (residual**2).sum() / spread if spread > 0 else 1.0
    return PowerLaw(float(math.exp(intercept)), float(-slope), float(r2), len(x))


@dataclass(frozen=True)
class SweepPoint:
    """One trained model of a sweep."""

    name: str  # preset name
    params: int  # parameters
    tokens: int  # training characters
    compute: float  # training FLOPs (flops_per_token * tokens)
    val_loss: float  # held-out loss at the end (nats per character)
    best_val_loss: float  # lowest held-out loss on its learning curve
    curve: list[tuple[int, float, float]]  # (characters seen, FLOPs, held-out loss)
    train_seconds: float


@dataclass(frozen=True)
class Sweep:
    """A model-size sweep and its fitted power laws."""

    points: list[SweepPoint]
    loss_vs_params: PowerLaw  # final held-out loss against parameters
    loss_vs_compute: PowerLaw  # compute-efficient frontier of the learning curves
    frontier: list[tuple[float, float]]  # (FLOPs, loss) points the compute fit uses

    def markdown(self, lang: str = "ko") -> str:
        """A table of the sweep's models, then the two fitted power laws."""
        head = (
            f"| {_w(lang, 'preset')} | {_w(lang, 'params')} | {_w(lang, 'compute')} "
            f"| {_w(lang, 'loss')} |"
        )
        lines = [head, "|---|---:|---:|---:|"]
        for p in self.points:
            lines.append(f"| {p.name} | {p.params:,} | {p.compute:.2e} | {p.val_loss:.3f} |")
        lines += [
            "",
            "- " + _fit_line(lang, self.loss_vs_params, "x_params"),
            "- " + _fit_line(lang, self.loss_vs_compute, "x_compute"),
        ]
        return "\n".join(lines)


def _point(name: str, cfg: train.TrainConfig, result: train.TrainResult) -> SweepPoint:
    per_token = train.flops_per_token(cfg)
    curve = [(tokens, float(per_token * tokens), loss) for _, tokens, loss in result.curve]
    best = min([loss for *_, loss in curve] + [result.val_loss])
    return SweepPoint(
        name,
        result.num_params,
        cfg.tokens(),
        float(per_token * cfg.tokens()),
        result.val_loss,
        best,
        curve,
        result.train_seconds,
    )


def sweep_presets() -> list[str]:
    """Names of the model-size sweep's presets, smallest first."""
    return sorted(
        (n for n in train.PRESETS if n.startswith("sweep-")),
        key=lambda n: train.num_params(train.PRESETS[n]),
    )


def pareto_frontier(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points no other point beats with less or equal compute (lowest loss so far).

    Example:
        >>> pareto_frontier([(1, 5.0), (2, 6.0), (3, 4.0), (4, 4.5)])
        [(1, 5.0), (3, 4.0)]
    """
    frontier, best = [], math.inf
    for c, loss in sorted(points):
        if loss < best:
            frontier.append((c, loss))
            best = loss
    return frontier


@cached(data=train.data_hash)
def model_sweep(names: tuple[str, ...] = ()) -> Sweep:
    """Train (or load) the sweep presets and fit loss against parameters and compute.

    Args:
        names: presets to use; by default every ``sweep-*`` preset.
    """
    names = names or tuple(sweep_presets())
    points = [_point(n, train.PRESETS[n], train.trained(n)) for n in names]
    by_params = fit_power_law([p.params for p in points], [p.val_loss for p in points])
    curves = [(c, loss) for p in points for _, c, loss in p.curve]
    frontier = pareto_frontier(curves)
    by_compute = fit_power_law([c for c, _ in frontier], [loss for _, loss in frontier])
    return Sweep(points, by_params, by_compute, frontier)


DATA_SIZES = (10_000, 40_000, 160_000, 640_000)  # characters; plus the whole train split
DATA_PRESET = "sweep-3"


@dataclass(frozen=True)
class DataSweep:
    """One model size trained on growing slices of the train split (same steps each)."""

    preset: str
    chars: list[int]  # training characters available
    val_loss: list[float]  # held-out loss at the end
    best_val_loss: list[float]  # lowest held-out loss on the learning curve (early stopping)
    fit: PowerLaw  # best_val_loss against chars

    def markdown(self, lang: str = "ko") -> str:
        head = f"| {_w(lang, 'chars')} | {_w(lang, 'final')} | {_w(lang, 'best')} |"
        lines = [head, "|---:|---:|---:|"]
        for c, last, best in zip(self.chars, self.val_loss, self.best_val_loss, strict=True):
            lines.append(f"| {c:,} | {last:.3f} | {best:.3f} |")
        lines += ["", "- " + _fit_line(lang, self.fit, "x_chars")]
        return "\n".join(lines)


@cached(data=train.data_hash)
def data_sweep(preset: str = DATA_PRESET, sizes: tuple[int, ...] = DATA_SIZES) -> DataSweep:
    """Train ``preset`` on the first ``size`` characters of the train split, for each size.

    The full split is the sweep's own run of the preset (shared through the cache).
    """
    base = train.PRESETS[preset]
    full = len(corpus.text("train"))
    chars, last, best = [], [], []
    for size in (*sizes, full):
        cfg = base if size == full else dataclasses.replace(base, train_chars=size)
        point = _point(preset, cfg, train.trained(preset if size == full else cfg))
        chars.append(size)
        last.append(point.val_loss)
        best.append(point.best_val_loss)
    return DataSweep(preset, chars, last, best, fit_power_law(chars, best))


# Emergence -----------------------------------------------------------------------------------

_WORD_TARGET = re.compile(r"(?<=[ \n])[a-z]{6,}(?=[ ,.;:!?\n])")


@dataclass(frozen=True)
class EmergencePoint:
    """One model's smooth and sharp metrics on the same held-out targets."""

    name: str
    params: int
    compute: float  # training FLOPs
    val_loss: float  # held-out loss over all characters (nats)
    target_loss: float  # mean loss of the target characters (nats per character)
    char_accuracy: float  # share of target characters the model ranks first
    exact_match: float  # share of words greedy decoding completes exactly (and then ends)


@dataclass(frozen=True)
class Emergence:
    """Word completion on held-out text: given the context and a word's first letters, write
    the rest of the word exactly and end it."""

    targets: int  # how many words
    context: int  # characters of context before the word
    given: int  # letters of the word given
    points: list[EmergencePoint]

    def markdown(self, lang: str = "ko") -> str:
        cols = ("preset", "params", "compute", "loss", "target_loss", "acc", "em")
        lines = [
            "| " + " | ".join(_w(lang, c) for c in cols) + " |",
            "|---|" + "---:|" * (len(cols) - 1),
        ]
        for p in self.points:
            lines.append(
                f"| {p.name} | {p.params:,} | {p.compute:.2e} | {p.val_loss:.3f} "
                f"| {p.target_loss:.3f} | {p.char_accuracy:.1%} | {p.exact_match:.1%} |"
            )
        note = _w(lang, "em_note").format(n=self.targets, context=self.context, given=self.given)
        lines += ["", f"*{note}*"]
        return "\n".join(lines)

    def summary(self, lang: str = "ko") -> str:
        """The page's sentence about this run, written from its numbers: how far exact match
        and the per-character loss move from the smallest model to the largest, and how much of
        each move the middle model (by compute) has made."""
        pts = sorted(self.points, key=lambda p: p.compute)
        first, mid, last = pts[0], pts[(len(pts) - 1) // 2], pts[-1]
        fell = first.target_loss - last.target_loss
        rose = last.exact_match - first.exact_match
        loss_share = (first.target_loss - mid.target_loss) / fell if fell else 1.0
        em_share = (mid.exact_match - first.exact_match) / rose if rose else 1.0
        text = _w(lang, "em_summary").format(
            first=first.name, last=last.name, em0=first.exact_match, em1=last.exact_match,
            loss0=first.target_loss, loss1=last.target_loss,
        )  # fmt: skip
        shares = {"mid": mid.name, "loss_share": loss_share, "em_share": em_share}
        return text + _w(lang, "em_lags" if em_share < loss_share else "em_keeps_up").format(
            **shares
        )


def word_targets(n: int = 400, context: int = 64, seed: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` in the held-out text of ``n`` words of six or more lower-case letters
    (``end`` includes the space or punctuation after the word), drawn with ``seed``.

    Example:
        >>> start, end = word_targets(1)[0]
        >>> word = corpus.text("val")[start:end]
        >>> word[:-1].isalpha(), len(word) >= 7
        (True, True)
    """
    val = corpus.text("val")
    spans = [(m.start(), m.end() + 1) for m in _WORD_TARGET.finditer(val) if m.start() >= context]
    rng = np.random.default_rng(seed)
    return [spans[i] for i in sorted(rng.choice(len(spans), n, replace=False))]


def _word_completion(
    model, spans: list[tuple[int, int]], context: int, given: int
) -> tuple[float, float, float]:
    """(loss per target character, share of target characters ranked first, exact-match rate)
    of ``model`` completing the words ``spans`` from ``context`` characters before each word
    and its first ``given`` letters. The targets are the remaining letters and the character
    after the word; an exact match needs every remaining letter right and then any non-letter.
    Words of one length go in one batch."""
    import torch
    from torch.nn import functional as F

    val = torch.from_numpy(corpus.encode(corpus.text("val")).astype(np.int64))
    letters = torch.tensor(train._letter_ids())
    dev = next(model.parameters()).device
    by_length: dict[int, list[int]] = {}
    for start, end in spans:
        by_length.setdefault(end - start - given, []).append(start + given)
    hits, chars, correct, nats = 0, 0, 0, 0.0
    for k, givens in sorted(by_length.items()):
        at = torch.tensor(givens)[:, None]  # (n, 1): where the model takes over
        x = val[at + torch.arange(-context - given, 0)].to(dev)  # (n, context + given)
        target = val[at + torch.arange(k)].to(dev)  # (n, k): rest of the word, then its end
        with torch.no_grad():
            out = model.generate(x, k, temperature=0)[:, -k:]  # (n, k) greedy
            full = torch.cat([x, target], 1)[:, -model.cfg.block_size - 1 :]
            logits, _ = model(full[:, :-1])
            scores = logits[:, -k:].float()  # (n, k, V): predictions of the target characters
        ended = ~torch.isin(out[:, -1], letters.to(dev))  # the word stops where it should
        hits += int(((out[:, :-1] == target[:, :-1]).all(1) & ended).sum())
        correct += int((scores.argmax(-1) == target).sum())
        nats += float(F.cross_entropy(scores.transpose(1, 2), target, reduction="sum"))
        chars += target.numel()
    return nats / chars, correct / chars, hits / len(spans)


@cached(data=train.data_hash)
def emergence(
    names: tuple[str, ...] = (), n: int = 400, context: int = 61, given: int = 3
) -> Emergence:
    """Per-character loss and exact-match word completion for the sweep's models.

    Args:
        names: presets (default: the model-size sweep, then the main GPT, which trained on
            about four times the sweep's compute).
        n: how many held-out words to complete.
        context: characters of context before each word.
        given: letters of each word the model is given (context + given fit the sweep's
            64-character window).
    """
    names = names or (*sweep_presets(), "main")
    spans = word_targets(n, context)
    points = []
    for name in names:
        cfg, result = train.PRESETS[name], train.trained(name)
        model = train.load_model(result)
        loss, acc, em = _word_completion(model, spans, context, given)
        compute = float(train.flops_per_token(cfg) * cfg.tokens())
        points.append(
            EmergencePoint(name, result.num_params, compute, result.val_loss, loss, acc, em)
        )
    return Emergence(len(spans), context, given, points)
