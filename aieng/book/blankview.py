"""The blank benchmark on the language-models page: tables and sentences from its numbers, in
the page's language (the words are ``[blanks]`` in ``aieng/data/strings.toml``).
:mod:`aieng.book.render` picks these by the result's type.

Example:
    >>> from aieng.book.blanks import BlankExample
    >>> _sentence(BlankExample("My love thou ", "art", ", my love I think.", "art", "art"))
    '`My love thou ___, my love I think.`'
"""

from __future__ import annotations

from aieng.book.blanks import BlankBenchmark, BlankExample
from aieng.core import strings

__all__ = ["benchmark_table", "benchmark_sentences"]


def _b(lang: str, key: str) -> str:
    return strings.word("blanks", key, lang)


def _sentence(e: BlankExample) -> str:
    """The sentence with its blank, as a code span (newlines as ⏎, pipes escaped)."""
    text = e.left + "_" * len(e.word) + e.right
    return "`" + text.replace("`", "'").replace("\n", " ⏎ ").replace("|", "\\|") + "`"


def _answer(guess: str, word: str) -> str:
    return f"**{guess}** ✓" if guess == word else guess


def benchmark_table(r: BlankBenchmark, lang: str = "ko") -> str:
    """Each model's top-1 accuracy with what it sees, then a few blanks and both first choices."""
    lo, hi = r.letters
    lines = [
        f"| {_b(lang, 'who')} | {_b(lang, 'sees')} | {_b(lang, 'top1')} |",
        "|---|---|---:|",
        f"| {_b(lang, 'mlm')} | {_b(lang, 'mlm_sees')} | {r.mlm_top1:.1%} |",
        f"| {_b(lang, 'gpt')} | {_b(lang, 'gpt_sees')} | {r.gpt_top1:.1%} |",
        f"| {_b(lang, 'frequency')} | {_b(lang, 'frequency_sees')} | {r.frequency_top1:.1%} |",
        f"| {_b(lang, 'chance')} | {_b(lang, 'chance_sees')} | {r.chance:.1%} |",
        "",
        "*" + _b(lang, "caption").format(n=r.blanks, candidates=r.candidates, lo=lo, hi=hi) + "*",
        "",
        f"| {_b(lang, 'sentence')} | {_b(lang, 'hidden')} | {_b(lang, 'mlm_short')} "
        f"| {_b(lang, 'gpt_short')} |",
        "|---|---|---|---|",
    ]
    for e in r.examples:
        lines.append(
            f"| {_sentence(e)} | {e.word} | {_answer(e.masked, e.word)} "
            f"| {_answer(e.autoregressive, e.word)} |"
        )
    lines += ["", f"*{_b(lang, 'examples_rule')}*"]
    return "\n".join(lines)


def benchmark_sentences(r: BlankBenchmark, lang: str = "ko") -> str:
    """This run's figures in words: both accuracies, their ratio, and who got which blanks."""
    both, mlm_only, gpt_only, neither = r.outcomes
    ahead = r.mlm_top1 >= r.gpt_top1
    text = _b(lang, "summary_ahead" if ahead else "summary_behind").format(
        n=r.blanks,
        mlm=r.mlm_top1,
        gpt=r.gpt_top1,
        ratio=r.ratio if ahead else r.gpt_top1 / max(r.mlm_top1, 1e-9),
        frequency=r.frequency_top1,
    )
    outcomes = _b(lang, "outcomes").format(
        both=both, mlm_only=mlm_only, gpt_only=gpt_only, neither=neither
    )
    parts = [text, outcomes]
    if r.mlm_flops and r.gpt_flops:
        parts.append(
            _b(lang, "compute").format(
                share=r.mlm_flops / r.gpt_flops,
                mlm_flops=f"{r.mlm_flops:.1e}",
                gpt_flops=f"{r.gpt_flops:.1e}",
            )
        )
    return " ".join(parts)
