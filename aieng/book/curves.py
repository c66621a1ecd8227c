"""The GPT's held-out loss against training compute, with the n-grams as horizontal lines.

The long-context section's second figure: where a Transformer that learns overtakes models that
only count. The curve is the frozen model's learning curve (:mod:`aieng.training.session`
evaluates the held-out text at steps spaced evenly in log-compute); the n-gram lines are
:func:`aieng.models.ngram.held_out_losses` on the same 200,000 held-out characters.

Example:
    >>> curve = ComputeCurve([(1e12, 1e6, 1.6), (1e14, 1e8, 1.3)], [(5, 1.5), (7, 1.4)])
    >>> [f"{v:.3g}" for v in curve.crossing()[:2]], curve.crossing()[2:]
    (['2.15e+13', '2.15e+07'], (7, 1.4))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aieng.book.plots import Series, line_chart
from aieng.core import strings

__all__ = ["ComputeCurve", "compute_svg", "compute_sentences"]


@dataclass(frozen=True)
class ComputeCurve:
    """A learning curve against compute, and the n-grams' losses on the same text."""

    points: list[tuple[float, float, float]]  # (training FLOPs, characters read, held-out loss)
    ngrams: list[tuple[int, float]]  # (order, held-out loss)

    def best_ngram(self) -> tuple[int, float]:
        return min(self.ngrams, key=lambda g: g[1])

    def crossing(self) -> tuple[float, float, int, float] | None:
        """``(flops, characters, order, loss)`` where the curve first goes below the best
        n-gram (interpolated in log-compute between two evaluations), or None if it never does."""
        order, best = self.best_ngram()
        for (f0, c0, l0), (f1, c1, l1) in zip(self.points, self.points[1:], strict=False):
            if l1 < best <= l0:
                t = (l0 - best) / (l0 - l1)
                return _between(f0, f1, t), _between(c0, c1, t), order, best
        if self.points and self.points[0][2] < best:
            f, c, _ = self.points[0]
            return f, c, order, best
        return None


def _between(a: float, b: float, t: float) -> float:
    """The point a fraction ``t`` of the way from ``a`` to ``b`` on a log scale."""
    return 10 ** (math.log10(a) + t * (math.log10(b) - math.log10(a)))


def _w(lang: str, key: str, **fields) -> str:
    return strings.word("curves", key, lang, **fields)


def compute_svg(curve: ComputeCurve, lang: str = "ko") -> str:
    """The figure: the GPT's curve (log compute) and one dashed line per n-gram order (n >= 2)."""
    xs = [p[0] for p in curve.points]
    lo, hi = min(xs), max(xs)
    series = [Series(_w(lang, "gpt"), xs, [p[2] for p in curve.points], "line", colour=0)]
    grams = [g for g in curve.ngrams if g[0] >= 2]
    for i, (order, loss) in enumerate(grams):
        series.append(
            Series(
                _w(lang, "ngram") if i == 0 else "",
                [lo, hi],
                [loss, loss],
                "dashed",
                colour=1,
                labels=["", _w(lang, "order", n=order)],
            )
        )
    return line_chart(
        series,
        legend="top-right",
        title=_w(lang, "title"),
        x_label=_w(lang, "flops"),
        y_label=_w(lang, "loss"),
        x_log=True,
    )


def compute_sentences(curve: ComputeCurve, lang: str = "ko") -> str:
    """One sentence from the numbers: where the GPT passes the best n-gram, and where it ends."""
    from aieng.book.provenance import flops_text

    order, best = curve.best_ngram()
    final = curve.points[-1][2]
    crossed = curve.crossing()
    if crossed is None:
        return _w(lang, "never", order=order, best=best, final=final)
    flops, chars, _, _ = crossed
    chars = round(chars, 1 - int(math.floor(math.log10(chars))))  # two significant digits
    return _w(
        lang, "passes", flops=flops_text(flops), chars=f"{chars:,.0f}", order=order, best=best,
        final=final,
    )  # fmt: skip
