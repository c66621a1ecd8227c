"""The glossary: how each language renders the book's Korean terms, and the check that uses it.

``aieng/data/glossary.toml`` lists the terms (:func:`load_glossary`): for each, the Korean term
and its variants and, per language, the renderings a translation may use. When a source page uses
a term and its translation uses none of the term's renderings, :func:`glossary_findings` warns
(``python -m aieng i18n check`` shows it; ``--strict`` makes it an error).

Example:
    >>> from aieng.text.pages import parse_page
    >>> terms = [GlossaryTerm(("토큰",), {"en": ("token",)})]
    >>> source = parse_page("문장을 토큰으로 나눕니다.\\n")
    >>> glossary_findings(source, parse_page("It splits text into tokens.\\n"), terms, "en", "a.md")
    []
    >>> [warning] = glossary_findings(source, parse_page("It splits text.\\n"), terms, "en", "a.md")
    >>> warning.severity
    'warning'
    >>> print(warning.message)
    glossary: '토큰' is on the source page (line 1) but its translation 'token' is not in this page
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from aieng.core import paths as _paths
from aieng.i18n.translations import Finding
from aieng.text.pages import Page

GLOSSARY_PATH = _paths.DATA / "glossary.toml"


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary entry: a Korean term and how each language renders it."""

    ko: tuple[str, ...]  # the Korean term and its variants
    renderings: dict[str, tuple[str, ...]]  # language -> accepted renderings
    note: str = ""


def load_glossary(path: str | os.PathLike[str] = GLOSSARY_PATH) -> list[GlossaryTerm]:
    """Read the glossary (``aieng/data/glossary.toml``): ``[[term]]`` tables with ``ko``, one key
    per language (a string or a list of accepted renderings) and an optional ``note``.

    Raises:
        ValueError: if an entry has no ``ko`` or no rendering.

    Example:
        >>> terms = load_glossary()
        >>> any("token" in t.renderings["en"] for t in terms)
        True
    """
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    terms = []
    for number, entry in enumerate(data.get("term", []), start=1):
        as_tuple = lambda v: (v,) if isinstance(v, str) else tuple(v)  # noqa: E731
        if "ko" not in entry:
            raise ValueError(f"{path}: term {number} has no 'ko' key: add the Korean term")
        renderings = {k: as_tuple(v) for k, v in entry.items() if k not in {"ko", "note"}}
        if not renderings:
            raise ValueError(
                f"{path}: term {number} ({entry['ko']}) has no rendering: add e.g. en = '...'"
            )
        terms.append(GlossaryTerm(as_tuple(entry["ko"]), renderings, entry.get("note", "")))
    return terms


def glossary_findings(
    source: Page, translation: Page, glossary: Sequence[GlossaryTerm], lang: str, path: str
) -> list[Finding]:
    """A warning for each term of ``glossary`` that ``source`` uses and ``translation`` does not
    render as the glossary says for ``lang`` (the module example shows one).

    Args:
        source: the source page (:func:`aieng.text.pages.parse_page`).
        translation: the translated page.
        glossary: the terms to check (:func:`load_glossary`).
        lang: the translation's language (picks the renderings).
        path: how findings name the translation.
    """
    # Lines are joined with spaces: a term may wrap from one line to the next.
    source_lines = source.prose
    source_prose = re.sub(r"\s+", " ", " ".join(source_lines))
    translated = re.sub(r"\s+", " ", " ".join(translation.prose)).lower()
    findings = []
    for term in glossary:
        wanted = term.renderings.get(lang)
        if not wanted:
            continue
        if not any(k in source_prose for k in term.ko) or any(
            w.lower() in translated for w in wanted
        ):
            continue
        first = [
            i for i, text in enumerate(source_lines) if any(k.split()[0] in text for k in term.ko)
        ]
        line = first[0] + 1 if first else 0
        findings.append(
            Finding(
                path,
                0,
                "glossary",
                f"glossary: '{term.ko[0]}' is on the source page (line {line}) but its translation "
                f"'{wanted[0]}' is not in this page" + (f" ({term.note})" if term.note else ""),
                "warning",
            )
        )
    return findings
