"""The training loop: batches drawn from the plays, a held-out evaluation, and :func:`fit`.

:func:`fit` trains one :class:`~aieng.training.presets.TrainConfig` from scratch and returns a
:class:`TrainResult` of plain values: losses as floats, weights as safetensors bytes (a format
that holds only tensors, so reading it can run no code). :mod:`aieng.training.train` puts it
through the result cache. torch is imported inside the functions that need it.

Example:
    >>> from aieng.training.presets import PRESETS
    >>> float(get_lr(0, PRESETS["tiny"])), eval_windows(np.zeros(100, np.uint8), 10, 30).tolist()
    (0.001, [0, 44, 89])
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from aieng.text import corpus
from aieng.training.config import TrainConfig, config_from_dict, get_lr, gpt_config, vocab_size

if TYPE_CHECKING:  # torch is imported inside functions: a warm build never needs it
    import torch

    from aieng.models.gpt import GPT

log = logging.getLogger(__name__)

# Idle OpenMP threads sleep instead of spinning: on 2 cores shared with other work, spinning
# threads slowed training up to 5x in our measurements. Read when torch loads, so set it first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def device() -> str:
    """``"cuda"`` when a CUDA device is present, else ``"cpu"`` (nothing requires CUDA)."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _set_threads() -> None:
    """Use every core (2 on the build machine) unless ``AIENG_THREADS`` says otherwise."""
    import torch

    threads = int(os.environ.get("AIENG_THREADS", "0")) or min(os.cpu_count() or 1, 8)
    torch.set_num_threads(threads)


@dataclass(frozen=True)
class TrainResult:
    """A trained model as plain values (torch is needed only to load ``weights``)."""

    name: str  # preset name, or "" for an ad-hoc config
    config: dict[str, Any]  # asdict(TrainConfig)
    num_params: int  # parameters
    weights: bytes  # the state_dict in safetensors format (weights_to_bytes)
    train_losses: list[float]  # training loss at every step (nats per character)
    val_loss: float  # held-out loss at the end (nats per character)
    curve: list[tuple[int, int, float]]  # (step, characters seen, held-out loss) during training
    train_seconds: float  # wall time of the loop (evaluations excluded)
    device: str  # where it trained

    @property
    def tokens_per_second(self) -> float:
        """Training characters per second of wall time."""
        cfg = self.config
        tokens = cfg["max_iters"] * cfg["batch_size"] * cfg["model"]["block_size"]
        return tokens / self.train_seconds if self.train_seconds else float("nan")


def weights_to_bytes(model: torch.nn.Module) -> bytes:
    """The model's ``state_dict`` (on the CPU) in safetensors format."""
    from safetensors.torch import save

    return save({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()})


def weights_from_bytes(blob: bytes) -> dict[str, torch.Tensor]:
    """The ``state_dict`` that :func:`weights_to_bytes` wrote: tensors only, no code is run."""
    from safetensors.torch import load

    return load(blob)


def load_model(result: TrainResult, *, dev: str | None = None) -> GPT:
    """Rebuild the torch model of a :class:`TrainResult` (in eval mode)."""
    dev = dev or device()
    model = build_model(config_from_dict(result.config))
    model.load_state_dict(weights_from_bytes(result.weights))
    return model.to(dev).eval()


def _split_ids(split: str, cfg: TrainConfig) -> np.ndarray:
    """Character ids of a split (only the first ``cfg.train_chars`` of the train split)."""
    ids = corpus.encode(corpus.text(split))
    return ids[: cfg.train_chars] if split == "train" and cfg.train_chars else ids


def generators(seed: int) -> tuple[torch.Generator, torch.Generator]:
    """Two independent generators for one seed: initial weights, and batches (and masks).

    Kept apart so that :func:`training_batch` can replay the batches without building a model.
    """
    import torch

    return torch.Generator().manual_seed(2 * seed), torch.Generator().manual_seed(2 * seed + 1)


def training_batch(cfg: TrainConfig, step: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The batch ``(x, y)`` that training on ``cfg`` draws at ``step``, as numpy arrays.

    Self-supervision made visible: these are the exact (context, target) pairs the model saw.

    Example:
        >>> from aieng.training.presets import PRESETS
        >>> x, y = training_batch(PRESETS["tiny"])
        >>> x.shape, bool((x[:, 1:] == y[:, :-1]).all())  # y is x shifted by one character
        ((16, 32), True)
    """
    import torch

    data = torch.from_numpy(_split_ids("train", cfg))
    _, gen = generators(cfg.seed)
    for _ in range(step + 1):
        x, y = _batch(data, cfg, gen)
    return x.numpy(), y.numpy()


def _batch(
    data: torch.Tensor, cfg: TrainConfig, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """A random batch ``(x, y)``, each ``(B, T)``, drawn with ``gen``.

    GPT: ``y`` is ``x`` shifted by one (the next character). Masked LM: whole words of ``x`` are
    hidden behind ``[MASK]`` (:func:`aieng.models.mlm.mask_words`) and ``y`` holds their characters.
    """
    import torch

    T, B = cfg.model.block_size, cfg.batch_size
    starts = torch.randint(len(data) - T - 1, (B,), generator=gen)  # (B,)
    window = data[starts[:, None] + torch.arange(T + 1)].long()  # (B, T+1)
    if cfg.kind == "gpt":
        return window[:, :-1], window[:, 1:]
    return _mask(window[:, :-1], cfg, gen)


def _mask(x: torch.Tensor, cfg: TrainConfig, gen: torch.Generator):
    from aieng.models.mlm import mask_words

    mask_id = vocab_size(cfg) - 1
    return mask_words(
        x, _letter_ids(), cfg.mask_prob, mask_id, char_prob=cfg.mask_chars, generator=gen
    )


def _letter_ids() -> list[int]:
    """Ids of the characters that make up words (letters and the apostrophe)."""
    return [i for i, c in enumerate(corpus.alphabet()) if c.isalpha() or c == "'"]


def eval_windows(data: np.ndarray, block_size: int, eval_tokens: int) -> np.ndarray:
    """Start offsets of ``eval_tokens // block_size`` evenly spaced windows over ``data``.

    Example:
        >>> eval_windows(np.zeros(1000, dtype=np.uint8), 100, 300).tolist()
        [0, 449, 899]
    """
    n = max(1, eval_tokens // block_size)
    return np.linspace(0, len(data) - block_size - 1, n).astype(np.int64)


def evaluate(model: GPT, data: np.ndarray, cfg: TrainConfig, *, dev: str = "cpu") -> float:
    """Mean held-out loss (nats per character) over fixed, evenly spaced windows of ``data``.

    Deterministic: the windows are fixed, and for the masked LM so is the masking (seed 1234;
    whole words only, the task the pages use it for).
    """
    import torch

    T = cfg.model.block_size
    whole_words = dataclasses.replace(cfg, mask_chars=0.0)  # score the word-filling task only
    starts = torch.from_numpy(eval_windows(data, T, cfg.eval_tokens))
    tensor = torch.from_numpy(data)
    gen = torch.Generator().manual_seed(1234)
    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for chunk in starts.split(64):
            window = tensor[chunk[:, None] + torch.arange(T + 1)].long()  # (b, T+1)
            if cfg.kind == "gpt":
                x, y = window[:, :-1], window[:, 1:]
            else:
                x, y = _mask(window[:, :-1], whole_words, gen)
            with _autocast(cfg, dev):
                _, loss = model(x.to(dev), y.to(dev))
            n = int((y != -100).sum())
            total += float(loss) * n
            count += n
    model.train(was_training)
    return total / max(count, 1)


def _autocast(cfg: TrainConfig, dev: str):
    """bfloat16 autocast when ``cfg.bf16`` (about 1.3-3x faster on CPUs with AVX-512 BF16)."""
    import torch

    return torch.autocast(dev.split(":")[0], dtype=torch.bfloat16, enabled=cfg.bf16)


def build_model(cfg: TrainConfig, gen: torch.Generator | None = None) -> GPT:
    """A freshly initialised model for ``cfg`` (GPT or masked LM)."""
    from aieng.models.gpt import GPT
    from aieng.models.mlm import MaskedLM

    cls = GPT if cfg.kind == "gpt" else MaskedLM
    return cls(gpt_config(cfg), generator=gen)


def fit(
    cfg: TrainConfig, *, name: str = "", progress: Callable[[int, float], None] | None = None
) -> TrainResult:
    """Train a model from scratch (uncached; see :func:`trained`).

    Args:
        cfg: what to train.
        name: the preset's name, recorded in the result.
        progress: called as ``progress(step, loss)`` after every step (the CLI's progress bar).
    """
    import torch

    _set_threads()
    dev = device()
    # data: the train split as one tensor of character ids; batches are drawn on the CPU
    train_ids = torch.from_numpy(_split_ids("train", cfg))
    val_ids = _split_ids("val", cfg)
    init_gen, data_gen = generators(cfg.seed)
    model = build_model(cfg, init_gen).to(dev)

    # optimizer: AdamW, weight decay on matrices only (not on gains, biases)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, 0.99))

    curve_at = set()
    if cfg.curve_points:
        curve_at = {
            round(cfg.max_iters * (i + 1) / cfg.curve_points) for i in range(cfg.curve_points)
        }
    per_step = cfg.batch_size * cfg.model.block_size
    losses, curve = [], []
    seconds = 0.0
    for it in range(cfg.max_iters):
        start = time.perf_counter()
        # schedule: set this step's learning rate
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it, cfg)
        # forward and backward on one random batch
        x, y = _batch(train_ids, cfg, data_gen)
        with _autocast(cfg, dev):
            _, loss = model(x.to(dev), y.to(dev))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        # update: clip the global gradient norm, then step
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        optimizer.step()
        losses.append(float(loss.detach()))
        seconds += time.perf_counter() - start
        if progress:
            progress(it, losses[-1])
        # learning curve: held-out loss at a few points (not counted in train time)
        if it + 1 in curve_at and it + 1 < cfg.max_iters:
            curve.append((it + 1, (it + 1) * per_step, evaluate(model, val_ids, cfg, dev=dev)))
    val_loss = evaluate(model, val_ids, cfg, dev=dev)
    if cfg.curve_points:
        curve.append((cfg.max_iters, cfg.max_iters * per_step, val_loss))
    log.info("trained %s: val %.3f nats/char in %.1f s", name or "model", val_loss, seconds)
    return TrainResult(
        name,
        dataclasses.asdict(cfg),
        model.num_params(),
        weights_to_bytes(model),
        losses,
        val_loss,
        curve,
        seconds,
        dev,
    )
