"""Run a frozen recipe's first training steps again, to tie its weights to this code and data.

The tests compare these losses with the receipt's (``tests/test_frozen_models.py`` says why the
tolerance is :data:`aieng.training.frozen.REPLAY_TOLERANCE`).
"""

from __future__ import annotations

import math
import os
from unittest import mock

from aieng.training import session
from aieng.training.frozen import ReceiptError, _config, receipt

__all__ = ["replay_first_steps"]


def replay_first_steps(name: str, steps: int = session.FIRST_STEPS) -> list[float]:
    """The training losses of the first ``steps`` steps of ``name``'s recipe, run again now, with
    the thread count the run began with (its receipt's first segment): the thread count sets the
    summation order, and at a small model's high learning rate a different order drifts by 1e-2
    within 25 steps.

    The held-out evaluations a run makes at its curve's first steps are skipped (they would
    take 31 of the 38 s the main GPT's replay took on 2 cores): they run without gradients, in
    eval mode, on no random generator, so the training losses are the same without them, and
    the replay keeps no curve.
    """
    threads = ""
    try:
        threads = str(receipt(name)["segments"][0]["machine"]["threads"])
    except (ReceiptError, KeyError, IndexError):
        pass
    saved = os.environ.get("AIENG_THREADS")
    if threads:
        os.environ["AIENG_THREADS"] = threads
    losses: list[float] = []
    try:
        with mock.patch.object(session, "heldout_loss", _not_evaluated):
            # no checkpoint: the losses arrive step by step, and the run stops after ``steps``
            session.run(
                _config(name), stop_after=steps, progress=lambda _step, loss: losses.append(loss)
            )
    finally:
        if saved is None:
            os.environ.pop("AIENG_THREADS", None)
        else:
            os.environ["AIENG_THREADS"] = saved
    return losses


def _not_evaluated(model: object, ids: object = None, **_: object) -> float:
    """Stands in for the held-out evaluation during a replay (see :func:`replay_first_steps`)."""
    return math.nan
