"""Comparing the records of a page with its translation's: counts, then what differs, with lines.

The translation checker (:mod:`aieng.i18n.check`) compares each kind of record of
:mod:`aieng.text.pages` with one of two rules: :func:`sequence_findings` where order matters
(headings, code blocks, admonitions: "3 code blocks vs 4 in the source", then what is missing,
extra or different, naming lines) and :func:`multiset_findings` where prose may reorder them
(links, images, macros). :func:`meta_findings` compares front matter.

Example:
    >>> from aieng.text.pages import extract_headings
    >>> source = extract_headings("# 제목 {#t}\\n\\n## 절 {#s}\\n")
    >>> for f in sequence_findings("en/a.md", "headings", "heading", source,
    ...                            extract_headings("# Title {#t}\\n"),
    ...                            key=lambda h: (h.level, h.anchor), show=lambda h: h.anchor):
    ...     print(f)
    en/a.md:1: error: [headings] 1 heading vs 2 in the source
    en/a.md:1: error: [headings] missing heading s (source line 3)
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aieng.i18n.translations import Finding

# Front matter keys a translation may set or change freely; every other key must equal the
# source's (a key such as ``template`` or ``render_macros`` changes how a page is built).
TRANSLATABLE_META = frozenset({"title", "description", "source_hash", "untranslated"})


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _count_findings(
    path: str, rule: str, word: str, source: Sequence[Any], translation: Sequence[Any]
) -> list[Finding]:
    """One finding when the translation has more or fewer records than the source ("4 vs 3")."""
    if len(source) == len(translation):
        return []
    line = translation[0].line if translation else 0
    message = f"{plural(len(translation), word)} vs {len(source)} in the source"
    return [Finding(path, line, rule, message)]


def sequence_findings(
    path: str,
    rule: str,
    word: str,
    source: Sequence[Any],
    translation: Sequence[Any],
    key: Callable[[Any], Any],
    show: Callable[[Any], str],
) -> list[Finding]:
    """Ordered comparison: counts, then what is missing, extra or different, with lines."""
    findings = _count_findings(path, rule, word, source, translation)
    matcher = difflib.SequenceMatcher(
        a=[key(x) for x in source], b=[key(x) for x in translation], autojunk=False
    )
    details = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(source[a1:a2], translation[b1:b2], strict=False))
        for s, t in pairs:
            details.append(
                Finding(
                    path,
                    t.line,
                    rule,
                    f"{word} {show(t)} differs from the source's {show(s)} (source line {s.line})",
                )
            )
        for s in source[a1 + len(pairs) : a2]:
            at = translation[b1 - 1].line if b1 else 0
            details.append(
                Finding(path, at, rule, f"missing {word} {show(s)} (source line {s.line})")
            )
        for t in translation[b1 + len(pairs) : b2]:
            details.append(
                Finding(path, t.line, rule, f"extra {word} {show(t)}: not in the source")
            )
    return findings + capped(details)


def capped(details: list[Finding], limit: int = 5) -> list[Finding]:
    """At most ``limit`` details of one rule: after a structural slip the rest is noise."""
    if len(details) <= limit:
        return details
    last = details[limit - 1]
    more = Finding(
        last.path,
        last.line,
        last.rule,
        f"... and {len(details) - limit} more differences of this kind",
    )
    return details[:limit] + [more]


def multiset_findings(
    path: str, rule: str, word: str, source: Sequence[Any], translation: Sequence[Any], key: Any
) -> list[Finding]:
    """Unordered comparison (prose may reorder links within a sentence): counts and differences."""
    findings = _count_findings(path, rule, word, source, translation)
    have, want = Counter(map(key, translation)), Counter(map(key, source))
    for value in want - have:
        s = next(x for x in source if key(x) == value)
        findings.append(Finding(path, 0, rule, f"missing {word} '{value}' (source line {s.line})"))
    for value in have - want:
        t = next(x for x in translation if key(x) == value)
        findings.append(Finding(path, t.line, rule, f"extra {word} '{value}': not in the source"))
    return findings


@dataclass(frozen=True)
class Line:
    line: int
    text: str


def meta_findings(path: str, source: dict[str, Any], translation: dict[str, Any]) -> list[Finding]:
    findings = []
    for key in sorted(set(source) | set(translation)):
        if key in TRANSLATABLE_META:
            continue
        if source.get(key, None) != translation.get(key, None) or (key in source) != (
            key in translation
        ):
            findings.append(
                Finding(
                    path,
                    1,
                    "meta",
                    f"front matter key '{key}' differs from the source's: "
                    f"only {', '.join(sorted(TRANSLATABLE_META))} may differ",
                )
            )
    for key in ("title", "description"):
        value = translation.get(key)
        if value is not None and (
            not isinstance(value, str) or "\n" in value or "`" in value or "~~~" in value
        ):
            findings.append(
                Finding(path, 1, "meta", f"front matter '{key}' must be one line of text")
            )
    return findings
