"""``python -m aieng claims [--json] [--figures] [--lang ko|en]``: print the ledger of the
chapter's checkable claims (:mod:`aieng.book.ledger`)."""

from __future__ import annotations

import argparse
import json

from aieng.book.ledger import figures, format_value, ledger, reason_text, summary


def main(argv: list[str]) -> int:
    """``python -m aieng claims [--json] [--figures] [--lang ko|en]``."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng claims", description="The ledger of the chapter's checkable claims."
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--figures", action="store_true", help="also list the measured figures")
    parser.add_argument("--lang", choices=["ko", "en"], default="en", help="language of the text")
    ns = parser.parse_args(argv)
    rows = ledger() + (figures() if ns.figures else [])
    if ns.json:
        print(json.dumps([e.to_json() for e in rows], ensure_ascii=False, indent=2))
        return 0
    width = max(len(e.id) for e in rows)
    for e in rows:
        book, measured = format_value(e.book, e.digits), format_value(e.measured, e.digits)
        print(f"{e.id:<{width}}  {e.verdict:<12}  book {book:>12}  measured {measured:>12}  "
              f"{reason_text(e.reason, ns.lang)}")  # fmt: skip
    print()
    print(summary(ns.lang))
    return 0
