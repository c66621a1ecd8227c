"""Scaling-law fits (known answers on synthetic data) and the sweep machinery on tiny models."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from aieng.book.render import sentences
from aieng.training import scaling, train

pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_power_law_recovers_exact_parameters():
    """y = 5 x^-0.076 (Kaplan et al.'s exponent for parameters) sampled at 1e3..1e9."""
    x = np.logspace(3, 9, 7)
    law = scaling.fit_power_law(x, 5 * x**-0.076)
    assert law.coefficient == pytest.approx(5)
    assert law.exponent == pytest.approx(0.076)
    assert law.r2 == pytest.approx(1.0)
    assert law(1e6) == pytest.approx(5 * 1e6**-0.076)


def test_power_law_with_noise_has_r2_below_one():
    rng = np.random.default_rng(0)
    x = np.logspace(2, 6, 20)
    y = 3 * x**-0.3 * np.exp(rng.normal(0, 0.05, len(x)))
    law = scaling.fit_power_law(x, y)
    assert law.exponent == pytest.approx(0.3, abs=0.03)
    assert 0.9 < law.r2 < 1.0


def test_power_law_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        scaling.fit_power_law([1, 0], [1, 2])
    with pytest.raises(ValueError, match="two"):
        scaling.fit_power_law([1], [1])


def test_pareto_frontier_keeps_only_improvements():
    points = [(4, 1.0), (1, 3.0), (2, 3.5), (3, 2.0), (5, 1.5)]
    assert scaling.pareto_frontier(points) == [(1, 3.0), (3, 2.0), (4, 1.0)]


@pytest.fixture
def tiny_sweep(monkeypatch):
    base = dataclasses.replace(train.PRESETS["tiny"], max_iters=30, curve_points=3)
    presets = {
        "t-1": dataclasses.replace(base, model=train.ModelShape(32, 1, 1, 8)),
        "t-2": dataclasses.replace(base, model=train.ModelShape(32, 1, 2, 32)),
    }
    for name, cfg in presets.items():
        monkeypatch.setitem(train.PRESETS, name, cfg)
    return tuple(presets)


def test_model_sweep_fits_its_points(tiny_sweep):
    sweep = scaling.model_sweep(tiny_sweep)
    assert [p.name for p in sweep.points] == list(tiny_sweep)
    assert sweep.points[0].params < sweep.points[1].params
    assert all(len(p.curve) == 3 for p in sweep.points)
    assert sweep.loss_vs_params.n == 2
    assert sweep.frontier == scaling.pareto_frontier(
        [(c, v) for p in sweep.points for _, c, v in p.curve]
    )
    p = sweep.points[0]
    assert p.compute == pytest.approx(train.flops_per_token(train.PRESETS["t-1"]) * p.tokens)


def test_emergence_reports_smooth_and_exact_metrics(tiny_sweep):
    em = scaling.emergence(tiny_sweep, n=20, context=26, given=3)
    assert em.targets == 20 and em.given == 3
    for p in em.points:
        assert 0 <= p.exact_match <= 1 and 0 <= p.char_accuracy <= 1
        assert p.exact_match <= p.char_accuracy  # every exact match gets all its characters
        assert p.target_loss > 0


def test_word_targets_are_held_out_words():
    from aieng.text import corpus

    val = corpus.text("val")
    spans = scaling.word_targets(50)
    assert len(spans) == 50 == len(set(spans))
    for start, end in spans:
        word = val[start : end - 1]
        assert word.isalpha() and word.islower() and len(word) >= 6
        assert not val[end - 1].isalpha()


def test_sweep_presets_are_sorted_by_size():
    sizes = [train.num_params(train.PRESETS[n]) for n in scaling.sweep_presets()]
    assert sizes == sorted(sizes)
    assert math.log10(sizes[-1] / sizes[0]) >= 1.5


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


def test_emergence_names_one_measure_one_way() -> None:
    """Each measure has one name in the table, the figure and both pages' prose."""
    from pathlib import Path

    from aieng.book import plots
    from aieng.core import strings

    root = Path(__file__).resolve().parents[1]
    for lang in ("ko", "en"):
        page = (root / "docs" / lang / "1.1" / "scaling-laws.md").read_text("utf-8").lower()
        for key in ("target_loss", "acc", "em"):
            name = strings.word("scaling", key, lang).lower()
            assert plots._l(lang, key).lower().startswith(name), (lang, key)
            assert " ".join(name.split()) in " ".join(page.split()), (lang, name)
