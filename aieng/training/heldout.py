"""The held-out score every model of the site is compared on: nats per character of one text.

The text is the start of the held-out split (:data:`HELDOUT_CHARS` characters, the same text the
n-gram table scores, :func:`aieng.models.ngram.held_out_losses`). A GPT reads at most
``block_size`` characters, so it scores the text in overlapping windows: each window starts
half a context after the previous one and scores only the characters the previous window did
not, so every character after the first half-window is predicted from at least half a context
(the n-gram sees its ``n - 1`` characters everywhere). Every character but the first is scored
once, as in the n-gram's ``log_loss``.

The score is computed in float32 whatever the training used, so that the build can re-measure a
frozen model's score from its weights and compare it with its receipt to 1e-4 (summation order,
set by the thread count, moves it by about 1e-6).

Example:
    >>> [(s, k) for s, k in windows(10, 4)]
    [(0, 0), (2, 2), (4, 2), (5, 3)]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from aieng.text import corpus

if TYPE_CHECKING:
    from aieng.models.gpt import GPT

__all__ = ["HELDOUT_CHARS", "heldout_ids", "windows", "heldout_loss"]

HELDOUT_CHARS = 200_000  # characters of the held-out split that every model is scored on


def heldout_ids(chars: int = HELDOUT_CHARS) -> np.ndarray:
    """Character ids of the first ``chars`` characters of the held-out split."""
    return corpus.encode(corpus.text("val"))[:chars]


def windows(n: int, block_size: int) -> Iterator[tuple[int, int]]:
    """``(start, skip)`` of the windows that score ``n`` ids: window ``ids[start : start + T + 1]``
    predicts its last ``T - skip`` targets (``T`` is ``block_size``)."""
    T = block_size
    if n <= T:
        yield 0, 0
        return
    stride = max(1, T // 2)
    covered = 0  # targets ids[1 : covered + 1] are scored already
    start = 0
    while covered < n - 1:
        start = min(start, n - 1 - T)
        yield start, covered - start
        covered = start + T
        start += stride


def heldout_loss(model: GPT, ids: np.ndarray | None = None, *, batch: int = 32) -> float:
    """Mean negative log-probability (nats per character) of ``ids[1:]`` under ``model`` (float32).

    Args:
        model: a causal GPT (evaluated in eval mode, on the CPU or where it is).
        ids: the text as ids (default: :func:`heldout_ids`).
        batch: windows per forward pass.
    """
    import torch
    from torch.nn import functional as F

    ids = heldout_ids() if ids is None else ids
    T = model.cfg.block_size
    T = min(T, len(ids) - 1)
    data = torch.from_numpy(ids.astype(np.int64))
    dev = next(model.parameters()).device
    spans = list(windows(len(ids), T))
    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for i in range(0, len(spans), batch):
            chunk = spans[i : i + batch]
            starts = torch.tensor([s for s, _ in chunk])
            window = data[starts[:, None] + torch.arange(T + 1)]  # (b, T+1)
            y = window[:, 1:].clone()
            for row, (_, skip) in enumerate(chunk):
                y[row, :skip] = -100  # scored by an earlier window
            logits, _ = model(window[:, :-1].to(dev))
            loss = F.cross_entropy(
                logits.float().reshape(-1, logits.size(-1)),
                y.reshape(-1).to(dev),
                ignore_index=-100,
                reduction="sum",
            )
            total += float(loss)
            count += int((y != -100).sum())
    model.train(was_training)
    return total / max(count, 1)
