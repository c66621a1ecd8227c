"""A small character-level GPT: a decoder-only Transformer that predicts the next character.

Everything a GPT is, in one readable file: token and position embeddings, a stack of blocks
(causal self-attention, then an MLP, each behind a LayerNorm and added back to the residual
stream), a final LayerNorm and a linear head that scores every character of the vocabulary.
Training lives in :mod:`aieng.training.train`; pages query trained models through
:mod:`aieng.book.queries`, which caches plain results so that a warm build never imports torch.

Shapes are written ``(B, T, C)``: batch, time (context position), channels (``n_embd``). The
config, :class:`~aieng.models.config.GPTConfig`, lives in the torch-free
:mod:`aieng.models.config` with the parameter and FLOP formulas.

Example:
    >>> import torch
    >>> from aieng.models.gpt import GPT, GPTConfig
    >>> model = GPT(GPTConfig(vocab_size=10, block_size=8, n_layer=1, n_head=2, n_embd=16))
    >>> idx = torch.zeros(2, 8, dtype=torch.long)
    >>> logits, loss = model(idx, idx)
    >>> tuple(logits.shape), loss.ndim
    ((2, 8, 10), 0)
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

from aieng.models.config import GPTConfig

__all__ = ["GPT", "GPTConfig", "Block", "MLP", "CausalSelfAttention", "distance_bias"]


class CausalSelfAttention(nn.Module):
    """Multi-head attention in which each position sees only itself and earlier positions.

    With ``causal=False`` every position sees the whole sequence (the masked LM's encoder).
    """

    def __init__(self, cfg: GPTConfig, *, causal: bool = True) -> None:
        super().__init__()
        if cfg.n_embd % cfg.n_head:
            raise ValueError(f"n_embd ({cfg.n_embd}) must be a multiple of n_head ({cfg.n_head})")
        self.n_head = cfg.n_head
        self.causal = causal
        self.dropout = cfg.dropout
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=cfg.bias)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.resid_dropout = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)  # 3 x (B, T, C)
        # (B, T, C) -> (B, nh, T, hs): each head attends in its own subspace
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        bias = None if self.causal else distance_bias(self.n_head, T, x.device).to(q.dtype)
        y = F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=bias,
            is_causal=self.causal,
            dropout_p=self.dropout if self.training else 0.0,
        )  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.resid_dropout(self.proj(y))


def distance_bias(n_head: int, T: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """ALiBi-style attention bias ``-slope_h * |i - j|``, ``(n_head, T, T)``, for the encoder.

    Head ``h`` gets slope ``2 ** -(h + 1)``: some heads look mostly at close neighbours, others
    further. A masked position holds no information of its own, so its first clue must come
    from its neighbours; with this bias attention starts out local, and our small masked model
    leaves the "predict letter frequencies" plateau in tens of steps instead of hundreds
    (Press et al., 2022, introduced such biases for causal models).

    Example:
        >>> distance_bias(2, 3)[1].tolist()
        [[-0.0, -0.25, -0.5], [-0.25, -0.0, -0.25], [-0.5, -0.25, -0.0]]
    """
    slopes = 2.0 ** -torch.arange(1, n_head + 1, dtype=torch.float32, device=device)  # (nh,)
    pos = torch.arange(T, device=device)
    distance = (pos[None, :] - pos[:, None]).abs().float()  # (T, T)
    return -slopes[:, None, None] * distance  # (nh, T, T)


class MLP(nn.Module):
    """Position-wise feed-forward network: widen 4x, GELU, project back."""

    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=cfg.bias)
        self.proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.proj(F.gelu(self.fc(x))))


class Block(nn.Module):
    """One Transformer block (pre-norm): ``x + attn(ln(x))``, then ``x + mlp(ln(x))``."""

    def __init__(self, cfg: GPTConfig, *, causal: bool = True) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.attn = CausalSelfAttention(cfg, causal=causal)
        self.ln_2 = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.mlp = MLP(cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """The decoder-only Transformer.

    Args:
        cfg: its shape.
        generator: the random generator for the initial weights (explicit, for determinism).
    """

    causal = True  # subclasses that may look ahead (the masked LM) set this to False

    def __init__(self, cfg: GPTConfig, *, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.pos_emb = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg, causal=self.causal) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self._init_weights(generator)

    @torch.no_grad()
    def _init_weights(self, generator: torch.Generator | None) -> None:
        # GPT-2 style: N(0, 0.02), residual projections scaled down by 1/sqrt(2 * n_layer)
        residual_std = 0.02 / math.sqrt(2 * self.cfg.n_layer)
        for name, p in self.named_parameters():
            if p.dim() < 2:  # LayerNorm gains and biases
                p.fill_(1.0 if name.endswith("weight") else 0.0)
                continue
            std = residual_std if name.endswith("proj.weight") else 0.02
            p.normal_(0.0, std, generator=generator)

    def num_params(self) -> int:
        """Parameters actually allocated (equals ``cfg.num_params()``)."""
        return sum(p.numel() for p in self.parameters())

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Score the next character at every position.

        Args:
            idx: character ids, ``(B, T)`` with ``T <= block_size``.
            targets: the character to predict at each position, ``(B, T)`` (``-100`` where there
                is nothing to predict); when given, the mean cross-entropy (nats per character)
                is returned as well.

        Returns:
            ``(logits, loss)``: logits ``(B, T, vocab_size)``, loss a scalar or ``None``.
        """
        logits = self.head(self.features(idx))  # (B, T, V)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(
            logits.view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-100
        )
        return logits, loss

    def features(self, idx: torch.Tensor) -> torch.Tensor:
        """The final hidden state at every position, ``(B, T, C)``, before the output head."""
        B, T = idx.shape
        if T > self.cfg.block_size:
            raise ValueError(f"context of {T} tokens exceeds block_size {self.cfg.block_size}")
        pos = torch.arange(T, device=idx.device)  # (T,)
        x = self.drop(self.tok_emb(idx) + self.pos_emb(pos))  # (B, T, C)
        for block in self.blocks:
            x = block(x)  # (B, T, C)
        return self.ln_f(x)  # (B, T, C)

    @torch.no_grad()
    def next_token_probs(self, idx: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
        """Probability of each next character after the context ``idx`` ``(B, T)``: ``(B, V)``.

        Only the last ``block_size`` characters of the context are used.
        """
        logits, _ = self(idx[:, -self.cfg.block_size :])
        return F.softmax(logits[:, -1, :] / temperature, dim=-1)  # (B, V)

    @torch.no_grad()
    def generate(
        self,
        idx: torch.Tensor,
        max_new_tokens: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Extend ``idx`` ``(B, T)`` by ``max_new_tokens`` characters, one at a time.

        ``temperature == 0`` is greedy decoding (always the most probable character); otherwise
        each character is sampled from the softmax of ``logits / temperature``, optionally
        restricted to the ``top_k`` most probable, using ``generator``.
        """
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -self.cfg.block_size :])
            logits = logits[:, -1, :]  # (B, V): the last position predicts what comes next
            if temperature == 0:
                nxt = logits.argmax(dim=-1, keepdim=True)  # (B, 1)
            else:
                logits = logits / temperature
                if top_k is not None:
                    kth = torch.topk(logits, min(top_k, logits.size(-1))).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                probs = F.softmax(logits, dim=-1)
                nxt = torch.multinomial(probs, 1, generator=generator)  # (B, 1)
            idx = torch.cat([idx, nxt], dim=1)
        return idx
