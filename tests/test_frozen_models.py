"""The repository's frozen models: present, up to date, and provably made by this code.

For each recipe of :data:`aieng.training.recipes.RECIPES`:

* its receipt matches what the current code, config and corpus would train (else the message
  names the command that retrains it);
* its weights are the file the receipt describes and score what the receipt says;
* the first :data:`~aieng.training.session.FIRST_STEPS` training steps, run again now, give the
  receipt's losses within :data:`~aieng.training.frozen.REPLAY_TOLERANCE`.

Why that tolerance: the replay runs the same code on the same batches from the same initial
weights, with the thread count the run began with, so only what the machine's libraries do can
differ (another CPU's vector width, bfloat16 autocast rounding after a differently ordered sum).
We measured the replay of ``main`` against its receipt at exactly 0 with its 2 threads and at
5.7e-5 with 1 thread (a different order); the small sweep models at their high learning rates
drift by up to 7.7e-2 with a different thread count, which is why the replay uses the receipt's.
A run from another seed differs by far more than 1e-2 (tests/test_frozen.py checks that such a
replay fails). 1e-3 sits a factor of ~17 above the order-only difference.
"""

from __future__ import annotations

import pytest

from aieng.training import frozen, replay, session
from aieng.training.recipes import RECIPES

NAMES = sorted(RECIPES)


@pytest.mark.parametrize("name", NAMES)
def test_frozen_model_is_up_to_date(name):
    st = frozen.status(name)
    assert st.up_to_date, f"{name}: {'; '.join(st.stale)}; {st.retrain_hint()}"


@pytest.mark.parametrize("name", NAMES)
def test_weights_score_what_the_receipt_says(name):
    measured = frozen.verify(name)
    assert measured == pytest.approx(
        frozen.receipt(name)["val_loss"], abs=frozen.REMEASURE_TOLERANCE
    )


@pytest.mark.parametrize("name", NAMES)
def test_first_steps_replay_to_the_receipt(name):
    rec = frozen.receipt(name)
    again = replay.replay_first_steps(name)
    assert len(again) == len(rec["first_losses"]) == session.FIRST_STEPS
    worst = max(abs(a - b) for a, b in zip(again, rec["first_losses"], strict=True))
    assert worst <= frozen.REPLAY_TOLERANCE, f"{name}: first steps differ by {worst:.2e}"


def test_frozen_results_stay_small():
    total = sum(p.stat().st_size for p in frozen.FROZEN.rglob("*") if p.is_file())
    assert total <= 40 * 2**20, f"frozen/ holds {total / 2**20:.1f} MiB (limit 40)"


def test_main_beats_the_best_ngram():
    from aieng.models.ngram import held_out_losses

    best = min(g.val_loss for g in held_out_losses((1, 2, 3, 4, 5, 6, 7, 8)))
    loss = frozen.receipt("main")["val_loss"]
    assert loss < best and loss <= 1.35, f"main {loss:.4f}, best n-gram {best:.4f} nats/char"
