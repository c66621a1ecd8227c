"""``python -m aieng models train [PRESET ...] [--list]`` (``python -m aieng train`` for short):
train the model presets, or load them from the result cache, with a progress bar."""

from __future__ import annotations

import argparse

from aieng.core.progress import step_bar
from aieng.training import train as _train
from aieng.training.train import PRESETS, num_params, trained


def train_main(argv: list[str]) -> int:
    """``python -m aieng train [PRESET ...]``: train (or load from the cache) and report."""

    parser = argparse.ArgumentParser(
        prog="python -m aieng models train", description="Train model presets (cached)."
    )
    parser.add_argument("presets", nargs="*", default=["main"], help="preset names (default: main)")
    parser.add_argument("--list", action="store_true", help="list the presets and exit")
    ns = parser.parse_args(argv)
    if ns.list:
        for name, cfg in PRESETS.items():
            m = cfg.model
            print(
                f"{name:8} {cfg.kind:3} L{m.n_layer} H{m.n_head} C{m.n_embd} T{m.block_size} "
                f"{num_params(cfg):>9,} params {cfg.max_iters:>5} steps {cfg.tokens():>10,} chars"
            )
        return 0
    unknown = [p for p in ns.presets if p not in PRESETS]
    if unknown:
        parser.error(f"unknown preset(s) {', '.join(unknown)}; choose from {', '.join(PRESETS)}")
    for name in ns.presets:
        bar = step_bar(PRESETS[name].max_iters, name, tty=True)  # the command's own output
        _train._PROGRESS["callback"] = bar.update
        try:
            result = trained(name)
        finally:
            _train._PROGRESS["callback"] = None
            bar.close()
        print(
            f"{name}: {result.num_params:,} params, val {result.val_loss:.4f} nats/char, "
            f"{result.train_seconds:.1f} s on {result.device}"
        )
    return 0


def main(argv: list[str]) -> int:
    """``python -m aieng models train ...``."""
    if argv[:1] == ["train"]:
        return train_main(argv[1:])
    print("usage: python -m aieng models train [PRESET ...] [--list]")
    return 0 if argv[:1] in (["-h"], ["--help"]) else 2
