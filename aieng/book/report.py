"""``python -m aieng models report [--json]``: the figures the pages show about the models.

One JSON object, computed the way the pages compute it (the same cached functions, so after a
build it is instant, and on an empty cache it computes what a cold build would):

* ``models``: every frozen model from its receipt and a re-measurement of its weights (``name``,
  ``kind``, ``params``, ``val_loss`` in nats/char on the held-out text, ``train_flops``,
  ``device``, ``wall_seconds``, ``up_to_date``); the GPT the pages complete prompts with is
  ``main``;
* ``ngram_best``: the best Kneser-Ney n-gram (``order``, ``val_loss``) on the same held-out text;
* ``sweep``: the scaling sweep's models (``params``, ``train_flops``, ``val_loss``);
* ``mlm_vs_gpt``: the blank-filling comparison (``blanks``, ``mlm_top1``, ``gpt_top1``);
* ``completions``: the page's completions (``prompt``, ``temperature``, ``seed``, ``text``), and
  ``words_in_training``: the share of generated words that occur in the training text.
"""

from __future__ import annotations

from typing import Any

from aieng.book import queries
from aieng.training import frozen
from aieng.training.recipes import RECIPES

__all__ = ["report", "summary", "PAGE_PROMPTS"]

# The prompts the language-models page completes (docs/*/1.1/language-models.md).
PAGE_PROMPTS = ("To be or not to be",)


def _model(name: str) -> dict[str, Any]:
    st = frozen.status(name)
    rec = st.receipt
    devices = sorted({s["machine"]["device"] for s in rec["segments"]})
    return {
        "name": name,
        "kind": rec["recipe"]["config"]["kind"],
        "params": rec["params"],
        "val_loss": round(frozen.verify(name), 6),
        "train_flops": rec["train_flops"],
        "train_chars": rec["train_chars"],
        "device": ", ".join(devices),
        "wall_seconds": rec["wall_seconds"],
        "up_to_date": st.up_to_date,
    }


def _sweep() -> list[dict[str, Any]]:
    from aieng.training import scaling

    return [
        {"name": p.name, "params": p.params, "train_flops": p.flops, "val_loss": p.val_loss}
        for p in scaling.model_sweep().points
    ]


def _mlm_vs_gpt() -> dict[str, Any]:
    from aieng.book import blanks

    result = blanks.blank_benchmark()
    return {"blanks": result.blanks, "mlm_top1": result.mlm_top1, "gpt_top1": result.gpt_top1}


def report() -> dict[str, Any]:
    """The whole report as plain values (see the module docstring for the keys)."""
    from aieng.book.contexts import compute_curve

    curve = compute_curve()
    order, best = curve.best_ngram()
    rows = []
    for prompt in PAGE_PROMPTS:
        for t, seed, text in queries.completions(prompt).rows:
            rows.append({"prompt": prompt, "temperature": t, "seed": seed, "text": text})
    share = queries.words_in_training()
    return {
        "models": [_model(name) for name in RECIPES],
        "ngram_best": {"order": order, "val_loss": round(best, 6)},
        "sweep": _sweep(),
        "mlm_vs_gpt": _mlm_vs_gpt(),
        "completions": rows,
        "words_in_training": {
            "share": share.share,
            "words": share.words,
            "temperatures": list(share.temperatures),
        },
    }


def summary(data: dict[str, Any]) -> str:
    """The report as a few lines for a terminal."""
    lines = []
    for m in data["models"]:
        lines.append(
            f"{m['name']:10} {m['kind']:3} {m['params']:>10,} params  {m['val_loss']:.4f} nats/char"
            f"  {m['train_flops']:.2e} FLOPs  {m['wall_seconds'] / 60:.0f} min on {m['device']}"
        )
    ng = data["ngram_best"]
    lines.append(f"best n-gram: {ng['order']}-gram, {ng['val_loss']:.4f} nats/char")
    mv = data["mlm_vs_gpt"]
    lines.append(
        f"blanks: {mv['blanks']}, masked LM top-1 {mv['mlm_top1']:.3f}, GPT {mv['gpt_top1']:.3f}"
    )
    w = data["words_in_training"]
    lines.append(f"generated words found in the training text: {w['share']:.1%} of {w['words']}")
    return "\n".join(lines)
