"""Scaling: the fits (known answers on synthetic data), the sweeps read from frozen models (tiny
recipes frozen into a temporary folder), and the repository's own sweep recipes and results."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from aieng.book.render import sentences
from aieng.training import frozen, recipes, scaling
from aieng.training.config import ModelShape, num_params
from aieng.training.presets import PRESETS

# --- fits ------------------------------------------------------------------------------------


def test_power_law_recovers_exact_parameters():
    """y = 5 x^-0.076 (Kaplan et al.'s exponent for parameters) sampled at 1e3..1e9."""
    x = np.logspace(3, 9, 7)
    law = scaling.fit_power_law(x, 5 * x**-0.076)
    assert law.coefficient == pytest.approx(5)
    assert law.exponent == pytest.approx(0.076)
    assert law.r2 == pytest.approx(1.0)
    assert law(1e6) == pytest.approx(5 * 1e6**-0.076)
    assert not law.floor and law.irreducible == 0


def test_power_law_with_noise_has_r2_below_one():
    rng = np.random.default_rng(0)
    x = np.logspace(2, 6, 20)
    y = 3 * x**-0.3 * np.exp(rng.normal(0, 0.05, len(x)))
    law = scaling.fit_power_law(x, y)
    assert law.exponent == pytest.approx(0.3, abs=0.03)
    assert 0.9 < law.r2 < 1.0


def test_power_law_with_a_floor_recovers_it_under_noise():
    """Hoffmann et al.'s form E + A N^-alpha (their E = 1.69, alpha = 0.34), 1% noise."""
    rng = np.random.default_rng(1)
    x = np.logspace(3, 7, 8)
    y = (1.69 + 406 * x**-0.34) * np.exp(rng.normal(0, 0.01, len(x)))
    law = scaling.fit_power_law_floor(x, y)
    assert law.floor and law.irreducible == pytest.approx(1.69, abs=0.15)
    assert law.exponent == pytest.approx(0.34, abs=0.05)
    plain = scaling.fit_power_law(x, y)
    assert law.r2 > plain.r2  # a straight line cannot bend towards the floor
    best = scaling.fits(x, y)
    assert best[0].floor and best[0].aicc < best[1].aicc


def test_the_floor_must_pay_for_its_parameter():
    """On a straight line with noise the third parameter buys almost nothing: AICc keeps the
    plain law first, though the floor's R² is never lower."""
    rng = np.random.default_rng(2)
    x = np.logspace(3, 7, 8)
    y = 4 * x**-0.06 * np.exp(rng.normal(0, 0.01, len(x)))
    plain, floor = scaling.fits(x, y)
    assert not plain.floor and floor.floor
    assert floor.r2 >= plain.r2 - 1e-9
    assert scaling.fits(x[:4], y[:4])[0].n == 4 and len(scaling.fits(x[:4], y[:4])) == 1


def test_power_law_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        scaling.fit_power_law([1, 0], [1, 2])
    with pytest.raises(ValueError, match="two"):
        scaling.fit_power_law([1], [1])
    with pytest.raises(ValueError, match="4 points"):
        scaling.fit_power_law_floor([1, 2, 3], [3, 2, 1])


def test_pareto_frontier_keeps_only_improvements():
    points = [(4, 1.0), (1, 3.0), (2, 3.5), (3, 2.0), (5, 1.5)]
    assert scaling.pareto_frontier(points) == [(1, 3.0), (3, 2.0), (4, 1.0)]


# --- the sweeps, from tiny frozen models -----------------------------------------------------

_BASE = dataclasses.replace(PRESETS["tiny"], max_iters=30, curve_points=4)
TINY = {
    "t-sweep-a": dataclasses.replace(_BASE, model=ModelShape(32, 1, 1, 8)),
    "t-sweep-b": dataclasses.replace(_BASE, model=ModelShape(32, 1, 2, 16)),
    "t-sweep-c": dataclasses.replace(_BASE, model=ModelShape(32, 1, 2, 32)),
    "t-data-2k": dataclasses.replace(_BASE, model=ModelShape(32, 1, 2, 32), train_chars=2000),
    "t-data-20k": dataclasses.replace(_BASE, model=ModelShape(32, 1, 2, 32), train_chars=20000),
}
SIZES, DATA = ("t-sweep-a", "t-sweep-b", "t-sweep-c"), ("t-data-2k", "t-data-20k")


def _install(mp: pytest.MonkeyPatch, folder) -> None:
    mp.setattr(frozen, "FROZEN", folder / "frozen")
    mp.setattr(frozen, "CHECKPOINTS", folder / "checkpoints")
    for name, cfg in TINY.items():
        mp.setitem(recipes.RECIPES, name, cfg)
    mp.delenv("CI", raising=False)
    frozen._checked.cache_clear()


@pytest.fixture(scope="module")
def _trained(tmp_path_factory):
    """The tiny recipes, trained and frozen once for this module."""
    folder = tmp_path_factory.mktemp("scaling")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIENG_CACHE_DIR", str(folder / "cache"))
        _install(mp, folder)
        for name in TINY:
            frozen.train(name)
    frozen._checked.cache_clear()
    return folder


@pytest.fixture
def tiny(_trained, monkeypatch, isolated_cache):
    _install(monkeypatch, _trained)
    yield
    frozen._checked.cache_clear()


@pytest.mark.usefixtures("tiny")
def test_model_sweep_reads_the_frozen_results():
    sweep = scaling.model_sweep(SIZES[::-1])
    assert [p.name for p in sweep.points] == list(SIZES)  # smallest first, whatever the order
    for p in sweep.points:
        rec = frozen.receipt(p.name)
        assert p.params == rec["params"] == num_params(TINY[p.name])
        assert p.val_loss == pytest.approx(rec["val_loss"], abs=frozen.REMEASURE_TOLERANCE)
        assert p.compute == rec["train_flops"] and p.chars == TINY[p.name].tokens()
        assert len(p.curve) == 4 and p.curve[-1][0] == p.chars
        assert p.best_val_loss <= p.val_loss and p.device == "cpu" and p.threads >= 1
    assert sweep.loss_vs_params is sweep.params_fits[0] and sweep.loss_vs_params.n == 3
    late = [
        (c, v) for p in sweep.points for n, c, v in p.curve if n >= scaling.FRONTIER_FROM * p.chars
    ]
    assert sweep.frontier == scaling.pareto_frontier(late)
    assert sweep.orders == pytest.approx(
        math.log10(sweep.points[-1].params / sweep.points[0].params)
    )
    rows = scaling.report(sweep)
    assert [r["params"] for r in rows] == [p.params for p in sweep.points]
    assert set(rows[0]) == {"name", "params", "train_chars", "train_flops", "val_loss"}
    json.dumps(rows)  # the report is plain JSON


@pytest.mark.usefixtures("tiny")
def test_data_sweep_orders_slices_and_counts_passes():
    data = scaling.data_sweep(DATA, full="t-sweep-c")
    assert data.chars[:2] == [2000, 20000] and data.chars[-1] > 4_000_000
    assert data.points[-1].name == "t-sweep-c"
    assert data.passes(0) == pytest.approx(_BASE.tokens() / 2000)
    assert data.fit is data.fits[0] and data.fit.n == 3
    assert data.best_val_loss == [p.best_val_loss for p in data.points]


@pytest.mark.usefixtures("tiny")
def test_emergence_reports_smooth_and_exact_metrics():
    em = scaling.emergence(SIZES, n=20, context=26, given=3)
    assert em.targets == 20 and em.given == 3
    assert [p.name for p in em.points] == list(SIZES)
    for p in em.points:
        assert 0 <= p.exact_match <= 1 and 0 <= p.char_accuracy <= 1
        assert p.exact_match <= p.char_accuracy  # every exact match gets all its characters
        assert p.target_loss > 0


def test_exact_match_is_what_greedy_decoding_writes():
    """The exact-match rate, read off one pass over each word, equals decoding the rest of the
    word greedily, one character at a time, when context and word fit the model's window."""
    import torch

    from aieng.text import corpus

    model = frozen.load_model("sweep-471k")
    context, given = 40, 3
    spans = scaling.word_targets(200, context)
    _, _, rate = scaling._word_completion(model, spans, context, given)
    val = torch.from_numpy(corpus.encode(corpus.text("val")).astype(np.int64))
    alphabet = corpus.alphabet()
    hits = 0
    for start, end in spans:
        assert end - start + context <= model.cfg.block_size  # nothing is cut off
        k = end - start - given  # the rest of the word, then the character after it
        x = val[start - context : start + given][None]
        with torch.no_grad():
            out = model.generate(x, k, temperature=0)[0, -k:]
        word = corpus.text("val")[start + given : end - 1]
        last = alphabet[out[-1]]
        hits += corpus.decode(out[:-1].tolist()) == word and not (last.isalpha() or last == "'")
    assert hits > 10  # the check has matches to compare
    assert rate == hits / len(spans)


@pytest.mark.usefixtures("tiny")
def test_a_stale_sweep_model_fails_under_ci(monkeypatch):
    recipes.RECIPES["t-sweep-b"] = dataclasses.replace(TINY["t-sweep-b"], lr=1e-2)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(frozen.StaleModelError, match="models train t-sweep-b"):
        scaling.model_sweep(SIZES)


def test_word_targets_are_held_out_words():
    from aieng.text import corpus

    val = corpus.text("val")
    spans = scaling.word_targets(50)
    assert len(spans) == 50 == len(set(spans))
    for start, end in spans:
        word = val[start : end - 1]
        assert word.isalpha() and word.islower() and len(word) >= 6
        assert not val[end - 1].isalpha()


# --- the repository's sweep ----------------------------------------------------------------------


def test_sweep_spans_three_orders_of_magnitude_at_compute_appropriate_budgets():
    """Each size reads about 20 characters per parameter (at least 500 steps); the main GPT is
    the largest, in the same family, within 15% of the rule's budget."""
    sizes = [num_params(recipes.RECIPES[n]) for n in recipes.SWEEP]
    assert sizes == sorted(sizes) and recipes.SWEEP[-1] == "main"
    assert math.log10(sizes[-1] / sizes[0]) >= 3
    main = recipes.RECIPES["main"]
    for name, n in zip(recipes.SWEEP, sizes, strict=True):
        cfg = recipes.RECIPES[name]
        rule = recipes.sweep_recipe(cfg.model.n_layer, cfg.model.n_embd)
        per_param = cfg.tokens() / n
        if name == "main":
            assert rule.model == cfg.model and rule.lr == cfg.lr
            assert 1 <= cfg.tokens() / rule.tokens() <= 1.15
        else:
            assert cfg == rule
            assert cfg.max_iters == recipes.SWEEP_MIN_STEPS or 20 <= per_param < 20.1
        for field in ("batch_size", "min_lr_ratio", "weight_decay", "bf16", "seed", "kind"):
            assert getattr(cfg, field) == getattr(main, field), (name, field)
        assert cfg.model.block_size == main.model.block_size
    for name in recipes.DATA_SWEEP:  # one size, the same steps, less text
        cfg = recipes.RECIPES[name]
        full = recipes.RECIPES[recipes.DATA_SWEEP_FULL]
        assert dataclasses.replace(cfg, train_chars=0) == full and 0 < cfg.train_chars


def test_the_sweep_is_frozen_and_small():
    names = [n for n in (*recipes.SWEEP, *recipes.DATA_SWEEP) if n != "main"]
    total = 0
    for name in names:
        rec = frozen.receipt(name)
        assert rec["params"] == num_params(recipes.RECIPES[name])
        total += sum(f.stat().st_size for f in frozen.folder(name).iterdir())
    assert total < 8 * 2**20  # of the 40 MB all frozen results may take


# --- sentences -------------------------------------------------------------------------------


def _emergence(ems: list[float], losses: list[float]):
    from aieng.training.scaling import Emergence, EmergencePoint

    points = [
        EmergencePoint(f"sweep-m{i}", 1000 * (i + 1), 10.0**i, 2.0, loss, 0.5, em)
        for i, (em, loss) in enumerate(zip(ems, losses, strict=True))
    ]
    return Emergence(400, 61, 3, points)


def test_emergence_summary_is_written_from_the_numbers() -> None:
    """Exact match that stays low until the largest model: the sentence says it lags, with the
    run's own figures (the middle of 5 models is the third: loss 3.0 -> 2.0 of 3.0 -> 1.0 is 50%
    of the fall; exact match 0.00 -> 0.01 of 0.00 -> 0.40 is 2% of the rise)."""
    em = _emergence([0.0, 0.0, 0.01, 0.05, 0.40], [3.0, 2.5, 2.0, 1.5, 1.0])
    en = sentences(em, "en")
    assert en.startswith("In this run, words completed exactly rose from 0.0% for the smallest")
    assert "(sweep-m0) to 40.0% for sweep-m4" in en and "from 3.000 to 1.000" in en
    assert "By sweep-m2" in en and "50% of the way down" in en and "only 2% of the way up" in en
    assert "가장 작은 모델(sweep-m0)의 0.0%에서 sweep-m4의 40.0%로" in sentences(em, "ko")


def test_emergence_summary_says_when_exact_match_keeps_up() -> None:
    em = _emergence([0.0, 0.2, 0.3], [3.0, 2.5, 1.0])
    assert "did not lag behind" in sentences(em, "en")
    assert "늦게 오르지 않았습니다" in sentences(em, "ko")


def _point(name, params, loss, best, data_chars=4_000_000):
    flops = 6.0 * params * 2_048_000
    return scaling.SweepPoint(
        name=name, params=params, chars=2_048_000, data_chars=data_chars, compute=flops,
        val_loss=loss, best_val_loss=best,
        curve=[(1_024_000, flops / 2, loss + 0.1), (2_048_000, flops, loss)],
        steps=500, wall_seconds=60.0, device="cpu", threads=1,
    )  # fmt: skip


def test_sweep_and_data_summaries_are_written_from_the_numbers() -> None:
    pts = [_point(f"sweep-{i}", 10**i, 3.0 - 0.3 * i, 3.0 - 0.3 * i) for i in range(3, 7)]
    law = scaling.fits([p.params for p in pts], [p.val_loss for p in pts])
    sweep = scaling.Sweep(pts, law, law, [(p.compute, p.val_loss) for p in pts])
    en = sentences(sweep, "en")
    assert en.startswith("In this run, the held-out loss fell from 2.100 nats/char")
    assert "(1,000 parameters) to 1.200 for the largest (1,000,000)" in en
    assert "across 3.0 orders of magnitude" in en and f"α = {law[0].exponent:.3f}" in en
    assert "파라미터로 3.0자릿수" in sentences(sweep, "ko")
    from aieng.book.scalingview import budget_sentences

    said = budget_sentences(sweep, "en")
    assert "for about 20 characters per parameter but at least 1,000 steps (4,096,000" in said
    assert "the largest, sweep-6, read 2.0 characters per parameter" in said
    assert "Training all 4 took 4 minutes on a CPU." in said
    assert "최소 1,000스텝(4,096,000글자)" in budget_sentences(sweep, "ko")
    small = _point("sweep-data-2k", 10**5, 2.9, 2.5, data_chars=2000)
    full = _point("sweep-97k", 10**5, 2.2, 2.2)
    data = scaling.DataSweep([small, full], (scaling.fit_power_law([2000, 4e6], [2.5, 2.2]),))
    en = sentences(data, "en")
    assert "2.500 on its first 2,000 characters alone, which it read 1024 times over" in en
    assert "final loss there was 2.900, 0.400 above its lowest" in en
    assert "1024번 되풀이해" in sentences(data, "ko")


def test_emergence_names_one_measure_one_way() -> None:
    """Each measure has one name in the table, the figure and both pages' prose."""
    from pathlib import Path

    from aieng.book import scalingview
    from aieng.core import strings

    root = Path(__file__).resolve().parents[1]
    for lang in ("ko", "en"):
        page = (root / "docs" / lang / "1.1" / "scaling-laws.md").read_text("utf-8").lower()
        for key in ("target_loss", "acc", "em"):
            name = strings.word("scaling", key, lang).lower()
            assert scalingview._l(lang, key).lower().startswith(name), (lang, key)
            assert " ".join(name.split()) in " ".join(page.split()), (lang, name)
