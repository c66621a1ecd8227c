"""``python -m aieng bench train``: train afresh (no cache) and report figures as JSON.

:func:`preset_report` trains one preset from scratch; :func:`cold_build_report` runs every
Python block of the pages (:mod:`aieng.tools.pagecompute`, so nothing keeps a list of what the
pages compute) in an empty temporary cache and times what a cold build computes: by page, by
cached function (:func:`aieng.core.cache.computed`) and, for each preset the pages trained, the
training loop alone. Both return plain dicts; :mod:`aieng.cli.bench` parses and prints them.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from typing import Any

from aieng.training.recipes import RECIPES
from aieng.training.train import PRESETS, _trained, device, fit

RECIPE_STEPS = 100  # steps of a frozen recipe timed by default (the whole run takes an hour)


def _load() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def _machine() -> dict[str, Any]:
    import torch

    return {"threads": torch.get_num_threads(), "cpu_count": os.cpu_count(), "device": device()}


def preset_report(preset: str = "main", steps: int | None = None) -> dict[str, Any]:
    """Train ``preset`` (a build preset or a frozen recipe) from scratch, no cache: held-out
    loss, seconds, characters per second. ``steps`` shortens the run (default: a build preset's
    whole run, the first :data:`RECIPE_STEPS` steps of a recipe)."""
    import dataclasses

    before = _load()
    cfg = RECIPES[preset] if preset in RECIPES else PRESETS[preset]
    steps = steps or (RECIPE_STEPS if preset in RECIPES else cfg.max_iters)
    cfg = dataclasses.replace(cfg, max_iters=steps, curve_points=0)
    result = fit(cfg, name=preset)
    return {
        "preset": preset,
        "steps": steps,
        "val_loss": round(result.val_loss, 4),
        "val_loss_unit": "nats/char (held-out split)",
        "train_seconds": round(result.train_seconds, 2),
        "tokens_per_second": round(result.tokens_per_second, 1),
        "num_params": result.num_params,
        "train_tokens": cfg.tokens(),
        **_machine(),
        "load_average_1min_before": before,
        "load_average_1min_after": _load(),
    }


def cold_build_report(languages: tuple[str, ...] = ("ko",)) -> dict[str, Any]:
    """Run the pages' blocks of ``languages`` in an empty cache and time what they compute.

    One language is enough: the other reads the same results from memory in a real build.
    """
    from aieng.core import cache
    from aieng.tools.pagecompute import executed_blocks, run_blocks

    before = _load()
    saved = os.environ.get("AIENG_CACHE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AIENG_CACHE_DIR"] = tmp
        cache.clear_cache(disk=False)
        first = len(cache.computed())
        try:
            start = time.perf_counter()
            runs = run_blocks(executed_blocks(languages=languages))
            total = time.perf_counter() - start
            by_page: dict[str, float] = defaultdict(float)
            for run in runs:
                by_page[f"{run.block.lang}/{run.block.page}"] += run.seconds
            by_function: dict[str, float] = defaultdict(float)
            for function, seconds in cache.computed()[first:]:
                by_function[function] += seconds
            loops = {
                name: round(_trained(cfg, name).train_seconds, 1)
                for name, cfg in PRESETS.items()
                if cache.in_memory(_trained.key(cfg, name))  # trained by the pages
            }
        finally:
            if saved is None:
                os.environ.pop("AIENG_CACHE_DIR", None)
            else:
                os.environ["AIENG_CACHE_DIR"] = saved
            cache.clear_cache(disk=False)
    return {
        "cold_build_compute_seconds": round(total, 1),
        "blocks": len(runs),
        "seconds_by_page": {k: round(v, 1) for k, v in sorted(by_page.items())},
        "seconds_by_function": {  # nested results count in their caller too
            k: round(v, 1) for k, v in sorted(by_function.items(), key=lambda kv: -kv[1])
        },
        "training_loop_seconds_by_preset": loops,
        **_machine(),
        "load_average_1min_before": before,
        "load_average_1min_after": _load(),
    }
