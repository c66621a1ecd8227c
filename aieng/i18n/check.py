"""The translation checker: a translation compared with its source page, and the docs tree.

The Korean pages under ``docs/ko`` are the source; every other language folder under ``docs``
holds translations at the same relative paths. :func:`check_page` compares a translation with its
source, using the page parser's records (:mod:`aieng.text.pages`), and says what differs, e.g.
``3 code blocks vs 4``; :func:`check_docs` does it for the docs tree, with staleness. The rest of
the translation tooling lives beside it:

* :mod:`aieng.i18n.structure`: ordered and unordered comparisons of records, and front matter;
* :mod:`aieng.i18n.codeblocks`: what a translation may change in a code block (executed code:
  nothing);
* :mod:`aieng.i18n.translations`: the docs tree (:class:`~aieng.i18n.translations.Site`, its
  languages and pages) and :class:`~aieng.i18n.translations.Finding`, what every check reports;
* :mod:`aieng.i18n.glossary`: the glossary and its warnings;
* :mod:`aieng.i18n.staleness`: which version of the source a translation translates (source hash,
  ``stamp``) and translated / outdated / missing pages;
* :mod:`aieng.i18n.scaffold`: a new language.

The command line is ``python -m aieng i18n check|status|stamp|new`` (:mod:`aieng.cli.i18n`).

Pages run code while the site builds (markdown-exec) and while the tests run
(pytest-markdown-docs), so the checker is also a guard: a translation can never add, remove or
change a block that runs, change a block's options, or carry HTML that can run script. Fences are
found with the same rules SuperFences uses, and, independently of that parse, every fence-like
line of a translation must equal the source's, so a block disguised by a parser trick still shows
up as a difference.

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

import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from aieng.i18n.codeblocks import code_findings, tested_findings
from aieng.i18n.glossary import GlossaryTerm, glossary_findings, load_glossary
from aieng.i18n.staleness import translation_state
from aieng.i18n.structure import (
    TRANSLATABLE_META,
    Line,
    meta_findings,
    multiset_findings,
    sequence_findings,
)
from aieng.i18n.translations import Finding, find_site
from aieng.text.pages import (
    Page,
    extract_admonitions,
    extract_headings,
    extract_html,
    extract_images,
    extract_links,
    extract_macros,
    fence_lines,
    find_dangers,
    parse_page,
)

__all__ = ["TRANSLATABLE_META", "check_docs", "check_page", "shown_path"]


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
    glossary terms (warning). Staleness is the business of
    :func:`aieng.i18n.staleness.translation_state`.

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
        add(meta_findings(path, {}, tr.meta))
        return findings

    add(meta_findings(path, src.meta, tr.meta))
    add(
        sequence_findings(
            path,
            "headings",
            "heading",
            extract_headings(source),
            extract_headings(translation),
            key=lambda h: (h.level, h.anchor),
            show=lambda h: f"'{'#' * h.level} ...{' {#' + h.anchor + '}' if h.anchor else ''}'",
        )
    )
    add(code_findings(path, src, tr))
    add(
        sequence_findings(
            path,
            "fences",
            "fence line",
            [Line(n, s) for n, s in fence_lines(src)],
            [Line(n, s) for n, s in fence_lines(tr)],
            key=lambda x: x.text,
            show=lambda x: f"'{x.text.strip()}'",
        )
    )
    add(tested_findings(path, src, tr))
    add(
        multiset_findings(
            path,
            "links",
            "link",
            extract_links(source),
            extract_links(translation),
            key=lambda x: x.target,
        )
    )
    add(
        multiset_findings(
            path,
            "images",
            "image",
            extract_images(source),
            extract_images(translation),
            key=lambda x: x.src,
        )
    )
    add(
        sequence_findings(
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
        multiset_findings(
            path,
            "macros",
            "macro",
            extract_macros(source),
            extract_macros(translation),
            key=lambda m: f"{m.kind}:{m.value}",
        )
    )
    add(_danger_findings(path, src, tr))
    html_warnings = multiset_findings(
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


def shown_path(path: Path) -> str:
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
                        shown_path(folder / page),
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
            shown = shown_path(target)
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
