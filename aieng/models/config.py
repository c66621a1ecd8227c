"""The shape of a character model and its accounting, without torch.

:class:`ModelShape` is what a training preset chooses (context, depth, heads, width);
:class:`GPTConfig` adds what the data decides (the vocabulary) and the model's options. As in
nanoGPT, the model owns its accounting: :meth:`GPTConfig.num_params` and
:meth:`GPTConfig.flops_per_token` are the one place the formulas are written, and training, the
scaling sweep and the command line read them from here, so presets can be listed, sized and
compared without importing torch.

Example:
    >>> cfg = ModelShape(block_size=32, n_layer=1, n_head=2, n_embd=32).gpt(vocab_size=80)
    >>> cfg.vocab_size, cfg.num_params()
    (80, 18528)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelShape:
    """Shape of a character model; :meth:`gpt` adds a vocabulary and makes a :class:`GPTConfig`."""

    block_size: int = 128  # longest context the model sees, in characters
    n_layer: int = 4  # Transformer blocks
    n_head: int = 4  # attention heads per block
    n_embd: int = 128  # width of the residual stream

    def gpt(self, vocab_size: int) -> GPTConfig:
        """The :class:`GPTConfig` of this shape over ``vocab_size`` characters."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(ModelShape)}
        return GPTConfig(vocab_size=vocab_size, **fields)


@dataclass(frozen=True)
class GPTConfig(ModelShape):
    """Shape of a GPT: a :class:`ModelShape`, its vocabulary and options."""

    vocab_size: int = 80  # distinct characters (the corpus alphabet)
    dropout: float = 0.0  # dropout probability (0 for short runs that never revisit data)
    bias: bool = False  # biases in Linear and LayerNorm layers

    def num_params(self) -> int:
        """Parameters of the model, position embeddings included.

        Embeddings ``V C`` and ``T C``; per block ``12 C^2`` in the attention (``4 C^2``) and
        MLP (``8 C^2``) matrices and ``2 C`` in two LayerNorm gains; a final LayerNorm ``C``;
        the output head ``V C`` (not tied to the embedding). Biases add ``11 C`` per block and
        ``C`` at the end.

        Example:
            >>> cfg = GPTConfig(vocab_size=80, block_size=64, n_layer=1, n_head=1, n_embd=8)
            >>> cfg.num_params()  # 640 + 512 + (768 + 16) + 8 + 640
            2584
        """
        C, L, V, T = self.n_embd, self.n_layer, self.vocab_size, self.block_size
        per_block = 12 * C * C + 2 * C + (11 * C if self.bias else 0)  # linears + LayerNorms
        return V * C + T * C + L * per_block + C + (C if self.bias else 0) + V * C

    def flops_per_token(self) -> int:
        """Training FLOPs per token: ``6 N`` for the weights plus ``6 L T C`` for attention.

        ``6 N`` is the usual forward + backward estimate (Kaplan et al., 2020), with ``N`` the
        non-embedding parameters; causal attention adds about ``6 * n_layer * block_size *
        n_embd`` (half of the full ``12 L T C``).

        Example:
            >>> cfg = GPTConfig(vocab_size=80, block_size=64, n_layer=1, n_head=1, n_embd=8)
            >>> cfg.flops_per_token()  # 6 * (768 + 640) + 6 * 64 * 8
            11520
        """
        C, L, T, V = self.n_embd, self.n_layer, self.block_size, self.vocab_size
        non_embedding = L * 12 * C * C + V * C  # blocks and the output head
        return 6 * non_embedding + 6 * L * T * C
