"""The Dancing Men and Shannon on the site's pages: letter counts and entropies of two texts.

Holmes's reasoning and Shannon's measurements (:mod:`aieng.text.shannon`) applied to the two
English texts the page compares: this site's English chapter (:mod:`aieng.book.prose`) and
Shakespeare's plays (:mod:`aieng.text.corpus`). :func:`analyse` is the cached query; the charts
and the table render its results in the page's language.

Example:
    >>> analyse("shakespeare").letters.most_common
    'e'
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aieng.core.cache import cached
from aieng.core.lang import output_language
from aieng.core.strings import words
from aieng.text.shannon import (
    LETTERS,
    Entropy,
    LetterStats,
    entropy_profile,
    letter_stats,
)

__all__ = [
    "SOURCES",
    "Analysis",
    "analyse",
    "entropy_chart_svg",
    "entropy_table",
    "figure_html",
    "letter_chart_svg",
    "source_text",
]


def _w(lang: str):
    return words("letters", lang)


# --- the corpora the pages use --------------------------------------------------------------------


def _site_english() -> str:
    from aieng.book import prose

    return prose.chapter_text("en")


def _shakespeare() -> str:
    from aieng.text import corpus

    return corpus.text("all")


#: source name -> the text it reads.
SOURCES: dict[str, Callable[[], str]] = {"site-en": _site_english, "shakespeare": _shakespeare}


def source_text(source: str) -> str:
    """The text of a named source (``"site-en"`` or ``"shakespeare"``)."""
    try:
        return SOURCES[source]()
    except KeyError:
        raise ValueError(f"unknown source {source!r}; choose one of {sorted(SOURCES)}") from None


@dataclass(frozen=True)
class Analysis:
    """Letters and entropy of one source."""

    source: str
    letters: LetterStats
    entropy: Entropy


@cached()
def _analyse(source: str, digest: str, max_order: int) -> Analysis:
    text = source_text(source)
    return Analysis(source, letter_stats(text), entropy_profile(text, max_order=max_order))


def analyse(source: str, *, max_order: int = 6) -> Analysis:
    """Letter counts and entropies of a named source, cached under the hash of its text."""
    digest = hashlib.sha256(source_text(source).encode("utf-8")).hexdigest()
    return _analyse(source, digest, max_order)


# --- charts ---------------------------------------------------------------------------------------

_SHAPES = ("aieng-bar", "aieng-bar aieng-bar--outline")  # series differ by fill AND outline


def letter_chart_svg(analyses: Sequence[Analysis], *, lang: str = "ko") -> str:
    """Grouped bars: the share of each letter, one bar per source (filled, then outlined).

    Text uses ``currentColor`` and bars the theme's colours (``docs/assets/tokens.css``), so the
    chart reads in the light and the dark theme; the sources differ in fill *and* outline, and
    the most common letter of each is labelled.
    """
    lang = output_language(lang)
    width, height, left, bottom, top = 720, 260, 40, 40, 30
    plot_h = height - bottom - top
    group = (width - left - 10) / 26
    bar = (group - 4) / max(1, len(analyses))
    peak = max(max(a.letters.frequencies.values()) for a in analyses)
    scale = plot_h / (math.ceil(peak * 50) / 50)  # round the axis up to the next 2%
    title = _w(lang)["letters_title"]
    tops = ", ".join(f"{_w(lang)[a.source]}: {a.letters.ranking[:6].upper()}" for a in analyses)
    desc = _w(lang)["most_common_first"] + tops
    uid = "letters-" + "-".join(a.source for a in analyses)
    parts = [
        f'<svg class="aieng-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{html.escape(title)}</title>',
        f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
    ]
    for pct in range(0, int(round(plot_h / scale * 100)) + 1, 2):
        y = height - bottom - pct / 100 * scale
        parts.append(
            f'<line class="aieng-axis" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke-width="{1 if pct == 0 else 0.3}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{pct}%</text>'
        )
    for i, letter in enumerate(LETTERS):
        x0 = left + i * group + 2
        for k, a in enumerate(analyses):
            share = a.letters.frequencies[letter]
            h = share * scale
            cls = _SHAPES[k % len(_SHAPES)]
            if a.letters.most_common == letter:
                cls += " aieng-bar--top"
            parts.append(
                f'<rect class="{cls}" x="{x0 + k * bar:.1f}" y="{height - bottom - h:.1f}" '
                f'width="{bar - 1:.1f}" height="{h:.1f}"><title>{letter.upper()}: '
                f"{share:.1%} ({html.escape(_w(lang)[a.source])})</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + (group - 4) / 2:.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle">{letter.upper()}</text>'
        )
    for k, a in enumerate(analyses):  # legend
        x = left + 10 + k * 260
        parts.append(
            f'<rect class="{_SHAPES[k % len(_SHAPES)]}" x="{x}" y="8" width="14" height="12"/>'
            f'<text x="{x + 20}" y="18">{html.escape(_w(lang)[a.source])} '
            f"({a.letters.total:,})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def entropy_chart_svg(analyses: Sequence[Analysis], *, lang: str = "ko") -> str:
    """F_N against N for each source: a solid and a dashed line with marked points."""
    lang = output_language(lang)
    width, height, left, bottom, top = 720, 260, 48, 40, 30
    orders = max(a.entropy.max_order for a in analyses)
    step = (width - left - 20) / max(1, orders)
    scale = (height - bottom - top) / 5.0  # 0..5 bits
    title = _w(lang)["entropy_title"]
    xlabel = _w(lang)["entropy_x"]
    uid = "entropy-" + "-".join(a.source for a in analyses)
    desc = "; ".join(
        f"{_w(lang)[a.source]}: " + ", ".join(f"F{n} {b:.2f}" for n, b in enumerate(a.entropy.bits))
        for a in analyses
    )
    parts = [
        f'<svg class="aieng-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{html.escape(title)}</title>',
        f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
    ]
    for b in range(6):
        y = height - bottom - b * scale
        parts.append(
            f'<line class="aieng-axis" x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke-width="{1 if b == 0 else 0.3}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{b} bit</text>'
        )
    for n in range(orders + 1):
        parts.append(
            f'<text x="{left + n * step:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">F{n}</text>'
        )
    parts.append(
        f'<text x="{left + (width - left) / 2:.0f}" y="{height - 6}" '
        f'text-anchor="middle">{html.escape(xlabel)}</text>'
    )
    dashes = ("", ' stroke-dasharray="6 4"')
    markers = ("circle", "rect")
    for k, a in enumerate(analyses):
        points = [
            (left + n * step, height - bottom - bits * scale)
            for n, bits in enumerate(a.entropy.bits)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline fill="none" stroke="currentColor" stroke-width="2"{dashes[k % 2]} '
            f'points="{path}"/>'
        )
        for n, (x, y) in enumerate(points):
            tip = f"F{n} = {a.entropy.bits[n]:.2f} bit ({_w(lang)[a.source]})"
            shape = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"'
                if markers[k % 2] == "circle"
                else f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"'
            )
            parts.append(
                f'{shape} class="aieng-bar"><title>{html.escape(tip)}</title>'
                f"{'</circle>' if markers[k % 2] == 'circle' else '</rect>'}"
            )
        lx = left + 10 + k * 260
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="14" y2="14" stroke="currentColor" '
            f'stroke-width="2"{dashes[k % 2]}/>'
            f'<text x="{lx + 30}" y="18">{html.escape(_w(lang)[a.source])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- what a page prints ---------------------------------------------------------------------------

_PAGE_SOURCES = ("site-en", "shakespeare")


def figure_html(*, lang: str = "ko", max_order: int = 6) -> str:
    """Both charts for a page, each in a ``<figure>`` with a caption in the page's language."""
    lang = output_language(lang)
    analyses = [analyse(s, max_order=max_order) for s in _PAGE_SOURCES]
    tops = {a.source: a.letters.ranking[:12].upper() for a in analyses}
    first = _w(lang)["letters_caption"].format(site=tops["site-en"], plays=tops["shakespeare"])
    second = _w(lang)["entropy_caption"]
    return (
        f'<figure class="aieng-figure">{letter_chart_svg(analyses, lang=lang)}'
        f"<figcaption>{first}</figcaption></figure>"
        f'<figure class="aieng-figure">{entropy_chart_svg(analyses, lang=lang)}'
        f"<figcaption>{second}</figcaption></figure>"
    )


def entropy_table(*, lang: str = "ko", max_order: int = 6) -> str:
    """F_0 .. F_max_order of both sources as a Markdown table, with the contexts each order saw.

    Example:
        >>> print(entropy_table(lang="en", max_order=1).splitlines()[2])
        | 0 | 4.75 | 1 | 4.75 | 1 |
    """
    lang = output_language(lang)
    analyses = [analyse(s, max_order=max_order) for s in _PAGE_SOURCES]
    ctx = _w(lang)["contexts"]
    head = "| N | " + " | ".join(f"{_w(lang)[a.source]} (bit) | {ctx}" for a in analyses)
    rows = [head + " |", "|---:|" + "---:|---:|" * len(analyses)]
    for n in range(max_order + 1):
        cells = " | ".join(f"{a.entropy.bits[n]:.2f} | {a.entropy.contexts[n]:,}" for a in analyses)
        rows.append(f"| {n} | {cells} |")
    return "\n".join(rows)
