"""A long training run that can stop and resume: what ``aieng models train NAME`` runs.

:func:`run` trains one recipe (a :class:`~aieng.training.config.TrainConfig`) the way
:func:`aieng.training.loop.fit` does (same initial weights, batches, schedule and optimizer),
and also:

* **checkpoints** every ``checkpoint_every`` steps: weights, optimizer moments, the batch
  generator's state, the losses and curve so far and the time spent, written atomically. Run
  again, it resumes from the last checkpoint and ends with the same weights as a run that was
  never stopped (on the same machine and thread count: the batches and updates are the same
  ones, in the same order);
* **a learning curve against compute**: the held-out score (:mod:`aieng.training.heldout`) at
  ``cfg.curve_points`` steps spaced evenly in log-compute, so a page can plot loss against
  training FLOPs;
* **segments**: where each stretch of the run ran (machine, device, steps, seconds), so the
  receipt covers the whole run even when it moved machines.

This module and what it imports make up the *code fingerprint* of a frozen model
(:mod:`aieng.training.frozen`): edit them and every frozen model says it is out of date.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aieng.training.config import TrainConfig, flops_per_token, get_lr
from aieng.training.heldout import heldout_ids, heldout_loss
from aieng.training.loop import (
    _autocast,
    _batch,
    _set_threads,
    _split_ids,
    build_model,
    device,
    generators,
)

__all__ = ["RunResult", "curve_steps", "machine", "run", "FIRST_STEPS"]

FIRST_STEPS = 25  # training losses of the first steps kept in the receipt, re-run by the tests


@dataclass
class RunResult:
    """What a finished run hands to :mod:`aieng.training.frozen` (plain values and weights)."""

    config: dict[str, Any]
    num_params: int
    state_dict: dict[str, Any]  # float32 tensors on the CPU
    train_losses: list[float]  # every step's training loss
    curve: list[dict[str, float]]  # {"step", "chars", "flops", "val_loss"}
    segments: list[dict[str, Any]]  # where each stretch ran
    train_seconds: float  # wall time of the optimizer steps, all segments
    eval_seconds: float  # wall time of the curve's evaluations
    flops: int = 0  # training FLOPs (flops_per_token x characters read)
    extra: dict[str, Any] = field(default_factory=dict)


def machine() -> dict[str, Any]:
    """Where this process runs: host kind, CPU, cores, threads, device, library versions."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dev = device()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "threads": torch.get_num_threads(),
        "device": dev if dev == "cpu" else torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
    }


def curve_steps(cfg: TrainConfig, points: int) -> list[int]:
    """``points`` steps evenly spaced in log-compute between step 2^-k of the run and its end.

    Example:
        >>> curve_steps(TrainConfig(max_iters=1024), 6)
        [32, 64, 128, 256, 512, 1024]
    """
    if points <= 0:
        return []
    first = max(1.0, cfg.max_iters / 2 ** (points - 1))
    ratio = (cfg.max_iters / first) ** (1 / max(1, points - 1))
    steps = sorted({min(cfg.max_iters, round(first * ratio**i)) for i in range(points)})
    return steps


def _save(path: Path, state: dict[str, Any]) -> None:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def run(
    cfg: TrainConfig,
    *,
    checkpoint: Path | None = None,
    checkpoint_every: int = 500,
    stop_after: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> RunResult | None:
    """Train ``cfg`` from scratch, or resume from ``checkpoint`` if it holds this config's state.

    Args:
        cfg: the recipe.
        checkpoint: where to keep the run's state (None: no checkpoints, no resuming).
        checkpoint_every: steps between checkpoints.
        stop_after: stop once this many steps are done, as if the machine were taken away:
            what was done after the last checkpoint is lost; returns None.
        progress: called as ``progress(step, loss)`` after every step.

    Returns:
        The finished run, or None when ``stop_after`` stopped it first.
    """
    import torch

    _set_threads()
    dev = device()
    train_ids = torch.from_numpy(_split_ids("train", cfg))
    val_ids = heldout_ids()
    init_gen, data_gen = generators(cfg.seed)
    model = build_model(cfg, init_gen).to(dev)

    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, 0.99))
    config = dataclasses.asdict(cfg)
    state: dict[str, Any] = {
        "step": 0,
        "losses": [],
        "curve": [],
        "segments": [],
        "train_seconds": 0.0,
        "eval_seconds": 0.0,
    }
    if checkpoint is not None and checkpoint.exists():
        # OWN CHECKPOINT: written by this run into .cache/checkpoints (never committed or
        # downloaded); it holds optimizer and generator state that weights_only refuses.
        saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
        if saved.get("config") == config:
            model.load_state_dict(saved["model"])
            optimizer.load_state_dict(saved["optimizer"])
            data_gen.set_state(saved["data_gen"])
            state = saved["state"]

    per_step = cfg.batch_size * cfg.model.block_size
    per_token = flops_per_token(cfg)
    at = set(curve_steps(cfg, cfg.curve_points))
    segment = {"machine": machine(), "from_step": state["step"], "started": time.time()}

    def segments() -> list[dict[str, Any]]:
        """The closed segments and the current one, closed now."""
        now = time.time()
        current = {**segment, "to_step": state["step"], "ended": now}
        current["seconds"] = round(now - segment["started"], 1)
        return [*state["segments"], current]

    def save() -> None:
        if checkpoint is not None:
            saved = {**state, "segments": segments()}
            _save(
                checkpoint,
                {
                    "config": config,
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "data_gen": data_gen.get_state(),
                    "state": saved,
                },
            )

    model.train()
    while state["step"] < cfg.max_iters:
        it = state["step"]
        start = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it, cfg)
        x, y = _batch(train_ids, cfg, data_gen)
        with _autocast(cfg, dev):
            _, loss = model(x.to(dev), y.to(dev))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        optimizer.step()
        state["losses"].append(float(loss.detach()))
        state["train_seconds"] += time.perf_counter() - start
        state["step"] = it + 1
        if progress:
            progress(it, state["losses"][-1])
        if state["step"] in at:
            t0 = time.perf_counter()
            val = heldout_loss(model, val_ids)
            model.train()
            state["eval_seconds"] += time.perf_counter() - t0
            chars = state["step"] * per_step
            state["curve"].append(
                {"step": state["step"], "chars": chars, "flops": chars * per_token, "val_loss": val}
            )
        done = state["step"] == cfg.max_iters
        if state["step"] % checkpoint_every == 0 or done:
            save()
        if stop_after is not None and state["step"] >= stop_after and not done:
            return None

    return RunResult(
        config=config,
        num_params=model.num_params(),
        state_dict={k: v.detach().cpu().float() for k, v in model.state_dict().items()},
        train_losses=state["losses"],
        curve=state["curve"],
        segments=segments(),
        train_seconds=state["train_seconds"],
        eval_seconds=state["eval_seconds"],
        flops=cfg.max_iters * per_step * per_token,
    )
