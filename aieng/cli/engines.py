"""``python -m aieng engines compare``: build with MkDocs and ProperDocs, list what differs.

The comparison lives in :mod:`aieng.tools.engines`; this module parses the arguments and prints.
Exit status 0: the same pages; 1: a build failed or a page differs (each is listed).
"""

from __future__ import annotations

import argparse
import json
import sys

from aieng.tools import engines


def compare_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m aieng engines compare",
        description=(
            f"Build the site strictly with {' and '.join(engines.ENGINES)} and compare the pages "
            "(the generator meta tag aside). Examples are not run unless --execute is given."
        ),
    )
    parser.add_argument("--config-file", default="mkdocs.yml", help="the configuration to build")
    parser.add_argument(
        "--execute",
        action="store_true",
        help="run the examples too (seconds on a warm cache, as right after ./setup.sh; a cold "
        "cache trains models for minutes)",
    )
    parser.add_argument("--keep", metavar="DIR", help="write the two sites to DIR/site-ENGINE")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    ns = parser.parse_args(argv)

    try:
        result = engines.compare_engines(
            config_file=ns.config_file, execute=ns.execute, work_dir=ns.keep
        )
    except engines.EngineBuildError as exc:
        print(f"aieng engines compare: {exc}", file=sys.stderr)
        return 1
    if ns.json:
        print(json.dumps(result.summary(), indent=2))
    else:
        seconds = ", ".join(f"{name} {b.seconds} s" for name, b in result.builds.items())
        mode = "examples run" if ns.execute else "AIENG_EXEC=off"
        if result.same:
            print(f"the same {result.pages} pages from both engines ({mode}; {seconds})")
        else:
            print(f"{len(result.differences)} file(s) differ ({mode}; {seconds}):")
            for difference in result.differences:
                print(f"- {difference}")
    return 0 if result.same else 1


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m aieng engines compare [--execute] [--keep DIR] [--json]")
        return 0 if argv else 2
    if argv[0] == "compare":
        return compare_main(argv[1:])
    print(f"aieng engines: unknown command {argv[0]!r}; try 'compare'", file=sys.stderr)
    return 2
