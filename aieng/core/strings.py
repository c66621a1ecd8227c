"""Every Korean and English word the package prints, from one table: ``aieng/data/strings.toml``.

The table has one section per area (``[tokens]``, ``[queries]``, ...) and, in each, one sub-table
per language with the same keys. One fallback rule serves every lookup: a page's language reads
its own sub-table when the area has one, and the English one otherwise (a language being added
with ``python -m aieng i18n new`` reads English until someone writes its words). A key that
does not exist is an error that names the area's keys, never a silent blank.

Example:
    >>> word("tokens", "count", "ko", n=3), word("tokens", "count", "en", n=3)
    ('토큰 3개', '3 tokens')
    >>> word("tokens", "count", "ja", n=1)
    '1 token'
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from typing import Any

from aieng.core import paths
from aieng.core.lang import LANGUAGES, output_language

STRINGS = paths.DATA / "strings.toml"
FALLBACK = "en"  # what a language without its own words reads


class UnknownStringError(KeyError):
    """An area or key that the string table does not have."""

    def __str__(self) -> str:
        return str(self.args[0])


@functools.cache
def table() -> dict[str, dict[str, dict[str, str]]]:
    """The whole table: area -> language -> key -> text (read once per process)."""
    with STRINGS.open("rb") as fh:
        return tomllib.load(fh)


def words(area: str, lang: str) -> Mapping[str, str]:
    """The words of ``area`` in the language a page written in ``lang`` reads.

    Raises:
        UnknownStringError: for an area the table does not have.
        ValueError: for a ``lang`` that is not a locale code (see :func:`output_language`).
    """
    try:
        languages = table()[area]
    except KeyError:
        raise UnknownStringError(
            f"no area {area!r} in {STRINGS.name}; areas: {', '.join(sorted(table()))}"
        ) from None
    if lang in languages:
        return languages[lang]
    output_language(lang)  # a typo such as "korean" is an error, not English
    return languages[FALLBACK]


def word(area: str, key: str, lang: str, /, **fields: Any) -> str:
    """One entry of ``area`` in the reader's language, formatted with ``fields`` when given.

    A count is passed as ``n``; where ``n`` is 1 and the area has ``KEY_one``, that is used.

    Raises:
        UnknownStringError: for a key the area does not have (the message lists its keys).
    """
    chosen = words(area, lang)
    if fields.get("n") == 1 and f"{key}_one" in chosen:  # "1 token", not "1 tokens"
        key = f"{key}_one"
    try:
        text = chosen[key]
    except KeyError:
        raise UnknownStringError(
            f"no string {area}.{key} in {STRINGS.name}; {area} has: {', '.join(sorted(chosen))}"
        ) from None
    return text.format(**fields) if fields else text


def missing() -> list[str]:
    """``area.lang.key`` for every key that one of :data:`LANGUAGES` lacks (the tests want none).

    ``KEY_one`` forms are optional: Korean counts need none.
    """
    gaps = []
    for area, languages in table().items():
        keys = set().union(*(languages.get(lang, {}) for lang in LANGUAGES))
        keys = {k for k in keys if not k.endswith("_one")}
        for lang in LANGUAGES:
            gaps += [f"{area}.{lang}.{k}" for k in sorted(keys - set(languages.get(lang, {})))]
    return gaps
