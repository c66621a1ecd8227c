"""Renderers take a result and a language (aieng.book.render); results know nothing of pages."""

from __future__ import annotations

import dataclasses

import pytest

from aieng.book import render
from aieng.book.queries import WordOdds
from aieng.models.word2vec import Analogy


def test_one_result_renders_in_each_language_from_the_string_table() -> None:
    odds = WordOdds("My favorite color is", {" blue": 0.02, " car": 0.01})
    en, ko = render.markdown(odds, "en"), render.markdown(odds, "ko")
    assert "| Continuation | Probability |" in en and "2.0 times as likely" in en
    assert "| 이어지는 텍스트 | 확률 |" in ko
    assert render.markdown(odds, "ja") == en  # a language being added reads English


def test_an_analogy_names_where_the_expected_word_ranks() -> None:
    result = Analogy(
        "king", "man", "woman", [("queen", 0.71), ("prince", 0.52)], {"queen": 1}, 4000
    )
    text = render.markdown(result, "en")
    assert "| 1 | queen | 0.710 |" in text
    assert "Rank of **queen**: 1 of 4,000 words" in text
    assert "4,000개 중 1위" in render.markdown(result, "ko")


def test_results_carry_no_renderer_of_their_own() -> None:
    for kind in render._TABLES:
        assert dataclasses.is_dataclass(kind)
        assert not hasattr(kind, "markdown") and not hasattr(kind, "svg"), kind.__name__


def test_a_result_without_a_renderer_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="no Markdown renderer for dict; it renders: "):
        render.markdown({}, "en")
    with pytest.raises(TypeError, match="no SVG renderer for WordOdds"):
        render.svg(WordOdds("a", {" b": 0.5, " c": 0.5}), "en")
