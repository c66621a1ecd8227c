"""Training the character models: named presets, one flat training loop, the command line.

``PRESETS`` holds every model the site trains (the main GPT, the masked LM, the scaling sweep's
sizes); the sweep in :mod:`aieng.training.scaling` reuses it. :func:`trained` runs the loop through the
result cache: its key holds the config (``asdict``), the corpus hash, the seed and the code of
the model modules, and its result is plain (weights as ``torch.save`` bytes, losses as floats),
so reading it back never imports torch.

Command line::

    python -m aieng train [PRESET ...] [--list]     # train (or load) presets, with a progress bar
    python -m aieng bench train [--preset main]     # train afresh and print JSON figures

Example:
    >>> PRESETS["main"].model.n_layer
    3
    >>> get_lr(0, PRESETS["main"]) < get_lr(PRESETS["main"].warmup_iters, PRESETS["main"])
    True
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from aieng.core.cache import cached
from aieng.text import corpus

if TYPE_CHECKING:  # torch is imported inside functions: a warm build never needs it
    import torch

    from aieng.models.gpt import GPT, GPTConfig

log = logging.getLogger(__name__)

# Idle OpenMP threads sleep instead of spinning: on 2 cores shared with other work, spinning
# threads slowed training up to 5x in our measurements. Read when torch loads, so set it first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


Kind = Literal["gpt", "mlm"]


@dataclass(frozen=True)
class ModelShape:
    """Shape of a character model; :func:`gpt_config` turns it into a :class:`~aieng.models.gpt.GPTConfig`.

    Kept torch-free so that presets can be listed, hashed and compared without importing torch.
    """

    block_size: int = 128  # context length in characters
    n_layer: int = 4  # Transformer blocks
    n_head: int = 4  # attention heads per block
    n_embd: int = 128  # residual stream width


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

_MODEL_MODULES = (
    "aieng.text.corpus",
    "aieng.models.gpt",
    "aieng.models.mlm",
    "aieng.training.train",
)


def code_hash(modules: tuple[str, ...] = _MODEL_MODULES) -> str:
    """SHA-256 of the source files of ``modules``, read without importing them.

    Trained results depend on code in several modules (the model, the loop, the corpus), while
    the cache hashes only the module that defines a cached function; this hash covers the rest.
    """
    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        digest.update(name.encode())
        if spec and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def data_hash() -> str:
    """What trained results are keyed on besides their arguments: corpus and model code."""
    return f"{corpus.corpus_hash()}:{code_hash()}"


def vocab_size(cfg: TrainConfig) -> int:
    """The corpus alphabet, plus a ``[MASK]`` id (the last) for the masked LM."""
    return len(corpus.alphabet()) + (cfg.kind == "mlm")


def gpt_config(cfg: TrainConfig) -> GPTConfig:
    """The :class:`~aieng.models.gpt.GPTConfig` of a training config (imports torch)."""
    from aieng.models.gpt import GPTConfig

    return GPTConfig(vocab_size=vocab_size(cfg), **dataclasses.asdict(cfg.model))


def num_params(cfg: TrainConfig) -> int:
    """Parameters of the model ``cfg`` trains, computed without torch.

    Example:
        >>> num_params(PRESETS["tiny"])
        18528
    """
    C, L, T = cfg.model.n_embd, cfg.model.n_layer, cfg.model.block_size
    return 2 * vocab_size(cfg) * C + T * C + L * (12 * C * C + 2 * C) + C


def flops_per_token(cfg: TrainConfig) -> int:
    """Training FLOPs per character, ``6 N + 6 L T C`` (see :meth:`GPTConfig.flops_per_token`)."""
    C, L, T = cfg.model.n_embd, cfg.model.n_layer, cfg.model.block_size
    return 6 * (L * 12 * C * C + vocab_size(cfg) * C) + 6 * L * T * C


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
    weights: bytes  # torch.save(state_dict) bytes
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
    buffer = io.BytesIO()
    torch.save({k: v.cpu() for k, v in model.state_dict().items()}, buffer)
    log.info("trained %s: val %.3f nats/char in %.1f s", name or "model", val_loss, seconds)
    return TrainResult(
        name,
        dataclasses.asdict(cfg),
        model.num_params(),
        buffer.getvalue(),
        losses,
        val_loss,
        curve,
        seconds,
        dev,
    )


@cached(data=data_hash)
def _trained(cfg: TrainConfig, name: str) -> TrainResult:
    return fit(cfg, name=name, progress=_PROGRESS.get("callback"))


_PROGRESS: dict[str, Callable[[int, float], None] | None] = {}


def trained(preset: str | TrainConfig) -> TrainResult:
    """The trained model of a preset name or config, through the result cache.

    Trains only on a cache miss; the key holds ``asdict(cfg)`` (seed included), the corpus hash
    and the hash of the model code.

    Raises:
        KeyError: for an unknown preset name (the message lists the presets).
    """
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise KeyError(f"unknown preset {preset!r}; presets are: {', '.join(PRESETS)}")
        return _trained(PRESETS[preset], preset)
    return _trained(preset, "")


def load_model(result: TrainResult, *, dev: str | None = None) -> GPT:
    """Rebuild the torch model of a :class:`TrainResult` (in eval mode)."""
    import torch

    dev = dev or device()
    cfg = config_from_dict(result.config)
    model = build_model(cfg)
    model.load_state_dict(torch.load(io.BytesIO(result.weights), map_location="cpu"))
    return model.to(dev).eval()


def config_from_dict(d: dict[str, Any]) -> TrainConfig:
    """Inverse of ``dataclasses.asdict`` for :class:`TrainConfig`.

    Example:
        >>> config_from_dict(dataclasses.asdict(PRESETS["tiny"])) == PRESETS["tiny"]
        True
    """
    return TrainConfig(**{**d, "model": ModelShape(**d["model"])})
