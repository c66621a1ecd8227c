"""The models trained once and frozen into the repository, and what each one's recipe is.

A recipe is a :class:`~aieng.training.config.TrainConfig` under a name. Training one
(``python -m aieng models train NAME``) takes far more compute than a build may spend, so its
result is kept in ``frozen/NAME/`` with a receipt (:mod:`aieng.training.frozen`); the build uses
it only while the recipe here, the corpus and the training code are what the receipt says.

The main GPT: 4 blocks of width 192 (1.8 M parameters) over 128 characters of context, trained
for 10,000 steps of 32 x 128 characters (41 M characters, about 9 passes over the plays, about
8 x 10^14 FLOPs). Its size follows the compute-optimal rule of thumb (Hoffmann et al., 2022: about
20 characters per parameter at this budget); we measured about 12 thousand characters a second
on a 2-core CPU with bfloat16 matrix products, so about an hour there, a few minutes on a GPU.

Example:
    >>> RECIPES["main"].model.n_embd, RECIPES["main"].max_iters
    (192, 10000)
"""

from __future__ import annotations

from aieng.training.config import ModelShape, TrainConfig

__all__ = ["RECIPES"]

RECIPES: dict[str, TrainConfig] = {
    # the GPT the pages complete prompts with, and the browser's playground runs
    "main": TrainConfig(
        ModelShape(block_size=128, n_layer=4, n_head=6, n_embd=192),
        batch_size=32,
        max_iters=10_000,
        lr=3e-3,
        warmup_iters=200,
        min_lr_ratio=0.1,
        weight_decay=0.1,
        curve_points=12,
        bf16=True,
        seed=0,
    ),
}
