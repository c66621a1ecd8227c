"""Shannon and the Dancing Men: letter frequencies and the entropy of English, measured.

Holmes breaks the dancing-men cipher because the commonest figure must stand for E, the
commonest letter of English; Shannon (1951) measured how predictable English is, in bits per
letter, from letter frequencies and from longer and longer contexts. This module measures both
on real English text: the site's English chapter pages (:mod:`aieng.prose`) and Shakespeare's
plays (:mod:`aieng.corpus`).

Text is reduced to Shannon's 27-symbol alphabet (:func:`normalize`): the 26 letters, lower-cased
and stripped of accents, and one space for every run of anything else.

The entropy of order N (Shannon's F_N) is the uncertainty of a symbol given the N - 1 before it:
``F_N = H(N-grams) - H((N-1)-grams)``, with ``F_0 = log2 27`` (all symbols equally likely) and
``F_1`` the entropy of the symbol frequencies. These are plug-in estimates from counts: for long
contexts in a short text most contexts are seen once and F_N falls towards 0, an artefact of the
sample size, not a property of English. :class:`Entropy` therefore reports how many distinct
contexts each order saw.

Example:
    >>> stats = letter_stats("Elementary, my dear Watson!")
    >>> stats.most_common, stats.counts["e"]
    ('e', 4)
    >>> entropy_profile("abababab", max_order=2).bits[2]  # b always follows a, a always b
    0.0
"""

from __future__ import annotations

import hashlib
import html
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from aieng.cache import cached
from aieng.lang import output_language

__all__ = [
    "ALPHABET",
    "SOURCES",
    "Entropy",
    "LetterStats",
    "analyse",
    "entropy_chart_svg",
    "entropy_profile",
    "entropy_table",
    "figure_html",
    "letter_chart_svg",
    "letter_stats",
    "normalize",
    "source_text",
]

ALPHABET = " abcdefghijklmnopqrstuvwxyz"  # Shannon's 27 symbols; space is symbol 0
LETTERS = ALPHABET[1:]


def normalize(text: str) -> str:
    """Reduce ``text`` to lower-case letters a-z and single spaces.

    Example:
        >>> normalize("Café—it's 42 °C!")
        'cafe it s c'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    plain = unicodedata.normalize("NFKD", text).lower()
    out = []
    space = True  # no leading space
    for c in plain:
        if "a" <= c <= "z":
            out.append(c)
            space = False
        elif unicodedata.combining(c):
            continue  # the accent of a decomposed letter
        elif not space:
            out.append(" ")
            space = True
    return "".join(out).rstrip(" ")


def _codes(text: str) -> np.ndarray:
    """Symbol codes 0..26 of the normalised text."""
    norm = normalize(text)
    if not norm:
        raise ValueError("the text has no letters a-z to count; pass English text")
    raw = np.frombuffer(norm.encode("ascii"), dtype=np.uint8).astype(np.int64)
    return np.where(raw == 32, 0, raw - 96)


@dataclass(frozen=True)
class LetterStats:
    """How often each letter occurs (spaces and other symbols not counted)."""

    counts: dict[str, int]  # letter -> count, for all 26 letters
    total: int  # letters counted

    @property
    def frequencies(self) -> dict[str, float]:
        """letter -> share of all letters."""
        return {c: n / self.total for c, n in self.counts.items()}

    @property
    def ranking(self) -> str:
        """The letters from most to least common (ties alphabetical), e.g. ``"etaoin..."``."""
        return "".join(sorted(self.counts, key=lambda c: (-self.counts[c], c)))

    @property
    def most_common(self) -> str:
        return self.ranking[0]


def letter_stats(text: str) -> LetterStats:
    """Count the letters of ``text`` (case and accents folded)."""
    codes = _codes(text)
    counts = np.bincount(codes, minlength=27)[1:]
    return LetterStats({c: int(n) for c, n in zip(LETTERS, counts, strict=True)}, int(counts.sum()))


@dataclass(frozen=True)
class Entropy:
    """Shannon's F_N, in bits per symbol, for N = 0 .. max_order."""

    bits: tuple[float, ...]  # bits[N] = F_N
    contexts: tuple[int, ...]  # contexts[N] = distinct (N-1)-symbol contexts seen (1 for N <= 1)
    symbols: int  # length of the normalised text

    @property
    def max_order(self) -> int:
        return len(self.bits) - 1


def _entropy(keys: np.ndarray) -> tuple[float, int]:
    """Entropy (bits) of the empirical distribution of ``keys``, and how many distinct keys."""
    _, counts = np.unique(keys, return_counts=True)
    p = counts / len(keys)
    return float(-(p * np.log2(p)).sum()), len(counts)


def entropy_profile(text: str, *, max_order: int = 6) -> Entropy:
    """Shannon's F_0 .. F_max_order for ``text`` (see the module docstring).

    F_N is computed as H(N-gram) - H(its first N - 1 symbols) over the same windows, so it is
    never negative.

    Example:
        >>> e = entropy_profile("to be or not to be that is the question", max_order=1)
        >>> round(e.bits[0], 2), round(e.bits[1], 2)
        (4.75, 3.29)
    """
    if not 0 <= max_order <= 12:  # 27**13 would overflow the base-27 code of an n-gram
        raise ValueError(f"max_order must be between 0 and 12, got {max_order}")
    codes = _codes(text)
    if len(codes) < max_order:
        raise ValueError(
            f"the text has {len(codes)} symbols, too few for order {max_order}; "
            "use a longer text or a smaller max_order"
        )
    bits, contexts = [math.log2(27)], [1]
    for n in range(1, max_order + 1):
        windows = len(codes) - n + 1
        key = np.zeros(windows, dtype=np.int64)
        for j in range(n):  # the base-27 number of each n-gram
            key = key * 27 + codes[j : j + windows]
        joint, _ = _entropy(key)
        context, distinct = _entropy(key // 27) if n > 1 else (0.0, 1)
        bits.append(joint - context)
        contexts.append(distinct)
    return Entropy(tuple(bits), tuple(contexts), int(len(codes)))


# --- the corpora the pages use --------------------------------------------------------------------


def _site_english() -> str:
    from aieng import prose

    return prose.chapter_text("en")


def _shakespeare() -> str:
    from aieng import corpus

    return corpus.text("all")


#: source name -> the text it reads.
SOURCES: dict[str, Callable[[], str]] = {"site-en": _site_english, "shakespeare": _shakespeare}
SOURCE_LABELS = {
    "site-en": {"ko": "이 사이트의 영어 본문", "en": "This site's English text"},
    "shakespeare": {"ko": "셰익스피어 희곡 38편", "en": "Shakespeare's 38 plays"},
}


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
    title = "영어 글자 빈도" if lang == "ko" else "Letter frequencies of English"
    tops = ", ".join(
        f"{SOURCE_LABELS[a.source][lang]}: {a.letters.ranking[:6].upper()}" for a in analyses
    )
    desc = ("가장 흔한 글자부터: " if lang == "ko" else "Most common letters first: ") + tops
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
                f"{share:.1%} ({html.escape(SOURCE_LABELS[a.source][lang])})</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + (group - 4) / 2:.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle">{letter.upper()}</text>'
        )
    for k, a in enumerate(analyses):  # legend
        x = left + 10 + k * 260
        parts.append(
            f'<rect class="{_SHAPES[k % len(_SHAPES)]}" x="{x}" y="8" width="14" height="12"/>'
            f'<text x="{x + 20}" y="18">{html.escape(SOURCE_LABELS[a.source][lang])} '
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
    title = (
        "문맥이 길어질수록 줄어드는 엔트로피" if lang == "ko" else "Entropy falls as context grows"
    )
    xlabel = "N (앞의 N−1 글자를 볼 때)" if lang == "ko" else "N (given the N−1 letters before)"
    uid = "entropy-" + "-".join(a.source for a in analyses)
    desc = "; ".join(
        f"{SOURCE_LABELS[a.source][lang]}: "
        + ", ".join(f"F{n} {b:.2f}" for n, b in enumerate(a.entropy.bits))
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
            tip = f"F{n} = {a.entropy.bits[n]:.2f} bit ({SOURCE_LABELS[a.source][lang]})"
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
            f'<text x="{lx + 30}" y="18">{html.escape(SOURCE_LABELS[a.source][lang])}</text>'
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
    if lang == "ko":
        first = (
            "글자 26개의 비율. 채운 막대는 이 사이트의 영어 본문, 테두리만 있는 막대는 셰익스피어 "
            f"희곡입니다. 흔한 순서: {tops['site-en']} / {tops['shakespeare']}"
        )
        second = (
            "F<sub>N</sub>: 앞의 N−1 글자를 알 때 다음 글자의 불확실성(bit). 실선은 이 사이트의 "
            "영어 본문, 점선은 셰익스피어 희곡입니다."
        )
    else:
        first = (
            "The share of each of the 26 letters. Filled bars: this site's English text; "
            f"outlined bars: Shakespeare's plays. Most common first: {tops['site-en']} / "
            f"{tops['shakespeare']}"
        )
        second = (
            "F<sub>N</sub>: the uncertainty of the next letter, in bits, when the N−1 letters "
            "before it are known. Solid: this site's English text; dashed: Shakespeare's plays."
        )
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
    ctx = "문맥 수" if lang == "ko" else "contexts"
    head = "| N | " + " | ".join(f"{SOURCE_LABELS[a.source][lang]} (bit) | {ctx}" for a in analyses)
    rows = [head + " |", "|---:|" + "---:|---:|" * len(analyses)]
    for n in range(max_order + 1):
        cells = " | ".join(f"{a.entropy.bits[n]:.2f} | {a.entropy.contexts[n]:,}" for a in analyses)
        rows.append(f"| {n} | {cells} |")
    return "\n".join(rows)
