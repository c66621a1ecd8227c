"""What the build trains: the named presets (the masked LM, the scaling sweep's sizes, ...).

``PRESETS`` holds every model the site trains while it builds; the sweep in
:mod:`aieng.training.scaling` reuses it. The models trained once and frozen into the
repository (the main GPT) are :mod:`aieng.training.recipes`. The config type and its accounting
are :mod:`aieng.training.config`, re-exported here.

Example:
    >>> PRESETS["tiny"].model.n_layer
    1
    >>> num_params(PRESETS["tiny"])
    18528
"""

from __future__ import annotations

from aieng.training.config import (
    Kind,
    ModelShape,
    TrainConfig,
    config_from_dict,
    flops_per_token,
    get_lr,
    gpt_config,
    num_params,
    vocab_size,
)

__all__ = ["Kind", "ModelShape", "TrainConfig", "PRESETS", "vocab_size", "gpt_config"]
__all__ += ["num_params", "flops_per_token", "get_lr", "config_from_dict"]

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
