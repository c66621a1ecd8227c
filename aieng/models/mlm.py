"""A small masked (BERT-style) language model: fill in a blank using the text on both sides.

The masked model is the GPT of :mod:`aieng.models.gpt` with two changes:

* its attention is not causal, so every position sees the whole sequence, left and right;
* its training task hides whole words (every character of about 15% of the words becomes an
  extra ``[MASK]`` id, :func:`mask_words`) and asks for the hidden characters; the output head
  runs only at those positions.

It cannot write text left to right, but it can fill a blank in the middle of a sentence, which a
GPT, seeing only the left side, cannot. :func:`word_log_probs` scores candidate words for a blank.

Example:
    >>> import torch
    >>> from aieng.models.gpt import GPTConfig
    >>> model = MaskedLM(GPTConfig(vocab_size=50, block_size=4, n_layer=1, n_head=1, n_embd=8))
    >>> model.blocks[0].attn.causal
    False
    >>> targets = torch.tensor([[-100, 7, -100, -100]])
    >>> logits, loss = model(torch.tensor([[3, 49, 5, 6]]), targets)
    >>> tuple(logits.shape)  # scored only where a target is given
    (1, 50)
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from aieng.models.gpt import GPT


class MaskedLM(GPT):
    """A bidirectional Transformer encoder over characters; the last id is ``[MASK]``."""

    causal = False

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Score the vocabulary at masked positions.

        Args:
            idx: character ids ``(B, T)``, some of them ``[MASK]``.
            targets: the original id at each position to predict and ``-100`` elsewhere,
                ``(B, T)``.

        Returns:
            Without targets: logits at every position ``(B, T, V)`` and ``None``. With targets:
            logits at the ``M`` positions to predict ``(M, V)`` and their mean cross-entropy.
        """
        h = self.features(idx)  # (B, T, C)
        if targets is None:
            return self.head(h), None
        chosen = targets != -100  # (B, T)
        logits = self.head(h[chosen])  # (M, V): the head runs only where it is scored
        return logits, F.cross_entropy(logits, targets[chosen])


def mask_words(
    x: torch.Tensor,
    letter_ids: list[int],
    prob: float,
    mask_id: int,
    *,
    char_prob: float = 0.0,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Hide whole words: each word (a run of ``letter_ids``) is chosen with probability ``prob``
    and all its characters become ``mask_id``; then any other character is hidden with
    probability ``char_prob`` (single characters are an easier task that teaches spelling).

    Args:
        x: character ids ``(B, T)``.
        letter_ids: ids of the characters words are made of.
        prob: the chance that a word is hidden.
        mask_id: the ``[MASK]`` id.
        char_prob: the chance that a single character is hidden as well.
        generator: the random generator (explicit, for determinism).

    Returns:
        ``(inputs, targets)``: ``x`` with the chosen words masked, and the original ids at the
        masked positions with ``-100`` elsewhere.

    Example:
        >>> x = torch.tensor([[1, 1, 0, 1, 1, 1, 0, 1]])  # "aa_aaa_a": three words
        >>> inputs, targets = mask_words(x, [1], 1.0, 9)
        >>> inputs.tolist(), targets.tolist()
        ([[9, 9, 0, 9, 9, 9, 0, 9]], [[1, 1, -100, 1, 1, 1, -100, 1]])
    """
    B, T = x.shape
    letter = torch.isin(x, torch.tensor(letter_ids, device=x.device))  # (B, T)
    start = letter.clone()
    start[:, 1:] &= ~letter[:, :-1]  # a word starts where a letter follows a non-letter
    word = torch.cumsum(start, dim=1)  # (B, T): 1 for the first word, 2 for the second, ...
    draw = torch.rand(B, T + 1, generator=generator).to(x.device)  # one draw per word number
    chosen = letter & (torch.gather(draw, 1, word) < prob)  # (B, T)
    if char_prob:
        chosen |= torch.rand(B, T, generator=generator).to(x.device) < char_prob
    inputs = x.masked_fill(chosen, mask_id)
    targets = x.masked_fill(~chosen, -100)
    return inputs, targets


@torch.no_grad()
def word_log_probs(
    model: MaskedLM, left: torch.Tensor, right: torch.Tensor, words: list[torch.Tensor]
) -> list[float]:
    """Log-probability of each candidate word filling the blank between ``left`` and ``right``.

    The blank has as many ``[MASK]`` ids as the word has characters; the word's characters are
    revealed one at a time, left to right, so that ``log P(word | blank of its length)`` is the
    sum of ``log P(char_i | context, chars before i, masks after)`` (the chain rule).

    Args:
        model: a trained masked LM.
        left: ids before the blank, ``(L,)``.
        right: ids after the blank, ``(R,)``.
        words: each candidate's character ids, ``(k,)`` each.

    Returns:
        One log-probability (nats) per word.
    """
    mask_id = model.cfg.vocab_size - 1
    device = next(model.parameters()).device
    scores = [0.0] * len(words)
    by_length: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        by_length.setdefault(len(w), []).append(i)
    for k, members in by_length.items():
        chars = torch.stack([words[i] for i in members]).to(device)  # (n, k)
        n = len(members)
        seq = torch.cat([left.expand(n, -1), torch.full((n, k), mask_id), right.expand(n, -1)], 1)
        seq = seq[:, -model.cfg.block_size :].to(device)  # keep the blank and what follows it
        at = seq.size(1) - len(right) - k  # position of the blank's first character
        total = torch.zeros(n, device=device)
        for j in range(k):
            logits, _ = model(seq)  # (n, T, V)
            logp = F.log_softmax(logits[:, at + j, :].float(), dim=-1)  # (n, V)
            total += logp.gather(1, chars[:, j : j + 1]).squeeze(1)
            seq[:, at + j] = chars[:, j]  # reveal this character for the next step
        for i, score in zip(members, total.tolist(), strict=True):
            scores[i] = score
    return scores
