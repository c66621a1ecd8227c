"""Page-facing model queries on the tiny presets: plain results, proper probabilities."""

from __future__ import annotations

import dataclasses
import math
import sys

import pytest

from aieng.book import blanks, contexts
from aieng.book import queries as lm
from aieng.book.render import markdown, sentences
from aieng.text import corpus
from aieng.training import train


@pytest.fixture(autouse=True)
def tiny_presets(isolated_cache, monkeypatch):
    tiny = train.PRESETS["tiny"]
    monkeypatch.setitem(train.PRESETS, "tiny-mlm", dataclasses.replace(tiny, kind="mlm"))


def test_greedy_completion_starts_with_the_prompt_and_repeats():
    text = lm.complete("To be or not to be", max_new=20, preset="tiny")
    assert text.startswith("To be or not to be") and len(text) == 18 + 20
    assert lm.complete.uncached("To be or not to be", max_new=20, preset="tiny") == text


def test_sampling_depends_on_seed_not_on_luck():
    a = lm.complete("To be", max_new=40, temperature=1.5, seed=1, preset="tiny")
    assert a == lm.complete.uncached("To be", max_new=40, temperature=1.5, seed=1, preset="tiny")
    assert a != lm.complete("To be", max_new=40, temperature=1.5, seed=2, preset="tiny")


def test_completions_table_has_greedy_and_sampled_rows():
    table = lm.completions(
        "To be", temperatures=(0.0, 1.0), seeds=(0, 1), max_new=10, preset="tiny"
    )
    assert [(t, s) for t, s, _ in table.rows] == [(0.0, 0), (1.0, 0), (1.0, 1)]
    assert "0 (greedy)" in markdown(table, "en") and "온도" in markdown(table, "ko")


def test_next_char_distribution_sums_to_one():
    dist = lm.next_char_distribution("My favorite color is", preset="tiny")
    assert set(dist) == set(corpus.alphabet())
    assert sum(dist.values()) == pytest.approx(1.0, abs=1e-5)
    top = lm.next_chars("My favorite color is", k=3, preset="tiny")
    assert [p for _, p in top.top] == sorted((p for p in dist.values()), reverse=True)[:3]


def test_word_probability_is_the_product_of_character_probabilities():
    p = lm.word_probabilities("ab", (" c",), preset="tiny")[" c"]
    first = lm.next_char_distribution("ab", preset="tiny")[" "]
    second = lm.next_char_distribution("ab ", preset="tiny")["c"]
    assert p == pytest.approx(first * second, rel=1e-4)


def test_fill_blank_and_gpt_rank_the_same_candidates():
    masked = blanks.fill_blank(
        "My favorite ", " is blue.", length=5, k=4, candidates=300, preset="tiny-mlm"
    )
    causal = blanks.gpt_next_word("My favorite ", length=5, k=4, candidates=300, preset="tiny")
    for ranked in (masked, causal):
        assert len(ranked) == 4 and all(len(w) == 5 for w, _ in ranked)
        probs = [p for _, p in ranked]
        assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1 + 1e-9


def test_training_pairs_are_prefixes_with_their_next_character():
    pairs = contexts.training_pairs(n=6, preset="tiny").pairs
    for (context, target), (longer, _) in zip(pairs, pairs[1:], strict=False):
        assert longer == context + target
    x, y = train.training_batch(train.PRESETS["tiny"])
    assert pairs[0] == (corpus.decode(x[0, :1]), corpus.decode(y[0, :1]))


def test_context_losses_cover_the_window():
    losses = contexts.context_losses("tiny", eval_tokens=2048)
    assert len(losses) == train.PRESETS["tiny"].model.block_size
    assert all(0 < v < 2 * math.log(80) for v in losses)


def test_warm_results_need_no_torch(monkeypatch):
    lm.next_char_distribution("xyz", preset="tiny")  # computed: memory layer holds it now
    monkeypatch.setitem(sys.modules, "torch", None)  # any import of torch would now fail
    assert lm.next_chars("xyz", k=2, preset="tiny").total == pytest.approx(1.0, abs=1e-5)


def _long_context(gpt: float, by_position: list[float]):
    from aieng.book.contexts import LongContext
    from aieng.models.ngram import NGramLoss

    grams = [NGramLoss(n, n - 1, loss, 10**n) for n, loss in ((3, 2.2), (5, 1.9), (7, 2.1))]
    return LongContext(gpt, 1000, by_position, grams)


def test_long_context_summary_is_written_from_the_numbers() -> None:
    """A GPT worse than the 5-gram (2.000 > 1.900) that stops improving after 3 characters
    (losses 1.96 and 1.95 are within 0.05 nats of the last, 1.95; 2.10 is not)."""
    lc = _long_context(2.0, [3.5, 2.6, 2.1, 1.96, 1.95, 1.95])
    en = sentences(lc, "en")
    assert "higher held-out loss (2.000) than the best n-gram (the 5-gram, 1.900)" in en
    assert "Beyond 3 characters of context, its loss falls by only 0.010 nats more" in en
    assert en.endswith("far more training.")
    assert "5-gram, 1.900)보다 높습니다" in sentences(lc, "ko")


def test_long_context_summary_when_the_gpt_wins() -> None:
    lc = _long_context(1.5, [3.0, 1.6, 1.5, 1.5])
    assert "lower held-out loss (1.500)" in sentences(lc, "en") and "far more" not in sentences(
        lc, "en"
    )
    assert "보다 낮습니다" in sentences(lc, "ko")
