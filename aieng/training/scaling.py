"""Scaling laws measured on the plays: a model-size sweep, a data sweep and emergence.

Every model here is a frozen recipe of the scaling-sweep block of
:mod:`aieng.training.recipes`, trained once (``python -m aieng models train NAME``) and kept in
``frozen/NAME/`` with its receipt (:mod:`aieng.training.frozen`). Nothing is trained here:

* :func:`model_sweep`: the sizes of :data:`~aieng.training.recipes.SWEEP`, from 1.4 thousand
  parameters to the main GPT's 1.83 million, each at the budget
  :func:`~aieng.training.recipes.sweep_recipe` gives it (about 20 characters per parameter,
  at least 500 steps). Held-out loss is fitted against parameters (each model's final loss)
  and against training compute (the *frontier*: the lowest loss any model reached with at most
  that compute, read from the learning curves), each as a plain power law and as one with an
  irreducible loss (:mod:`aieng.training.fits` says which the data support).
* :func:`data_sweep`: one size trained for the same steps on slices of the train split; its
  lowest held-out loss on the learning curve (early stopping) against the slice's size.
* :func:`emergence`: for the same models, a per-character loss beside an exact-match metric, to
  show how a sharp-looking jump can come from the metric while the loss moves smoothly.

Each function first checks every model it reads (:func:`aieng.training.frozen.check`: its recipe
is what the current code would train; :func:`~aieng.training.frozen.verify`: its held-out loss
re-measured from the weights is its receipt's); the losses it reports are the re-measured ones.
The results go through the result cache, keyed by the frozen files. Figures are drawn by
:mod:`aieng.book.plots`.

Example:
    >>> law = fit_power_law([1, 10, 100], [8.0, 4.0, 2.0])
    >>> round(law.exponent, 4), round(law.r2, 4)
    (0.301, 1.0)
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training import frozen, recipes, train
from aieng.training.config import config_from_dict
from aieng.training.fits import PowerLaw, fit_power_law, fit_power_law_floor, fits

__all__ = ["PowerLaw", "fit_power_law", "fit_power_law_floor", "fits", "SweepPoint", "Sweep"]
__all__ += ["DataSweep", "Emergence", "EmergencePoint", "model_sweep", "data_sweep"]
__all__ += ["emergence", "pareto_frontier", "word_targets", "report", "frozen_hash"]

# The compute frontier uses each learning curve from this share of its run on: earlier points
# lie in the warm-up transient, and a point early in a long cosine schedule is worse than a run
# whose schedule ended there (Hoffmann et al., 2022, section 3.1).
FRONTIER_FROM = 0.25


def frozen_hash() -> str:
    """The data the sweeps read: the corpus and every frozen file of every recipe present."""
    h = hashlib.sha256(corpus.corpus_hash().encode())
    for name in sorted(recipes.RECIPES):
        for file in ("receipt.json", "metrics.json", "weights.safetensors"):
            path = frozen.folder(name) / file
            if path.exists():
                h.update(f"{name}/{file}={hashlib.sha256(path.read_bytes()).hexdigest()};".encode())
    return h.hexdigest()


def _checked(names: Sequence[str]) -> None:
    """Check and verify each model (raises or warns as :mod:`aieng.training.frozen` says)."""
    for name in names:
        frozen.check(name)
        frozen.verify(name)


@dataclass(frozen=True)
class SweepPoint:
    """One frozen model of a sweep, as its receipt, learning curve and weights say."""

    name: str  # recipe name
    params: int  # parameters
    chars: int  # training characters read (steps x batch x context)
    data_chars: int  # characters of training text it drew them from (the split or a slice)
    compute: float  # training FLOPs
    val_loss: float  # held-out loss of the frozen weights, re-measured by this build (nats/char)
    best_val_loss: float  # lowest held-out loss on its learning curve
    curve: list[tuple[int, float, float]]  # (characters read, FLOPs, held-out loss)
    steps: int  # optimizer steps
    wall_seconds: float  # training wall time, all segments
    device: str  # where it trained: "cpu" or the GPU's name
    threads: int  # CPU threads it used

    @property
    def flops(self) -> float:
        """Training FLOPs (the receipt's ``train_flops``; the same as :attr:`compute`)."""
        return self.compute


def _point(name: str) -> SweepPoint:
    rec = frozen.receipt(name)
    cfg = config_from_dict(rec["recipe"]["config"])
    curve = [(c["chars"], float(c["flops"]), c["val_loss"]) for c in frozen.metrics(name)["curve"]]
    val = frozen.verify(name)
    machines = [s["machine"] for s in rec["segments"]]
    return SweepPoint(
        name=name,
        params=rec["params"],
        chars=rec["train_chars"],
        data_chars=cfg.train_chars or len(corpus.text("train")),
        compute=float(rec["train_flops"]),
        val_loss=val,
        best_val_loss=min([loss for *_, loss in curve] + [val]),
        curve=curve,
        steps=cfg.max_iters,
        wall_seconds=rec["wall_seconds"],
        device=", ".join(sorted({m["device"] for m in machines})),
        threads=max(m["threads"] for m in machines),
    )


@dataclass(frozen=True)
class Sweep:
    """A model-size sweep and the power laws fitted to it (the one the data support first)."""

    points: list[SweepPoint]  # smallest first
    params_fits: tuple[PowerLaw, ...]  # final held-out loss against parameters
    compute_fits: tuple[PowerLaw, ...]  # the compute frontier
    frontier: list[tuple[float, float]]  # (FLOPs, loss) points the compute fits use

    @property
    def loss_vs_params(self) -> PowerLaw:
        return self.params_fits[0]

    @property
    def loss_vs_compute(self) -> PowerLaw:
        return self.compute_fits[0]

    @property
    def orders(self) -> float:
        """Orders of magnitude of parameters the sweep spans."""
        return math.log10(self.points[-1].params / self.points[0].params)


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


def model_sweep(names: tuple[str, ...] = ()) -> Sweep:
    """The frozen model-size sweep and its fits.

    Args:
        names: frozen recipes to use (default :data:`aieng.training.recipes.SWEEP`).
    """
    names = tuple(names or recipes.SWEEP)
    _checked(names)
    return _model_sweep(names)


@cached(data=frozen_hash)
def _model_sweep(names: tuple[str, ...]) -> Sweep:
    points = sorted((_point(n) for n in names), key=lambda p: p.params)
    by_params = fits([p.params for p in points], [p.val_loss for p in points])
    late = [
        (c, loss)
        for p in points
        for chars, c, loss in p.curve
        if chars >= FRONTIER_FROM * p.chars - 1e-9
    ]
    frontier = pareto_frontier(late)
    by_compute = fits([c for c, _ in frontier], [loss for _, loss in frontier])
    return Sweep(points, by_params, by_compute, frontier)


def report(sweep: Sweep | None = None) -> list[dict[str, Any]]:
    """The sweep as ``models report --json`` lists it: one object per model, smallest first."""
    sweep = sweep or model_sweep()
    return [
        {
            "name": p.name,
            "params": p.params,
            "train_chars": p.chars,
            "train_flops": p.compute,
            "val_loss": p.val_loss,
        }
        for p in sweep.points
    ]


@dataclass(frozen=True)
class DataSweep:
    """One model size trained for the same steps on slices of the train split."""

    points: list[SweepPoint]  # smallest slice first; the last is the whole split
    fits: tuple[PowerLaw, ...]  # lowest held-out loss against the slice's characters

    @property
    def chars(self) -> list[int]:
        return [p.data_chars for p in self.points]

    @property
    def val_loss(self) -> list[float]:
        return [p.val_loss for p in self.points]

    @property
    def best_val_loss(self) -> list[float]:
        return [p.best_val_loss for p in self.points]

    @property
    def fit(self) -> PowerLaw:
        return self.fits[0]

    def passes(self, i: int) -> float:
        """How many times model ``i`` read its slice over."""
        return self.points[i].chars / self.points[i].data_chars


def data_sweep(names: tuple[str, ...] = (), full: str = "") -> DataSweep:
    """The frozen data sweep: :data:`~aieng.training.recipes.DATA_SWEEP` and the same size on
    the whole split (:data:`~aieng.training.recipes.DATA_SWEEP_FULL`, from the model sweep)."""
    names = (*(names or recipes.DATA_SWEEP), full or recipes.DATA_SWEEP_FULL)
    _checked(names)
    return _data_sweep(names)


@cached(data=frozen_hash)
def _data_sweep(names: tuple[str, ...]) -> DataSweep:
    points = sorted((_point(n) for n in names), key=lambda p: p.data_chars)
    return DataSweep(
        points, fits([p.data_chars for p in points], [p.best_val_loss for p in points])
    )


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
    points: list[EmergencePoint]  # smallest model first


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
            full = torch.cat([x, target], 1)[:, -model.cfg.block_size - 1 :]
            logits, _ = model(full[:, :-1])
            scores = logits[:, -k:].float()  # (n, k, V): predictions of the target characters
        # Greedy decoding writes the word exactly when, letter by letter along the word, its
        # first choice is the word's next letter, and then a non-letter: one pass over the word
        # reads that off (the same predictions that the loss and the accuracy score), instead
        # of decoding k times.
        first = scores.argmax(-1)  # (n, k): the first choice after each correct prefix
        ended = ~torch.isin(first[:, -1], letters.to(dev))  # the word stops where it should
        hits += int(((first[:, :-1] == target[:, :-1]).all(1) & ended).sum())
        correct += int((first == target).sum())
        nats += float(F.cross_entropy(scores.transpose(1, 2), target, reduction="sum"))
        chars += target.numel()
    return nats / chars, correct / chars, hits / len(spans)


def emergence(
    names: tuple[str, ...] = (), n: int = 400, context: int = 125, given: int = 3
) -> Emergence:
    """Per-character loss and exact-match word completion for the frozen models ``names``.

    Args:
        names: frozen recipes (default: the model-size sweep,
            :data:`~aieng.training.recipes.SWEEP`).
        n: how many held-out words to complete.
        context: characters of context before each word.
        given: letters of each word the model is given (context + given fit the sweep's
            128-character window).
    """
    names = tuple(names or recipes.SWEEP)
    _checked(names)
    return _emergence(names, n, context, given)


@cached(data=frozen_hash)
def _emergence(names: tuple[str, ...], n: int, context: int, given: int) -> Emergence:
    spans = word_targets(n, context)
    points = []
    for name in names:
        rec = frozen.receipt(name)
        loss, acc, em = _word_completion(frozen.load_model(name), spans, context, given)
        points.append(
            EmergencePoint(
                name, rec["params"], float(rec["train_flops"]), frozen.verify(name), loss, acc, em
            )
        )
    return Emergence(len(spans), context, given, sorted(points, key=lambda p: p.params))
