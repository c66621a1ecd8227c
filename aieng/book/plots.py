"""SVG charts drawn at build time, readable in light and dark themes and in Korean and English.

Charts are plain SVG strings (no plotting library, no fonts to download). Axes and text use
``currentColor``, so they take the page's text colour in either theme; series colours come from
CSS variables (``--aieng-series-1`` ...) with mid-tone fallbacks that read on white and on dark
slate. Every chart carries a ``<title>`` and ``aria-label`` for screen readers.

:func:`line_chart` is the general tool; :func:`context_svg` draws a page's figure in a language
(the scaling page's figures are :mod:`aieng.book.scalingview`).

Example:
    >>> svg = line_chart([Series("a", [1, 10, 100], [3.0, 2.0, 1.5])], title="t",
    ...                  x_label="x", y_label="y", x_log=True)
    >>> svg.startswith("<svg") and "currentColor" in svg
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

from aieng.core import strings

# Mid-tone colours (Okabe-Ito based) readable on both light and dark backgrounds.
_FALLBACK_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")

WIDTH, HEIGHT = 640, 400
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 24, 40, 56


@dataclass(frozen=True)
class Series:
    """One line or set of points."""

    label: str
    xs: list[float]
    ys: list[float]
    style: str = "line"  # "line" (with markers), "points" or "dashed" (a fitted curve)
    colour: int = 0  # index into the palette
    labels: list[str] = field(default_factory=list)  # optional text next to each point


def _colour(i: int) -> str:
    return f"var(--aieng-series-{i + 1}, {_FALLBACK_COLOURS[i % len(_FALLBACK_COLOURS)]})"


def _nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 step that cuts ``span`` into about ``target`` intervals.

    Example:
        >>> _nice_step(0.5), _nice_step(7.0), _nice_step(180)
        (0.1, 2.0, 50.0)
    """
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude * 1.0001:
            return float(m * magnitude)
    return float(10 * magnitude)


def _ticks(lo: float, hi: float, log: bool) -> list[float]:
    """Tick values inside [lo, hi]: decades (1, 2, 5 within them if few) on a log axis with
    a decade or more, otherwise 1-2-5 steps.

    Example:
        >>> _ticks(3e3, 5e5, True)
        [10000.0, 100000.0]
        >>> _ticks(1.9, 2.4, True)
        [2.0, 2.2, 2.4]
    """
    if log and hi / lo >= 10:
        decades = [
            10.0**k for k in range(math.ceil(math.log10(lo)), math.floor(math.log10(hi)) + 1)
        ]
        if len(decades) >= 2:
            return decades
        extra = [
            m * 10.0**k
            for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)))
            for m in (1, 2, 5)
        ]
        return [t for t in extra if lo <= t <= hi]
    step = _nice_step(hi - lo, 4 if log else 5)
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _format(v: float) -> str:
    """Short tick label: 10⁴ style for powers of ten, else compact decimals.

    Example:
        >>> _format(1e5), _format(2.5), _format(2e6), _format(0.05)
        ('10⁵', '2.5', '2×10⁶', '0.05')
    """
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    if v > 0:
        exp = math.floor(math.log10(v) + 1e-9)
        mant = v / 10**exp
        if abs(exp) >= 4 and abs(mant - round(mant)) < 1e-6:
            m = int(round(mant))
            return f"10{str(exp).translate(sup)}" if m == 1 else f"{m}×10{str(exp).translate(sup)}"
    return f"{v:g}"


class _Axis:
    def __init__(self, values: list[float], log: bool, lo_px: float, hi_px: float, pad: float):
        lo, hi = min(values), max(values)
        if log:
            if lo <= 0:
                raise ValueError("a log axis needs positive values")
            span = math.log10(hi / lo) or 1.0
            lo, hi = lo / 10 ** (pad * span), hi * 10 ** (pad * span)
        else:
            span = (hi - lo) or 1.0
            lo, hi = lo - pad * span, hi + pad * span
        self.lo, self.hi, self.log, self.px = lo, hi, log, (lo_px, hi_px)

    def __call__(self, v: float) -> float:
        if self.log:
            f = math.log10(v / self.lo) / math.log10(self.hi / self.lo)
        else:
            f = (v - self.lo) / (self.hi - self.lo)
        return self.px[0] + f * (self.px[1] - self.px[0])


def line_chart(
    series: list[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_log: bool = False,
    y_log: bool = False,
    y_min: float | None = None,
    legend: str = "bottom-left",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """An SVG chart of ``series`` with axes, ticks, a legend and a title.

    Args:
        series: what to draw; ``style="dashed"`` for fitted curves.
        title: the chart's title, already in the page's language (as are the labels).
        x_label: the x axis label.
        y_label: the y axis label.
        x_log: a logarithmic x axis.
        y_log: a logarithmic y axis.
        y_min: force the bottom of the y range (e.g. 0 for shares).
        legend: ``"bottom-left"`` (falling curves leave it free), ``"top-left"`` (rising ones)
            or ``"top-right"``.
    """
    xs = [x for s in series for x in s.xs]
    ys = [y for s in series for y in s.ys] + ([y_min] if y_min is not None else [])
    if not xs:
        raise ValueError("nothing to plot: every series is empty")
    X = _Axis(xs, x_log, _LEFT, width - _RIGHT, 0.04)
    Y = _Axis(ys, y_log, height - _BOTTOM, _TOP, 0.06)
    if y_min is not None and not y_log:
        Y.lo = y_min
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" role="img" aria-label="{escape(title)}" '
        'font-family="inherit" font-size="13" fill="currentColor">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="600">{escape(title)}</text>',
    ]
    # axes and grid
    x0, x1, y0, y1 = _LEFT, width - _RIGHT, height - _BOTTOM, _TOP
    grid = 'stroke="currentColor" stroke-opacity="0.15"'
    for t in _ticks(X.lo, X.hi, x_log):
        px = X(t)
        out.append(f'<line x1="{px:.1f}" y1="{y0}" x2="{px:.1f}" y2="{y1}" {grid}/>')
        out.append(f'<text x="{px:.1f}" y="{y0 + 18}" text-anchor="middle">{_format(t)}</text>')
    for t in _ticks(Y.lo, Y.hi, y_log):
        py = Y(t)
        out.append(f'<line x1="{x0}" y1="{py:.1f}" x2="{x1}" y2="{py:.1f}" {grid}/>')
        out.append(f'<text x="{x0 - 8}" y="{py + 4:.1f}" text-anchor="end">{_format(t)}</text>')
    out.append(f'<path d="M{x0},{y1} V{y0} H{x1}" fill="none" stroke="currentColor"/>')
    out.append(
        f'<text x="{(x0 + x1) / 2}" y="{height - 12}" text-anchor="middle">{escape(x_label)}</text>'
    )
    out.append(
        f'<text transform="translate(16 {(y0 + y1) / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    # series
    for s in series:
        colour = _colour(s.colour)
        pts = [(X(x), Y(y)) for x, y in zip(s.xs, s.ys, strict=True)]
        if s.style in ("line", "dashed") and len(pts) > 1:
            dash = ' stroke-dasharray="6 4"' if s.style == "dashed" else ""
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(pts))
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        if s.style in ("line", "points"):
            for x, y in pts:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        for (x, y), text in zip(pts, s.labels, strict=False):
            out.append(
                f'<text x="{x + 7:.1f}" y="{y - 7:.1f}" font-size="11">{escape(text)}</text>'
            )
    # legend: one row per labelled series, in the corner the data leaves free
    entries = [s for s in series if s.label]
    widest = max((len(s.label) for s in entries), default=0) * 7 + 30  # rough text width
    lx = x1 - 12 - widest if legend == "top-right" else x0 + 12
    top = y0 - 10 - 18 * len(entries) if legend == "bottom-left" else y1 + 8
    for i, s in enumerate(entries):
        ly = top + 18 * i + 6
        colour = _colour(s.colour)
        if s.style == "points":
            out.append(f'<circle cx="{lx + 12}" cy="{ly}" r="4" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="6 4"' if s.style == "dashed" else ""
            out.append(
                f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(s.label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# The pages' figures -------------------------------------------------------------------------


def _l(lang: str, key: str) -> str:
    return strings.word("plots", key, lang)


def context_svg(losses: list[float], ngrams, lang: str = "ko") -> str:
    """The GPT's loss at each context length, with each n-gram's held-out loss at its context.

    An ``n``-gram sees ``n - 1`` characters; the unigram (no context) is left out of the log axis.
    """
    positions = list(range(1, len(losses)))
    grams = [g for g in ngrams if g.context >= 1]
    series = [
        Series(_l(lang, "gpt"), positions, losses[1:], "dashed", colour=0),
        Series(
            _l(lang, "ngram").format(n="n"),
            [g.context for g in grams],
            [g.val_loss for g in grams],
            "points",
            colour=1,
            labels=[str(g.order) for g in grams],
        ),
    ]
    return line_chart(
        series,
        legend="top-right",
        title=_l(lang, "context"),
        x_label=_l(lang, "position"),
        y_label=_l(lang, "loss"),
        x_log=True,
    )
