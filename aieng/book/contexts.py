"""Contexts: the (context, next character) pairs the GPT trained on, and what longer context buys.

:func:`training_pairs` replays a real training batch; :func:`long_context` sets the GPT's
held-out loss at each context length beside n-gram models of each order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aieng.book.queries import MAIN, config_of, load_preset, models_hash
from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training import frozen, train


@dataclass(frozen=True)
class TrainingPairs:
    """(context, next character) pairs cut from one sequence of a real training batch."""

    step: int
    row: int
    pairs: list[tuple[str, str]]
    block_size: int = 0  # characters per row (examples per row)
    batch_size: int = 0  # rows per step
    steps: int = 0  # training steps


@cached(data=models_hash)
def training_pairs(step: int = 0, row: int = 0, n: int = 8, preset: str = MAIN) -> TrainingPairs:
    """The first ``n`` (context, next character) pairs of row ``row`` of batch ``step``.

    The batch is replayed from the preset's seed exactly as training drew it
    (:func:`aieng.training.train.training_batch`): every position of the sequence is one example
    whose label is simply the next character of the text.
    """
    cfg = config_of(preset)
    x, y = train.training_batch(cfg, step)
    text = corpus.decode(x[row].tolist())
    pairs = [(text[: t + 1], corpus.decode([int(y[row, t])])) for t in range(n)]
    return TrainingPairs(step, row, pairs, cfg.model.block_size, cfg.batch_size, cfg.max_iters)


@cached(data=models_hash)
def context_losses(preset: str = MAIN, eval_tokens: int = 262_144) -> list[float]:
    """Mean held-out loss (nats) at each position of the context window.

    Position ``t`` predicts its character from the ``t`` characters before it in the window,
    so the curve shows how much the GPT gains from longer context.
    """
    import torch
    from torch.nn import functional as F

    cfg = config_of(preset)
    model = load_preset(preset).cpu()
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
    ngrams: list  # aieng.models.ngram.NGramLoss, one per order

    def plateau(self, within: float = 0.05) -> int:
        """The shortest context after which the GPT's loss falls by less than ``within`` nats."""
        final = self.by_position[-1]
        return next(t for t, loss in enumerate(self.by_position) if loss - final < within)


def long_context(preset: str = MAIN, orders: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)):
    """The GPT's held-out loss by context length next to n-gram models of each order."""
    from aieng.models.ngram import held_out_losses

    return LongContext(
        _gpt_val(preset),
        train.num_params(config_of(preset)),
        context_losses(preset),
        held_out_losses(orders),
    )


def compute_curve(preset: str = MAIN, orders: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)):
    """The frozen GPT's held-out loss against its training compute, beside the n-grams' losses
    on the same held-out text (:class:`aieng.book.curves.ComputeCurve`)."""
    from aieng.book.curves import ComputeCurve
    from aieng.models.ngram import held_out_losses

    frozen.verify(preset)  # the curve belongs to the weights the receipt describes
    points = [(p["flops"], p["chars"], p["val_loss"]) for p in frozen.metrics(preset)["curve"]]
    return ComputeCurve(points, [(g.order, g.val_loss) for g in held_out_losses(orders)])


@cached(data=models_hash)
def _gpt_val(preset: str) -> float:
    if preset in frozen.RECIPES:
        frozen.verify(preset)
        return frozen.receipt(preset)["val_loss"]
    return train.trained(preset).val_loss
