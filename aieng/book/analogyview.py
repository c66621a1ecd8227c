"""The Word2Vec analogy test set on the transformer page: a table and sentences from its numbers,
in the page's language (the words are ``[analogy_test]`` in ``aieng/data/strings.toml``).
:mod:`aieng.book.render` picks these by the result's type.
"""

from __future__ import annotations

from aieng.core import strings
from aieng.models.word2vec import AnalogyTest

__all__ = ["analogy_test_table", "analogy_test_sentences"]


def _a(lang: str, key: str) -> str:
    return strings.word("analogy_test", key, lang)


def analogy_test_table(r: AnalogyTest, lang: str = "ko") -> str:
    """One row per category (an example question and its answer), then the whole set."""
    lines = [
        f"| {_a(lang, 'category')} | {_a(lang, 'example')} | {_a(lang, 'answer')} "
        f"| {_a(lang, 'questions')} | {_a(lang, 'top1')} | {_a(lang, 'top5')} |",
        "|---|---|---|---:|---:|---:|",
    ]
    for c in r.categories:
        a, b, x, d, found = c.example
        answer = f"**{found}** ✓" if found == d else found
        lines.append(
            f"| {_a(lang, c.name)} | {b} − {a} + {x} = {d}? | {answer} | {c.questions:,} "
            f"| {c.top1 / c.questions:.1%} | {c.top5 / c.questions:.1%} |"
        )
    lines.append(
        f"| **{_a(lang, 'total')}** | | | **{r.questions:,}** | **{r.top1:.1%}** "
        f"| **{r.top5:.1%}** |"
    )
    return "\n".join(lines)


def analogy_test_sentences(r: AnalogyTest, lang: str = "ko") -> str:
    """This run's accuracy in words, with the best and the worst category."""
    ranked = sorted(r.categories, key=lambda c: c.top1 / c.questions)
    return _a(lang, "summary").format(
        n=r.questions,
        top1=r.top1,
        top5=r.top5,
        vocabulary=r.vocabulary,
        best=_a(lang, ranked[-1].name),
        best_top1=ranked[-1].top1 / ranked[-1].questions,
        worst=_a(lang, ranked[0].name),
        worst_top1=ranked[0].top1 / ranked[0].questions,
    )
