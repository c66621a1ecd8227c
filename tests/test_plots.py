"""SVG charts: well-formed, theme-aware (no hard-coded black), labelled in both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from aieng.book import plots, scalingview
from aieng.models.ngram import NGramLoss
from aieng.training import scaling

SVG = "{http://www.w3.org/2000/svg}"


def _point(name, params, loss, data_chars=4_000_000):
    flops = 6.0 * params * 4_096_000
    return scaling.SweepPoint(
        name=name, params=params, chars=4_096_000, data_chars=data_chars, compute=flops,
        val_loss=loss, best_val_loss=loss - 0.01,
        curve=[(2_048_000, flops / 2, loss + 0.2), (4_096_000, flops, loss)],
        steps=1000, wall_seconds=60.0, device="cpu", threads=2,
    )  # fmt: skip


def sweep():
    points = [
        _point(f"sweep-{i}", p, v)
        for i, (p, v) in enumerate([(1e4, 2.4), (1e5, 2.1), (1e6, 1.9)], 1)
    ]
    law = scaling.fits([p.params for p in points], [p.val_loss for p in points])
    frontier = [(c, v) for p in points for _, c, v in p.curve]
    return scaling.Sweep(points, law, scaling.fits(*zip(*frontier, strict=True)), frontier)


def figures(lang):
    data = scaling.DataSweep(
        [_point("sweep-data-10k", 5e4, 2.9, 10**4), _point("sweep-data-100k", 5e4, 2.3, 10**5),
         _point("sweep-50k", 5e4, 2.1, 10**6)],
        scaling.fits([1e4, 1e5, 1e6], [2.7, 2.3, 2.1]),
    )  # fmt: skip
    em = scaling.Emergence(
        10,
        61,
        3,
        [
            scaling.EmergencePoint(
                f"m{i}", 10**i, 10.0 ** (i + 6), 2.0, 2.5 - i / 10, i / 10, i / 100
            )
            for i in range(3, 7)
        ],
    )
    grams = [NGramLoss(n, n - 1, 3.3 - 0.3 * n, 10**n) for n in range(1, 6)]
    return [
        scalingview.scaling_svg(sweep(), lang),
        scalingview.scaling_svg(sweep(), lang, against="compute"),
        scalingview.data_svg(data, lang),
        scalingview.emergence_svg(em, lang),
        plots.context_svg([3.0, 2.5, 2.2, 2.0, 1.9, 1.85, 1.8, 1.78], grams, lang),
    ]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_figures_are_well_formed_and_theme_aware(lang):
    for svg in figures(lang):
        root = ET.fromstring(f"<root>{svg}</root>")
        charts = root.findall(f".//{SVG}svg")
        assert charts, "no <svg> element"
        for chart in charts:
            assert chart.get("fill") == "currentColor"
            assert chart.find(f"{SVG}title") is not None and chart.get("aria-label")
        assert not re.search(r"#000\b|#000000|\bblack\b|#fff\b|#ffffff|\bwhite\b", svg, re.I)
        assert "var(--aieng-series-" in svg


def test_labels_follow_the_language():
    ko, en = figures("ko"), figures("en")
    assert "파라미터 수" in ko[0] and "parameters" in en[0]
    assert "거듭제곱 법칙" in ko[0] and "power-law fit" in en[0]
    assert "α = " in en[0] and "R² = " in en[0]
    assert "parameters" in scalingview.scaling_svg(sweep(), "ja")  # a language being added: English
    with pytest.raises(ValueError, match="locale code"):
        scalingview.scaling_svg(sweep(), "korean")


def test_log_ticks_are_decades_or_nice_steps():
    assert plots._ticks(3e3, 5e5, True) == [1e4, 1e5]
    assert plots._ticks(1.9, 2.4, True) == [2.0, 2.2, 2.4]
    assert plots._ticks(0, 1, False) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_points_land_inside_the_plot_area():
    svg = plots.line_chart(
        [plots.Series("s", [1, 10, 100], [1.0, 2.0, 3.0])],
        title="t",
        x_label="x",
        y_label="y",
        x_log=True,
    )
    xs = [float(v) for v in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert len(xs) == 3 and xs == sorted(xs)
    assert all(plots._LEFT <= x <= plots.WIDTH - plots._RIGHT for x in xs)
