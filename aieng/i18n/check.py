"""The translation checker, and the ``python -m aieng i18n`` command line.

The Korean pages under ``docs/ko`` are the source; every other language folder under ``docs``
holds translations at the same relative paths. This module compares a translation with its
source, using the page records of :mod:`aieng.text.pages`, and says what differs, e.g.
``3 code blocks vs 4`` (:func:`check_page` for one page, :func:`check_docs` for the docs tree).
The rest of the translation tooling lives beside it:

* :mod:`aieng.i18n.translations`: the docs tree (:class:`~aieng.i18n.translations.Site`, its languages and
  pages) and :class:`~aieng.i18n.translations.Finding`, what every check reports;
* :mod:`aieng.i18n.glossary`: the glossary and its warnings;
* :mod:`aieng.i18n.staleness`: which version of the source a translation translates (source hash,
  ``stamp``), translated / outdated / missing pages, and the outdated banner on the site;
* :mod:`aieng.i18n.scaffold`: a new language.

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
import io
import json
import logging
import os
import re
import sys
import tokenize
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieng.i18n.glossary import GlossaryTerm, glossary_findings, load_glossary
from aieng.i18n.scaffold import new_language
from aieng.i18n.staleness import stamp, status_table, translation_state, translation_status
from aieng.i18n.translations import Finding, find_site
from aieng.text.pages import (
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
    parse_page,
    python_blocks_run_by_pytest,
)

log = logging.getLogger(__name__)

# Front matter keys a translation may set or change freely; every other key must equal the
# source's (a key such as ``template`` or ``render_macros`` changes how a page is built).
TRANSLATABLE_META = frozenset({"title", "description", "source_hash", "untranslated"})


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
    glossary terms (warning). Staleness is :func:`aieng.i18n.staleness.translation_state`'s business.

    Args:
        source: the source page's text.
        translation: the translated page's text.
        path: how findings name the translation.
        lang: the translation's language (picks the glossary renderings).
        glossary: terms to check (:func:`aieng.i18n.glossary.load_glossary`); none by default.

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
        add(glossary_findings(src, tr, glossary, lang, path))
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
                            f"executed {where} differs: executed code must be byte-identical",
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
        glossary: the glossary to check (default: :func:`aieng.i18n.glossary.load_glossary`).
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
            translation = site.read(language, page)
            if translation is None:
                continue
            source = site.read(site.source, page) or ""
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
