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
    # masked LM ---------------------------------------------------------------------------------
    # The masked (BERT-style) model of the language-models page, which fills the blanks of
    # aieng.book.blanks: the main GPT's context (128 characters, so a whole held-out sentence of
    # up to 120 fits) at 0.82 M parameters, trained for 2,200 steps of 32 x 128 characters (9 M
    # characters, about two passes over the plays, 4.7e13 FLOPs: a tenth of the main GPT's),
    # about 15 minutes on one CPU thread at the 10 thousand characters a second we measured
    # (this run took 27 minutes while other training shared the two cores). The build preset it
    # replaces (64 characters, 3 x 128, 500 steps) had barely left the "letter frequencies"
    # plateau. The model learns only from what it hides, so it hides
    # 30% of the words (BERT's 15% gives half the targets per step; Wettig et al., 2023, found
    # higher rates as good or better) and another 10% of the other characters one by one, which
    # teaches spelling: in 600-step pilots whole words plus single characters reached a lower
    # held-out masked-word loss than whole words alone (2.744 against 2.788 nats/char). Hiding
    # 50% of the words instead, with the rest the same, filled 8.8% of the 1,000 held-out blanks
    # against this recipe's 8.4% (within the noise of 1,000 blanks, about 0.9 points). No
    # learning curve: a curve point scores the causal held-out text, which a masked model cannot.
    "mlm": TrainConfig(
        ModelShape(block_size=128, n_layer=4, n_head=4, n_embd=128),
        kind="mlm",
        batch_size=32,
        max_iters=2_200,
        lr=3e-3,
        warmup_iters=100,
        min_lr_ratio=0.1,
        weight_decay=0.1,
        mask_prob=0.3,
        mask_chars=0.1,
        bf16=True,
        seed=0,
    ),
}

# scaling sweep ------------------------------------------------------------------------------
# GPTs of one family (the main GPT's), differing only in depth and width, for
# aieng.training.scaling: sizes from 1.4 thousand to 471 thousand parameters, then the main GPT
# (1.83 million) as the largest; and the data sweep, one size trained on slices of the text.

SWEEP_CHARS_PER_PARAM = 20  # training characters per parameter (Hoffmann et al., 2022)
SWEEP_MIN_STEPS = 1000  # the floor: no size trains for fewer steps
_SWEEP_SHAPES = ((1, 4), (1, 12), (2, 24), (2, 40), (3, 48), (4, 64), (4, 96))  # (layers, width)
DATA_SWEEP_SHAPE = (2, 40)  # the data sweep's size (50 thousand parameters)
DATA_SWEEP_CHARS = (25_000, 200_000, 1_600_000)  # slices of the train split


def sweep_recipe(n_layer: int, n_embd: int, *, train_chars: int = 0) -> TrainConfig:
    """The sweep family's recipe for a depth and width: the main GPT's, scaled by one rule.

    * **Budget**: ``max(20 N, 1000 steps)`` characters for ``N`` parameters, in whole steps of
      32 x 128 characters. About 20 characters per parameter is the compute-optimal ratio
      Hoffmann et al. (2022) found (tokens per parameter; we read characters): a model trained
      on much less is limited by its data, not its size, and one trained on much more spends
      compute that a larger model would use better. Below about 200 thousand parameters 20 N
      is under 1,000 steps, and a run that short measures the optimizer more than the model.
      From 21 thousand parameters up, a model first sits near 2.5-2.6 nats/char and leaves
      that plateau only after a few hundred steps: with a floor of 500 steps (in an earlier
      run of this sweep), the 50 and 97 thousand-parameter models still fell by 0.21 and 0.24
      nats/char over their last 250 steps, and the larger one ended worse (2.204 against
      2.196), a measure of the schedule rather than of size. So no size trains for fewer
      than 1,000 steps (4.1 million characters, about one pass over the plays); the smallest
      sizes then read far more than 20 characters per parameter, which brings them nearer
      to the best they can do.
    * **Learning rate**: ``3e-3 * sqrt(192 / width)``: the main GPT's at its width, higher for
      narrower models (at 500 steps the 1.4 thousand-parameter model reached 2.79 nats/char at
      1e-2 and 2.88 at 3e-3).
    * **Heads** of 32 dimensions (one for widths under 64); warm-up over 2% of the steps; the
      rest (batch, context, cosine decay to a tenth, weight decay, bfloat16, seed) as the main
      GPT's.

    The main GPT follows the same rule but for its budget: 10,000 steps is 22.4 characters per
    parameter, 12% above the 8,919 steps the rule gives, near enough at the optimum's
    flatness (Hoffmann et al.'s loss changes little for ratios within a factor of two).

    Args:
        n_layer: Transformer blocks.
        n_embd: width of the residual stream.
        train_chars: train on only the first so many characters of the train split (the data
            sweep); the steps stay those of the full-data recipe.

    Example:
        >>> cfg = sweep_recipe(4, 192)
        >>> cfg.lr, cfg.model.n_head, cfg.warmup_iters, cfg.max_iters
        (0.003, 6, 178, 8919)
    """
    from aieng.training.config import num_params

    shape = ModelShape(block_size=128, n_layer=n_layer, n_head=max(1, n_embd // 32), n_embd=n_embd)
    per_step = 32 * shape.block_size
    params = num_params(TrainConfig(shape))
    steps = max(SWEEP_MIN_STEPS, -(-SWEEP_CHARS_PER_PARAM * params // per_step))
    return TrainConfig(
        shape,
        batch_size=32,
        max_iters=steps,
        lr=float(f"{3e-3 * (192 / n_embd) ** 0.5:.3g}"),
        warmup_iters=steps // 50,
        min_lr_ratio=0.1,
        weight_decay=0.1,
        train_chars=train_chars,
        curve_points=6,
        bf16=True,
        seed=0,
    )


def _sweep_name(cfg: TrainConfig) -> str:
    from aieng.training.config import num_params

    return f"sweep-{round(num_params(cfg) / 1000)}k"


_SWEEP = {_sweep_name(c): c for c in (sweep_recipe(*s) for s in _SWEEP_SHAPES)}
SWEEP: tuple[str, ...] = (*_SWEEP, "main")  # the model-size sweep, smallest first
DATA_SWEEP: tuple[str, ...] = tuple(f"sweep-data-{c // 1000}k" for c in DATA_SWEEP_CHARS)
DATA_SWEEP_FULL = _sweep_name(sweep_recipe(*DATA_SWEEP_SHAPE))  # the same size on all the text
RECIPES.update(_SWEEP)
RECIPES.update(
    (name, sweep_recipe(*DATA_SWEEP_SHAPE, train_chars=chars))
    for name, chars in zip(DATA_SWEEP, DATA_SWEEP_CHARS, strict=True)
)
__all__ += ["SWEEP", "DATA_SWEEP", "DATA_SWEEP_FULL", "sweep_recipe"]
