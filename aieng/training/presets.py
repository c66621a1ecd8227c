"""What the site trains: one config per model, the named presets, and their accounting.

``PRESETS`` holds every model the site trains (the main GPT, the masked LM, the scaling sweep's
sizes); the sweep in :mod:`aieng.training.scaling` reuses it. Everything here is torch-free, so
presets can be listed, sized and hashed without importing torch; the parameter and FLOP formulas
are the model's own (:class:`aieng.models.config.GPTConfig`).

Example:
    >>> PRESETS["main"].model.n_layer
    3
    >>> get_lr(0, PRESETS["main"]) < get_lr(PRESETS["main"].warmup_iters, PRESETS["main"])
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from aieng.models.config import GPTConfig, ModelShape
from aieng.text import corpus

__all__ = ["Kind", "ModelShape", "TrainConfig", "PRESETS", "vocab_size", "gpt_config"]
__all__ += ["num_params", "flops_per_token", "get_lr", "config_from_dict"]

Kind = Literal["gpt", "mlm"]


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a trained model (and so its cache key)."""

    model: ModelShape = field(default_factory=ModelShape)
    kind: Kind = "gpt"  # "gpt": predict the next character; "mlm": fill masked characters
    batch_size: int = 32  # sequences per step
    max_iters: int = 1000  # optimizer steps
    lr: float = 2e-3  # peak learning rate (AdamW)
    warmup_iters: int = 50  # linear warm-up steps
    min_lr_ratio: float = 0.1  # the cosine decay ends at lr * min_lr_ratio
    weight_decay: float = 0.1  # on matrices only
    grad_clip: float = 1.0  # max global gradient norm
    train_chars: int = 0  # train on only the first N characters of the train split (0: all)
    mask_prob: float = 0.15  # masked LM only: share of words hidden (all their characters)
    mask_chars: float = 0.0  # masked LM only: share of other characters hidden one by one
    eval_tokens: int = 65536  # held-out characters scored at the end (and on the curve)
    curve_points: int = 0  # also evaluate this many times during training (learning curves)
    bf16: bool = False  # matrix products in bfloat16 (autocast; weights stay float32)
    seed: int = 0  # initial weights and batch order

    def tokens(self) -> int:
        """Characters the model reads during training (``max_iters * batch * context``)."""
        return self.max_iters * self.batch_size * self.model.block_size


# Every model the site trains. The "sweep-*" sizes form the scaling sweep: same data budget
# (600 steps of 32 x 64 characters), sizes from about 7 thousand to 465 thousand parameters.
_SWEEP = dict(
    batch_size=32, max_iters=600, lr=6e-3, warmup_iters=30, curve_points=6, eval_tokens=32768
)
PRESETS: dict[str, TrainConfig] = {
    # the smallest model: tests and quick checks
    "tiny": TrainConfig(
        ModelShape(32, 1, 2, 32),
        batch_size=16,
        max_iters=60,
        lr=5e-3,
        warmup_iters=5,
        eval_tokens=4096,
    ),
    # the GPT the pages complete prompts with
    "main": TrainConfig(
        ModelShape(128, 3, 4, 128), batch_size=32, max_iters=800, lr=5e-3, bf16=True
    ),
    # the masked (BERT-style) word model on the same text
    "mlm": TrainConfig(
        ModelShape(64, 3, 4, 128),
        kind="mlm",
        batch_size=32,
        max_iters=500,
        lr=3e-3,
        mask_chars=0.15,
        bf16=True,
        eval_tokens=16384,
    ),
    "sweep-1": TrainConfig(ModelShape(64, 1, 2, 16), **_SWEEP),
    "sweep-2": TrainConfig(ModelShape(64, 2, 2, 32), **_SWEEP),
    "sweep-3": TrainConfig(ModelShape(64, 2, 4, 48), **_SWEEP),
    "sweep-4": TrainConfig(ModelShape(64, 3, 4, 64), **_SWEEP),
    "sweep-5": TrainConfig(ModelShape(64, 4, 4, 96), **_SWEEP),
}


def vocab_size(cfg: TrainConfig) -> int:
    """The corpus alphabet, plus a ``[MASK]`` id (the last) for the masked LM."""
    return len(corpus.alphabet()) + (cfg.kind == "mlm")


def gpt_config(cfg: TrainConfig) -> GPTConfig:
    """The :class:`~aieng.models.config.GPTConfig` of a training config (torch-free)."""
    return cfg.model.gpt(vocab_size(cfg))


def num_params(cfg: TrainConfig) -> int:
    """Parameters of the model ``cfg`` trains, computed without torch.

    Example:
        >>> num_params(PRESETS["tiny"])
        18528
    """
    return gpt_config(cfg).num_params()


def flops_per_token(cfg: TrainConfig) -> int:
    """Training FLOPs per character, ``6 N + 6 L T C`` (:meth:`GPTConfig.flops_per_token`)."""
    return gpt_config(cfg).flops_per_token()


def get_lr(it: int, cfg: TrainConfig) -> float:
    """Learning rate at step ``it``: linear warm-up, then cosine decay to ``lr * min_lr_ratio``.

    Example:
        >>> cfg = TrainConfig(max_iters=100, lr=1.0, warmup_iters=10, min_lr_ratio=0.1)
        >>> [round(get_lr(i, cfg), 3) for i in (0, 9, 10, 55, 100)]
        [0.1, 1.0, 1.0, 0.55, 0.1]
    """
    if it < cfg.warmup_iters:
        return cfg.lr * (it + 1) / cfg.warmup_iters
    progress = min(1.0, (it - cfg.warmup_iters) / max(1, cfg.max_iters - cfg.warmup_iters))
    floor = cfg.lr * cfg.min_lr_ratio
    return floor + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.lr - floor)


def config_from_dict(d: dict[str, Any]) -> TrainConfig:
    """Inverse of ``dataclasses.asdict`` for :class:`TrainConfig`.

    Example:
        >>> from dataclasses import asdict
        >>> config_from_dict(asdict(PRESETS["tiny"])) == PRESETS["tiny"]
        True
    """
    return TrainConfig(**{**d, "model": ModelShape(**d["model"])})
