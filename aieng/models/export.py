"""A GPT's weights as one compact file that the browser's copy of the model reads, without torch.

The completion playground runs :class:`aieng.models.gpt.GPT` again in JavaScript
(``docs/assets/playground/gpt.js``). What it needs is in one file, written by :func:`pack`:

* 4 bytes: the length ``N`` of the header, an unsigned little-endian integer;
* ``N`` bytes: the header, JSON in UTF-8, padded with spaces so the weights start at a multiple
  of 8 bytes. It holds the format (:data:`FORMAT`), the shape (``vocab_size``, ``block_size``,
  ``n_layer``, ``n_head``, ``n_embd``, ``bias``), the alphabet (id ``i`` is its ``i``-th
  character), what ``gpt.py`` uses without saying so (LayerNorm's epsilon, the exact erf GELU),
  and the tensors' names and shapes in the order they follow;
* the tensors, float16 little-endian, one after another, each row-major as in torch.

float16 because the frozen weights are float16 (``frozen/NAME/weights.safetensors``): torch
loads them into float32 exactly, and so does the browser, so both run the same numbers. A
tensor that float16 cannot hold exactly is refused rather than rounded. The names and shapes must
be exactly those :func:`tensor_shapes` lists for the config (biases only with ``bias=True``).

Example:
    >>> import numpy as np
    >>> from aieng.models.config import GPTConfig
    >>> cfg = GPTConfig(vocab_size=3, block_size=4, n_layer=1, n_head=1, n_embd=2)
    >>> tensors = {k: np.zeros(s, np.float16) for k, s in tensor_shapes(cfg).items()}
    >>> blob = pack(tensors, cfg, "abc")
    >>> header, back = unpack(blob)
    >>> header["alphabet"], header["config"]["n_embd"], len(blob) % 2, back["head.weight"].shape
    ('abc', 2, 0, (3, 2))
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from aieng.models.config import GPTConfig

__all__ = ["FORMAT", "LAYER_NORM_EPS", "pack", "read_safetensors", "tensor_shapes", "unpack"]

FORMAT = "aieng-gpt/1"
#: ``nn.LayerNorm``'s default, which ``gpt.py`` keeps (tests/test_completion.py checks it).
LAYER_NORM_EPS = 1e-5
_CONFIG = ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "bias")


def tensor_shapes(cfg: GPTConfig) -> dict[str, tuple[int, ...]]:
    """Every tensor of ``GPT(cfg).state_dict()``, name -> shape, in the file's order.

    Example:
        >>> shapes = tensor_shapes(GPTConfig(vocab_size=80, n_layer=1, n_embd=8))
        >>> list(shapes)[2:4], shapes["blocks.0.mlp.fc.weight"], len(shapes)
        (['blocks.0.ln_1.weight', 'blocks.0.attn.qkv.weight'], (32, 8), 10)
    """
    C, V, T = cfg.n_embd, cfg.vocab_size, cfg.block_size
    out: dict[str, tuple[int, ...]] = {"tok_emb.weight": (V, C), "pos_emb.weight": (T, C)}

    def add(name: str, shape: tuple[int, ...]) -> None:
        out[f"{name}.weight"] = shape
        if cfg.bias:
            out[f"{name}.bias"] = shape[:1]

    for i in range(cfg.n_layer):
        add(f"blocks.{i}.ln_1", (C,))
        add(f"blocks.{i}.attn.qkv", (3 * C, C))
        add(f"blocks.{i}.attn.proj", (C, C))
        add(f"blocks.{i}.ln_2", (C,))
        add(f"blocks.{i}.mlp.fc", (4 * C, C))
        add(f"blocks.{i}.mlp.proj", (C, 4 * C))
    add("ln_f", (C,))
    out["head.weight"] = (V, C)  # the head never has a bias
    return out


def _float16(name: str, value: Any) -> np.ndarray:
    """``value`` (a numpy array or a torch tensor) as float16, refusing any rounding."""
    if hasattr(value, "detach"):  # a torch tensor: read it without importing torch here
        value = value.detach().cpu().float().numpy()
    array = np.asarray(value)
    half = array.astype("<f2")
    if not np.array_equal(half.astype(np.float32), array.astype(np.float32)):
        raise ValueError(
            f"{name} is not exactly float16: save the model's weights in float16 first (as the "
            "frozen models are), so that the browser and torch run the same numbers"
        )
    return half


def pack(
    tensors: Mapping[str, Any],
    cfg: GPTConfig,
    alphabet: str,
    *,
    source: Mapping[str, Any] | None = None,
) -> bytes:
    """The file the browser's GPT reads (see the module docstring).

    Args:
        tensors: the model's state dict (numpy arrays or torch tensors, float16-exact).
        cfg: the model's shape.
        alphabet: the characters of the ids ``0 .. vocab_size - 1``.
        source: what the header records about where the weights came from (e.g. the name and
            SHA-256 of the frozen weights file).

    Raises:
        ValueError: when a tensor is missing, extra, of another shape or not float16-exact, or
            the alphabet does not have ``vocab_size`` characters.
    """
    if len(alphabet) != cfg.vocab_size:
        raise ValueError(
            f"the alphabet has {len(alphabet)} characters, vocab_size is {cfg.vocab_size}"
        )
    shapes = tensor_shapes(cfg)
    missing, extra = sorted(set(shapes) - set(tensors)), sorted(set(tensors) - set(shapes))
    if missing or extra:
        raise ValueError(f"not the tensors of this GPT: missing {missing}, unexpected {extra}")
    arrays = {name: _float16(name, tensors[name]) for name in shapes}
    wrong = {n: a.shape for n, a in arrays.items() if a.shape != shapes[n]}
    if wrong:
        raise ValueError(f"tensors of the wrong shape: {wrong} (want {[shapes[n] for n in wrong]})")
    header = {
        "format": FORMAT,
        "config": {key: getattr(cfg, key) for key in _CONFIG},
        "alphabet": alphabet,
        "layer_norm_eps": LAYER_NORM_EPS,
        "gelu": "erf",  # F.gelu's default (approximate="none")
        "dtype": "float16",
        "tensors": [[name, list(shape)] for name, shape in shapes.items()],
        "source": dict(source or {}),
    }
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(4 + len(text)) % 8)
    return len(text).to_bytes(4, "little") + text + b"".join(a.tobytes() for a in arrays.values())


def unpack(blob: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and the float16 tensors of a file :func:`pack` wrote (for tests and tools)."""
    n = int.from_bytes(blob[:4], "little")
    header = json.loads(blob[4 : 4 + n].decode("utf-8"))
    if header.get("format") != FORMAT:
        raise ValueError(f"not an {FORMAT} file: format {header.get('format')!r}")
    tensors, at = {}, 4 + n
    for name, shape in header["tensors"]:
        size = int(np.prod(shape)) * 2
        tensors[name] = np.frombuffer(blob, "<f2", size // 2, at).reshape(shape)
        at += size
    if at != len(blob):
        raise ValueError(f"{len(blob) - at} bytes after the last tensor")
    return header, tensors


def read_safetensors(blob: bytes) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file, as numpy arrays (no torch; reading runs no code)."""
    from safetensors.numpy import load

    return load(blob)
