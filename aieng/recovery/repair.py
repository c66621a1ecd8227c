"""The chapter importer: repair Markdown whose UTF-8 bytes were decoded as Windows-1254.

The chapter arrived damaged in transit: its UTF-8 bytes were read as cp1254 (Turkish) text and
written out again as UTF-8. Encoding the damaged text as cp1254 gives the original bytes back,
except those that cp1254 cannot represent (``0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E``) and the
soft hyphen ``0xAD``, which were dropped. Lead bytes are never among them, so every damaged
character is still announced by its lead byte and merely lacks one or two continuation bytes.

Repairing it takes three steps:

1. :func:`parse` finds each incomplete UTF-8 sequence and :func:`candidates` lists every
   character that inserting the missing bytes could give (6 to 64 of them).
2. :class:`Scorer` picks, for each run of Hangul, the combination that Korean word frequencies
   (the ``wordfreq`` package's word list, read directly) and the chapter's own undamaged words
   make most likely.
3. An explicit, reviewed override table fixes what frequencies get wrong (많은/말은,
   되는/또는 ...). Each entry names its line, the scorer's word and the right one, and a piece
   of context that must then appear on that line; every replacement must itself damage back to
   the same bytes, so the table can correct choices but never invent text.

:func:`damage` applies the transit damage; the round trip ``damage(recover(seed)) == seed`` is
tested byte for byte.

Command line::

    python -m aieng import chapter/1.1.seed.txt \
        --overrides chapter/1.1.overrides.toml -o chapter/1.1.md
    python -m aieng import SEED.txt --review   # every repair with its runners-up

Example:
    >>> damage("모델의 역사")  # 의 lost 0x9D, 역 lost the soft hyphen 0xAD
    'ëª¨ë¸ì˜ ì—ì‚¬'
    >>> recover_text(damage("모델의 역사")).text
    '모델의 역사'
"""

from __future__ import annotations

import gzip
import itertools
import logging
import math
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

#: Bytes that cp1254 cannot decode (dropped) plus the soft hyphen (stripped).
LOST_BYTES = bytes([0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD])

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class NotDamagedError(ValueError):
    """The input is not text damaged by a cp1254 round trip, so there is nothing to repair."""


class OverrideError(ValueError):
    """An override entry does not match the text it is meant to correct."""


# --------------------------------------------------------------------------------------------
# The damage and its inverse, byte by byte


def damage(text: str) -> str:
    """Apply the transit damage: UTF-8 bytes decoded as cp1254, lost bytes dropped.

    Example:
        >>> damage("A → B")
        'A â†’ B'
    """
    raw = text.encode("utf-8")
    kept = bytes(b for b in raw if b not in LOST_BYTES)
    return kept.decode("cp1254")


@dataclass(frozen=True)
class Damaged:
    """One character whose UTF-8 sequence lost bytes in transit.

    Attributes:
        line: 1-based line of the character in the text.
        index: position of the character's piece in :func:`parse`'s list.
        present: the bytes that survived (lead byte first).
        length: the length its lead byte announces.
    """

    line: int
    index: int
    present: bytes
    length: int

    @property
    def missing(self) -> int:
        return self.length - len(self.present)


def _sequence_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def parse(text: str) -> list[str | Damaged]:
    """Split damaged text into intact text and :class:`Damaged` characters.

    Raises:
        NotDamagedError: if the text cannot have come from the damage (a character cp1254
            cannot encode, a stray continuation byte, or no damage at all).
    """
    try:
        raw = text.encode("cp1254")
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        line = text.count("\n", 0, exc.start) + 1
        raise NotDamagedError(
            f"line {line}: {char!r} (U+{ord(char):04X}) cannot come from cp1254 mojibake; this "
            "file is not damaged the way the importer repairs (is it already clean UTF-8?)"
        ) from None
    pieces: list[str | Damaged] = []
    plain = bytearray()
    line, i, damaged = 1, 0, 0
    while i < len(raw):
        lead = raw[i]
        length = _sequence_length(lead)
        if length == 0:
            raise NotDamagedError(
                f"line {line}: byte 0x{lead:02X} cannot start a UTF-8 character, so this is not "
                "UTF-8 read as cp1254; nothing was written"
            )
        j = i + 1
        while j < len(raw) and j - i < length and 0x80 <= raw[j] <= 0xBF:
            j += 1
        if j - i < length:
            if plain:
                pieces.append(plain.decode("utf-8"))
                plain.clear()
            pieces.append(Damaged(line, len(pieces), bytes(raw[i:j]), length))
            damaged += 1
        else:
            plain += raw[i:j]
        line += raw[i:j].count(b"\n")
        i = j
    if plain:
        pieces.append(plain.decode("utf-8"))
    if not damaged and not any(b >= 0x80 for b in raw):
        raise NotDamagedError(
            "the text is plain ASCII: nothing was damaged, so there is nothing to import this way"
        )
    return pieces


@cache
def candidates(present: bytes, length: int) -> tuple[str, ...]:
    """Every character that inserting lost bytes into ``present`` can give, in code point order.

    Example:
        >>> "역".encode()  # the soft hyphen 0xAD was lost in transit
        b'\\xec\\x97\\xad'
        >>> options = candidates(b"\\xec\\x97", 3)
        >>> len(options), "역" in options, "에" in options
        (16, True, True)
    """
    missing = length - len(present)
    found: set[str] = set()
    slots = range(1, length)
    for positions in itertools.combinations(slots, missing):
        for fill in itertools.product(LOST_BYTES, repeat=missing):
            seq, tail, it = bytearray(present[:1]), iter(present[1:]), iter(fill)
            for k in range(1, length):
                seq.append(next(it) if k in positions else next(tail))
            try:
                char = bytes(seq).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and unicodedata.category(char) not in {"Cn", "Cs", "Co"}:
                found.add(char)
    return tuple(sorted(found))


# --------------------------------------------------------------------------------------------
# Scoring with Korean word frequencies


@cache
def _wordfreq_korean() -> dict[str, float]:
    """Korean word -> log10 frequency, read straight from wordfreq's packaged list.

    wordfreq's own lookup for Korean needs MeCab; its data file does not. The file is a list of
    buckets: bucket ``i`` holds the words whose frequency is ``10 ** (-i / 100)``.
    """
    import msgpack  # a dependency of wordfreq

    data_file = resources.files("wordfreq") / "data" / "small_ko.msgpack.gz"
    with data_file.open("rb") as fh:
        buckets = msgpack.unpackb(gzip.decompress(fh.read()), raw=False)
    header, buckets = buckets[0], buckets[1:]
    if header.get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq data format {header!r}; pin wordfreq 3.x")
    return {word: -i / 100 for i, bucket in enumerate(buckets) for word in bucket}


@dataclass
class Scorer:
    """Scores candidate spellings of a run of Hangul.

    A run's score is its best segmentation into known pieces: words of the wordfreq list
    (log10 frequency) and words seen undamaged elsewhere in the same text (``context`` bonus),
    with a penalty for each extra piece and a syllable-frequency fallback for unknown pieces.
    """

    context_words: Counter[str] = field(default_factory=Counter)
    context_symbols: Counter[str] = field(default_factory=Counter)
    piece_penalty: float = 1.5
    unknown_syllable: float = 9.0

    def __post_init__(self) -> None:
        self.lexicon = _wordfreq_korean()
        syllables: Counter[str] = Counter()
        for word, logf in self.lexicon.items():
            for ch in word:
                syllables[ch] += 10**logf
        total = sum(syllables.values())
        self.syllable_logp = {ch: math.log10(n / total) for ch, n in syllables.items()}

    def piece(self, piece: str) -> float:
        best = self.lexicon.get(piece, -math.inf)
        if self.context_words[piece]:
            best = max(best, -3.0) + 0.5 * math.log10(1 + self.context_words[piece])
        return best

    def symbol(self, char: str) -> float:
        """Prior for a non-Hangul character: seen undamaged in the text, or in KS X 1001.

        KS X 1001 (EUC-KR) is the legacy Korean character set; the arrows, box-drawing and
        mathematical symbols that Korean technical writing uses are in it.
        """
        if unicodedata.category(char).startswith("L"):
            return -30.0  # a letter of another script inside Korean text: never a repair
        score = 2.0 if self.context_symbols[char] else 0.0
        try:
            char.encode("euc-kr")
            score += 1.0
        except UnicodeEncodeError:
            pass
        return score

    def run(self, run: str) -> float:
        n = len(run)
        best = [0.0] + [-math.inf] * n
        for end in range(1, n + 1):
            for start in range(max(0, end - 6), end):
                piece = run[start:end]
                known = self.piece(piece)
                if known == -math.inf:
                    if end - start > 1:
                        continue
                    known = self.syllable_logp.get(piece, -12.0) - self.unknown_syllable
                best[end] = max(best[end], best[start] + known - self.piece_penalty)
        return best[n]


# --------------------------------------------------------------------------------------------
# Recovery


@dataclass(frozen=True)
class Repair:
    """One repaired run of text: where, what the scorer chose, and the runner-up."""

    line: int
    word: str
    alternatives: tuple[str, ...]
    damaged: int
    overridden: bool = False


@dataclass(frozen=True)
class Recovery:
    """The recovered text and the list of repairs that produced it."""

    text: str
    repairs: tuple[Repair, ...]

    @property
    def damaged_characters(self) -> int:
        return sum(r.damaged for r in self.repairs)


@dataclass(frozen=True)
class Override:
    """A reviewed correction: on ``line``, the scorer's ``scored`` word reads ``fixed``."""

    line: int
    scored: str
    fixed: str
    context: str
    nth: int = 0
    note: str = ""


def load_overrides(path: str | Path) -> list[Override]:
    """Read an override table (TOML, ``[[override]]`` entries)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"override table {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise OverrideError(f"{path}: not valid TOML ({exc})") from None
    entries = []
    for k, entry in enumerate(data.get("override", [])):
        try:
            entries.append(Override(**entry))
        except TypeError as exc:
            raise OverrideError(
                f"{path}: override #{k + 1} needs line, scored, fixed and context ({exc})"
            ) from None
    return entries


_RUN = re.compile(r"[\uac00-\ud7a3]+")


def _runs(pieces: list[str | Damaged]) -> list[list[int]]:
    """Group damaged pieces into runs: damaged characters joined by adjacent Hangul."""
    groups: list[list[int]] = []
    current: list[int] = []
    for k, piece in enumerate(pieces):
        if isinstance(piece, Damaged):
            current.append(k)
            continue
        if current and _RUN.fullmatch(piece or "x") is None:
            # a plain piece breaks the run unless it is pure Hangul
            groups.append(current)
            current = []
        elif current:
            current.append(k)
    if current:
        groups.append(current)
    return groups


def recover_text(damaged: str, overrides: list[Override] = ()) -> Recovery:  # type: ignore[assignment]
    """Recover the original text from its damaged form.

    Args:
        damaged: the text as it arrived.
        overrides: reviewed corrections (see :func:`load_overrides`).

    Raises:
        NotDamagedError: the input is not damaged this way.
        OverrideError: an override does not match the text.
    """
    pieces = parse(damaged)
    context = _intact_words(pieces)
    symbols = Counter(
        ch for piece in pieces if isinstance(piece, str) for ch in piece if ord(ch) > 0x2000
    )
    scorer = Scorer(context_words=context, context_symbols=symbols)
    chosen: list[str] = ["" if isinstance(p, Damaged) else p for p in pieces]
    repairs: list[Repair] = []
    for run in _runs(pieces):
        slots = [k for k in run if isinstance(pieces[k], Damaged)]
        options = [candidates(pieces[k].present, pieces[k].length) for k in slots]
        words = _score_run(pieces, run, slots, options, scorer)
        for k, ch in zip(slots, words[0][1], strict=True):
            chosen[k] = ch
        text_of = [_render_run(pieces, run, slots, combo) for _, combo in words[:4]]
        repairs.append(Repair(pieces[slots[0]].line, text_of[0], tuple(text_of[1:]), len(slots)))
    text = "".join(chosen)
    text, repairs = _apply_overrides(text, repairs, list(overrides))
    if damage(text) != damaged:
        raise AssertionError("internal error: the recovered text does not damage back to the input")
    return Recovery(text, tuple(repairs))


def _intact_words(pieces: list[str | Damaged]) -> Counter[str]:
    """Hangul words that survived whole: not touching a damaged character on either side."""
    words: Counter[str] = Counter()
    for k, piece in enumerate(pieces):
        if not isinstance(piece, str):
            continue
        found = list(_RUN.finditer(piece))
        for m in found:
            touches_left = m.start() == 0 and k > 0 and isinstance(pieces[k - 1], Damaged)
            touches_right = (
                m.end() == len(piece) and k + 1 < len(pieces) and isinstance(pieces[k + 1], Damaged)
            )
            if not (touches_left or touches_right):
                words[m.group()] += 1
    return words


def _render_run(pieces, run, slots, combo) -> str:
    fill = dict(zip(slots, combo, strict=True))
    return "".join(fill.get(k, pieces[k]) for k in run)  # type: ignore[misc]


def _extend(pieces, run) -> tuple[str, str]:
    """Hangul directly before and after a run, so the scorer sees whole words."""
    first, last = run[0], run[-1]
    before = pieces[first - 1] if first > 0 and isinstance(pieces[first - 1], str) else ""
    after = pieces[last + 1] if last + 1 < len(pieces) and isinstance(pieces[last + 1], str) else ""
    left = re.search(r"[\uac00-\ud7a3]*$", before).group()  # type: ignore[union-attr]
    right = re.match(r"[\uac00-\ud7a3]*", after).group()  # type: ignore[union-attr]
    return left, right


def _score_run(pieces, run, slots, options, scorer: Scorer):
    left, right = _extend(pieces, run)
    beam: list[tuple[float, tuple[str, ...]]] = [(0.0, ())]
    # beam search keeps long runs tractable; each step rescores the whole prefix
    for k, opts in enumerate(options):
        grown = []
        for _, prefix in beam:
            for ch in opts:
                combo = prefix + (ch,)
                partial = slots[: k + 1]
                upto = run[: run.index(partial[-1]) + 1]
                text = left + _render_run(pieces, upto, partial, combo)
                grown.append((_score_text(scorer, text, combo), combo))
        grown.sort(key=lambda t: -t[0])
        beam = grown[:64]
    final = []
    for _, combo in beam:
        text = left + _render_run(pieces, run, slots, combo) + right
        final.append((_score_text(scorer, text, combo), combo))
    final.sort(key=lambda t: (-t[0], t[1]))
    return final


def _score_text(scorer: Scorer, text: str, combo: tuple[str, ...]) -> float:
    symbols = sum(scorer.symbol(ch) for ch in combo if not _HANGUL.match(ch))
    return (scorer.run(text) if _HANGUL.search(text) else 0.0) + symbols


def _apply_overrides(text: str, repairs: list[Repair], overrides: list[Override]):
    lines = text.split("\n")
    for ov in overrides:
        if not 1 <= ov.line <= len(lines):
            raise OverrideError(f"override for line {ov.line}: the text has {len(lines)} lines")
        if damage(ov.fixed) != damage(ov.scored):
            raise OverrideError(
                f"line {ov.line}: {ov.fixed!r} does not damage to the same bytes as "
                f"{ov.scored!r}, so it cannot be a repair of this text"
            )
        line = lines[ov.line - 1]
        starts = [m.start() for m in re.finditer(re.escape(ov.scored), line)]
        if len(starts) <= ov.nth:
            raise OverrideError(
                f"line {ov.line}: expected the scorer's word {ov.scored!r} (occurrence "
                f"{ov.nth}) in {line!r}; review the override table"
            )
        at = starts[ov.nth]
        line = line[:at] + ov.fixed + line[at + len(ov.scored) :]
        if ov.context not in line:
            raise OverrideError(
                f"line {ov.line}: after the override the line should contain {ov.context!r} "
                f"but reads {line!r}"
            )
        lines[ov.line - 1] = line
        for k, rep in enumerate(repairs):
            if rep.line == ov.line and ov.scored in rep.word:
                repairs[k] = Repair(
                    rep.line,
                    rep.word.replace(ov.scored, ov.fixed),
                    rep.alternatives,
                    rep.damaged,
                    overridden=True,
                )
                break
    return "\n".join(lines), repairs


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str]) -> int:
    """``python -m aieng import SEED [-o OUT] [--overrides TOML] [--review]``."""
    import argparse
    import os
    import sys
    import tempfile

    parser = argparse.ArgumentParser(
        prog="python -m aieng import",
        description="Recover a chapter whose UTF-8 was decoded as cp1254 (bytes lost).",
    )
    parser.add_argument("seed", type=Path, help="the damaged file")
    parser.add_argument("-o", "--output", type=Path, help="where to write the recovered Markdown")
    parser.add_argument("--overrides", type=Path, help="reviewed override table (TOML)")
    parser.add_argument("--review", action="store_true", help="list every repair and its rivals")
    ns = parser.parse_args(argv)

    try:
        damaged = ns.seed.read_text(encoding="utf-8")
        overrides = load_overrides(ns.overrides) if ns.overrides else []
        result = recover_text(damaged, overrides)
    except (OSError, UnicodeDecodeError, NotDamagedError, OverrideError) as exc:
        print(f"aieng import: {exc}", file=sys.stderr)
        return 1

    if ns.review:
        for rep in result.repairs:
            mark = "*" if rep.overridden else " "
            print(f"{rep.line:5d}{mark} {rep.word}\t{' | '.join(rep.alternatives)}")
    summary = (
        f"{result.damaged_characters} damaged characters in {len(result.repairs)} runs repaired; "
        f"{len(overrides)} reviewed overrides applied"
    )
    print(summary, file=sys.stderr)
    if ns.output:
        ns.output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=ns.output.parent, prefix=".import-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(result.text)
        os.replace(tmp, ns.output)
    elif not ns.review:
        sys.stdout.write(result.text)
    return 0
