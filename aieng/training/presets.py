"""What the build trains: the named presets (the smallest model, for tests and quick checks).

``PRESETS`` holds every model the site trains while it builds. The models trained once and
frozen into the repository (the main GPT, the masked LM, the scaling sweep's sizes) are
:mod:`aieng.training.recipes`. The config type and its accounting
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

# Every model the site trains while it builds.
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
}
