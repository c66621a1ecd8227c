"""What the site replaces while it builds: claim macros ``[[claim:ID]]``, Jinja, snippet includes.

Part of the page parser (:mod:`aieng.text.pages`). :data:`CLAIM_MACRO` is the one definition of a
claim macro in the package: ``[[claim:ID]]``, ``[[claim:ID.book]]`` or ``[[claim:ID.measured]]``,
an ID of lower-case words and digits joined by hyphens. Claim macros count where a reader reads a
number: in the prose and in the chapter's illustrative code blocks, but not in code spans (so a
page can show the syntax) nor in blocks that run (code that runs is never rewritten). Anything
there that starts like one (``[[claim:``, ``[[ claim :``) is reported too, as malformed, so that
the site can refuse it instead of printing it. The site expands them (:mod:`aieng.website.macros`
through :func:`substitute_claims`), the prose measurements drop them, the chapter check lets
one stand for a number and the translation checker compares them.

Example:
    >>> for m in claim_macros("책은 [[claim:a-b.book]]개, [[claim:Bad Id]]는 틀렸다.\\n"):
    ...     print(m.line, m.column, m.id, m.field, m.ok)
    1 3 a-b book True
    1 24 None None False
    >>> substitute_claims("x [[claim:a]] y\\n", lambda m: m.id.upper())
    'x A y\\n'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aieng.text.document import Page, parse_page

#: A claim macro: ``[[claim:ID]]``, ``[[claim:ID.book]]``, ``[[claim:ID.measured]]``.
CLAIM_MACRO = re.compile(
    r"\[\[claim:(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<field>book|measured))?\]\]"
)
# What a writer may have meant as one: up to the first ']' (or two) on the line.
_CLAIM_ATTEMPT = re.compile(r"\[\[\s*claim\s*:[^\]\n]*(?:\]\]?)?")
_JINJA_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_SNIPPET_RE = re.compile(r"^.*-{1,}8<-{1,}.*$", re.M)


@dataclass(frozen=True)
class ClaimMacro:
    """A claim macro in the prose of a page, or something malformed that looks like one."""

    line: int  # 1-based line in the file
    column: int  # 0-based offset in the line (tabs expanded to 4 columns, as Markdown does)
    text: str  # as written
    id: str | None  # the claim's id; None when malformed
    field: str | None  # 'book', 'measured' or None

    @property
    def ok(self) -> bool:
        """Whether it is a well-formed :data:`CLAIM_MACRO`."""
        return self.id is not None

    @property
    def value(self) -> str:
        """``ID`` or ``ID.field``; the text as written when malformed."""
        if self.id is None:
            return self.text
        return f"{self.id}.{self.field}" if self.field else self.id


@dataclass(frozen=True)
class Macro:
    """Something replaced while the site builds: ``[[claim:ID]]``, Jinja, a snippet include."""

    line: int
    kind: str  # 'claim', 'jinja' or 'snippet'
    value: str  # claim 'ID' or 'ID.field'; the whole expression for the others


def _macro_lines(doc: Page) -> list[str]:
    """Each line of the page as far as macros go: the prose (code spans blanked), the bodies of
    blocks that do not run, and '' for fence lines, blocks that run and front matter."""
    lines = list(doc.prose)
    for block in doc.blocks:
        if not block.executed:
            for index in range(block.line, block.end_line - 1):
                lines[index] = doc.lines[index]
    return lines


def claim_macros(text: str) -> list[ClaimMacro]:
    """Every claim macro of a page, well-formed or not, in order (see the module docstring).

    Example:
        >>> page = (
        ...     '`[[claim:shown]]` [[claim:a]]\\n```\\n[[claim:b]]\\n```\\n'
        ...     '```python exec="1"\\n[[claim:c]]\\n```\\n'
        ... )
        >>> [m.value for m in claim_macros(page)]
        ['a', 'b']
    """
    doc = parse_page(text)
    found = []
    for index, line in enumerate(_macro_lines(doc)):
        if "[[" not in line:
            continue
        for m in _CLAIM_ATTEMPT.finditer(line):
            good = CLAIM_MACRO.fullmatch(m.group(0))
            found.append(
                ClaimMacro(
                    index + 1,
                    m.start(),
                    m.group(0),
                    good["id"] if good else None,
                    good["field"] if good else None,
                )
            )
    return found


def substitute_claims(text: str, replace: Callable[[ClaimMacro], str]) -> str:
    """``text`` (line endings normalised) with every claim macro replaced by ``replace(macro)``.

    Only lines that hold a macro change (their tabs expanded, as Markdown would); ``replace`` may
    raise to refuse a macro (the site does, for malformed ones and unknown ids).
    """
    doc = parse_page(text)
    lines = doc.source_lines
    by_line: dict[int, list[ClaimMacro]] = {}
    for macro in claim_macros(text):
        by_line.setdefault(macro.line - 1, []).append(macro)
    for index, macros in by_line.items():
        line = doc.lines[index]
        for macro in reversed(macros):
            end = macro.column + len(macro.text)
            line = line[: macro.column] + replace(macro) + line[end:]
        lines[index] = line
    return "\n".join(lines)


def extract_macros(text: str) -> list[Macro]:
    """Claim references (``[[claim:ID]]``, ``[[claim:ID.field]]``), Jinja and snippet includes.

    Claims are found by :func:`claim_macros`; Jinja expressions and ``--8<--``
    snippet lines from the whole page, since they are expanded before code blocks are recognised.

    Example:
        >>> for macro in extract_macros("책은 [[claim:a-b.book]]개, 실제는 [[claim:a-b]]개.\\n"):
        ...     print(macro)
        Macro(line=1, kind='claim', value='a-b.book')
        Macro(line=1, kind='claim', value='a-b')
    """
    doc = parse_page(text)
    macros = [Macro(m.line, "claim", m.value) for m in claim_macros(text)]
    body_start = sum(len(line) + 1 for line in doc.lines[: doc.offset])
    body = doc.text[body_start:]
    for kind, pattern in (("jinja", _JINJA_RE), ("snippet", _SNIPPET_RE)):
        for m in pattern.finditer(body):
            line = doc.offset + body.count("\n", 0, m.start()) + 1
            macros.append(Macro(line, kind, m.group(0).strip()))
    return sorted(macros, key=lambda m: m.line)
