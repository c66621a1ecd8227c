"""``python -m aieng bench train|build|serve|site``: benchmarks that print JSON.

Figures are measured here, never asserted in timed tests; closing notes quote these outputs.
Each benchmark's code lives in :mod:`aieng.tools` and returns plain values; this module parses
the arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from aieng.tools import servebench, sitebuild


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
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="instead: N plain+warm pairs on the current (warm) result cache; each pair's "
        "warm/plain ratio and their median",
    )
    parser.add_argument(
        "--fresh-clone",
        action="store_true",
        help="build a git clone of the last commit (what a fresh clone sees), not the work tree",
    )
    ns = parser.parse_args(argv)
    if ns.pairs:
        print(
            json.dumps(
                sitebuild.warm_over_plain_pairs(ns.pairs, config_file=ns.config_file), indent=2
            )
        )
        return 0

    def report_failure(name: str, result: sitebuild.BuildResult) -> None:
        print(f"build '{name}' failed:\n{result.log[-4000:]}", file=sys.stderr)

    wanted = [name.strip() for name in ns.only.split(",") if name.strip()]
    try:
        report = sitebuild.benchmark(
            wanted,
            config_file=ns.config_file,
            repeat=ns.repeat,
            on_failure=report_failure,
            fresh_clone=ns.fresh_clone,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(report, indent=2))
    return 1 if report["failed"] else 0


def serve_main(argv: list[str]) -> int:
    """``python -m aieng bench serve [--page PAGE] [--lang LANG] [--repeat N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng bench serve",
        description="Serve a copy of docs/ with mkdocs serve, edit one page N times and print, "
        "as JSON, the seconds from each file write to the served page showing the edit.",
    )
    parser.add_argument("--config-file", default="mkdocs.yml", help="MkDocs configuration")
    parser.add_argument("--page", default="1.1/transformer.md", help="page below docs/<lang>/")
    parser.add_argument("--lang", default="en", help="the language folder of the page")
    parser.add_argument("--repeat", type=int, default=5, help="edits to time")
    parser.add_argument("--log", action="store_true", help="include the end of serve's log")
    ns = parser.parse_args(argv)
    try:
        report = servebench.benchmark(
            page=ns.page, lang=ns.lang, repeat=ns.repeat, config_file=ns.config_file
        )
    except ValueError as exc:
        parser.error(str(exc))
    except (TimeoutError, RuntimeError) as exc:
        print(f"aieng bench serve: {exc}", file=sys.stderr)
        return 1
    if not ns.log:
        report.pop("log_tail")
    print(json.dumps(report, indent=2))
    return 0


def train_main(argv: list[str]) -> int:
    """``python -m aieng bench train [--preset NAME] [--steps N] [--all]``."""
    from aieng.tools import trainbench

    parser = argparse.ArgumentParser(
        prog="python -m aieng bench train",
        description="Train afresh (no cache) and print JSON: one preset or recipe, or everything "
        "the pages compute in a cold build (--all).",
    )
    names = sorted({*trainbench.PRESETS, *trainbench.RECIPES})
    parser.add_argument("--preset", default="main", choices=names)
    parser.add_argument(
        "--steps",
        type=int,
        help=f"train only this many steps (default: a preset's whole run, "
        f"{trainbench.RECIPE_STEPS} steps of a recipe)",
    )
    parser.add_argument("--all", action="store_true", help="everything a cold build computes")
    ns = parser.parse_args(argv)
    if ns.all:
        report = trainbench.cold_build_report()
    else:
        report = trainbench.preset_report(ns.preset, ns.steps)
    print(json.dumps(report, indent=2))
    return 0


def site_main(argv: list[str]) -> int:
    """``python -m aieng bench site [--search] [--lighthouse] [--every-page] [--site-dir site]``."""
    from aieng.tools import sitebench

    parser = argparse.ArgumentParser(
        prog="python -m aieng bench site",
        description="Search hit@1 in headless Chromium and Lighthouse scores of the built site.",
    )
    parser.add_argument("--site-dir", default="site", help="the built site (default: site)")
    parser.add_argument("--search", action="store_true", help="search hit@1 in the browser")
    parser.add_argument("--lighthouse", action="store_true", help="Lighthouse scores, weight")
    parser.add_argument(
        "--every-page",
        action="store_true",
        help="Lighthouse on the home page and every chapter page of each language",
    )
    parser.add_argument(
        "--queries", default="tests/search_queries.toml", help="the search evaluation set"
    )
    ns = parser.parse_args(argv)
    lighthouse = ns.lighthouse or ns.every_page
    search = ns.search or not lighthouse  # neither asked for: both
    try:
        report = sitebench.site_report(
            Path(ns.site_dir),
            search=search,
            lighthouse_scores=lighthouse or not ns.search,
            every_page=ns.every_page,
            queries=Path(ns.queries),
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


COMMANDS = {"build": build_main, "serve": serve_main, "train": train_main, "site": site_main}


def main(argv: list[str]) -> int:
    names = ", ".join(COMMANDS)
    if not argv or argv[0] in {"-h", "--help"}:
        print(f"usage: python -m aieng bench {{{names}}} [ARGS...]")
        return 0 if argv else 2
    if argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    print(f"aieng bench: unknown benchmark {argv[0]!r}; choose from {names}", file=sys.stderr)
    return 2
