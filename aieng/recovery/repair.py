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

Command line (:mod:`aieng.cli.chapter`)::

    python -m aieng chapter import chapter/1.1.seed.txt \
        --overrides chapter/1.1.overrides.toml -o chapter/1.1.md
    python -m aieng chapter import SEED.txt --review   # every repair with its runners-up

Example:
    >>> damage("모델의 역사")  # 의 lost 0x9D, 역 lost the soft hyphen 0xAD
    'ëª¨ë¸ì˜ ì—ì‚¬'
    >>> recover_text(damage("모델의 역사")).text
    '모델의 역사'
"""

from __future__ import annotations

import gzip
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

from aieng.recovery.damage import Damaged, candidates, damage, parse

log = logging.getLogger(__name__)


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class OverrideError(ValueError):
    """An override entry does not match the text it is meant to correct."""


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
