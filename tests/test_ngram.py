"""Kneser-Ney n-grams: proper distributions, a hand-derived case, and more context helps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.models.ngram import NGramModel, held_out_losses
from aieng.text import corpus

TEXT = np.array([0, 1, 0, 1, 0, 2])


def test_bigram_known_answer():
    """Text 0 1 0 1 0 2, order 2, discount d = 0.75, alphabet of V = 3.

    Bigrams: (0,1) twice, (1,0) twice, (0,2) once; context 0 has total 3 and 2 distinct
    followers. Unigram continuation counts: each of 0, 1, 2 follows exactly one distinct
    character, so P1 = (1 - d)/3 + d * 3/3 * 1/3 = 1/3 each. Then
    P(1|0) = (2 - d)/3 + d * 2/3 * P1 = 0.41667 + 0.16667 = 0.58333,
    P(2|0) = (1 - d)/3 + 0.16667 = 0.25,  P(0|0) = 0 + 0.16667.
    """
    model = NGramModel.fit(TEXT, vocab_size=3, order=2)
    assert model.distribution(np.array([0])) == pytest.approx([1 / 6, 7 / 12, 1 / 4])


def test_unseen_context_backs_off_to_continuation_unigram():
    """Context 3 never occurs, so P(c|3) is the Kneser-Ney unigram: each of 0, 1, 2 follows one
    distinct character (total 3, 3 types), V = 4: P(c) = (1 - d)/3 + d * 3/3 * 1/4 = 0.27083
    for c in 0, 1, 2, and the unseen 3 gets only the uniform share d * 1/4 = 0.1875."""
    model = NGramModel.fit(TEXT, vocab_size=4, order=2)
    assert model.distribution(np.array([3])) == pytest.approx([0.27083333] * 3 + [0.1875])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=12, max_size=60),
    st.integers(1, 4),
    st.floats(0.05, 0.95),
    st.lists(st.integers(0, 5), max_size=5),
)
def test_every_distribution_sums_to_one(text, order, discount, context):
    model = NGramModel.fit(np.array(text), vocab_size=6, order=order, discount=discount)
    dist = model.distribution(np.array(context, dtype=np.int64))
    assert (dist > 0).all()
    assert dist.sum() == pytest.approx(1.0, abs=1e-9)


def test_log_loss_matches_the_distributions():
    model = NGramModel.fit(TEXT, vocab_size=3, order=2)
    ids = np.array([0, 1, 0, 2])
    expected = -np.mean([math.log(model.distribution(ids[:i])[ids[i]]) for i in range(1, 4)])
    assert model.log_loss(ids) == pytest.approx(expected)


def test_bad_discount_is_refused():
    with pytest.raises(ValueError, match="discount"):
        NGramModel.fit(TEXT, vocab_size=3, order=2, discount=1.0)


def test_more_context_helps_on_shakespeare(tmp_path, monkeypatch):
    monkeypatch.setenv("AIENG_CACHE_DIR", str(tmp_path))
    losses = held_out_losses.uncached(orders=(1, 2, 3), val_chars=20_000)
    values = [g.val_loss for g in losses]
    assert values[0] > values[1] > values[2]
    assert values[0] < math.log(len(corpus.alphabet()))  # better than uniform
    assert [g.context for g in losses] == [0, 1, 2]


def test_sampling_is_seeded():
    model = NGramModel.fit(TEXT, vocab_size=3, order=2)
    a = model.sample(np.array([0]), 20, seed=1)
    assert np.array_equal(a, model.sample(np.array([0]), 20, seed=1))
    assert a[0] == 0 and len(a) == 21
