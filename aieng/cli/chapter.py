"""``python -m aieng chapter import SEED ...`` (``python -m aieng import`` for short): recover
the damaged chapter with :mod:`aieng.recovery`, review its repairs, write the result atomically."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from aieng.recovery.damage import NotDamagedError
from aieng.recovery.repair import OverrideError, load_overrides, recover_text


def import_main(argv: list[str]) -> int:
    """``python -m aieng chapter import SEED [-o OUT] [--overrides TOML] [--review]``."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng chapter import",
        description="Recover a chapter whose UTF-8 was decoded as cp1254 (bytes lost).",
    )
    parser.add_argument("seed", type=Path, help="the damaged file")
    parser.add_argument("-o", "--output", type=Path, help="where to write the recovered Markdown")
    parser.add_argument("--overrides", type=Path, help="reviewed override table (TOML)")
    parser.add_argument("--review", action="store_true", help="list every repair and its rivals")
    ns = parser.parse_args(argv)

    try:
        damaged = ns.seed.read_text(encoding="utf-8")
        overrides = load_overrides(ns.overrides) if ns.overrides else []
        result = recover_text(damaged, overrides)
    except (OSError, UnicodeDecodeError, NotDamagedError, OverrideError) as exc:
        print(f"aieng chapter import: {exc}", file=sys.stderr)
        return 1

    if ns.review:
        for rep in result.repairs:
            mark = "*" if rep.overridden else " "
            print(f"{rep.line:5d}{mark} {rep.word}\t{' | '.join(rep.alternatives)}")
    summary = (
        f"{result.damaged_characters} damaged characters in {len(result.repairs)} runs repaired; "
        f"{len(overrides)} reviewed overrides applied"
    )
    print(summary, file=sys.stderr)
    if ns.output:
        ns.output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=ns.output.parent, prefix=".import-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(result.text)
        os.replace(tmp, ns.output)
    elif not ns.review:
        sys.stdout.write(result.text)
    return 0


def main(argv: list[str]) -> int:
    """``python -m aieng chapter import ...``."""
    if argv[:1] == ["import"]:
        return import_main(argv[1:])
    print("usage: python -m aieng chapter import SEED [-o OUT] [--overrides TOML] [--review]")
    return 0 if argv[:1] in (["-h"], ["--help"]) else 2
