"""The glossary: how each language renders the book's Korean terms, and the check that uses it.

``aieng/data/glossary.toml`` lists the terms (:func:`load_glossary`): for each, the Korean term
and its variants and, per language, the renderings a translation may use. When a source page uses
a term and its translation uses none of the term's renderings, :func:`glossary_findings` warns
(``python -m aieng i18n check`` shows it; ``--strict`` makes it an error). The glossary's
``[spelling.<lang>]`` tables name spellings a language avoids (English uses American spelling:
"labeled", not "labelled"); a translation that uses one gets a warning at that line.

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
    >>> rule = GlossaryTerm((), {"en": ("labeled",)}, avoid={"en": ("labelled",)})
    >>> british = parse_page("Nobody labelled it.\\n")
    >>> for finding in glossary_findings(source, british, [rule], "en", "a.md"):
    ...     print(finding)
    a.md:1: warning: [spelling] spelling: write 'labeled', not 'labelled' (the glossary's rule)
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field

from aieng.core import paths as _paths
from aieng.i18n.translations import Finding
from aieng.text.pages import Page

GLOSSARY_PATH = _paths.DATA / "glossary.toml"


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary entry: a Korean term and how each language renders it.

    A spelling rule (``[spelling.<lang>]`` in the glossary) has no Korean term: it names a
    spelling the language avoids (``avoid``) and the one to write instead (``renderings``)."""

    ko: tuple[str, ...]  # the Korean term and its variants; () for a spelling rule
    renderings: dict[str, tuple[str, ...]]  # language -> accepted renderings
    note: str = ""
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> words to avoid


def load_glossary(path: str | os.PathLike[str] = GLOSSARY_PATH) -> list[GlossaryTerm]:
    """Read the glossary (``aieng/data/glossary.toml``): ``[[term]]`` tables with ``ko``, one key
    per language (a string or a list of accepted renderings) and an optional ``note``; then, per
    language, a ``[spelling.<lang>]`` table of words a translation must not use (whole words, any
    case) and what to write instead, each read as a term without ``ko``.

    Raises:
        ValueError: if an entry has no ``ko`` or no rendering, or a spelling is not one word.

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
    for lang, words in data.get("spelling", {}).items():
        for avoid, use in words.items():
            if not isinstance(use, str):
                raise ValueError(f"{path}: [spelling.{lang}] {avoid} = {use!r}: write one word")
            terms.append(GlossaryTerm((), {lang: (use,)}, avoid={lang: (avoid,)}))
    return terms


def _spelling_findings(
    translation: Page, glossary: Sequence[GlossaryTerm], lang: str, path: str
) -> list[Finding]:
    """A warning at each line of ``translation`` (executed code aside) that uses a spelling the
    glossary tells ``lang`` to avoid. Fenced blocks that do not run are checked: the chapter's
    diagrams and sample outputs are translated text."""
    rules = [(w, t) for t in glossary for w in t.avoid.get(lang, ())]
    if not rules:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in rules) + r")\b", re.IGNORECASE)
    use = {w.lower(): t.renderings[lang][0] for w, t in rules}
    executed = {i for b in translation.blocks if b.executed for i in range(b.line - 1, b.end_line)}
    findings = []
    for index, line in enumerate(translation.lines):
        if index < translation.offset or index in executed:
            continue
        for match in pattern.finditer(line):
            word = match.group(1)
            findings.append(
                Finding(
                    path,
                    index + 1,
                    "spelling",
                    f"spelling: write '{use[word.lower()]}', not '{word}' (the glossary's rule)",
                    "warning",
                )
            )
    return findings


def glossary_findings(
    source: Page, translation: Page, glossary: Sequence[GlossaryTerm], lang: str, path: str
) -> list[Finding]:
    """A warning for each term of ``glossary`` that ``source`` uses and ``translation`` does not
    render as the glossary says for ``lang``, and for each spelling ``translation`` uses that the
    glossary's spelling rules tell ``lang`` to avoid (the module example shows both).

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
        if not wanted or not term.ko:
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
    return findings + _spelling_findings(translation, glossary, lang, path)
