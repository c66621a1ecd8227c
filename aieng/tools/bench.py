"""Benchmarks that print JSON: ``python -m aieng bench train``, ``bench build``, ``bench site``.

Figures are measured here, never asserted in timed tests; closing notes quote these outputs.
"""

from __future__ import annotations

import importlib
import sys

# benchmark -> module that defines ``bench_main(argv) -> int``
BENCHMARKS: dict[str, str] = {
    "train": "aieng.tools.trainbench",
    "build": "aieng.tools.sitebuild",
    "site": "aieng.tools.sitebench",  # search hit@1, page weight, Lighthouse scores
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        names = ", ".join(BENCHMARKS)
        print(f"usage: python -m aieng bench {{{names}}} [ARGS...]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.bench_main(argv[1:]) or 0)
