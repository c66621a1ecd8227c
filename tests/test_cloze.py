"""The blank benchmark: a fixed rule for the blanks, exact and fair scoring for both models."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from aieng.book import blanks, cloze, prefixsearch
from aieng.book.render import markdown, sentences
from aieng.models.gpt import GPT, GPTConfig
from aieng.models.mlm import MaskedLM, word_log_probs
from aieng.text import corpus
from aieng.training import train

V = len(corpus.alphabet())


def _model(cls, seed=0, block=64, vocab=V):
    cfg = GPTConfig(vocab_size=vocab, block_size=block, n_layer=2, n_head=2, n_embd=32)
    m = cls(cfg, generator=torch.Generator().manual_seed(seed)).eval()
    with torch.no_grad():  # sharper distributions than the initial ones, so that search prunes
        m.head.weight.mul_(40)
    return m


def test_blanks_follow_the_rule_and_are_repeatable():
    chosen = cloze.blank_set(1000)
    assert chosen == cloze.blank_set(1000) and chosen != cloze.blank_set(1000, seed=1)
    held_out = cloze.sentences("val")
    assert len({b.left + b.word + b.right for b in chosen}) > 990
    for b in chosen:
        s = b.left + b.word + b.right
        assert s in held_out and cloze.MIN_CHARS <= len(s) <= cloze.MAX_CHARS
        assert b.word.islower() and b.word.isalpha() and 3 <= len(b.word) <= 8
        assert b.left and not (b.left[-1].isalpha() or b.left[-1] == "'")
        assert not b.right or not (b.right[0].isalpha() or b.right[0] == "'")
        assert b.word in cloze.candidates_of_length(len(b.word))
    lines = set(corpus.text("train").split("\n"))
    assert not {b.left + b.word + b.right for b in chosen} & lines  # held out, not memorised


def test_candidates_are_the_frequent_words_of_one_length():
    fives = cloze.candidates_of_length(5)
    assert fives == tuple(w for w in cloze.candidate_words() if len(w) == 5)
    counts = corpus.word_counts("train")
    assert [counts[w] for w in fives] == sorted((counts[w] for w in fives), reverse=True)


@torch.no_grad()
def _gpt_by_hand(model, left, word):
    ids = torch.from_numpy(corpus.encode(left + word).astype(np.int64))[None]
    logp = F.log_softmax(model(ids)[0][0], dim=-1)
    p = len(left)
    letters = sum(float(logp[p - 1 + j, ids[0, p + j]]) for j in range(len(word)))
    return letters + float(torch.logsumexp(logp[-1, list(prefixsearch.non_letters())], -1))


def test_gpt_scores_are_the_chain_rule_on_each_word_alone():
    m = _model(GPT)
    words = cloze.candidates_of_length(4)[:40]
    fast = cloze.gpt_scores(m, "I kiss the wall's hole, ", words)
    slow = [_gpt_by_hand(m, "I kiss the wall's hole, ", w) for w in words]
    assert fast == pytest.approx(slow, abs=1e-4)


@pytest.mark.parametrize("seed", range(4))
def test_gpt_best_is_the_exact_argmax(seed):
    m = _model(GPT, seed)
    for b in cloze.blank_set(1000)[seed * 50 : seed * 50 + 12]:
        words = cloze.candidates_of_length(len(b.word))
        scores = cloze.gpt_scores(m, b.left, words)
        index, score = cloze.gpt_best(m, b.left, words)
        assert score == pytest.approx(scores.max(), abs=1e-4)
        assert scores[index] >= scores.max() - 1e-4


@pytest.mark.parametrize("length", [3, 5])
def test_many_blanks_at_once_find_each_blanks_exact_argmax(length):
    """best_words batches blanks with left contexts of different lengths; each blank's choice
    is still the argmax of its own chain-rule scores (and a narrow beam changes nothing)."""
    m = _model(GPT, seed=5)
    words = cloze.candidates_of_length(length)[:60]
    lefts = [b.left for b in cloze.blank_set(1000)[:40]]
    assert len({len(s) for s in lefts}) > 10
    want = [cloze.gpt_scores(m, s, words) for s in lefts]
    for beam in (prefixsearch.BEAM, 2):
        got = prefixsearch.best_words(m, lefts, words, beam=beam)
        for scores, (index, score) in zip(want, got, strict=True):
            assert score == pytest.approx(scores.max(), abs=1e-4)
            assert scores[index] >= scores.max() - 1e-4
    assert len({i for i, _ in got}) > 3  # the blanks do not all get the same word


def test_best_words_refuses_what_it_cannot_rank():
    m = _model(GPT)
    with pytest.raises(ValueError, match="same number of letters"):
        prefixsearch.best_words(m, ["a "], ("to", "the"))
    with pytest.raises(ValueError, match="on its left"):
        prefixsearch.best_words(m, [""], ("to", "be"))


@torch.no_grad()
def test_masked_lm_scores_every_letter_with_the_whole_word_masked():
    m = _model(MaskedLM, vocab=V + 1)
    left, right = "He should have worn ", " horns on his head."
    words = cloze.candidates_of_length(3)[:30]
    scores = cloze.mlm_scores(m, left, right, words)
    seq = corpus.encode(left).tolist() + [V] * 3 + corpus.encode(right).tolist()
    logp = F.log_softmax(m(torch.tensor([seq]))[0][0], dim=-1)
    p = len(left)
    by_hand = [sum(float(logp[p + j, corpus.encode(w)[j]]) for j in range(3)) for w in words]
    assert scores == pytest.approx(by_hand, abs=1e-4)
    ones = tuple(w for w in "aio")  # one letter: all masked is the chain rule as well
    chain = word_log_probs(m, cloze._ids(left), cloze._ids(right), [cloze._ids(w) for w in ones])
    assert cloze.mlm_scores(m, left, right, ones) == pytest.approx(chain, abs=1e-4)


def test_batched_masked_lm_picks_what_one_blank_at_a_time_picks():
    """mlm_best batches blanks of equal masked length (a batch of 2 here, so that some lengths
    take several passes); its choices are the argmax of mlm_scores, blank by blank."""
    m = _model(MaskedLM, seed=1, block=128, vocab=V + 1)
    chosen = cloze.blank_set(1000)[:150]
    one_by_one = [
        int(cloze.mlm_scores(m, b.left, b.right, cloze.candidates_of_length(len(b.word))).argmax())
        for b in chosen
    ]
    lengths = [len(b.left) + len(b.word) + len(b.right) for b in chosen]
    assert len(set(lengths)) < len(lengths) - 20  # many blanks share a pass
    assert cloze.mlm_best(m, chosen, batch=2) == one_by_one
    assert len(set(one_by_one)) > 5  # the choices differ from blank to blank


def test_a_short_context_keeps_the_blank_and_both_sides():
    left, right = cloze._window("a" * 100, 5, "b" * 100, 32)
    assert len(left) + 5 + len(right) == 32 and left and right
    assert cloze._window("ab ", 3, " cd", 32) == ("ab ", " cd")


@pytest.fixture
def tiny_presets(isolated_cache, monkeypatch):
    tiny = train.PRESETS["tiny"]
    monkeypatch.setitem(train.PRESETS, "tiny-mlm", dataclasses.replace(tiny, kind="mlm"))


def test_benchmark_counts_the_same_blanks_for_both(tiny_presets):
    r = blanks.blank_benchmark(40, mlm="tiny-mlm", gpt="tiny")
    assert r.blanks == 40 and sum(r.outcomes) == 40
    assert r.mlm_top1 == (r.outcomes[0] + r.outcomes[1]) / 40
    assert r.gpt_top1 == (r.outcomes[0] + r.outcomes[2]) / 40
    assert 0 < r.chance < r.frequency_top1 < 1
    assert len(r.examples) <= 8 and all(e.word for e in r.examples)
    for lang in ("ko", "en"):
        table = markdown(r, lang)
        assert f"{r.mlm_top1:.1%}" in table and f"{r.gpt_top1:.1%}" in table
        assert "40" in sentences(r, lang)
