"""A causal GPT run one character at a time, keeping every layer's keys and values.

:meth:`aieng.models.gpt.GPT.generate` reruns the whole window for each new character, the plain
way to write it; :func:`generate` here keeps each layer's keys and values (a *KV cache*), so a
new character costs one position instead of the whole window. While the text fits the window
the two compute the same numbers, up to the order of floating-point sums; once the text is longer
than ``block_size``, the window slides and every position moves, so :func:`generate` hands the
rest to ``GPT.generate``. The pieces (:func:`heads`, :func:`attend`, :func:`finish`) are the
model's own layers, taken apart: the blank benchmark (:mod:`aieng.book.cloze`) uses them to run
thousands of candidate words after one left context.

Example:
    >>> import torch
    >>> from aieng.models.gpt import GPT, GPTConfig
    >>> model = GPT(GPTConfig(vocab_size=5, block_size=8, n_layer=1, n_head=1, n_embd=4),
    ...             generator=torch.Generator().manual_seed(0)).eval()
    >>> idx = torch.tensor([[1, 2]])
    >>> torch.equal(generate(model, idx, 4, temperature=0), model.generate(idx, 4, temperature=0))
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

    from aieng.models.gpt import GPT

__all__ = ["generate", "heads", "attend", "finish"]


def heads(attn, h):
    """Queries, keys and values of ``h`` ``(B, T, C)``, each ``(B, n_head, T, C / n_head)``."""
    B, T, C = h.shape
    q, k, v = attn.qkv(h).split(C, dim=2)
    return (t.view(B, T, attn.n_head, C // attn.n_head).transpose(1, 2) for t in (q, k, v))


def finish(block, x, y):
    """The rest of a block after attention: heads side by side, projection, residual, MLP."""
    B, T, C = x.shape
    x = x + block.attn.proj(y.transpose(1, 2).reshape(B, T, C))
    return x + block.mlp(block.ln_2(x))


def attend(q, k0, v0, k, v, sees=None):
    """Attention of the queries ``q`` ``(n, H, t, d)`` to a shared left context ``k0, v0``
    ``(1, H, P, d)`` and to their own keys ``k, v`` ``(n, H, t', d)`` (where ``sees`` allows),
    without copying the left context ``n`` times: one softmax over both parts."""
    import torch

    scale = q.size(-1) ** -0.5
    own = q @ k.transpose(-2, -1) * scale  # (n, H, t, t')
    if sees is not None:
        own = own.masked_fill(~sees, float("-inf"))
    weights = torch.softmax(torch.cat([q @ k0.transpose(-2, -1) * scale, own], -1), -1)
    p = k0.size(2)
    return weights[..., :p] @ v0 + weights[..., p:] @ v


def _pick(logits, temperature: float, top_k: int | None, generator):
    """The next character after the last position's logits ``(B, V)``, as ``GPT.generate`` picks."""
    import torch
    from torch.nn import functional as F

    if temperature == 0:
        return logits.argmax(dim=-1, keepdim=True)  # (B, 1)
    logits = logits / temperature
    if top_k is not None:
        kth = torch.topk(logits, min(top_k, logits.size(-1))).values[:, -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = F.softmax(logits, dim=-1)
    return torch.multinomial(probs, 1, generator=generator)  # (B, 1)


def generate(
    model: GPT,
    idx: torch.Tensor,
    max_new_tokens: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """``model.generate(idx, max_new_tokens, ...)`` with a KV cache (the same arguments).

    Args:
        model: a causal GPT in eval mode.
        idx: the prompts ``(B, T)``, ``T <= block_size``.
        max_new_tokens: characters to add.
        temperature: 0 for greedy decoding; otherwise the softmax temperature.
        top_k: sample among the ``top_k`` most probable characters only (``None``: all).
        generator: the random generator the samples are drawn with.

    Returns:
        ``(B, T + max_new_tokens)``: the prompts and what was added.
    """
    import torch
    from torch.nn import functional as F

    if not max_new_tokens:
        return idx
    block = model.cfg.block_size
    with torch.no_grad():
        t = idx.size(1)
        x = model.tok_emb(idx) + model.pos_emb(torch.arange(t, device=idx.device))
        kv = []
        for layer in model.blocks:
            q, k, v = heads(layer.attn, layer.ln_1(x))
            kv.append((k, v))
            x = finish(layer, x, F.scaled_dot_product_attention(q, k, v, is_causal=True))
        logits = model.head(model.ln_f(x[:, -1]))  # (B, V)
        out = [idx]
        for step in range(max_new_tokens):
            nxt = _pick(logits, temperature, top_k, generator)  # (B, 1)
            out.append(nxt)
            t += 1
            if step + 1 == max_new_tokens:
                break
            if t > block:  # the window slides from here on: every position moves
                rest = max_new_tokens - step - 1
                whole = torch.cat(out, 1)
                return model.generate(
                    whole, rest, temperature=temperature, top_k=top_k, generator=generator
                )
            y = model.tok_emb(nxt) + model.pos_emb(torch.tensor([t - 1], device=idx.device))
            for i, layer in enumerate(model.blocks):
                q, k, v = heads(layer.attn, layer.ln_1(y))
                k, v = torch.cat([kv[i][0], k], 2), torch.cat([kv[i][1], v], 2)
                kv[i] = (k, v)
                y = finish(layer, y, F.scaled_dot_product_attention(q, k, v))
            logits = model.head(model.ln_f(y[:, -1]))
    return torch.cat(out, 1)
