"""Translations: parity checks, staleness, progress and new languages.

The Korean pages under ``docs/ko`` are the source; every other language folder under ``docs``
holds translations at the same relative paths. This module

* reads the structure of a page into small records with line numbers (:func:`extract_headings`,
  :func:`extract_code_blocks`, :func:`extract_links`, :func:`extract_images`,
  :func:`extract_admonitions`, :func:`extract_macros`, :func:`extract_html`);
* compares a translation with its source and says what differs, e.g. ``3 code blocks vs 4``
  (:func:`check_page`, :func:`check_docs`);
* records which version of the source a translation translates (:func:`source_hash`,
  :func:`stamp`), counts translated, outdated and missing pages (:func:`translation_status`) and
  marks outdated or untranslated pages on the site (:func:`page_markdown`, called by the
  ``aieng`` MkDocs plugin);
* scaffolds a new language (:func:`new_language`).

Pages run code while the site builds (markdown-exec) and while the tests run
(pytest-markdown-docs), so the checker is also a guard: a translation can never add, remove or
change a block that runs, change a block's options, or carry HTML that can run script. Fences are
found with the same rules SuperFences uses (any indentation, ``>`` quotes, backticks or tildes, a
closing fence exactly as long as the opening one), and, independently of that parse, every
fence-like line of a translation must equal the source's, so a block disguised by a parser trick
still shows up as a difference.

Command line (``python -m aieng i18n ...``)::

    check [--docs DIR] [--strict]   compare every translation with its source
    status [--docs DIR] [--json]    translated / outdated / missing pages per language
    stamp PAGE...                   record the current source hash in a translation
    new LANG                        scaffold a language (mkdocs.yml entry, untranslated stubs)

Example:
    >>> source = '# 제목 {#title}\\n\\n```python exec="on"\\nprint(1)\\n```\\n'
    >>> sneaky = '# Title {#title}\\n\\n```python exec="on"\\nprint(2)\\n```\\n'
    >>> [f.message for f in check_page(source, source.replace("제목", "Title"))]
    []
    >>> [f.rule for f in check_page(source, sneaky)]
    ['code', 'tested']
    >>> print(check_page(source, sneaky, path="en/page.md")[0].message)
    executed code block 1 (source line 3) differs: executed code must be byte-identical
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import html
import io
import json
import logging
import os
import re
import sys
import tokenize
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from aieng.pages import (
    CodeBlock,
    Page,
    extract_admonitions,
    extract_headings,
    extract_html,
    extract_images,
    extract_links,
    extract_macros,
    fence_lines,
    find_dangers,
    is_fence_line,
    normalise,
    parse_page,
    python_blocks_run_by_pytest,
    set_front_matter,
    split_front_matter,
)

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "ko"
"""The language the site is written in; every other language translates it."""

HASH_LENGTH = 12
"""Hex digits of SHA-256 kept in ``source_hash`` (48 bits: collisions are not a concern here)."""

GLOSSARY_PATH = Path(__file__).parent / "data" / "glossary.toml"

# Front matter keys a translation may set or change freely; every other key must equal the
# source's (a key such as ``template`` or ``render_macros`` changes how a page is built).
TRANSLATABLE_META = frozenset({"title", "description", "source_hash", "untranslated"})

_LOCALE_RE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One difference between a translation and its source, or one problem of a page."""

    path: str  # the translation's path as given to the checker
    line: int  # line in that file (1-based; 0 when the whole page is concerned)
    rule: str  # 'headings', 'code', 'fences', 'links', 'html', 'stale', 'glossary', ...
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: [{self.rule}] {self.message}"


def source_hash(text: str) -> str:
    """The hash a translation records of its source page: what "this version" of a page means.

    It is the first :data:`HASH_LENGTH` hex digits of the SHA-256 of the page's UTF-8 text with
    its front matter removed and line endings normalised to ``\\n``. Front matter is left out so
    that stamping or retitling a page never makes its translations outdated; any change to the
    text itself, however small, does.

    Example:
        >>> source_hash("# 제목\\n") == source_hash("---\\ntitle: x\\n---\\n# 제목\\r\\n")
        True
        >>> len(source_hash("# 제목\\n"))
        12
    """
    _, body, _ = split_front_matter(text)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:HASH_LENGTH]


# --------------------------------------------------------------------------- code comparison

_PYTHON = frozenset({"py", "python", "python3", "py3", "pycon", "pyodide"})
_TEXT = frozenset({"", "text", "txt", "plain", "plaintext", "output", "md", "markdown", "console"})
# A block that hands strings to these may not change its strings: they would become code.
_RISKY_NAMES = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "__import__",
        "import_module",
        "system",
        "popen",
        "Popen",
        "run",
        "call",
        "check_call",
        "check_output",
        "getattr",
        "loads",
        "open",
        "execfile",
    }
)
_GENERIC_DROP_RE = re.compile(
    r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|(?:(?<=\s)|^)(?:#|//).*$", re.M
)


def _pycon_code(body: str) -> str:
    """The Python typed at the ``>>>`` and ``...`` prompts of a console session."""
    lines = [line[4:] for line in body.split("\n") if line.startswith((">>> ", "... "))]
    lines += [""] if lines else []
    return "\n".join(line for line in lines)


def _python_shape(code: str) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """(tokens with string contents and comments removed, the strings, whether it is risky).

    f-strings keep their replacement fields (``{expr!r:spec}``) in the shape: those are code.
    Returns None when the code does not tokenize.
    """
    shape, strings, risky = [], [], False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER):
                continue
            if tok.type == tokenize.STRING:
                strings.append(tok.string)
                prefix = re.match(r"[A-Za-z]*", tok.string).group(0).lower()
                fields = ""
                if "f" in prefix:
                    tree = ast.parse(tok.string, mode="eval")
                    fields = "|".join(
                        ast.dump(node.value)
                        + str(node.conversion)
                        + ast.dump(node.format_spec or ast.Constant(""))
                        for node in ast.walk(tree)
                        if isinstance(node, ast.FormattedValue)
                    )
                shape.append(f"STRING:{prefix}:{fields}")
            elif getattr(tokenize, "FSTRING_MIDDLE", None) == tok.type:
                strings.append(tok.string)
            else:
                risky = risky or (tok.type == tokenize.NAME and tok.string in _RISKY_NAMES)
                shape.append(f"{tokenize.tok_name[tok.type]}:{tok.string}")
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return None
    return tuple(shape), tuple(strings), risky


def _compare_bodies(source: CodeBlock, translation: CodeBlock) -> str | None:
    """Why a non-executed block's body may not be accepted, or None when it may.

    Python may change comments and the words inside strings (never f-string fields, never the
    strings of a block that passes strings to ``eval``, ``open``, ``subprocess``...); other
    languages may change comments and quoted strings; plain text may change freely. A block whose
    body holds a line that could open a fence must be byte-identical.
    """
    if source.body == translation.body:
        return None
    for block in (source, translation):
        for line in block.body.split("\n"):
            if is_fence_line(line):
                return "a code block that contains fence lines must be byte-identical to the source"
    language = source.language.lower()
    if language in _PYTHON:
        code = _pycon_code if language == "pycon" else (lambda body: body)
        a, b = _python_shape(code(source.body)), _python_shape(code(translation.body))
        if a is None or b is None:
            if a is None and b is None:
                return _compare_generic(source.body, translation.body)
            return "the code does not parse like the source's; only comments and strings may change"
        if a[0] != b[0]:
            return "its code differs from the source's; only comments and strings may change"
        if a[1] != b[1] and (a[2] or b[2]):
            return "its strings changed in a block that passes strings to eval/exec/open/subprocess"
        return None
    if language in _TEXT:
        return None
    return _compare_generic(source.body, translation.body)


def _compare_generic(source: str, translation: str) -> str | None:
    strip = lambda body: _GENERIC_DROP_RE.sub(" ", body).split()  # noqa: E731
    if strip(source) != strip(translation):
        return "its code differs from the source's; only comments and quoted strings may change"
    return None


# --------------------------------------------------------------------------- glossary


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


def _glossary_findings(
    source: Page, translation: Page, glossary: Sequence[GlossaryTerm], lang: str, path: str
) -> list[Finding]:
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


# --------------------------------------------------------------------------- the page check


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _sequence_findings(
    path: str,
    rule: str,
    word: str,
    source: Sequence[Any],
    translation: Sequence[Any],
    key: Any,
    show: Any,
) -> list[Finding]:
    """Ordered comparison: counts, then what is missing, extra or different, with lines."""
    findings = []
    if len(source) != len(translation):
        line = translation[0].line if translation else 0
        findings.append(
            Finding(
                path,
                line,
                rule,
                f"{_plural(len(translation), word)} vs {len(source)} in the source",
            )
        )
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
    return findings + _capped(details)


def _capped(details: list[Finding], limit: int = 5) -> list[Finding]:
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


def _multiset_findings(
    path: str, rule: str, word: str, source: Sequence[Any], translation: Sequence[Any], key: Any
) -> list[Finding]:
    """Unordered comparison (prose may reorder links within a sentence): counts and differences."""
    findings = []
    if len(source) != len(translation):
        line = translation[0].line if translation else 0
        findings.append(
            Finding(
                path,
                line,
                rule,
                f"{_plural(len(translation), word)} vs {len(source)} in the source",
            )
        )
    have, want = Counter(map(key, translation)), Counter(map(key, source))
    for value in want - have:
        s = next(x for x in source if key(x) == value)
        findings.append(Finding(path, 0, rule, f"missing {word} '{value}' (source line {s.line})"))
    for value in have - want:
        t = next(x for x in translation if key(x) == value)
        findings.append(Finding(path, t.line, rule, f"extra {word} '{value}': not in the source"))
    return findings


def check_page(
    source: str,
    translation: str,
    *,
    path: str = "translation",
    lang: str = "en",
    glossary: Sequence[GlossaryTerm] = (),
) -> list[Finding]:
    """Compare a translated page with its source page; return what differs.

    Rules: front matter (only ``title``, ``description``, ``source_hash`` and ``untranslated``
    may differ); headings (count, level, anchor); code blocks (count, order, fences and options;
    executed blocks byte-identical; other blocks may change only comments and strings); every
    fence-like line as in the source; the Python blocks pytest runs; links, images, admonitions,
    claim ids, Jinja and snippet includes; no HTML that can run script; raw HTML tags (warning);
    glossary terms (warning). Staleness is :func:`translation_state`'s business.

    Args:
        source: the source page's text.
        translation: the translated page's text.
        path: how findings name the translation.
        lang: the translation's language (picks the glossary renderings).
        glossary: terms to check (:func:`load_glossary`); none by default.

    Example:
        >>> src = "# 제목 {#t}\\n\\n[다음](b.md)\\n"
        >>> for finding in check_page(src, "# Title {#t}\\n\\n[Next](c.md)\\n", path="en/a.md"):
        ...     print(finding)
        en/a.md:0: error: [links] missing link 'b.md' (source line 3)
        en/a.md:3: error: [links] extra link 'c.md': not in the source
    """
    src, tr = parse_page(source), parse_page(translation)
    findings: list[Finding] = []
    add = findings.extend

    if tr.meta.get("untranslated"):
        rest = re.sub(r"<!--.*?-->", "", "\n".join(tr.lines[tr.offset :]), flags=re.S).strip()
        if rest:
            add(
                [
                    Finding(
                        path,
                        tr.offset + 1,
                        "untranslated",
                        "a page marked 'untranslated: true' must have no content (the source is "
                        "shown in its place): remove the content, or finish the translation "
                        "and remove the mark",
                    )
                ]
            )
        add(_meta_findings(path, {}, tr.meta))
        return findings

    add(_meta_findings(path, src.meta, tr.meta))
    add(
        _sequence_findings(
            path,
            "headings",
            "heading",
            extract_headings(source),
            extract_headings(translation),
            key=lambda h: (h.level, h.anchor),
            show=lambda h: f"'{'#' * h.level} ...{' {#' + h.anchor + '}' if h.anchor else ''}'",
        )
    )
    add(_code_findings(path, src, tr))
    add(
        _sequence_findings(
            path,
            "fences",
            "fence line",
            [_Line(n, s) for n, s in fence_lines(src)],
            [_Line(n, s) for n, s in fence_lines(tr)],
            key=lambda x: x.text,
            show=lambda x: f"'{x.text.strip()}'",
        )
    )
    add(_tested_findings(path, src, tr))
    add(
        _multiset_findings(
            path,
            "links",
            "link",
            extract_links(source),
            extract_links(translation),
            key=lambda x: x.target,
        )
    )
    add(
        _multiset_findings(
            path,
            "images",
            "image",
            extract_images(source),
            extract_images(translation),
            key=lambda x: x.src,
        )
    )
    add(
        _sequence_findings(
            path,
            "admonitions",
            "admonition",
            extract_admonitions(source),
            extract_admonitions(translation),
            key=lambda a: (a.marker, a.kind),
            show=lambda a: f"'{a.marker} {a.kind}'",
        )
    )
    add(
        _multiset_findings(
            path,
            "macros",
            "macro",
            extract_macros(source),
            extract_macros(translation),
            key=lambda m: f"{m.kind}:{m.value}",
        )
    )
    add(_danger_findings(path, src, tr))
    html_warnings = _multiset_findings(
        path,
        "html",
        "HTML tag",
        extract_html(source),
        extract_html(translation),
        key=lambda x: x.tag,
    )
    add(Finding(f.path, f.line, f.rule, f.message, "warning") for f in html_warnings)
    if glossary:
        add(_glossary_findings(src, tr, glossary, lang, path))
    return findings


@dataclass(frozen=True)
class _Line:
    line: int
    text: str


def _meta_findings(path: str, source: dict[str, Any], translation: dict[str, Any]) -> list[Finding]:
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


def _code_findings(path: str, src: Page, tr: Page) -> list[Finding]:
    findings = []
    executed = lambda doc: [b for b in doc.blocks if b.executed]  # noqa: E731
    if len(executed(src)) != len(executed(tr)):
        findings.append(
            Finding(
                path,
                0,
                "code",
                f"{_plural(len(executed(tr)), 'executed code block')} "
                f"vs {len(executed(src))} in the source",
            )
        )
    findings += _sequence_findings(
        path,
        "code",
        "code block",
        src.blocks,
        tr.blocks,
        key=lambda b: (b.prefix.strip(), b.fence, b.info),
        show=lambda b: f"'{b.fence}{b.info}'",
    )
    matcher = difflib.SequenceMatcher(
        a=[(b.prefix.strip(), b.fence, b.info) for b in src.blocks],
        b=[(b.prefix.strip(), b.fence, b.info) for b in tr.blocks],
        autojunk=False,
    )
    number = {id(b): n for n, b in enumerate(src.blocks, start=1)}
    for block in matcher.get_matching_blocks():
        for s, t in zip(  # noqa: B905 - both slices have block.size items
            src.blocks[block.a : block.a + block.size], tr.blocks[block.b : block.b + block.size]
        ):
            where = f"code block {number[id(s)]} (source line {s.line})"
            if s.executed:
                if s.body != t.body or s.prefix != t.prefix:
                    findings.append(
                        Finding(
                            path,
                            t.line,
                            "code",
                            f"executed {where} differs: "
                            "executed code must be byte-identical",
                        )
                    )
                continue
            reason = _compare_bodies(s, t)
            if reason:
                findings.append(Finding(path, t.line, "code", f"{where}: {reason}"))
    return findings


def _as_block(line: int, info: str, code: str) -> CodeBlock:
    """A Python block as pytest sees it, in the form :func:`_compare_bodies` takes."""
    return CodeBlock(line, line, "```", "", info, "python", (), code, False)


def _tested_findings(path: str, src: Page, tr: Page) -> list[Finding]:
    a, b = python_blocks_run_by_pytest(src), python_blocks_run_by_pytest(tr)
    findings = []
    if len(a) != len(b):
        findings.append(
            Finding(
                path,
                b[0][0] if b else 0,
                "tested",
                f"{_plural(len(b), 'Python block')} run by pytest vs {len(a)} in the source",
            )
        )
        return findings  # the other rules say which block; pairing them up here would be noise
    for (sl, si, sc), (tl, ti, tc) in zip(a, b, strict=True):
        reason = (
            "its info string differs"
            if si != ti
            else _compare_bodies(_as_block(sl, si, sc), _as_block(tl, ti, tc))
        )
        if reason:
            findings.append(
                Finding(
                    path,
                    tl,
                    "tested",
                    f"the Python block pytest runs at source line {sl}: {reason}",
                )
            )
    return findings


def _danger_findings(path: str, src: Page, tr: Page) -> list[Finding]:
    allowed = Counter(what for _, what, in_code in find_dangers(src) if in_code)
    findings = []
    for line, what, in_code in find_dangers(tr):
        if in_code and allowed[what] > 0:
            allowed[what] -= 1
            continue
        findings.append(
            Finding(
                path,
                line,
                "html",
                f"{what} can run script in the reader's browser: translations may not contain it",
            )
        )
    return findings


# --------------------------------------------------------------------------- the docs tree


def read_mkdocs_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load ``mkdocs.yml`` for reading only: tags such as ``!ENV`` or ``!!python/name:`` are
    kept as their plain value (or None), so no code is imported and nothing is resolved.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = Path(d, "mkdocs.yml").write_text("site_url: !ENV X\\nf: !!python/name:a.b\\n")
        ...     read_mkdocs_config(Path(d, "mkdocs.yml"))
        {'site_url': 'X', 'f': ''}
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    _Loader.add_multi_constructor("!", plain)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", plain)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader) or {}  # noqa: S506 - a SafeLoader subclass


def _i18n_languages(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``languages`` list of the i18n plugin in a loaded ``mkdocs.yml`` (empty if none)."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            return [x for x in plugin["i18n"].get("languages") or [] if isinstance(x, dict)]
    return []


@dataclass(frozen=True)
class Site:
    """Where the pages are: the docs folder, the source language and the translations."""

    docs: Path
    source: str  # the language everything is translated from
    languages: tuple[str, ...]  # translation languages, in configuration order
    names: dict[str, str] = field(default_factory=dict)  # language -> its name in the switcher

    def pages(self) -> list[str]:
        """The source pages, as paths relative to the language folder (``1.1/transformer.md``)."""
        root = self.docs / self.source
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))

    def path(self, language: str, page: str) -> Path:
        return self.docs / language / page


def find_site(docs: str | os.PathLike[str] = "docs") -> Site:
    """Describe the docs tree ``docs``: languages from ``mkdocs.yml`` next to it when it has the
    i18n plugin, else from the language folders found in it.

    Raises:
        FileNotFoundError: if ``docs`` has no source language folder.
    """
    docs = Path(docs)
    source, languages, names = SOURCE_LANGUAGE, [], {}
    config = docs.parent / "mkdocs.yml"
    entries = _i18n_languages(read_mkdocs_config(config)) if config.is_file() else []
    if entries:
        for entry in entries:
            locale = str(entry.get("locale"))
            names[locale] = str(entry.get("name") or locale)
            if entry.get("default"):
                source = locale
            elif locale != "null":
                languages.append(locale)
    else:
        folders = (
            sorted(p.name for p in docs.iterdir() if p.is_dir() and _LOCALE_RE.match(p.name))
            if docs.is_dir()
            else []
        )
        languages = [f for f in folders if f != source and any((docs / f).rglob("*.md"))]
    if not (docs / source).is_dir():
        raise FileNotFoundError(
            f"no source pages: {docs / source} does not exist. Pass the docs folder that holds "
            f"'{source}/' (python -m aieng i18n check --docs DIR)"
        )
    return Site(docs, source, tuple(languages), names)


def translation_state(source: str, translation: str | None) -> str:
    """Where a translation stands against the current source text.

    One of ``'missing'`` (no file), ``'untranslated'`` (a stub marked ``untranslated: true``),
    ``'unstamped'`` (no ``source_hash``), ``'outdated'`` (the source changed since the hash was
    recorded) and ``'current'``.

    Example:
        >>> src = "# 제목\\n"
        >>> translation_state(src, None), translation_state(src, "# Title\\n")
        ('missing', 'unstamped')
        >>> translation_state(src, f"---\\nsource_hash: {source_hash(src)}\\n---\\n# Title\\n")
        'current'
        >>> stamped = f"---\\nsource_hash: {source_hash(src)}\\n---\\n# Title\\n"
        >>> translation_state("# 새 제목\\n", stamped)
        'outdated'
    """
    if translation is None:
        return "missing"
    meta, _, _ = split_front_matter(translation)
    if meta.get("untranslated"):
        return "untranslated"
    recorded = meta.get("source_hash")
    if not recorded:
        return "unstamped"
    return "current" if str(recorded) == source_hash(source) else "outdated"


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _shown(path: Path) -> str:
    """A path as findings show it: relative to the working folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_docs(
    docs: str | os.PathLike[str] = "docs",
    *,
    strict: bool = False,
    glossary: Sequence[GlossaryTerm] | None = None,
) -> list[Finding]:
    """Check every translation under ``docs`` against its source page (:func:`check_page`), plus
    staleness: a translation without ``source_hash`` or with an old one is a warning, an error
    with ``strict``. A translation whose source page does not exist is an error.

    Args:
        docs: the docs folder (holding ``ko/``, ``en/``, ...).
        strict: make warnings errors.
        glossary: the glossary to check (default: :func:`load_glossary`).
    """
    site = find_site(docs)
    terms = load_glossary() if glossary is None else glossary
    pages = set(site.pages())
    findings: list[Finding] = []
    for language in site.languages:
        folder = site.docs / language
        extra = (
            sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))
            if folder.is_dir()
            else []
        )
        for page in extra:
            if page not in pages:
                findings.append(
                    Finding(
                        _shown(folder / page),
                        0,
                        "orphan",
                        f"no source page {site.source}/{page}: "
                        "rename the translation to match its source, or remove it",
                    )
                )
        for page in sorted(pages):
            target = site.path(language, page)
            translation = _read(target)
            if translation is None:
                continue
            source = _read(site.path(site.source, page)) or ""
            shown = _shown(target)
            findings += check_page(source, translation, path=shown, lang=language, glossary=terms)
            state = translation_state(source, translation)
            if state in {"unstamped", "outdated"}:
                what = (
                    "has no source_hash, so nobody knows which version of the source it translates"
                    if state == "unstamped"
                    else f"is outdated: {site.source}/{page} changed after it was translated"
                )
                findings.append(
                    Finding(
                        shown,
                        1,
                        "stale",
                        f"the translation {what}. Update it, then run "
                        f"'python -m aieng i18n stamp {shown}'",
                        "warning",
                    )
                )
    if strict:
        findings = [Finding(f.path, f.line, f.rule, f.message, "error") for f in findings]
    return findings


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class LanguageStatus:
    """How far the translation into one language is."""

    language: str
    name: str  # the language's name in the switcher
    pages: int  # source pages
    translated: int  # stamped with the current source hash
    outdated: int  # stamped with an older hash, or not stamped
    missing: int  # no file, or an untranslated stub
    outdated_pages: tuple[str, ...] = ()
    missing_pages: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        """Share of the source pages translated and current, in percent (one decimal)."""
        return round(100 * self.translated / self.pages, 1) if self.pages else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "percent": self.percent,
            "outdated_pages": list(self.outdated_pages),
            "missing_pages": list(self.missing_pages),
        }


def translation_status(docs: str | os.PathLike[str] = "docs") -> list[LanguageStatus]:
    """Per translation language: pages translated, outdated and missing.

    Example:
        >>> [s.language for s in translation_status("docs")]
        ['en']
    """
    site = find_site(docs)
    pages = site.pages()
    result = []
    for language in site.languages:
        outdated, missing = [], []
        for page in pages:
            state = translation_state(
                _read(site.path(site.source, page)) or "", _read(site.path(language, page))
            )
            if state in {"missing", "untranslated"}:
                missing.append(page)
            elif state in {"outdated", "unstamped"}:
                outdated.append(page)
        result.append(
            LanguageStatus(
                language,
                site.names.get(language, language),
                len(pages),
                len(pages) - len(outdated) - len(missing),
                len(outdated),
                len(missing),
                tuple(outdated),
                tuple(missing),
            )
        )
    return result


_STATUS_WORDS = {
    "ko": (
        "언어",
        "페이지",
        "번역됨",
        "오래됨",
        "없음",
        "완료",
        "오래된 페이지",
        "번역되지 않은 페이지",
    ),
    "en": (
        "Language",
        "Pages",
        "Translated",
        "Outdated",
        "Missing",
        "Complete",
        "Outdated pages",
        "Pages not translated",
    ),
}


def status_table(statuses: Sequence[LanguageStatus]) -> str:
    """The status as a plain-text table (what ``python -m aieng i18n status`` prints)."""
    rows = [("language", "pages", "translated", "outdated", "missing", "complete")]
    rows += [
        (
            s.language,
            str(s.pages),
            str(s.translated),
            str(s.outdated),
            str(s.missing),
            f"{s.percent:.1f}%",
        )
        for s in statuses
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def status_markdown(docs: str | os.PathLike[str] = "docs", *, lang: str = SOURCE_LANGUAGE) -> str:
    """The status as Markdown for the site's translation page, with words in ``lang``.

    Example:
        >>> print(status_markdown("docs", lang="en").splitlines()[0])
        | Language | Pages | Translated | Outdated | Missing | Complete |
    """
    words = _STATUS_WORDS.get(lang, _STATUS_WORDS["en"])
    statuses = translation_status(docs)
    lines = ["| " + " | ".join(words[:6]) + " |", "|:--|--:|--:|--:|--:|--:|"]
    for s in statuses:
        lines.append(
            f"| {s.name} (`{s.language}`) | {s.pages} | {s.translated} | {s.outdated} "
            f"| {s.missing} | {s.percent:.1f}% |"
        )
    for s in statuses:
        for title, pages in ((words[6], s.outdated_pages), (words[7], s.missing_pages)):
            if pages:
                lines += ["", f"**{s.name} — {title}:** " + ", ".join(f"`{p}`" for p in pages)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- stamping


def _locate(path: Path) -> tuple[Path, str, str]:
    """(docs folder, language, page) of a translation's path such as ``docs/en/1.1/x.md``."""
    path = path.resolve()
    for folder in path.parents:
        if _LOCALE_RE.match(folder.name) and folder.name != SOURCE_LANGUAGE:
            page = path.relative_to(folder).as_posix()
            if (folder.parent / SOURCE_LANGUAGE / page).is_file():
                return folder.parent, folder.name, page
    raise FileNotFoundError(
        f"{path} is not a translation of a source page: a translation lives at "
        f"docs/<lang>/<page> and its source at docs/{SOURCE_LANGUAGE}/<page>"
    )


def stamp(path: str | os.PathLike[str]) -> str:
    """Record in a translation the hash of its source page as it is now; return the hash.

    Run it after updating a translation to the current source (``python -m aieng i18n stamp
    docs/en/1.1/x.md``); only the ``source_hash`` line of the front matter changes.

    Raises:
        FileNotFoundError: if ``path`` is not ``docs/<lang>/<page>`` with a source page.
        ValueError: if the page is still marked ``untranslated: true``.
    """
    path = Path(path)
    docs, _, page = _locate(path)
    text = path.read_text(encoding="utf-8")
    if split_front_matter(text)[0].get("untranslated"):
        raise ValueError(
            f"{path} is marked 'untranslated: true': translate it and remove that line first"
        )
    digest = source_hash((docs / SOURCE_LANGUAGE / page).read_text(encoding="utf-8"))
    updated = set_front_matter(text, "source_hash", digest)
    if updated != normalise(text):
        _write_atomic(path, updated)
    return digest


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --------------------------------------------------------------------------- the site


# (title, text when the source changed, text when no version is recorded, link), per reader.
_BANNERS = {
    "en": (
        "This translation may be out of date",
        "The Korean original of this page has changed since it was translated.",
        "This translation does not record which version of the Korean original it follows.",
        "Read the Korean original",
    ),
    "ko": (
        "번역이 오래되었을 수 있습니다",
        "이 페이지의 원문이 번역된 뒤에 바뀌었습니다.",
        "이 번역은 원문의 어느 버전을 옮긴 것인지 기록하지 않았습니다.",
        "원문 읽기",
    ),
    "ja": (
        "この翻訳は古くなっている可能性があります",
        "このページの韓国語の原文は、翻訳された後に更新されています。",
        "この翻訳は、韓国語の原文のどの版を訳したものかを記録していません。",
        "韓国語の原文を読む",
    ),
}


def outdated_banner(reader: str, href: str, *, unstamped: bool = False) -> str:
    """The HTML banner on an outdated translation, in the reader's language, linking to the
    source page (unknown languages get English). ``unstamped``: the translation records no
    ``source_hash`` at all, so the banner says that rather than "the original changed".

    Example:
        >>> "Read the Korean original" in outdated_banner("en", "../../1.1/x/")
        True
    """
    title, changed, unrecorded, link = _BANNERS.get(reader, _BANNERS["en"])
    text = unrecorded if unstamped else changed
    return (
        f'<div class="admonition warning aieng-outdated" role="note" lang="{html.escape(reader)}">'
        f'<p class="admonition-title">{html.escape(title)}</p>'
        f'<p>{html.escape(text)} <a href="{html.escape(href)}" hreflang="{SOURCE_LANGUAGE}">'
        f"{html.escape(link)}</a></p></div>\n\n"
    )


def _source_url(page: Any, config: Any, language: str, source: str) -> str:
    """The URL of ``page``'s source page, relative to ``page``."""
    from mkdocs.utils import get_relative_url

    links = {lang: f"{lang}/" for lang in (language, source)}
    links[source] = ""
    plugin = (getattr(config, "plugins", None) or {}).get("i18n")
    for entry in getattr(getattr(plugin, "config", None), "languages", None) or []:
        links[entry.locale] = (
            (entry.link or "").strip("/") + "/" if (entry.link or "").strip("/") else ""
        )
    url = page.url or ""
    prefix = links.get(language, "")
    rest = url[len(prefix) :] if prefix and url.startswith(prefix) else url
    return get_relative_url(links.get(source, "") + rest, url) or "./"


def page_markdown(markdown: str, *, page: Any, config: Any) -> str:
    """What the site shows for a page, called by the ``aieng`` MkDocs plugin on each page.

    * A translation stub marked ``untranslated: true`` shows its source page (the plugin's
      fallback banner says so, in the reader's language).
    * A translation whose ``source_hash`` is not the source's current hash gets a banner in the
      reader's language that links to the source page.
    * Everything else is returned unchanged.
    """
    parts = page.file.src_uri.split("/", 1)
    plugin = (getattr(config, "plugins", None) or {}).get("i18n")
    source = getattr(plugin, "default_language", None) or SOURCE_LANGUAGE
    if len(parts) != 2 or parts[0] == source or not _LOCALE_RE.match(parts[0]):
        return markdown
    language, relative = parts
    source_path = Path(config["docs_dir"]) / source / relative
    if not source_path.is_file():
        return markdown
    source_text = source_path.read_text(encoding="utf-8")
    if (page.meta or {}).get("untranslated"):
        return split_front_matter(source_text)[1]
    recorded = (page.meta or {}).get("source_hash")
    if recorded and str(recorded) == source_hash(source_text):
        return markdown
    href = _source_url(page, config, language, source)
    return outdated_banner(language, href, unstamped=not recorded) + markdown


# --------------------------------------------------------------------------- a new language

_LANGUAGE_NAMES = {
    "ja": "日本語",
    "zh": "中文",
    "en": "English",
    "ko": "한국어",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "vi": "Tiếng Việt",
    "pt": "Português",
    "ru": "Русский",
    "it": "Italiano",
}
_STUB = (
    "---\nuntranslated: true\n---\n"
    "<!-- Not translated yet: the site shows docs/{source}/{page} here, with a banner.\n"
    '     To translate it, follow CONTRIBUTING.md ("Translate a page"). -->\n'
)


def _nav_titles(nav: Any) -> list[str]:
    """Titles written in the ``nav`` of ``mkdocs.yml``, in order."""
    titles: list[str] = []
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                titles.append(str(title))
                titles += _nav_titles(value)
    return titles


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def new_language(
    language: str, *, root: str | os.PathLike[str] = ".", name: str | None = None
) -> list[Path]:
    """Scaffold a translation language; return the files created or changed.

    Adds the language to the i18n plugin's ``languages`` in ``mkdocs.yml`` (a text insertion
    after the last language: comments, order and tags such as ``!ENV`` stay as they are), with
    ``nav_translations`` for every title of ``nav`` (placeholders to translate: the English
    labels where there are some), and writes a stub ``docs/<language>/<page>`` marked
    ``untranslated: true`` for each source page: the site shows the source there, with a banner,
    until someone translates it. The site builds at once, with the language in the switcher.
    Running it again for a language that exists adds the stubs of new source pages only.

    Args:
        language: a locale code such as ``ja`` or ``pt-BR``.
        root: the repository (holding ``mkdocs.yml`` and ``docs/``).
        name: the name shown in the language switcher (default: a known name, else the code).

    Raises:
        ValueError: if ``language`` is not a locale code or is the source language.
        FileNotFoundError: if ``root`` has no ``mkdocs.yml`` with the i18n plugin.
    """
    root = Path(root)
    if not _LOCALE_RE.match(language):
        raise ValueError(f"{language!r} is not a language code: use one such as 'ja' or 'pt-BR'")
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        raise FileNotFoundError(
            f"{config_path} not found: run this in the repository's root folder"
        )
    config = read_mkdocs_config(config_path)
    entries = _i18n_languages(config)
    if not entries:
        raise FileNotFoundError(
            f"{config_path} has no i18n plugin with languages: nothing to add to"
        )
    docs = root / str(config.get("docs_dir") or "docs")
    source = next((str(e["locale"]) for e in entries if e.get("default")), SOURCE_LANGUAGE)
    if language == source:
        raise ValueError(
            f"{language!r} is the source language: pick the language to translate into"
        )
    changed: list[Path] = []
    if language not in {str(e.get("locale")) for e in entries}:
        english = next(
            (e.get("nav_translations") or {} for e in entries if e.get("locale") == "en"), {}
        )
        labels = {t: str(english.get(t, t)) for t in _nav_titles(config.get("nav"))}
        _add_language_entry(
            config_path,
            language,
            name or _LANGUAGE_NAMES.get(language.split("-")[0].split("_")[0], language),
            labels,
        )
        changed.append(config_path)
    site = Site(docs, source, (language,))
    for page in site.pages():
        target = site.path(language, page)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_STUB.format(source=source, page=page), encoding="utf-8")
            changed.append(target)
    return changed


def _add_language_entry(
    config_path: Path, language: str, name: str, labels: dict[str, str]
) -> None:
    """Insert a ``languages`` entry after the last one of the i18n plugin, as text."""
    original = config_path.read_text(encoding="utf-8")
    lines = original.split("\n")
    plugin = next(
        (i for i, line in enumerate(lines) if re.match(r"^\s*-\s*i18n\s*:\s*$", line)), None
    )
    start = next(
        (i for i in range(plugin or 0, len(lines)) if re.match(r"^\s*languages\s*:\s*$", lines[i])),
        None,
    )
    if plugin is None or start is None:
        raise ValueError(
            f"{config_path}: could not find 'languages:' under '- i18n:'; add the language by hand"
        )
    key_indent = len(lines[start]) - len(lines[start].lstrip())
    end, item_indent = start + 1, None
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip())
        if indent <= key_indent and not (indent == key_indent and text.lstrip().startswith("- ")):
            break
        if item_indent is None and text.lstrip().startswith("- "):
            item_indent = indent
        end = i + 1
    pad = " " * (item_indent if item_indent is not None else key_indent + 2)
    entry = [
        f"{pad}- locale: {language}",
        f"{pad}  name: {_yaml_str(name)}",
        f"{pad}  build: true",
        f"{pad}  # Added by 'python -m aieng i18n new {language}'; translate the menu labels:",
        f"{pad}  nav_translations:",
    ] + [f"{pad}    {_yaml_str(key)}: {_yaml_str(value)}" for key, value in labels.items()]
    if not labels:
        entry[-1] += " {}"
    updated = "\n".join(lines[:end] + entry + lines[end:])
    config_path.write_text(updated, encoding="utf-8")
    try:
        added = [
            e
            for e in _i18n_languages(read_mkdocs_config(config_path))
            if str(e.get("locale")) == language
        ]
    except Exception:  # noqa: BLE001 - any failure to read it back means the edit went wrong
        added = []
    if len(added) != 1:
        config_path.write_text(original, encoding="utf-8")
        raise ValueError(
            f"{config_path}: adding '{language}' did not give a valid languages list; "
            "the file is unchanged: add the language by hand"
        )


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m aieng i18n {check,status,stamp,new}`` (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng i18n", description="Translation checks, status and scaffolding."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="compare every translation with its source page")
    check.add_argument(
        "--docs", default="docs", help="docs folder holding ko/, en/, ... (default: docs)"
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings (outdated pages, glossary) as errors"
    )
    status = commands.add_parser(
        "status", help="translated, outdated and missing pages per language"
    )
    status.add_argument("--docs", default="docs")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stamp_ = commands.add_parser(
        "stamp", help="record the source's current hash in translated pages"
    )
    stamp_.add_argument("pages", nargs="+", metavar="PAGE", help="e.g. docs/en/1.1/transformer.md")
    new = commands.add_parser(
        "new", help="scaffold a language: mkdocs.yml entry and untranslated stubs"
    )
    new.add_argument("language", metavar="LANG", help="language code, e.g. ja")
    new.add_argument(
        "--name", help="name in the language switcher (default: the language's own name)"
    )
    new.add_argument("--root", default=".", help="repository root holding mkdocs.yml (default: .)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))

    try:
        if args.command == "check":
            return _main_check(args.docs, args.strict)
        if args.command == "status":
            statuses = translation_status(args.docs)
            if args.json:
                print(
                    json.dumps(
                        {
                            "source": find_site(args.docs).source,
                            "languages": [s.to_dict() for s in statuses],
                        },
                        ensure_ascii=False,
                        indent=2,
                    )
                )
            else:
                print(status_table(statuses))
            return 0
        if args.command == "stamp":
            for page in args.pages:
                print(f"{page}: source_hash {stamp(page)}")
            return 0
        changed = new_language(args.language, root=args.root, name=args.name)
        for path in changed:
            print(f"wrote {_shown(path)}")
        print(
            f"'{args.language}' is set up: build the site (mkdocs build --strict), then "
            "translate a page as CONTRIBUTING.md describes."
        )
        return 0
    except (FileNotFoundError, ValueError) as exc:
        print(f"aieng i18n {args.command}: {exc}", file=sys.stderr)
        return 2


def _main_check(docs: str, strict: bool) -> int:
    site = find_site(docs)
    findings = check_docs(docs, strict=strict)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    translated = sum(
        site.path(lang, page).is_file() for lang in site.languages for page in site.pages()
    )
    print(
        f"checked {translated} translated pages of {len(site.pages())} source pages "
        f"({', '.join(site.languages) or 'no translations'}): {errors} errors, {warnings} warnings"
    )
    return 1 if errors else 0
