"""Skip-gram Word2Vec: unit vectors, analogies that exclude their inputs, repeatable runs."""

from __future__ import annotations

import numpy as np
import pytest

from aieng.models import word2vec as w2v
from aieng.text import corpus

SMALL = w2v.Word2VecConfig(dim=16, epochs=1, min_count=100, max_pairs=60_000)


pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(scope="module")
def small():
    return w2v.train(SMALL)


def test_vectors_are_unit_length(small):
    assert small.vectors.shape == (len(small.words), 16)
    assert np.allclose(np.linalg.norm(small.vectors, axis=1), 1.0, atol=1e-5)
    assert small.pairs_seen == 60_000
    assert all(w[0].isalpha() for w in small.words)


def test_same_seed_same_vectors(small):
    assert np.array_equal(w2v.train(SMALL).vectors, small.vectors)


def test_nearest_word_of_a_vector_is_itself(small):
    assert small.nearest(small.vector("king"), k=1)[0][0] == "king"


def test_analogy_excludes_its_inputs_and_ranks_the_expected_word(monkeypatch, small):
    monkeypatch.setattr(w2v, "embeddings", lambda cfg: small)
    result = w2v.analogy("king", "man", "woman", k=3, expect=("queen",), cfg=SMALL)
    words = [w for w, _ in result.nearest]
    assert len(words) == 3 and not {"king", "man", "woman"} & set(words)
    assert result.rank_of["queen"] >= 1


def test_unknown_word_says_why(small):
    with pytest.raises(KeyError, match="fewer than 100 times"):
        small.vector("zyzzyva")


def test_subsampling_and_windows_make_symmetric_pairs():
    rng = np.random.default_rng(0)
    ids = np.arange(50) % 7
    pairs = w2v._pairs(ids, w2v.Word2VecConfig(window=2, subsample=1.0), rng)
    as_set = {tuple(p) for p in pairs.tolist()}
    assert all((b, a) in as_set for a, b in as_set)  # each pair is used in both directions


def test_analogy_test_set_uses_words_of_the_plays():
    counts = corpus.word_counts("train")
    for pairs in w2v.ANALOGY_PAIRS.values():
        assert len(set(pairs)) == len(pairs) >= 5
        assert all(counts.get(w, 0) >= 20 for pair in pairs for w in pair)


def test_analogy_questions_are_every_ordered_couple_of_pairs():
    pairs = (("man", "woman"), ("king", "queen"), ("lord", "lady"))
    questions = w2v.analogy_questions(pairs)
    assert len(questions) == len(set(questions)) == 6
    assert ("man", "woman", "king", "queen") in questions
    assert all((a, b) != (c, d) for a, b, c, d in questions)


def test_analogy_test_counts_each_category(monkeypatch):
    tiny = w2v.Word2VecConfig(dim=16, epochs=1, min_count=20, max_pairs=60_000)
    emb = w2v.train(tiny)
    monkeypatch.setattr(w2v, "embeddings", lambda cfg: emb)
    result = w2v.analogy_test.uncached(tiny)
    assert [c.name for c in result.categories] == list(w2v.ANALOGY_PAIRS)
    sizes = [len(p) * (len(p) - 1) for p in w2v.ANALOGY_PAIRS.values()]
    assert [c.questions for c in result.categories] == sizes
    assert all(0 <= c.top1 <= c.top5 <= c.questions for c in result.categories)
    assert 0 <= result.top1 <= result.top5 <= 1 and result.vocabulary == len(emb.words)
    a, b, c, d, found = result.categories[0].example
    assert (a, b, c, d) == ("man", "woman", "king", "queen") and found not in (a, b, c)
