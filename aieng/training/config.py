"""A training run's config and its accounting: :class:`TrainConfig`, its schedule and sizes.

Torch-free, so configs can be listed, sized and hashed without importing torch; the parameter
and FLOP formulas are the model's own (:class:`aieng.models.config.GPTConfig`). The named
configs live apart, in :mod:`aieng.training.presets` (trained by the build) and
:mod:`aieng.training.recipes` (trained once, frozen into the repository): the training code
imports this module, not those tables, so adding a preset does not change the code fingerprint
of a frozen model.

Example:
    >>> cfg = TrainConfig(max_iters=100, warmup_iters=10)
    >>> get_lr(0, cfg) < get_lr(cfg.warmup_iters, cfg)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from aieng.models.config import GPTConfig, ModelShape
from aieng.text import corpus

__all__ = ["Kind", "ModelShape", "TrainConfig", "vocab_size", "gpt_config"]
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


def vocab_size(cfg: TrainConfig) -> int:
    """The corpus alphabet, plus a ``[MASK]`` id (the last) for the masked LM."""
    return len(corpus.alphabet()) + (cfg.kind == "mlm")


def gpt_config(cfg: TrainConfig) -> GPTConfig:
    """The :class:`~aieng.models.config.GPTConfig` of a training config (torch-free)."""
    return cfg.model.gpt(vocab_size(cfg))


def num_params(cfg: TrainConfig) -> int:
    """Parameters of the model ``cfg`` trains, computed without torch.

    Example:
        >>> num_params(TrainConfig(ModelShape(32, 1, 2, 32)))
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
        >>> cfg = TrainConfig(ModelShape(32, 1, 2, 32), max_iters=60)
        >>> config_from_dict(asdict(cfg)) == cfg
        True
    """
    return TrainConfig(**{**d, "model": ModelShape(**d["model"])})
