"""Completions drawn by the playground's sampler from torch's logits: what the browser must match.

The completion playground (:mod:`aieng.website.completion`) runs the site's GPT in the reader's
browser and samples with :mod:`aieng.models.sampling` (Mulberry32 and an inverse-CDF draw in
float64), because the browser has no ``torch.multinomial``. This module is the Python side of that
promise: the same sampler fed with torch's own logits, step by step, as
:meth:`aieng.models.gpt.GPT.generate` runs the model (the last ``block_size`` characters, at
positions 0 and up). So, for the same prompt, temperature, seed and length:

* ``sampled_complete(...)`` is the text the browser's ``window.aieng.complete`` gives (the
  browser tests compare them), and
* at temperature 0 it is :func:`aieng.book.queries.complete`'s greedy text (``argmax`` picks the
  first of equal logits in both).

Prompts are encoded by :func:`aieng.text.corpus.encode`, so a character the corpus never uses is
refused with a ``ValueError`` naming it, as the browser refuses it; an empty prompt is refused too
(a GPT needs at least one character to continue).

Example:
    >>> sampled_complete("To be", length=0)
    'To be'
"""

from __future__ import annotations

from aieng.book.queries import MAIN, load_preset, models_hash
from aieng.core.cache import cached
from aieng.models.sampling import Mulberry32, check_options, pick
from aieng.text import corpus

__all__ = ["complete_with", "sampled_complete"]


def complete_with(
    model, prompt: str, *, temperature: float = 0.0, seed: int = 0, length: int = 60
) -> str:
    """``prompt`` and ``length`` characters drawn from ``model`` (a torch GPT) with the
    playground's sampler; uncached (see :func:`sampled_complete` for the site's model)."""
    import torch

    check_options(temperature=temperature, seed=seed, length=length)
    ids = [int(i) for i in corpus.encode(prompt)]
    if not ids:
        raise ValueError("the prompt is empty: give at least one character")
    rng = Mulberry32(seed)
    block = model.cfg.block_size
    model.eval()
    for _ in range(length):
        window = torch.tensor([ids[-block:]], dtype=torch.long)
        with torch.no_grad():
            logits, _ = model(window)
        ids.append(pick(logits[0, -1].double().tolist(), temperature, rng))
    return prompt + corpus.decode(ids[len(ids) - length :])


@cached(data=models_hash)
def sampled_complete(
    prompt: str,
    *,
    temperature: float = 0.0,
    seed: int = 0,
    length: int = 60,
    preset: str = MAIN,
) -> str:
    """The prompt and its continuation by the site's GPT (``preset``) with the playground's sampler.

    Raises:
        ValueError: for an empty prompt, a character outside the corpus alphabet, or options the
            browser refuses too (:func:`aieng.models.sampling.check_options`).
    """
    check_options(temperature=temperature, seed=seed, length=length)
    if length == 0:
        corpus.encode(prompt)  # still refuse what the model cannot read
        if not prompt:
            raise ValueError("the prompt is empty: give at least one character")
        return prompt
    return complete_with(
        load_preset(preset).cpu(), prompt, temperature=temperature, seed=seed, length=length
    )
