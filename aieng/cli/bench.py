"""``python -m aieng bench train|build|site``: benchmarks that print JSON.

Figures are measured here, never asserted in timed tests; closing notes quote these outputs.
Each benchmark's code lives in :mod:`aieng.tools`; this module parses the arguments and prints.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from aieng.tools import sitebuild

# benchmark -> module whose ``bench_main(argv) -> int`` runs it (still to be split like build)
_DELEGATED: dict[str, str] = {
    "train": "aieng.tools.trainbench",
    "site": "aieng.tools.sitebench",  # search hit@1, page weight, Lighthouse scores
}


def build_main(argv: list[str]) -> int:
    """``python -m aieng bench build [--only SCENARIOS] [--repeat N] [--config-file FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng bench build",
        description="Time cold, warm and plain (AIENG_EXEC=off) builds of the site; print JSON.",
    )
    parser.add_argument("--config-file", default="mkdocs.yml", help="MkDocs configuration")
    parser.add_argument(
        "--only",
        default=",".join(sitebuild.SCENARIOS),
        help=f"comma-separated scenarios (default: all of {', '.join(sitebuild.SCENARIOS)})",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario (fastest kept)")
    ns = parser.parse_args(argv)

    def report_failure(name: str, result: sitebuild.BuildResult) -> None:
        print(f"build '{name}' failed:\n{result.log[-4000:]}", file=sys.stderr)

    wanted = [name.strip() for name in ns.only.split(",") if name.strip()]
    try:
        report = sitebuild.benchmark(
            wanted, config_file=ns.config_file, repeat=ns.repeat, on_failure=report_failure
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(report, indent=2))
    return 1 if report["failed"] else 0


def main(argv: list[str]) -> int:
    names = ", ".join(["build", *_DELEGATED])
    if not argv or argv[0] in {"-h", "--help"}:
        print(f"usage: python -m aieng bench {{{names}}} [ARGS...]")
        return 0 if argv else 2
    if argv[0] == "build":
        return build_main(argv[1:])
    if argv[0] in _DELEGATED:
        return int(importlib.import_module(_DELEGATED[argv[0]]).bench_main(argv[1:]) or 0)
    print(f"aieng bench: unknown benchmark {argv[0]!r}; choose from {names}", file=sys.stderr)
    return 2
