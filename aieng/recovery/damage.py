"""The transit damage, and what it leaves: UTF-8 read as Windows-1254, some bytes lost.

Encoding the damaged text as cp1254 gives the original bytes back, except those cp1254 cannot
represent (``0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E``) and the soft hyphen ``0xAD``, which were
dropped. Lead bytes are never among them, so every damaged character is still announced by its
lead byte and merely lacks one or two continuation bytes. :func:`parse` finds those sequences
and :func:`candidates` lists every character they could have been; :mod:`aieng.recovery.repair`
chooses among them.

Example:
    >>> damage("모델의 역사")  # 의 lost 0x9D, 역 lost the soft hyphen 0xAD
    'ëª¨ë¸ì˜ ì—ì‚¬'
    >>> len(candidates(bytes([0xEC, 0x9D]), 3)) > 1
    True
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from functools import cache

LOST_BYTES = bytes([0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD])


class NotDamagedError(ValueError):
    """The input is not text damaged by a cp1254 round trip, so there is nothing to repair."""


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
