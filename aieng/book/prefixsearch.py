"""The causal GPT's best word for many blanks at once: an exact search through the candidates'
prefix tree, batched across blanks.

A candidate's score is ``log P(word, then a non-letter | left)`` by the chain rule (what
:func:`aieng.book.cloze.gpt_scores` computes for every candidate). Each letter adds a
log-probability, at most 0, so a score only falls as letters are added: once one complete
candidate scores ``bound``, no candidate whose prefix scores below ``bound`` can win. The search
therefore runs twice, level by level through the prefix tree (level ``j`` holds the prefixes of
``j + 1`` letters):

1. a beam search keeps the :data:`BEAM` best prefixes of each blank at every level; the best word
   it completes gives the blank's bound (usually it is the best word itself);
2. the exact search keeps every prefix that scores at least the bound (less 1e-4, so that the
   rounding of another batch cannot drop the bound's own word), and returns the best word.

Every blank of a call ranks the same candidates, so they share one prefix tree. The left
contexts go through the model once, side by side (padded on the right; causal attention never
looks at the padding). At each level, the surviving prefixes of all blanks run their newest letter
together: blank ``b``'s prefixes sit in slots ``(b, 0..U)``, attend to their blank's left context
and to their own earlier letters, and carry their keys and values on to their children. A few
dozen batched passes replace thousands of small ones.

Example:
    >>> import torch
    >>> from aieng.models.gpt import GPT, GPTConfig
    >>> from aieng.text import corpus
    >>> cfg = GPTConfig(vocab_size=len(corpus.alphabet()), block_size=32, n_layer=1, n_head=2,
    ...                 n_embd=8)
    >>> model = GPT(cfg, generator=torch.Generator().manual_seed(0)).eval()
    >>> lefts, words = ["To be or not to ", "I know not what "], ("be", "is", "do", "we")
    >>> from aieng.book.cloze import gpt_scores
    >>> [int(gpt_scores(model, s, words).argmax()) for s in lefts] == [
    ...     index for index, _ in best_words(model, lefts, words)]
    True
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from aieng.models.incremental import finish, heads
from aieng.text import corpus

if TYPE_CHECKING:
    import torch

    from aieng.models.gpt import GPT

__all__ = ["BEAM", "best_words", "non_letters"]

BEAM = 8  # prefixes per blank that the beam search keeps to find the exact search's bound


@cache
def non_letters() -> tuple[int, ...]:
    """Ids of the characters that end a word (neither a letter nor an apostrophe)."""
    return tuple(i for i, c in enumerate(corpus.alphabet()) if not (c.isalpha() or c == "'"))


class _Tree:
    """The candidates' prefix tree, level by level: ``node[j][n]`` is candidate ``n``'s prefix
    of ``j + 1`` letters, ``parent[j][i]`` that node's parent, ``letter[j][i]`` its last letter."""

    def __init__(self, chars: torch.Tensor) -> None:
        import torch

        self.chars = chars  # (N, L)
        self.node, self.parent, self.letter = [], [], []
        for j in range(chars.size(1)):
            prefixes, inverse = torch.unique(chars[:, : j + 1], dim=0, return_inverse=True)
            self.node.append(inverse)
            self.letter.append(prefixes[:, -1])
            parent = torch.zeros(len(prefixes), dtype=torch.long)
            if j:
                parent[inverse] = self.node[j - 1]
            self.parent.append(parent)


def _prefill(model: GPT, lefts: list[str]):
    """Run the left contexts side by side: the first letter's log-probabilities ``(B, V)``,
    each layer's keys and values ``(B, H, P, d)``, where each context may be attended
    ``(B, 1, 1, P)`` and each context's length ``(B,)``."""
    import torch
    from torch.nn import functional as F

    lengths = torch.tensor([len(s) for s in lefts])
    ids = torch.zeros(len(lefts), int(lengths.max()), dtype=torch.long)
    for b, s in enumerate(lefts):
        ids[b, : len(s)] = torch.from_numpy(corpus.encode(s).astype(np.int64))
    x = model.tok_emb(ids) + model.pos_emb(torch.arange(ids.size(1)))
    cache = []
    for block in model.blocks:
        q, k, v = heads(block.attn, block.ln_1(x))
        cache.append((k, v))
        x = finish(block, x, F.scaled_dot_product_attention(q, k, v, is_causal=True))
    last = x[torch.arange(len(lefts)), lengths - 1]  # (B, C): where each context ends
    first = F.log_softmax(model.head(model.ln_f(last)).float(), dim=-1)
    visible = torch.arange(ids.size(1))[None, :] < lengths[:, None]  # (B, P)
    return first, cache, visible[:, None, None, :], lengths


def _step(model: GPT, left, visible, positions, letters, own, parent_slot):
    """One new letter for every slot ``(B, U)``: its log-probabilities for the next letter
    ``(B, U, V)`` and the slots' own keys and values (each ``(B, U, H, t, d)``)."""
    import torch
    from torch.nn import functional as F

    B, U = letters.shape
    rows = torch.arange(B)[:, None]
    y = model.tok_emb(letters) + model.pos_emb(positions)  # (B, U, C)
    new_own = []
    for block, (k0, v0), mine in zip(model.blocks, left, own, strict=True):
        q, k, v = heads(block.attn, block.ln_1(y))  # each (B, H, U, d)
        k, v = k.transpose(1, 2)[:, :, :, None], v.transpose(1, 2)[:, :, :, None]  # (B,U,H,1,d)
        if mine is not None:  # the parent prefix's letters come first
            k = torch.cat([mine[0][rows, parent_slot], k], 3)
            v = torch.cat([mine[1][rows, parent_slot], v], 3)
        new_own.append((k, v))
        scale = q.size(-1) ** -0.5
        to_left = (q @ k0.transpose(-2, -1) * scale).masked_fill(~visible, -math.inf)
        to_own = torch.einsum("bhud,buhtd->bhut", q, k) * scale  # (B, H, U, t)
        weights = torch.softmax(torch.cat([to_left, to_own], -1), -1)
        p = k0.size(2)
        out = weights[..., :p] @ v0 + torch.einsum("bhut,buhtd->bhud", weights[..., p:], v)
        y = finish(block, y, out)
    return F.log_softmax(model.head(model.ln_f(y)).float(), dim=-1), new_own


def _search(model, tree, first, left, visible, lengths, bound, beam=0):
    """Scores ``(B, N)`` of the candidates whose every prefix scores at least ``bound`` ``(B,)``
    (``-inf`` for the others); with ``beam``, only those whose prefix is among the ``beam``
    best of its blank at every level."""
    import torch

    chars, length = tree.chars, tree.chars.size(1)
    B, N = len(lengths), len(chars)
    rows = torch.arange(B)[:, None]
    score = first[:, chars[:, 0]]  # (B, N): the first letter, from the left context alone
    alive = torch.ones(B, N, dtype=torch.bool)
    own, slot_prev = [None] * len(model.blocks), None
    for j in range(length):
        alive &= score >= bound[:, None]
        nodes = len(tree.letter[j])
        node = tree.node[j].expand(B, N)
        best = torch.full((B, nodes), -math.inf).scatter_reduce(
            1, node, score.masked_fill(~alive, -math.inf), "amax"
        )  # (B, nodes): a prefix's score, -inf where no live candidate has it
        if beam and nodes > beam:
            top = best.topk(beam, dim=1)
            kept = torch.zeros(B, nodes, dtype=torch.bool)
            kept[rows, top.indices] = top.values > -math.inf
            alive &= kept.gather(1, node)
        live = (
            torch.zeros(B, nodes, dtype=torch.long)
            .scatter_reduce(1, node, alive.long(), "amax")
            .bool()
        )  # (B, nodes): the prefixes some live candidate has
        count = live.sum(1)
        U = max(int(count.max()), 1)
        # slot of each live node within its blank; the slots' nodes, parents and positions
        slot = (live.cumsum(1) - 1).masked_fill(~live, 0)  # (B, nodes)
        slot_node = torch.zeros(B, U, dtype=torch.long)
        b_idx, n_idx = live.nonzero(as_tuple=True)
        slot_node[b_idx, slot[b_idx, n_idx]] = n_idx
        parent_slot = slot_prev.gather(1, tree.parent[j][slot_node]) if j else None
        positions = (lengths + j)[:, None].expand(B, U)
        logp, own = _step(
            model, left, visible, positions, tree.letter[j][slot_node], own, parent_slot
        )
        at = slot.gather(1, node)  # (B, N): each candidate's slot at this level
        if j + 1 < length:
            gain = logp[rows, at, chars[:, j + 1].expand(B, N)]
        else:  # then the word ends: any non-letter
            gain = torch.logsumexp(logp[:, :, list(non_letters())], -1).gather(1, at)
        score = (score + gain).masked_fill(~alive, -math.inf)
        slot_prev = slot
    return score.masked_fill(~(score >= bound[:, None]), -math.inf)


def best_words(
    model: GPT, lefts: list[str], words: tuple[str, ...], *, beam: int = BEAM
) -> list[tuple[int, float]]:
    """For each left context, the index in ``words`` (all of one length) and the score of the
    GPT's best candidate: the exact ``argmax`` of :func:`aieng.book.cloze.gpt_scores`, the
    first of equal maxima (candidates come most frequent first).

    Raises:
        ValueError: when a left context is empty or the words differ in length.
    """
    import torch

    if not words or len({len(w) for w in words}) != 1:
        raise ValueError("give candidate words that all have the same number of letters")
    if not all(lefts):
        raise ValueError("every blank needs some text on its left for the GPT to read")
    length = len(words[0])
    lefts = [s[-(model.cfg.block_size - length) :] for s in lefts]
    chars = torch.from_numpy(np.stack([corpus.encode(w) for w in words]).astype(np.int64))
    tree = _Tree(chars)
    with torch.no_grad():
        first, left, visible, lengths = _prefill(model, lefts)
        everyone = torch.full((len(lefts),), -math.inf)
        found = _search(model, tree, first, left, visible, lengths, everyone, beam)
        bound = found.max(1).values - 1e-4
        score = _search(model, tree, first, left, visible, lengths, bound)
    top = score.max(1)
    return [(int(i), float(s)) for i, s in zip(top.indices, top.values, strict=True)]
