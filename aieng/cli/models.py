"""``python -m aieng models ...``: train, check and report the site's models.

* ``models train NAME ... | --all [--fresh]``: a frozen recipe (:mod:`aieng.training.recipes`)
  is trained, resuming its last checkpoint, and frozen into ``frozen/NAME/`` with a receipt
  (:mod:`aieng.training.frozen`); a build preset (:mod:`aieng.training.presets`) is trained into
  the result cache. ``--all`` trains every recipe that is missing or out of date. A progress bar
  shows on the terminal. (``python -m aieng train`` for short.)
* ``models list``: the recipes with their state, and the build presets.
* ``models status``: which frozen models are up to date; exit status 1 if any is not.
* ``models verify [NAME ...]``: re-measure each frozen model's held-out score from its weights
  and compare it with the receipt; exit status 1 on a mismatch.
* ``models report [--json]``: the figures the pages show (:mod:`aieng.book.report`).
"""

from __future__ import annotations

import argparse
import json
import sys

from aieng.core.progress import step_bar
from aieng.training import frozen
from aieng.training import train as _train
from aieng.training.recipes import RECIPES
from aieng.training.train import PRESETS, num_params, trained

USAGE = "usage: python -m aieng models {train,list,status,verify,report} ..."


def _shape(cfg) -> str:
    m = cfg.model
    return (
        f"{cfg.kind:3} L{m.n_layer} H{m.n_head} C{m.n_embd} T{m.block_size} "
        f"{num_params(cfg):>9,} params {cfg.max_iters:>6,} steps {cfg.tokens():>11,} chars"
    )


def _state(name: str) -> str:
    try:
        st = frozen.status(name)
    except frozen.ReceiptError:
        return "not trained"
    return "up to date" if st.up_to_date else "out of date: " + "; ".join(st.stale)


def list_main(argv: list[str]) -> int:
    """``models list``: recipes (frozen) and presets (trained by the build)."""
    print("frozen recipes (python -m aieng models train NAME):")
    for name, cfg in RECIPES.items():
        print(f"  {name:10} {_shape(cfg)}  [{_state(name)}]")
    print("build presets (trained into the result cache by the site build):")
    for name, cfg in PRESETS.items():
        print(f"  {name:10} {_shape(cfg)}")
    return 0


def _train_recipe(name: str, fresh: bool) -> None:
    cfg = RECIPES[name]
    bar = step_bar(cfg.max_iters, name)  # tqdm on a terminal, else a log line every tenth
    try:
        rec = frozen.train(name, progress=bar.update, fresh=fresh)
    finally:
        bar.close()
    devices = ", ".join(sorted({s["machine"]["device"] for s in rec["segments"]}))
    print(
        f"{name}: {rec['params']:,} params, held-out {rec['val_loss']:.4f} nats/char, "
        f"{rec['train_flops']:.2e} FLOPs, {rec['wall_seconds'] / 60:.1f} min on {devices}; "
        f"frozen into {frozen._shown(frozen.folder(name))}/"
    )


def _train_preset(name: str) -> None:
    bar = step_bar(PRESETS[name].max_iters, name, tty=True)  # the command's own output
    _train._PROGRESS["callback"] = bar.update
    try:
        result = trained(name)
    finally:
        _train._PROGRESS["callback"] = None
        bar.close()
    print(
        f"{name}: {result.num_params:,} params, val {result.val_loss:.4f} nats/char, "
        f"{result.train_seconds:.1f} s on {result.device} (result cache)"
    )


def train_main(argv: list[str]) -> int:
    """``models train NAME ... | --all [--fresh] [--list]``."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng models train",
        description="Train frozen recipes (written to frozen/NAME/) or build presets (cached).",
    )
    parser.add_argument("names", nargs="*", help="recipe or preset names (default: main)")
    parser.add_argument("--all", action="store_true", help="every recipe missing or out of date")
    parser.add_argument("--fresh", action="store_true", help="ignore a checkpoint, start over")
    parser.add_argument("--list", action="store_true", help="list recipes and presets and exit")
    ns = parser.parse_args(argv)
    if ns.list:
        return list_main([])
    names = ns.names or ([] if ns.all else ["main"])
    unknown = [n for n in names if n not in RECIPES and n not in PRESETS]
    if unknown:
        parser.error(
            f"unknown model(s) {', '.join(unknown)}; recipes: {', '.join(RECIPES)}; "
            f"presets: {', '.join(PRESETS)}"
        )
    if ns.all:
        names += [n for n in RECIPES if n not in names and _state(n) != "up to date"]
        if not names:
            print("every frozen model is up to date")
    for name in names:
        try:
            if name in RECIPES:
                _train_recipe(name, ns.fresh)
            else:
                _train_preset(name)
        except frozen.ReceiptError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return 0


def status_main(argv: list[str]) -> int:
    """``models status``: one line per recipe; 1 if any is missing or out of date."""
    bad = 0
    for name in RECIPES:
        state = _state(name)
        bad += state != "up to date"
        hint = ""
        if state.startswith("out of date"):
            hint = f" ({frozen.status(name).retrain_hint()})"
        elif state == "not trained":
            hint = f" (train it with: python -m aieng models train {name})"
        print(f"{name:10} {state}{hint}")
    return 1 if bad else 0


def verify_main(argv: list[str]) -> int:
    """``models verify [NAME ...]``: re-measure from the weights; 1 on any mismatch."""
    failed = 0
    for name in argv or list(RECIPES):
        try:
            measured = frozen.verify(name)
        except frozen.ReceiptError as error:
            print(f"{name:10} FAILED: {error}")
            failed += 1
            continue
        print(f"{name:10} held-out {measured:.6f} nats/char, as its receipt says")
    return 1 if failed else 0


def report_main(argv: list[str]) -> int:
    """``models report [--json]``."""
    from aieng.book.report import report, summary

    parser = argparse.ArgumentParser(prog="python -m aieng models report")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    ns = parser.parse_args(argv)
    data = report()
    print(json.dumps(data, indent=2, ensure_ascii=False) if ns.json else summary(data))
    return 0


COMMANDS = {
    "train": train_main,
    "list": list_main,
    "status": status_main,
    "verify": verify_main,
    "report": report_main,
}


def main(argv: list[str]) -> int:
    """``python -m aieng models COMMAND ...``."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s")  # progress lines off a terminal
    if argv[:1] and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    print(USAGE)
    return 0 if argv[:1] in (["-h"], ["--help"]) else 2
