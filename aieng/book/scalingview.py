"""The scaling page's figures, tables and sentences, from the frozen sweeps' measurements.

:mod:`aieng.training.scaling` measures (a :class:`~aieng.training.scaling.Sweep`, a
:class:`~aieng.training.scaling.DataSweep`, an :class:`~aieng.training.scaling.Emergence`);
this module draws and words them in a page's language, with the words from
``aieng/data/strings.toml`` (areas ``plots`` and ``scaling``) and the charts of
:func:`aieng.book.plots.line_chart`. Every number shown is one the build measured; the
sentences say "in this run" because a retraining can move them.

Example:
    >>> from aieng.training.fits import fit_power_law
    >>> fit_label("en", fit_power_law([1, 10, 100], [8.0, 4.0, 2.0]))
    'power-law fit: α = 0.301, R² = 1.000'
"""

from __future__ import annotations

from html import escape

from aieng.book.plots import Series, line_chart
from aieng.core import strings
from aieng.training import recipes
from aieng.training.fits import PowerLaw
from aieng.training.scaling import FRONTIER_FROM, DataSweep, Emergence, Sweep, SweepPoint

__all__ = ["scaling_svg", "data_svg", "emergence_svg", "sweep_table", "data_sweep_table"]
__all__ += ["emergence_table", "sweep_sentences", "data_sentences", "emergence_sentences"]
__all__ += ["budget_sentences", "fit_label", "short_name"]


def _l(lang: str, key: str) -> str:
    return strings.word("plots", key, lang)


def _sw(lang: str, key: str) -> str:
    return strings.word("scaling", key, lang)


def short_name(name: str) -> str:
    """A model's label on a figure: ``sweep-21k`` -> ``21k``, ``sweep-data-25k`` -> ``25k``.

    Example:
        >>> short_name("sweep-21k"), short_name("sweep-data-25k"), short_name("main")
        ('21k', '25k', 'main')
    """
    return name.removeprefix("sweep-").removeprefix("data-")


def _fit_line(law: PowerLaw, lo: float, hi: float, n: int = 32) -> tuple[list, list]:
    xs = [lo * (hi / lo) ** (i / (n - 1)) for i in range(n)]
    return xs, [law(x) for x in xs]


def fit_label(lang: str, law: PowerLaw) -> str:
    """A fit's legend entry: its exponent, its irreducible loss if it has one, and R²."""
    floor = f", E = {law.irreducible:.2f}" if law.floor else ""
    return f"{_l(lang, 'fit')}: α = {law.exponent:.3f}{floor}, R² = {law.r2:.3f}"


def scaling_svg(sweep: Sweep, lang: str = "ko", *, against: str = "params") -> str:
    """Held-out loss against parameters (``against="params"``: each model's final loss) or
    against training compute (every learning curve, the frontier points fitted, the fit)."""
    if against == "params":
        xs = [p.params for p in sweep.points]
        law, key = sweep.loss_vs_params, "scaling_params"
        fx, fy = _fit_line(law, min(xs), max(xs))
        series = [
            Series(
                _l(lang, "measured"),
                xs,
                [p.val_loss for p in sweep.points],
                "points",
                labels=[short_name(p.name) for p in sweep.points],
            ),
            Series(fit_label(lang, law), fx, fy, "dashed", colour=1),
        ]
        x_label = _l(lang, "params")
    elif against == "compute":
        law, key = sweep.loss_vs_compute, "scaling_compute"
        series = [
            Series(_l(lang, "curves") if i == 0 else "", [c for _, c, _ in p.curve],
                   [v for *_, v in p.curve], "line", colour=4)
            for i, p in enumerate(sweep.points)
        ]  # fmt: skip
        cs = [c for c, _ in sweep.frontier]
        series.append(
            Series(_l(lang, "frontier"), cs, [v for _, v in sweep.frontier], "points", colour=0)
        )
        fx, fy = _fit_line(law, min(cs), max(cs))
        series.append(Series(fit_label(lang, law), fx, fy, "dashed", colour=1))
        x_label = _l(lang, "compute")
    else:
        raise ValueError(f"against must be 'params' or 'compute', got {against!r}")
    return line_chart(
        [s for s in series if s.xs],
        title=_l(lang, key),
        x_label=x_label,
        y_label=_l(lang, "loss"),
        x_log=True,
        y_log=True,
    )


def data_svg(data: DataSweep, lang: str = "ko") -> str:
    """Held-out loss against the characters of text trained on: lowest (early-stopped) and
    final, with the fit to the lowest."""
    fx, fy = _fit_line(data.fit, min(data.chars), max(data.chars))
    series = [
        Series(_l(lang, "best"), data.chars, data.best_val_loss, "line"),
        Series(_l(lang, "final"), data.chars, data.val_loss, "points", colour=2),
        Series(fit_label(lang, data.fit), fx, fy, "dashed", colour=1),
    ]
    return line_chart(
        series,
        title=_l(lang, "data"),
        x_label=_l(lang, "text_chars"),
        y_label=_l(lang, "loss"),
        x_log=True,
        y_log=True,
        legend="top-right",
    )


def emergence_svg(em: Emergence, lang: str = "ko") -> str:
    """Two charts side by side against parameters: the target characters' loss (smooth) and
    exact match beside characters ranked first (sharp)."""
    xs = [p.params for p in em.points]
    left = line_chart(
        [
            Series(
                _l(lang, "target_loss"),
                xs,
                [p.target_loss for p in em.points],
                "line",
                labels=[short_name(p.name) for p in em.points],
            )
        ],
        title=_l(lang, "target_loss"),
        x_label=_l(lang, "params"),
        y_label="nats",
        x_log=True,
        width=320,
        height=300,
    )
    right = line_chart(
        [
            Series(_l(lang, "em"), xs, [p.exact_match for p in em.points], "line", colour=1),
            Series(_l(lang, "acc"), xs, [p.char_accuracy for p in em.points], "line", colour=2),
        ],
        title=_l(lang, "em"),
        x_label=_l(lang, "params"),
        y_label=_l(lang, "share"),
        x_log=True,
        y_min=0.0,
        legend="top-left",
        width=320,
        height=300,
    )
    return (
        f'<div class="aieng-figure-row" style="display:flex;flex-wrap:wrap;gap:8px" '
        f'aria-label="{escape(_l(lang, "emergence"))}">{left}{right}</div>'
    )


# Tables ---------------------------------------------------------------------------------------


def _fit_text(lang: str, law: PowerLaw, x: str, chosen: bool = False) -> str:
    key = "fit_floor" if law.floor else "fit"
    text = _sw(lang, key).format(
        a=law.coefficient, e=law.irreducible, x=_sw(lang, x), alpha=law.exponent, r2=law.r2,
        n=law.n,
    )  # fmt: skip
    if law.floor and law.irreducible < 1e-6:
        text += _sw(lang, "floor_zero")  # the floor went to its bound: no floor in the data
    return text + (_sw(lang, "chosen") if chosen else "")


def _fit_lines(lang: str, laws: tuple[PowerLaw, ...], x: str) -> list[str]:
    return ["- " + _fit_text(lang, law, x, chosen=i == 0) for i, law in enumerate(laws)]


def _trained(lang: str, p: SweepPoint) -> str:
    minutes = p.wall_seconds / 60
    if p.device != "cpu":
        return _sw(lang, "on_gpu").format(minutes=minutes, device=p.device)
    key = "on_cpu_1" if p.threads == 1 else "on_cpu"
    return _sw(lang, key).format(minutes=minutes, threads=p.threads)


def sweep_table(r: Sweep, lang: str = "ko") -> str:
    """A table of the sweep's models (size, budget, compute, where and how long they trained,
    held-out loss), then every fit tried, the one drawn first."""
    cols = ("model", "params", "chars_read", "per_param", "compute", "trained", "loss")
    lines = ["| " + " | ".join(_sw(lang, c) for c in cols) + " |", "|---|" + "---:|" * 6]
    for p in r.points:
        lines.append(
            f"| {p.name} | {p.params:,} | {p.chars:,} | {p.chars / p.params:,.1f} "
            f"| {p.compute:.2e} | {_trained(lang, p)} | {p.val_loss:.3f} |"
        )
    note = _sw(lang, "frontier_note").format(share=FRONTIER_FROM, n=len(r.frontier))
    return "\n".join(
        [
            *lines,
            "",
            *_fit_lines(lang, r.params_fits, "x_params"),
            *_fit_lines(lang, r.compute_fits, "x_compute"),
            "",
            f"*{note}*",
        ]
    )


def data_sweep_table(r: DataSweep, lang: str = "ko") -> str:
    """A table of the data sweep: text size, passes over it, final and lowest loss; the fits."""
    cols = ("model", "chars", "passes", "final", "best")
    lines = ["| " + " | ".join(_sw(lang, c) for c in cols) + " |", "|---|" + "---:|" * 4]
    for i, p in enumerate(r.points):
        lines.append(
            f"| {p.name} | {p.data_chars:,} | {r.passes(i):.1f} | {p.val_loss:.3f} "
            f"| {p.best_val_loss:.3f} |"
        )
    return "\n".join([*lines, "", *_fit_lines(lang, r.fits, "x_chars")])


def emergence_table(r: Emergence, lang: str = "ko") -> str:
    cols = ("model", "params", "compute", "loss", "target_loss", "acc", "em")
    lines = [
        "| " + " | ".join(_sw(lang, c) for c in cols) + " |",
        "|---|" + "---:|" * (len(cols) - 1),
    ]
    for p in r.points:
        lines.append(
            f"| {p.name} | {p.params:,} | {p.compute:.2e} | {p.val_loss:.3f} "
            f"| {p.target_loss:.3f} | {p.char_accuracy:.1%} | {p.exact_match:.1%} |"
        )
    note = _sw(lang, "em_note").format(n=r.targets, context=r.context, given=r.given)
    return "\n".join([*lines, "", f"*{note}*"])


# Sentences --------------------------------------------------------------------------------------


def _form(lang: str, law: PowerLaw) -> str:
    text = _sw(lang, "form_floor" if law.floor else "form_power")
    return text.format(alpha=law.exponent, r2=law.r2, e=law.irreducible)


def sweep_sentences(r: Sweep, lang: str = "ko") -> str:
    """What this run measured: how far the loss fell over how many orders of magnitude, and
    which form of law each fit preferred, with its exponent and R²."""
    first, last = r.points[0], r.points[-1]
    return _sw(lang, "sweep_summary").format(
        l0=first.val_loss, n0=first.params, l1=last.val_loss, n1=last.params,
        orders=r.orders, by_params=_form(lang, r.loss_vs_params),
        by_compute=_form(lang, r.loss_vs_compute),
    )  # fmt: skip


def data_sentences(r: DataSweep, lang: str = "ko") -> str:
    """What this run measured: the lowest loss on all the text and on the smallest slice, and
    how far the smallest slice's final loss ended above its lowest (memorizing)."""
    small, full = r.points[0], r.points[-1]
    gap = small.val_loss - small.best_val_loss
    text = _sw(lang, "data_summary").format(
        model=full.name, params=full.params, steps=full.steps, full=full.best_val_loss,
        full_chars=full.data_chars, small=small.best_val_loss, small_chars=small.data_chars,
        passes=r.passes(0),
    )  # fmt: skip
    key = "data_memorized" if gap >= 0.01 else "data_no_gap"
    text += _sw(lang, key).format(final=small.val_loss, gap=gap)
    if len(r.points) > 2:
        near = r.points[-2]  # the largest slice: did the whole text do better?
        if full.best_val_loss > near.best_val_loss - 0.01:
            text += _sw(lang, "data_enough").format(
                chars=near.data_chars, loss=near.best_val_loss, full=full.best_val_loss,
                read=full.chars, passes=r.passes(len(r.points) - 2),
            )  # fmt: skip
    return text


def emergence_sentences(r: Emergence, lang: str = "ko") -> str:
    """How far exact match and the per-character loss move from the smallest model to the
    largest, and how much of each move the middle model (by size) has made."""
    pts = sorted(r.points, key=lambda p: p.params)
    first, mid, last = pts[0], pts[(len(pts) - 1) // 2], pts[-1]
    fell = first.target_loss - last.target_loss
    rose = last.exact_match - first.exact_match
    loss_share = (first.target_loss - mid.target_loss) / fell if fell else 1.0
    em_share = (mid.exact_match - first.exact_match) / rose if rose else 1.0
    text = _sw(lang, "em_summary").format(
        first=first.name, last=last.name, em0=first.exact_match, em1=last.exact_match,
        loss0=first.target_loss, loss1=last.target_loss,
    )  # fmt: skip
    shares = {"mid": mid.name, "loss_share": loss_share, "em_share": em_share}
    return text + _sw(lang, "em_lags" if em_share < loss_share else "em_keeps_up").format(**shares)


def budget_sentences(r: Sweep, lang: str = "ko") -> str:
    """How the sweep was trained, from its recipes and receipts: the budget rule, the largest
    model's budget, the total time and where, and what this build checked."""
    largest = r.points[-1]
    places = sorted({p.device for p in r.points})
    where = " + ".join(_sw(lang, "where_cpu") if d == "cpu" else d for d in places)
    per_step = largest.chars // largest.steps
    return _sw(lang, "budget_summary").format(
        per_param=recipes.SWEEP_CHARS_PER_PARAM, steps=recipes.SWEEP_MIN_STEPS,
        floor=recipes.SWEEP_MIN_STEPS * per_step, largest=largest.name,
        largest_per_param=largest.chars / largest.params, n=len(r.points),
        minutes=sum(p.wall_seconds for p in r.points) / 60, where=where,
    )  # fmt: skip
