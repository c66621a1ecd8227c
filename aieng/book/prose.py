"""The chapter's prose as plain text, read from the site's own pages, for measuring it.

Words per token, the cost of the same content in Korean and in English, and the letter
frequencies of English are measured on what a reader of this site reads: the chapter's pages in
``docs/<lang>/1.1/``, in the order of the chapter. :func:`plain_text` keeps what a reader reads and
drops what only the machinery sees:

* executed code blocks (``exec="on"``): they are code, identical in both languages, and their
  output is not in the Markdown;
* claim macros ``[[claim:...]]`` (their numbers come from the measurement itself), front matter,
  HTML comments and tags, ``{#anchor}`` attribute lists, link targets and Markdown markup.

The chapter's own illustrative code blocks (the token example, the label costs, ...) are part of
the chapter, so their content stays. Blocks, front matter and macros are found by the page parser
(:mod:`aieng.text.pages`), the same reading of a page the site builds from.

Example:
    >>> print(plain_text('# Tokens {#tokens}\\n\\n**Token** [is](x.md) *small*.\\n'), end="")
    Tokens
    <BLANKLINE>
    Token is small.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from aieng.book.chapter import PAGES
from aieng.core import paths as _paths
from aieng.core.cache import cached
from aieng.text.pages import parse_page, substitute_claims

__all__ = [
    "TextMeasure",
    "Units",
    "chapter_hash",
    "chapter_pages",
    "chapter_text",
    "docs_dir",
    "measure_chapter",
    "measure_shakespeare",
    "plain_text",
    "units",
]


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_ATTRS = re.compile(r"\s*\{[#.:][^}\n]*\}")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_QUOTE = re.compile(r"^\s*>\s?", re.M)
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*\w+(?:\s+"([^"]*)")?\s*$', re.M)
_EMPHASIS = re.compile(r"(\*\*|\*|`)")  # not "__": the chapter writes a blank as __
_BLANK_RUNS = re.compile(r"\n{3,}")


def docs_dir() -> Path:
    """The site's ``docs`` folder (next to the ``aieng`` package in the repository)."""
    return _paths.DOCS


def _machinery_removed(markdown: str, *, code: bool = True) -> str:
    """The page without front matter, claim macros, executed blocks and fence lines (and without
    the content of the other blocks unless ``code``); the lines kept are as written."""
    doc = parse_page(substitute_claims(markdown, lambda macro: ""))
    drop = set(range(doc.offset))
    for block in doc.blocks:
        if block.executed or not code:  # the whole block
            drop.update(range(block.line - 1, block.end_line))
        else:  # its fence lines
            drop.update((block.line - 1, block.end_line - 1))
    return "\n".join(line for i, line in enumerate(doc.source_lines) if i not in drop)


def plain_text(markdown: str, *, code: bool = True) -> str:
    """What a reader reads of a page's Markdown, as plain text (see the module docstring).

    With ``code=False`` the content of every fenced block goes too: the prose alone.
    """
    text = _machinery_removed(markdown, code=code)
    text = _COMMENT.sub("", text)
    text = _ATTRS.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    text = _HEADING.sub("", text)
    text = _QUOTE.sub("", text)
    text = _EMPHASIS.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def chapter_pages(lang: str, docs: Path | None = None) -> list[Path]:
    """The chapter's pages in ``lang``, in order.

    Raises:
        FileNotFoundError: when a page is missing; the message names it.
    """
    root = (docs or docs_dir()) / lang / "1.1"
    pages = [root / f"{name}.md" for name in PAGES]
    missing = [p.name for p in pages if not p.is_file()]
    if missing:
        raise FileNotFoundError(
            f"the chapter's {lang!r} pages {missing} are missing under {root}; the measurements "
            "read the site's own pages, so build them first (see the README)"
        )
    return pages


def chapter_text(lang: str, docs: Path | None = None, *, code: bool = True) -> str:
    """The plain text of all of the chapter's pages in ``lang``, joined in order.

    ``code=False`` leaves out the content of the chapter's code blocks too (prose only).
    """
    pages = chapter_pages(lang, docs)
    return "\n".join(plain_text(p.read_text(encoding="utf-8"), code=code) for p in pages)


def chapter_hash(lang: str, docs: Path | None = None) -> str:
    """SHA-256 of :func:`chapter_text` (what measurements on the pages are cached under)."""
    return hashlib.sha256(chapter_text(lang, docs).encode("utf-8")).hexdigest()


# --- measuring it ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMeasure:
    """Sizes of a text: characters, words as a person counts them, and tokens."""

    chars: int  # characters, spaces and newlines included
    words: int  # aieng.text.tokens.count_words
    tokens: dict[str, int]  # tokenizer name ("gpt-4", "mixtral") -> tokens

    def words_per_token(self, name: str = "gpt-4") -> float:
        return self.words / self.tokens[name]


def _measure(text: str) -> TextMeasure:
    from aieng.text.tokens import count_words, tokenizer

    tokens = {name: tokenizer(name).count(text) for name in ("gpt-4", "mixtral")}
    return TextMeasure(len(text), count_words(text), tokens)


@cached()
def _measure_chapter(lang: str, digest: str, code: bool) -> TextMeasure:
    return _measure(chapter_text(lang, code=code))


def measure_chapter(lang: str, *, code: bool = True) -> TextMeasure:
    """Characters, words and tokens of the chapter's pages in ``lang`` (cached by content).

    ``code=False`` measures the prose alone, without the chapter's code blocks.
    """
    return _measure_chapter(lang, chapter_hash(lang), code)


def _corpus_hash() -> str:
    from aieng.text.corpus import corpus_hash

    return corpus_hash()


@cached(data=_corpus_hash)
def measure_shakespeare() -> TextMeasure:
    """Characters, words and tokens of Shakespeare's plays (:mod:`aieng.text.corpus`)."""
    from aieng.text import corpus

    return _measure(corpus.text("all"))


@dataclass(frozen=True)
class Units:
    """Characters, GPT-4 tokens and words side by side, on the English chapter.

    The character and word vocabularies are those a character- or word-level model trained on
    Shakespeare's plays would have; "unknown" counts the chapter's characters or words that such
    a vocabulary lacks. GPT-4's byte-level BPE has no unknown input: any byte is a token.
    """

    count: dict[str, int]  # "char" / "gpt-4" / "word" -> units in the English chapter
    vocab: dict[str, int]  # -> vocabulary size (char and word: fitted on Shakespeare)
    unknown: dict[str, int]  # -> units of the chapter outside that vocabulary
    chars: int  # characters of the English chapter


@cached()
def _units(digest: str, corpus_digest: str) -> Units:
    from aieng.text import corpus
    from aieng.text.tokens import WordTokenizer, vocabulary

    text = chapter_text("en")
    m = measure_chapter("en")
    alphabet = set(corpus.alphabet())
    words = WordTokenizer.fit(corpus.text("all"))
    pieces = words.pieces(text)
    known = set(words.vocab)
    return Units(
        count={"char": len(text), "gpt-4": m.tokens["gpt-4"], "word": len(pieces)},
        vocab={
            "char": len(alphabet),
            "gpt-4": vocabulary("gpt-4").ordinary,
            "word": len(known) - 3,
        },
        unknown={
            "char": sum(c not in alphabet for c in text),
            "gpt-4": 0,
            "word": sum(w not in known for w in pieces),
        },
        chars=len(text),
    )


def units() -> Units:
    """:class:`Units` of the English chapter (cached by the chapter's and the corpus's hashes)."""
    return _units(chapter_hash("en"), _corpus_hash())
