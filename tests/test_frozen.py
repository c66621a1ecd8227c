"""Frozen models: a run resumes to the same weights, receipts are checked, stale models are loud.

The machinery is tested on a tiny recipe frozen into a temporary folder; the repository's own
frozen models are tested in ``test_frozen_models.py``.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from aieng.training import frozen, recipes, replay, session
from aieng.training.presets import PRESETS

TINY = dataclasses.replace(PRESETS["tiny"], max_iters=30, curve_points=3)


@pytest.fixture
def tiny_recipe(tmp_path, monkeypatch, isolated_cache):
    """Recipe ``tiny-test`` with ``frozen/`` and the checkpoints in a temporary folder."""
    monkeypatch.setattr(frozen, "FROZEN", tmp_path / "frozen")
    monkeypatch.setattr(frozen, "CHECKPOINTS", tmp_path / "checkpoints")
    monkeypatch.setitem(recipes.RECIPES, "tiny-test", TINY)
    monkeypatch.delenv("CI", raising=False)
    frozen._checked.cache_clear()
    yield "tiny-test"
    frozen._checked.cache_clear()


def test_stopped_run_resumes_to_the_same_weights(tmp_path):
    whole = session.run(TINY)
    checkpoint = tmp_path / "run.pt"
    assert session.run(TINY, checkpoint=checkpoint, checkpoint_every=10, stop_after=10) is None
    resumed = session.run(TINY, checkpoint=checkpoint, checkpoint_every=10)
    assert resumed.train_losses == whole.train_losses
    assert resumed.curve == whole.curve
    assert all((resumed.state_dict[k] == v).all() for k, v in whole.state_dict.items())
    assert [(s["from_step"], s["to_step"]) for s in resumed.segments] == [(0, 10), (10, 30)]


def test_curve_is_spaced_in_log_compute():
    steps = session.curve_steps(TINY, 3)
    assert steps == [8, 15, 30]  # a factor of about 2 apart, ending at the last step
    assert session.curve_steps(TINY, 0) == []


def test_train_writes_a_receipt_that_verifies(tiny_recipe):
    rec = frozen.train(tiny_recipe)
    folder = frozen.folder(tiny_recipe)
    assert sorted(p.name for p in folder.iterdir()) == [
        "metrics.json",
        "receipt.json",
        "weights.safetensors",
    ]
    assert rec == frozen.receipt(tiny_recipe)
    assert rec["recipe"] == frozen.recipe(tiny_recipe)
    assert (
        rec["train_flops"]
        == TINY.tokens()
        * frozen.config_from_dict(rec["recipe"]["config"]).model.gpt(80).flops_per_token()
    )
    assert len(rec["first_losses"]) == session.FIRST_STEPS
    assert rec["segments"][0]["machine"]["device"] == "cpu"
    assert frozen.status(tiny_recipe).up_to_date
    assert frozen.verify(tiny_recipe) == pytest.approx(rec["val_loss"], abs=1e-4)
    assert len(frozen.metrics(tiny_recipe)["train_losses"]) == TINY.max_iters
    model = frozen.load_model(tiny_recipe)
    assert model.num_params() == rec["params"]


def test_first_steps_replay_within_tolerance(tiny_recipe):
    rec = frozen.train(tiny_recipe)
    again = replay.replay_first_steps(tiny_recipe)
    assert again == pytest.approx(rec["first_losses"], abs=frozen.REPLAY_TOLERANCE)
    # and the check can fail: another seed's first steps are far outside the tolerance
    other = dataclasses.replace(TINY, seed=1)
    recipes.RECIPES[tiny_recipe] = other
    moved = replay.replay_first_steps(tiny_recipe)
    worst = max(abs(a - b) for a, b in zip(moved, rec["first_losses"], strict=True))
    assert worst > 10 * frozen.REPLAY_TOLERANCE


def test_a_changed_recipe_is_stale_and_fails_under_ci(tiny_recipe, monkeypatch, caplog):
    frozen.train(tiny_recipe)
    recipes.RECIPES[tiny_recipe] = dataclasses.replace(TINY, lr=TINY.lr * 2)
    st = frozen.status(tiny_recipe)
    assert st.stale == ("its config in aieng/training/recipes.py changed",)
    assert f"python -m aieng models train {tiny_recipe}" in st.retrain_hint()
    frozen.check(tiny_recipe)  # on a developer's machine: a warning naming the model and command
    assert "out of date" in caplog.text and tiny_recipe in caplog.text
    monkeypatch.setenv("CI", "true")
    with pytest.raises(frozen.StaleModelError, match=f"models train {tiny_recipe}"):
        frozen.check(tiny_recipe)


def test_changed_code_or_corpus_is_stale(tiny_recipe, monkeypatch):
    frozen.train(tiny_recipe)
    monkeypatch.setattr(frozen, "code_fingerprint", lambda: "0" * 64)
    assert frozen.status(tiny_recipe).stale == (
        "the training code changed (aieng.training.session or a module it imports)",
    )
    monkeypatch.setattr(frozen.corpus, "corpus_hash", lambda: "1" * 64)
    assert "the corpus changed" in frozen.status(tiny_recipe).stale


def test_a_tampered_receipt_or_weights_file_fails(tiny_recipe):
    frozen.train(tiny_recipe)
    path = frozen.folder(tiny_recipe) / "receipt.json"
    rec = json.loads(path.read_text())
    rec["val_loss"] -= 0.01  # a better score than the weights give
    path.write_text(json.dumps(rec))
    with pytest.raises(frozen.ReceiptError, match="scores .* its receipt says"):
        frozen.verify(tiny_recipe)
    weights = frozen.folder(tiny_recipe) / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:-2] + b"\x00\x3c")
    with pytest.raises(frozen.ReceiptError, match="not the file its receipt describes"):
        frozen.verify(tiny_recipe)


def test_missing_model_says_how_to_make_it(tiny_recipe):
    with pytest.raises(frozen.ReceiptError, match="python -m aieng models train tiny-test"):
        frozen.status(tiny_recipe)


def test_run_begun_under_other_code_is_not_frozen(tiny_recipe):
    frozen.CHECKPOINTS.mkdir(parents=True)
    assert (
        session.run(
            TINY, checkpoint=frozen.CHECKPOINTS / "tiny-test.pt", checkpoint_every=10, stop_after=10
        )
        is None
    )
    (frozen.CHECKPOINTS / "tiny-test.recipe.json").write_text(
        json.dumps({"recipe": {**frozen.recipe(tiny_recipe), "code_fingerprint": "0" * 64}})
    )
    with pytest.raises(frozen.ReceiptError, match="--fresh"):
        frozen.train(tiny_recipe)
    assert not frozen.folder(tiny_recipe).exists()
    frozen.train(tiny_recipe, fresh=True)
    assert frozen.status(tiny_recipe).up_to_date
