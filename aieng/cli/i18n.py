"""``python -m aieng i18n check|status|stamp|new``: the translation tooling's command line.

It parses arguments, calls :mod:`aieng.i18n` and prints what it returns::

    check [--docs DIR] [--strict]   compare every translation with its source
    status [--docs DIR] [--json]    translated / outdated / missing pages per language
    stamp PAGE...                   record the current source hash in a translation
    new LANG                        scaffold a language (mkdocs.yml entry, untranslated stubs)

``check`` exits with 1 when it finds an error, every command with 2 when its input is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from aieng.i18n.check import check_docs, shown_path
from aieng.i18n.scaffold import new_language
from aieng.i18n.staleness import stamp, status_table, translation_status
from aieng.i18n.translations import find_site


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
            print(f"wrote {shown_path(path)}")
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
