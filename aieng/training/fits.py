"""Power laws fitted to scaling measurements, with and without an irreducible loss.

Two forms, both fitted by least squares on log loss (so that a 1% miss counts the same at every
size):

* :func:`fit_power_law`: ``loss = A * x ** -alpha``, a straight line on log-log axes;
* :func:`fit_power_law_floor`: ``loss = E + A * x ** -alpha``, where ``E`` is the loss that no
  size reaches (the entropy of the text, plus what the model family cannot learn), as in
  Hoffmann et al. (2022). Its exponent describes only the reducible part of the loss.

:func:`fits` fits both and puts first the one the data support, by the small-sample Akaike
criterion (AICc): the floor costs a third parameter, so it is chosen only when it lowers the
squared error enough to pay for it (with 8 points, about half). R² is always that of log loss,
so the two forms' R² can be compared.

Example:
    >>> law = fit_power_law([1, 10, 100], [8.0, 4.0, 2.0])
    >>> round(law.exponent, 4), round(law.r2, 4)
    (0.301, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["PowerLaw", "fit_power_law", "fit_power_law_floor", "fits"]


@dataclass(frozen=True)
class PowerLaw:
    """``y = irreducible + coefficient * x ** -exponent``, fitted on log ``y``."""

    coefficient: float  # A
    exponent: float  # alpha (positive when y falls as x grows)
    r2: float  # coefficient of determination of log y
    n: int  # number of points fitted
    irreducible: float = 0.0  # E (0 for a plain power law)
    floor: bool = False  # whether E was fitted (three parameters) or fixed at 0 (two)
    sse: float = 0.0  # sum of squared residuals of log y

    def __call__(self, x: float) -> float:
        return self.irreducible + self.coefficient * x ** (-self.exponent)

    @property
    def aicc(self) -> float:
        """The small-sample Akaike criterion of the fit (lower is better; ``inf`` when the fit
        has too few points to be judged)."""
        k, n = 3 if self.floor else 2, self.n
        if n <= k + 1:
            return math.inf
        return n * math.log(max(self.sse, 1e-300) / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)


def _arrays(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"need at least two (x, y) pairs of equal length, got {len(x)}/{len(y)}")
    if (x <= 0).any() or (y <= 0).any():
        raise ValueError("a power law is fitted on log axes: every x and y must be positive")
    return x, y


def _r2(ly: np.ndarray, sse: float) -> float:
    spread = float(((ly - ly.mean()) ** 2).sum())
    return 1.0 - sse / spread if spread > 0 else 1.0


def fit_power_law(x: Sequence[float], y: Sequence[float]) -> PowerLaw:
    """Fit ``y = a * x ** -alpha`` by linear least squares on ``log y`` against ``log x``.

    Args:
        x: positive values (parameters, FLOPs, characters).
        y: positive values (losses).

    Raises:
        ValueError: with fewer than two points or a non-positive value.

    Example:
        >>> law = fit_power_law([1e3, 1e4, 1e5], [3 * 1e3**-0.5, 3 * 1e4**-0.5, 3 * 1e5**-0.5])
        >>> round(law.coefficient, 6), round(law.exponent, 6), round(law.r2, 6)
        (3.0, 0.5, 1.0)
    """
    x, y = _arrays(x, y)
    lx, ly = np.log(x), np.log(y)
    slope, intercept = np.polyfit(lx, ly, 1)
    sse = float(((ly - (slope * lx + intercept)) ** 2).sum())
    return PowerLaw(float(math.exp(intercept)), float(-slope), _r2(ly, sse), len(x), sse=sse)


def _sse_floor(theta: np.ndarray, lx: np.ndarray, ly: np.ndarray) -> float:
    e, a, alpha = theta
    return float(((ly - np.log(e + np.exp(a - alpha * lx))) ** 2).sum())


def fit_power_law_floor(x: Sequence[float], y: Sequence[float], *, iters: int = 200) -> PowerLaw:
    """Fit ``y = E + A * x ** -alpha`` (``0 <= E < min y``) by least squares on ``log y``.

    A grid over ``E`` (with the straight-line fit of ``log(y - E)`` for the rest) finds a
    start; Levenberg-Marquardt steps on all three then refine it.

    Raises:
        ValueError: with fewer than four points (three parameters need one point to spare) or a
            non-positive value.

    Example:
        >>> x = [1e3, 1e4, 1e5, 1e6, 1e7]
        >>> law = fit_power_law_floor(x, [1.2 + 40 * v**-0.35 for v in x])
        >>> round(law.irreducible, 4), round(law.coefficient, 3), round(law.exponent, 4)
        (1.2, 40.0, 0.35)
    """
    x, y = _arrays(x, y)
    if len(x) < 4:
        raise ValueError(
            f"a power law with a floor has three parameters: need 4 points, got {len(x)}"
        )
    lx, ly = np.log(x), np.log(y)
    top = 0.999 * float(y.min())
    best, theta = math.inf, np.zeros(3)
    for e in np.linspace(0.0, top, 200):
        slope, intercept = np.polyfit(lx, np.log(y - e), 1)
        candidate = np.array([e, intercept, -slope])
        sse = _sse_floor(candidate, lx, ly)
        if sse < best:
            best, theta = sse, candidate
    damping = 1e-3
    for _ in range(iters):
        e, a, alpha = theta
        g = np.exp(a - alpha * lx)
        s = e + g
        r = ly - np.log(s)
        J = np.stack([1 / s, g / s, -g * lx / s], axis=1)
        H = J.T @ J
        step = np.linalg.solve(H + damping * np.diag(np.diag(H) + 1e-12), J.T @ r)
        trial = theta + step
        trial[0] = min(max(trial[0], 0.0), top)
        sse = _sse_floor(trial, lx, ly)
        if sse < best:
            done = best - sse < 1e-15 * max(best, 1e-30)
            best, theta, damping = sse, trial, damping / 3
            if done:
                break
        else:
            damping *= 3
            if damping > 1e12:
                break
    e, a, alpha = (float(v) for v in theta)
    return PowerLaw(math.exp(a), alpha, _r2(ly, best), len(x), e, True, best)


def fits(x: Sequence[float], y: Sequence[float]) -> tuple[PowerLaw, ...]:
    """Both forms fitted to the same points (the floor only with 5 or more, so that AICc can
    judge it), the one with the lower AICc first.

    Example:
        >>> x = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
        >>> [f.floor for f in fits(x, [1.2 + 40 * v**-0.35 for v in x])]
        [True, False]
        >>> noise = [1.01, 0.99, 1.0, 1.01, 0.99, 1.0]  # a straight line, give or take 1%
        >>> [f.floor for f in fits(x, [40 * v**-0.05 * k for v, k in zip(x, noise)])]
        [False, True]
    """
    candidates = [fit_power_law(x, y)]
    if len(x) >= 5:
        candidates.append(fit_power_law_floor(x, y))
    return tuple(sorted(candidates, key=lambda f: (f.aicc, f.floor)))
