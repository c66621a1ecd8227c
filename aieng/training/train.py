"""Trained models through the result cache: :func:`trained` and :func:`load_model`.

The pieces live by concept: :mod:`aieng.training.presets` (configs, the named presets, their
sizes and the learning-rate schedule; torch-free) and :mod:`aieng.training.loop` (batches,
evaluation and :func:`~aieng.training.loop.fit`). This module runs the loop through the result
cache and re-exports the names that pages, queries and the sweep use.

The key of a trained model holds ``asdict(cfg)`` (seed included), the corpus hash
(:func:`data_hash`) and, like every cached result, the fingerprint of all the code it depends on:
this module and everything it imports, the loop and the models included
(:mod:`aieng.core.fingerprint`). The result is plain (weights as safetensors bytes, losses as
floats), so reading it back never imports torch and never runs code.

Command line::

    python -m aieng models train [PRESET ...] [--list]   # train (or load) presets
    python -m aieng bench train [--preset main]          # train afresh and print JSON figures

Example:
    >>> PRESETS["tiny"].model.n_layer
    1
    >>> trained("tiny").num_params == num_params(PRESETS["tiny"])  # trains on a cache miss
    True
"""

from __future__ import annotations

from collections.abc import Callable

from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training.loop import (
    TrainResult,
    _letter_ids,
    build_model,
    device,
    eval_windows,
    evaluate,
    fit,
    generators,
    load_model,
    training_batch,
    weights_from_bytes,
    weights_to_bytes,
)
from aieng.training.presets import (
    PRESETS,
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

__all__ = [
    "Kind",
    "ModelShape",
    "PRESETS",
    "TrainConfig",
    "TrainResult",
    "_letter_ids",
    "build_model",
    "config_from_dict",
    "data_hash",
    "device",
    "eval_windows",
    "evaluate",
    "fit",
    "flops_per_token",
    "generators",
    "get_lr",
    "gpt_config",
    "load_model",
    "num_params",
    "trained",
    "training_batch",
    "vocab_size",
    "weights_from_bytes",
    "weights_to_bytes",
]


def data_hash() -> str:
    """The data that trained results read besides their arguments: the corpus.

    (Code is not hashed here: every cached result's key holds its code's fingerprint.)
    """
    return corpus.corpus_hash()


_PROGRESS: dict[str, Callable[[int, float], None] | None] = {}


@cached(data=data_hash)
def _trained(cfg: TrainConfig, name: str) -> TrainResult:
    return fit(cfg, name=name, progress=_PROGRESS.get("callback"))


def trained(preset: str | TrainConfig) -> TrainResult:
    """The trained model of a preset name or config, through the result cache.

    Trains only on a cache miss; the key holds ``asdict(cfg)`` (seed included), the corpus hash
    and the fingerprint of the code.

    Raises:
        KeyError: for an unknown preset name (the message lists the presets).
    """
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise KeyError(f"unknown preset {preset!r}; presets are: {', '.join(PRESETS)}")
        return _trained(PRESETS[preset], preset)
    return _trained(preset, "")
