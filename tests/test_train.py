"""The training loop on the smallest preset: loss goes down, runs repeat exactly, cache keys."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from aieng.text import corpus
from aieng.training import train

TINY = train.PRESETS["tiny"]


pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(scope="module")
def tiny_run():
    return train.fit(TINY, name="tiny")


def test_loss_goes_down(tiny_run):
    losses = tiny_run.train_losses
    assert len(losses) == TINY.max_iters
    assert losses[0] == pytest.approx(math.log(len(corpus.alphabet())), abs=0.3)  # uniform start
    assert np.mean(losses[-10:]) < losses[0] - 1.0
    assert tiny_run.val_loss < math.log(len(corpus.alphabet())) - 1.0


def test_same_seed_same_run(tiny_run):
    again = train.fit(TINY, name="tiny")
    assert again.train_losses == tiny_run.train_losses
    assert again.val_loss == tiny_run.val_loss


def test_other_seed_other_run(tiny_run):
    other = train.fit(dataclasses.replace(TINY, seed=1, max_iters=5))
    assert other.train_losses[:5] != tiny_run.train_losses[:5]


def test_weights_round_trip(tiny_run):
    model = train.load_model(tiny_run, dev="cpu")
    assert model.num_params() == tiny_run.num_params == train.num_params(TINY)
    assert train.num_params(TINY) == train.gpt_config(TINY).num_params()  # one formula
    val = corpus.encode(corpus.text("val"))
    assert train.evaluate(model, val, TINY) == pytest.approx(tiny_run.val_loss, rel=1e-6)


def test_masked_lm_loss_goes_down():
    cfg = dataclasses.replace(TINY, kind="mlm", max_iters=40)
    run = train.fit(cfg)
    assert run.num_params == train.num_params(cfg)
    assert np.mean(run.train_losses[-8:]) < run.train_losses[0] - 0.8


def test_get_lr_warms_up_then_decays():
    # lr 1, 10 warm-up steps of 100: 0.1, 0.2, ... 1.0; then a cosine from 1.0 to 0.1
    cfg = train.TrainConfig(max_iters=100, lr=1.0, warmup_iters=10, min_lr_ratio=0.1)
    assert train.get_lr(0, cfg) == pytest.approx(0.1)
    assert train.get_lr(9, cfg) == pytest.approx(1.0)
    assert train.get_lr(55, cfg) == pytest.approx(0.55)  # halfway down: (1 + 0.1) / 2
    assert train.get_lr(100, cfg) == pytest.approx(0.1)


def test_training_batch_replays_the_data_order():
    x, y = train.training_batch(TINY, step=3)
    x2, y2 = train.training_batch(TINY, step=3)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert np.array_equal(x[:, 1:], y[:, :-1])  # the target is the next character
    text = corpus.text("train")
    row = corpus.decode(x[0]) + corpus.decode(y[0, -1:])
    assert row in text  # a real window of the training text


def test_cached_training_key_holds_config_seed_and_data(monkeypatch):
    key = train._trained.key(TINY, "tiny")
    assert key != train._trained.key(dataclasses.replace(TINY, seed=1), "tiny")
    assert key != train._trained.key(dataclasses.replace(TINY, lr=1e-3), "tiny")
    monkeypatch.setattr(train.corpus, "corpus_hash", lambda: "other plays")
    assert key != train._trained.key(TINY, "tiny")


def test_trained_results_depend_on_the_model_and_loop_code():
    """The key's code fingerprint covers the modules a trained model comes from (it replaces a
    hand-kept list of modules)."""
    from aieng.core import fingerprint

    needed = {"aieng.models.gpt", "aieng.models.mlm", "aieng.models.config", "aieng.text.corpus"}
    needed |= {"aieng.training.loop", "aieng.training.presets", "aieng.training.train"}
    assert needed <= set(fingerprint.closure(train._trained.__module__))


def test_weights_are_safetensors(tiny_run):
    """Weights are read by safetensors (tensors only), never by torch.load's unpickler."""
    from safetensors.torch import load

    state = load(tiny_run.weights)
    assert sum(t.numel() for t in state.values()) == tiny_run.num_params
    assert tiny_run.weights[8:9] == b"{"  # an 8-byte header length, then the JSON header


def test_trained_goes_through_the_cache(monkeypatch):
    calls = []
    real = train.fit
    monkeypatch.setattr(train, "fit", lambda cfg, **kw: calls.append(cfg) or real(cfg, **kw))
    cfg = dataclasses.replace(TINY, max_iters=3)
    first = train.trained(cfg)
    second = train.trained(cfg)
    assert len(calls) == 1
    assert first.val_loss == second.val_loss


def test_unknown_preset_lists_the_presets():
    with pytest.raises(KeyError, match="presets are: tiny"):
        train.trained("huge")


@pytest.mark.parametrize("argv", [["models", "train", "--list"], ["train", "--list"]])
def test_cli_lists_presets(capsys, argv):
    from aieng.__main__ import main

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "main" in out and "tiny" in out  # a frozen recipe and a build preset


def test_bench_train_reports_what_the_pages_computed(monkeypatch, isolated_cache):
    """``bench train --all`` times what the pages' blocks compute (here: one block training the
    tiny preset), in a temporary cache that it leaves behind as it found it."""
    import os

    from aieng.tools import pagecompute, trainbench

    block = pagecompute.PageBlock(
        page="x.md",
        lang="en",
        line=1,
        session=None,
        code="from aieng.training.train import trained\ntrained('tiny')",
    )
    monkeypatch.setattr(pagecompute, "executed_blocks", lambda languages: [block])
    folder = os.environ.get("AIENG_CACHE_DIR")
    report = trainbench.cold_build_report()
    assert os.environ.get("AIENG_CACHE_DIR") == folder
    assert report["blocks"] == 1 and set(report["seconds_by_page"]) == {"en/x.md"}
    assert list(report["training_loop_seconds_by_preset"]) == ["tiny"]
    assert "aieng.training.train._trained" in report["seconds_by_function"]
