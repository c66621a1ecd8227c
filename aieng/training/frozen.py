"""Frozen models: trained once, kept in the repository with a receipt, checked at every build.

Like Quarto's ``freeze`` for expensive notebooks, but verifiable. ``python -m aieng models train
NAME`` runs the recipe :data:`aieng.training.recipes.RECIPES` names (resuming from its last
checkpoint if a run was stopped) and writes ``frozen/NAME/``:

* ``weights.safetensors``: the weights in float16 (tensors only; reading them runs no code);
* ``metrics.json``: every step's training loss and the held-out learning curve;
* ``receipt.json``: the recipe (config, seed, corpus hash, code fingerprint), where and how long
  it ran (each segment's machine and device), its FLOPs, the training losses of its first
  :data:`~aieng.training.session.FIRST_STEPS` steps, the SHA-256 of the weights file, and the
  held-out score measured from those float16 weights.

A build uses a frozen model only when :func:`status` finds its recipe unchanged: the same config
as ``RECIPES`` holds now, the same corpus, and the same *training code*, the fingerprint
(:mod:`aieng.core.fingerprint`) of :mod:`aieng.training.session` and everything it imports
(the loop, the held-out score, the models). When anything differs, :func:`check` says which model
and why, how long retraining took last time, and the command; under ``CI=true`` it raises
:class:`StaleModelError` instead. :func:`verify` re-measures the held-out score from the weights
and raises :class:`ReceiptError` when it differs from the receipt by more than
:data:`REMEASURE_TOLERANCE`.

Example:
    >>> sorted(RECIPES) == sorted(p.name for p in FROZEN.iterdir() if p.is_dir())
    True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aieng.core import fingerprint, paths
from aieng.core.cache import cached
from aieng.text import corpus
from aieng.training import session
from aieng.training.config import TrainConfig, config_from_dict
from aieng.training.recipes import RECIPES

if TYPE_CHECKING:
    from aieng.models.gpt import GPT

__all__ = ["FROZEN", "CHECKPOINTS", "Status", "StaleModelError", "ReceiptError", "status"]
__all__ += ["check", "verify", "load_model", "weights_digest", "train"]
__all__ += ["receipt", "recipe", "code_fingerprint"]

log = logging.getLogger(__name__)

FROZEN = paths.ROOT / "frozen"  # one folder per frozen model, committed
CHECKPOINTS = paths.ROOT / ".cache" / "checkpoints"  # runs in progress (not committed)
RECEIPT_FORMAT = "aieng-receipt/1"
CODE = "aieng.training.session"  # the module whose closure is the training code
# The held-out score is computed in float32 from the same float16 weights, on the same text in
# the same windows; only the summation order (the thread count) can move it, by about 1e-6.
REMEASURE_TOLERANCE = 1e-4
# The first steps' training losses, run again by the tests: see tests/test_frozen_models.py for
# the measurement behind this figure.
REPLAY_TOLERANCE = 1e-3  # aieng.training.replay runs the first steps again


class StaleModelError(RuntimeError):
    """A frozen model whose recipe is not what the current code would run (under ``CI=true``)."""


class ReceiptError(RuntimeError):
    """A frozen model whose files are missing, unreadable or disagree with its receipt."""


def code_fingerprint() -> str:
    """The fingerprint of the training code (:data:`CODE` and everything it imports)."""
    return fingerprint.fingerprint(CODE)


def recipe(name: str) -> dict[str, Any]:
    """What the current code would run for ``name``: config, seed, corpus hash, code fingerprint."""
    cfg = _config(name)
    return {
        "name": name,
        "config": dataclasses.asdict(cfg),
        "seed": cfg.seed,
        "data_hash": corpus.corpus_hash(),
        "code_fingerprint": code_fingerprint(),
    }


def _config(name: str) -> TrainConfig:
    if name not in RECIPES:
        raise KeyError(f"unknown frozen model {name!r}; recipes are: {', '.join(RECIPES)}")
    return RECIPES[name]


def folder(name: str) -> Path:
    """Where the frozen result of ``name`` lives."""
    return FROZEN / name


def _shown(path: Path) -> str:
    """``path`` as a message shows it: relative to the repository when it is inside."""
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def receipt(name: str) -> dict[str, Any]:
    """The receipt of ``name``, read and checked for form.

    Raises:
        ReceiptError: when it is missing or not a receipt of this format (the message says how
            to make one).
    """
    path = folder(name) / "receipt.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReceiptError(
            f"frozen model {name!r} has no receipt ({_shown(path)}); "
            f"train it with: python -m aieng models train {name}"
        ) from None
    except (OSError, ValueError) as error:
        raise ReceiptError(f"cannot read {_shown(path)}: {error}") from None
    if not isinstance(data, dict) or data.get("format") != RECEIPT_FORMAT:
        raise ReceiptError(
            f"{_shown(path)} is not a {RECEIPT_FORMAT} receipt; "
            f"retrain with: python -m aieng models train {name}"
        )
    return data


@dataclass(frozen=True)
class Status:
    """Whether a frozen model may be used: ``stale`` lists what differs from the recipe."""

    name: str
    stale: tuple[str, ...]  # empty when the receipt matches what the code would run
    receipt: dict[str, Any]

    @property
    def up_to_date(self) -> bool:
        return not self.stale

    def retrain_hint(self) -> str:
        """How long the last training took and where, and the command that retrains."""
        minutes = self.receipt.get("wall_seconds", 0) / 60
        where = ", ".join(sorted({s["machine"]["device"] for s in self.receipt["segments"]}))
        return (
            f"the last training took {minutes:.0f} min on {where}; "
            f"retrain with: python -m aieng models train {self.name}"
        )


def status(name: str) -> Status:
    """Compare ``name``'s receipt with what the current code, recipe and corpus would run."""
    rec = receipt(name)
    got, want = rec["recipe"], recipe(name)
    stale = []
    if got.get("config") != want["config"]:
        stale.append("its config in aieng/training/recipes.py changed")
    if got.get("data_hash") != want["data_hash"]:
        stale.append("the corpus changed")
    if got.get("code_fingerprint") != want["code_fingerprint"]:
        stale.append(f"the training code changed ({CODE} or a module it imports)")
    return Status(name, tuple(stale), rec)


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def check(name: str) -> Status:
    """:func:`status`, said out loud when stale: a warning, or under ``CI=true`` an error.

    Raises:
        StaleModelError: under ``CI=true``, when the model is out of date.
    """
    st = status(name)
    if st.stale:
        message = (
            f"frozen model {name!r} is out of date: {'; '.join(st.stale)}; {st.retrain_hint()}"
        )
        if _on_ci():
            raise StaleModelError(message)
        log.warning(message)
    return st


def weights_digest(name: str) -> str:
    """SHA-256 of ``frozen/NAME/weights.safetensors`` (part of every page result's key)."""
    path = folder(name) / "weights.safetensors"
    try:
        stat = path.stat()
        return _digest(path, stat.st_size, stat.st_mtime_ns)
    except FileNotFoundError:
        raise ReceiptError(
            f"frozen model {name!r} has no weights; train it with: "
            f"python -m aieng models train {name}"
        ) from None


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    """The file's SHA-256, computed once per process for each size and modification time (every
    page result's key asks for it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digests() -> str:
    """The weights digests of the frozen models present, as one string (a cache ``data`` hash)."""
    present = [n for n in sorted(RECIPES) if (folder(n) / "weights.safetensors").exists()]
    return ",".join(f"{n}={weights_digest(n)}" for n in present)


def _state_dict(name: str) -> dict[str, Any]:
    from safetensors.torch import load

    blob = (folder(name) / "weights.safetensors").read_bytes()
    return {k: v.float() for k, v in load(blob).items()}


def _model(name: str, config: dict[str, Any]) -> GPT:
    return _model_from(config_from_dict(config), _state_dict(name))


def held_out(model: GPT, cfg: TrainConfig) -> float:
    """The score a receipt records: the held-out text for a GPT, masked words for a masked LM."""
    if cfg.kind == "gpt":
        from aieng.training.heldout import heldout_loss

        return heldout_loss(model)
    from aieng.training.loop import evaluate

    ids = corpus.encode(corpus.text("val"))
    return evaluate(model, ids, dataclasses.replace(cfg, bf16=False))


@cached(data=corpus.corpus_hash)
def _remeasure(name: str, digest: str, config: dict[str, Any]) -> float:
    """The held-out score of the weights whose SHA-256 is ``digest`` (cached by that digest)."""
    return held_out(_model(name, config), config_from_dict(config))


def verify(name: str) -> float:
    """Re-measure ``name``'s held-out score from its weights; return it if it matches the receipt.

    Raises:
        ReceiptError: when the weights' digest or the score differs from the receipt.
    """
    rec = receipt(name)
    digest = weights_digest(name)
    if digest != rec["weights_sha256"]:
        raise ReceiptError(
            f"frozen/{name}/weights.safetensors is not the file its receipt describes "
            f"(SHA-256 {digest[:12]}, receipt {rec['weights_sha256'][:12]}); "
            f"restore it with git, or retrain: python -m aieng models train {name}"
        )
    measured = _remeasure(name, digest, rec["recipe"]["config"])
    if abs(measured - rec["val_loss"]) > REMEASURE_TOLERANCE:
        raise ReceiptError(
            f"frozen model {name!r} scores {measured:.6f} nats/char on the held-out text, its "
            f"receipt says {rec['val_loss']:.6f} (tolerance {REMEASURE_TOLERANCE}); "
            f"retrain with: python -m aieng models train {name}"
        )
    return measured


@cache
def _checked(name: str) -> Status:
    st = check(name)
    verify(name)
    return st


def load_model(name: str) -> GPT:
    """The frozen model ``name``, checked (:func:`check`) and verified (:func:`verify`) once per
    process; on the CPU, in eval mode, in float32."""
    st = _checked(name)
    return _model(name, st.receipt["recipe"]["config"])


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    """Replace ``target`` by a folder holding ``files``, never leaving a half-written one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a frozen result is for everyone to read
    for name, blob in files.items():
        (tmp / name).write_bytes(blob)
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def train(
    name: str, *, progress: Callable[[int, float], None] | None = None, fresh: bool = False
) -> dict[str, Any]:
    """Train recipe ``name`` (resuming its checkpoint unless ``fresh``) and freeze the result.

    Returns:
        The receipt written to ``frozen/NAME/receipt.json``.
    """
    import torch
    from safetensors.torch import save

    cfg = _config(name)
    checkpoint = CHECKPOINTS / f"{name}.pt"
    started_with = checkpoint.with_suffix(".recipe.json")  # the recipe the run began with
    want = recipe(name)
    if fresh or not checkpoint.exists():
        checkpoint.unlink(missing_ok=True)
        CHECKPOINTS.mkdir(parents=True, exist_ok=True)
        started_with.write_text(json.dumps({"recipe": want}, indent=1), encoding="utf-8")
    _same_run(name, started_with, want)
    started = time.time()
    result = session.run(cfg, checkpoint=checkpoint, progress=progress)
    assert result is not None  # no stop_after
    _same_run(name, started_with, recipe(name))  # nothing was edited while it trained
    half = {k: v.to(torch.float16).contiguous() for k, v in result.state_dict.items()}
    blob = save(half, metadata={"name": name, "format": "aieng-frozen/1"})
    from safetensors.torch import load

    model = _model_from(cfg, {k: v.float() for k, v in load(blob).items()})
    val_loss = held_out(model, cfg)
    segments = [s for s in result.segments if s["to_step"] > s["from_step"]]  # work done
    wall = sum(s["seconds"] for s in segments)
    rec = {
        "format": RECEIPT_FORMAT,
        "name": name,
        "recipe": want,
        "params": result.num_params,
        "train_flops": result.flops,
        "train_chars": cfg.tokens(),
        "wall_seconds": round(wall, 1),
        "train_seconds": round(result.train_seconds, 1),
        "eval_seconds": round(result.eval_seconds, 1),
        "segments": segments,
        "first_losses": result.train_losses[: session.FIRST_STEPS],
        "final_train_loss": sum(result.train_losses[-100:]) / len(result.train_losses[-100:]),
        "val_loss": val_loss,
        "heldout": _heldout_text(cfg),
        "weights_sha256": hashlib.sha256(blob).hexdigest(),
        "frozen_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "freeze_seconds": round(time.time() - started, 1),
    }
    metrics = {"train_losses": [round(x, 5) for x in result.train_losses], "curve": result.curve}
    _write_folder(
        folder(name),
        {
            "weights.safetensors": blob,
            "metrics.json": json.dumps(metrics, indent=0).encode(),
            "receipt.json": (json.dumps(rec, indent=2, ensure_ascii=False) + "\n").encode(),
        },
    )
    _checked.cache_clear()
    return rec


def _same_run(name: str, started_with: Path, want: dict[str, Any]) -> None:
    """Refuse to resume or freeze a run that began under another recipe or other code: the
    receipt's fingerprint must be that of the code that actually trained the model."""
    try:
        began = json.loads(started_with.read_text(encoding="utf-8"))["recipe"]
    except (OSError, ValueError, KeyError):
        began = None
    if began != want:
        raise ReceiptError(
            f"the checkpoint of {name!r} was made by another recipe or other training code "
            f"than the current one; start over with: python -m aieng models train {name} --fresh"
        )


def _model_from(cfg: TrainConfig, state: dict[str, Any]) -> GPT:
    from aieng.training.loop import build_model

    model = build_model(cfg)
    model.load_state_dict(state)
    return model.eval()


def _heldout_text(cfg: TrainConfig) -> dict[str, Any]:
    from aieng.training.heldout import HELDOUT_CHARS

    if cfg.kind == "gpt":
        return {"split": "val", "chars": HELDOUT_CHARS, "score": "next character, nats/char"}
    return {"split": "val", "chars": cfg.eval_tokens, "score": "masked words, nats/char"}


def metrics(name: str) -> dict[str, Any]:
    """``frozen/NAME/metrics.json``: every step's training loss and the held-out curve."""
    return json.loads((folder(name) / "metrics.json").read_text(encoding="utf-8"))
