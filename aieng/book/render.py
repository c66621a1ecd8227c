"""Renderers: a query's result and a language in, the page's Markdown table or SVG figure out.

The queries (:mod:`aieng.book.queries`, :mod:`aieng.book.blanks`, :mod:`aieng.book.contexts`)
compute plain dataclasses and know nothing of pages; this module is where their words (from
``aieng/data/strings.toml``) and layout live. Pages call :func:`markdown` or :func:`svg`, which
pick the renderer by the result's type.

Example:
    >>> from aieng.book.queries import WordOdds
    >>> print(markdown(WordOdds("My favorite color is", {" blue": 0.02, " car": 0.01}), "en"))
    | Continuation | Probability |
    |---|---:|
    | **My favorite color is**`␣blue` | 2.00e-02 |
    | **My favorite color is**`␣car` | 1.00e-02 |
    <BLANKLINE>
    The most likely is 2.0 times as likely as the second.
"""

from __future__ import annotations

from typing import Any

from aieng.book.analogyview import analogy_test_sentences, analogy_test_table
from aieng.book.blanks import BlankBenchmark, BlankComparison
from aieng.book.blankview import benchmark_sentences, benchmark_table
from aieng.book.contexts import LongContext, TrainingPairs
from aieng.book.curves import ComputeCurve, compute_sentences, compute_svg
from aieng.book.plots import context_svg
from aieng.book.queries import Completions, NextChars, WordOdds, WordShare
from aieng.book.scalingview import (
    data_sentences,
    data_svg,
    data_sweep_table,
    emergence_sentences,
    emergence_svg,
    emergence_table,
    scaling_svg,
    sweep_sentences,
    sweep_table,
)
from aieng.core import strings
from aieng.models.word2vec import Analogy, AnalogyTest
from aieng.text import corpus
from aieng.training.scaling import DataSweep, Emergence, Sweep


def _w(lang: str, key: str) -> str:
    return strings.word("model_tables", key, lang)


def _show(text: str) -> str:
    """Text for a Markdown table cell: visible newlines, escaped pipes and backticks."""
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ⏎ ")


def _visible(text: str) -> str:
    """Text for a code span in a table: spaces as ␣ and newlines as ⏎, so none is lost.

    Example:
        >>> _visible(" all\\nho")
        '␣all⏎ho'
    """
    return text.replace("|", "\\|").replace("`", "'").replace(" ", "␣").replace("\n", "⏎")


def _char_name(c: str, lang: str) -> str:
    return {" ": _w(lang, "space"), "\n": _w(lang, "newline")}.get(c, f"`{c}`")


def completions_table(r: Completions, lang: str = "ko") -> str:
    """A table: temperature, seed, and the continuation after the prompt."""
    head = f"| {_w(lang, 'temperature')} | {_w(lang, 'seed')} | {_w(lang, 'completion')} |"
    lines = [head, "|---:|---:|---|"]
    for t, s, text in r.rows:
        label = _w(lang, "greedy") if t == 0 else f"{t:g}"
        seed = "–" if t == 0 else str(s)
        lines.append(f"| {label} | {seed} | **{_show(r.prompt)}**{_show(text)} |")
    return "\n".join(lines)


def next_chars_table(r: NextChars, lang: str = "ko") -> str:
    lines = [f"| {_w(lang, 'char')} | {_w(lang, 'prob')} |", "|---|---:|"]
    lines += [f"| {_char_name(c, lang)} | {p:.1%} |" for c, p in r.top]
    lines.append(f"| *{_w(lang, 'of')}: {len(corpus.alphabet())}* | *{r.total:.3f}* |")
    return "\n".join(lines)


def word_odds_table(r: WordOdds, lang: str = "ko") -> str:
    lines = [f"| {_w(lang, 'continuation')} | {_w(lang, 'prob')} |", "|---|---:|"]
    for word, p in sorted(r.probs.items(), key=lambda kv: -kv[1]):
        lines.append(f"| **{_show(r.prompt)}**`{_visible(word)}` | {p:.2e} |")
    best, second = sorted(r.probs.values(), reverse=True)[:2]
    lines.append("")
    lines.append(_w(lang, "ratio").format(ratio=best / second))
    return "\n".join(lines)


def blank_table(r: BlankComparison, lang: str = "ko") -> str:
    head = f"| {_w(lang, 'rank')} | {_w(lang, 'mlm')} | {_w(lang, 'gpt')} |"
    lines = [head, "|---:|---|---|"]
    for i, ((m, pm), (g, pg)) in enumerate(zip(r.masked, r.autoregressive, strict=False), 1):
        lines.append(f"| {i} | {m} ({pm:.1%}) | {g} ({pg:.1%}) |")
    return "\n".join(lines)


def pairs_table(r: TrainingPairs, lang: str = "ko") -> str:
    per_step = r.block_size * r.batch_size
    caption = _w(lang, "pairs_caption").format(
        step=r.step,
        row=r.row,
        block=r.block_size,
        batch=r.batch_size,
        per_step=per_step,
        steps=r.steps,
        total=per_step * r.steps,
    )
    lines = [
        f"*{caption}*",
        "",
        f"| {_w(lang, 'context')} | {_w(lang, 'target')} |",
        "|---|---|",
    ]
    lines += [f"| `{_visible(c)}` | {_char_name(t, lang)} |" for c, t in r.pairs]
    return "\n".join(lines)


def long_context_table(r: LongContext, lang: str = "ko") -> str:
    """A table: each n-gram's context and loss, then the GPT at growing context lengths."""
    head = f"| {_w(lang, 'model')} | {_w(lang, 'sees')} | {_w(lang, 'loss')} |"
    lines = [head, "|---|---:|---:|"]
    for g in r.ngrams:
        lines.append(f"| {g.order}-gram | {g.context} | {g.val_loss:.3f} |")
    T = len(r.by_position)
    edges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    for lo, hi in zip(edges, edges[1:], strict=False):
        if lo >= T:
            break
        part = r.by_position[lo : min(hi, T)]
        seen = str(lo) if len(part) == 1 else f"{lo}–{lo + len(part) - 1}"
        lines.append(f"| GPT | {seen} | {sum(part) / len(part):.3f} |")
    lines.append(f"| GPT ({_w(lang, 'average')}) | 0–{T - 1} | {r.gpt_val_loss:.3f} |")
    return "\n".join(lines)


def long_context_svg(r: LongContext, lang: str = "ko") -> str:
    return context_svg(r.by_position, r.ngrams, lang)


def analogy_table(r: Analogy, lang: str = "ko") -> str:
    """A table of the nearest words, then where each expected word ranks."""
    words = strings.words("analogy", lang)
    query = f"{r.a} − {r.b} + {r.c}"
    lines = [
        f"| {words['rank']} | {words['word']} ({query}) | {words['cosine']} |",
        "|---:|---|---:|",
    ]
    lines += [f"| {i} | {w} | {c:.3f} |" for i, (w, c) in enumerate(r.nearest, 1)]
    for w, rank in r.rank_of.items():
        lines.append("")
        lines.append(words["expected"].format(word=w, rank=rank, total=r.vocabulary))
    return "\n".join(lines)


def long_context_sentences(r: LongContext, lang: str = "ko") -> str:
    """The page's sentences about this run, written from its numbers: the GPT against the best
    n-gram, and where longer context stops helping."""
    best = min(r.ngrams, key=lambda g: g.val_loss)
    worse = r.gpt_val_loss > best.val_loss
    at = r.plateau()
    sentences = [
        _w(lang, "long_worse" if worse else "long_better").format(
            gpt=r.gpt_val_loss, order=best.order, best=best.val_loss
        ),
        _w(lang, "long_plateau").format(at=at, gain=r.by_position[at] - r.by_position[-1]),
    ]
    if worse:
        sentences.append(_w(lang, "long_more"))
    return " ".join(sentences)


_TABLES: dict[type, Any] = {
    Completions: completions_table,
    NextChars: next_chars_table,
    WordOdds: word_odds_table,
    BlankComparison: blank_table,
    TrainingPairs: pairs_table,
    LongContext: long_context_table,
    Sweep: sweep_table,
    DataSweep: data_sweep_table,
    Emergence: emergence_table,
    Analogy: analogy_table,
}


def word_share_sentences(r: WordShare, lang: str = "ko") -> str:
    """The share of generated words that occur in the training text, and a few that do not."""
    text = strings.word(
        "word_share", "sentence", lang, words=r.words, samples=r.samples, share=r.share,
        prompts=r.prompts,
        temperatures=", ".join(f"{t:g}" for t in r.temperatures),
    )  # fmt: skip
    if r.unseen:
        examples = ", ".join(f"“{w}”" for w in r.unseen[:6])
        text += " " + strings.word("word_share", "unseen", lang, examples=examples)
    return text


_FIGURES: dict[type, Any] = {LongContext: long_context_svg, ComputeCurve: compute_svg}
_SENTENCES: dict[type, Any] = {
    LongContext: long_context_sentences,
    Emergence: emergence_sentences,
    ComputeCurve: compute_sentences,
    WordShare: word_share_sentences,
}


# the scaling page (aieng.book.scalingview)
_FIGURES.update({Sweep: scaling_svg, DataSweep: data_svg, Emergence: emergence_svg})
_SENTENCES.update({Sweep: sweep_sentences, DataSweep: data_sentences})

# the blank benchmark (aieng.book.blankview)
_TABLES[BlankBenchmark] = benchmark_table
_SENTENCES[BlankBenchmark] = benchmark_sentences
# the Word2Vec analogy test set (aieng.book.analogyview)
_TABLES[AnalogyTest] = analogy_test_table
_SENTENCES[AnalogyTest] = analogy_test_sentences


def _renderer(table: dict[type, Any], result: Any, what: str):
    try:
        return table[type(result)]
    except KeyError:
        kinds = ", ".join(sorted(t.__name__ for t in table))
        raise TypeError(
            f"no {what} renderer for {type(result).__name__}; it renders: {kinds}"
        ) from None


def markdown(result: Any, lang: str) -> str:
    """The page's Markdown table for a query's ``result``, in the language of a page in ``lang``."""
    return _renderer(_TABLES, result, "Markdown")(result, lang)


def sentences(result: Any, lang: str) -> str:
    """Prose about a query's ``result``, written from its numbers, in the page's language: for
    figures a retraining can change ("In this run, ...")."""
    return _renderer(_SENTENCES, result, "sentences")(result, lang)


def svg(result: Any, lang: str) -> str:
    """The page's SVG figure for a query's ``result``, in the language of a page in ``lang``."""
    return _renderer(_FIGURES, result, "SVG")(result, lang)
