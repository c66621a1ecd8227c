"""``python -m aieng bench train``: train afresh (no cache) and report JSON figures.

``--preset NAME`` (default ``main``) times one preset; ``--all`` times everything a cold build of
the site computes, in an empty temporary cache.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from aieng.training.train import PRESETS, _trained, device, fit, trained


def _site_computations() -> list[tuple[str, Callable[[], Any]]]:
    """Everything the pages train or evaluate, in build order (what a cold build computes)."""
    from aieng.book import queries as lm
    from aieng.models import ngram, word2vec
    from aieng.training import scaling

    return [
        ("main", lambda: trained("main")),
        ("mlm", lambda: trained("mlm")),
        ("sweep", scaling.model_sweep),
        ("data_sweep", scaling.data_sweep),
        ("emergence", scaling.emergence),
        ("word2vec", word2vec.embeddings),
        ("ngrams", ngram.held_out_losses),
        ("page_queries", lm.page_examples),
    ]


def _load() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def bench_main(argv: list[str]) -> int:
    """``python -m aieng bench train``: train afresh (no cache) and print JSON.

    ``--preset NAME`` (default ``main``) times one preset; ``--all`` times everything a cold
    build of the site computes, in an empty temporary cache.
    """
    import argparse
    import tempfile

    import torch

    parser = argparse.ArgumentParser(prog="python -m aieng bench train")
    parser.add_argument("--preset", default="main", choices=sorted(PRESETS))
    parser.add_argument("--all", action="store_true", help="everything a cold build computes")
    ns = parser.parse_args(argv)
    machine = {"threads": None, "cpu_count": os.cpu_count(), "load_average_1min_before": _load()}
    if ns.all:
        from aieng.core import cache

        with tempfile.TemporaryDirectory() as tmp:
            os.environ["AIENG_CACHE_DIR"] = tmp
            cache.clear_cache(disk=False)
            steps, start = {}, time.perf_counter()
            for label, compute in _site_computations():
                t0 = time.perf_counter()
                compute()
                steps[label] = round(time.perf_counter() - t0, 1)
            total = time.perf_counter() - start
            loops = {
                name: round(_trained(cfg, name).train_seconds, 1)
                for name, cfg in PRESETS.items()
                if name != "tiny"
            }
        machine["threads"] = torch.get_num_threads()
        report = {
            "cold_build_compute_seconds": round(total, 1),
            "seconds_by_step": steps,
            "training_loop_seconds_by_preset": loops,
            "device": device(),
            **machine,
            "load_average_1min_after": _load(),
        }
        print(json.dumps(report, indent=2))
        return 0
    result = fit(PRESETS[ns.preset], name=ns.preset)
    machine["threads"] = torch.get_num_threads()
    report = {
        "preset": ns.preset,
        "val_loss": round(result.val_loss, 4),
        "val_loss_unit": "nats/char (held-out split)",
        "train_seconds": round(result.train_seconds, 2),
        "tokens_per_second": round(result.tokens_per_second, 1),
        "num_params": result.num_params,
        "train_tokens": PRESETS[ns.preset].tokens(),
        "device": result.device,
        **machine,
        "load_average_1min_after": _load(),
    }
    print(json.dumps(report, indent=2))
    return 0
