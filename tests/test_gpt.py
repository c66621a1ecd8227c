"""The GPT and the masked LM as modules: shapes, causality, probabilities, generation."""

from __future__ import annotations

import pytest
import torch

from aieng.models.gpt import GPT, GPTConfig
from aieng.models.mlm import MaskedLM, mask_words, word_log_probs

CFG = GPTConfig(vocab_size=11, block_size=16, n_layer=2, n_head=2, n_embd=16)


def model(cls=GPT, seed=0):
    return cls(CFG, generator=torch.Generator().manual_seed(seed)).eval()


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("shape", [(1, 1, 8), (2, 4, 32), (3, 2, 48)])
def test_num_params_formula_matches_the_modules(shape, bias):
    n_layer, n_head, n_embd = shape
    cfg = GPTConfig(
        vocab_size=80, block_size=64, n_layer=n_layer, n_head=n_head, n_embd=n_embd, bias=bias
    )
    assert GPT(cfg).num_params() == cfg.num_params()


def test_causal_attention_ignores_the_future():
    m = model()
    x = torch.randint(11, (1, 12), generator=torch.Generator().manual_seed(1))
    y = x.clone()
    y[0, 8:] = (y[0, 8:] + 1) % 11  # change only positions 8..11
    a, _ = m(x)
    b, _ = m(y)
    assert torch.allclose(a[0, :8], b[0, :8], atol=1e-6)
    assert not torch.allclose(a[0, 8:], b[0, 8:])


def test_masked_lm_sees_both_sides():
    m = model(MaskedLM)
    x = torch.randint(10, (1, 12), generator=torch.Generator().manual_seed(1))
    y = x.clone()
    y[0, 8:] = (y[0, 8:] + 1) % 10
    a, _ = m(x)
    b, _ = m(y)
    assert not torch.allclose(a[0, :8], b[0, :8])  # earlier positions change too


def test_next_token_probs_sum_to_one():
    probs = model().next_token_probs(torch.tensor([[1, 2, 3]]), temperature=0.7)
    assert probs.shape == (1, 11)
    assert torch.all(probs >= 0)
    assert float(probs.sum()) == pytest.approx(1.0, abs=1e-5)


def test_greedy_generation_extends_the_prompt_deterministically():
    prompt = torch.tensor([[4, 5, 6]])
    out = model().generate(prompt, 20, temperature=0)
    assert out.shape == (1, 23)
    assert torch.equal(out[:, :3], prompt)
    assert torch.equal(out, model().generate(prompt, 20, temperature=0))


def test_sampling_follows_the_seed():
    m = model()
    prompt = torch.tensor([[1]])

    def sample(seed):
        gen = torch.Generator().manual_seed(seed)
        return m.generate(prompt, 30, temperature=1.5, generator=gen)

    assert torch.equal(sample(3), sample(3))
    assert not torch.equal(sample(3), sample(4))


def test_top_k_restricts_the_choices():
    m = model()
    probs = m.next_token_probs(torch.tensor([[1]]))[0]
    top = set(torch.topk(probs, 2).indices.tolist())
    for seed in range(10):
        out = m.generate(
            torch.tensor([[1]]),
            1,
            temperature=1.0,
            top_k=2,
            generator=torch.Generator().manual_seed(seed),
        )
        assert int(out[0, -1]) in top


def test_context_longer_than_block_size_is_an_error():
    with pytest.raises(ValueError, match="exceeds block_size"):
        model()(torch.zeros(1, 17, dtype=torch.long))


def test_mask_words_hides_whole_words_only():
    # ids: 1 = letter, 0 = space; words are runs of 1s
    x = torch.tensor([[1, 1, 0, 1, 1, 1, 0, 1, 1, 0] * 5])
    inputs, targets = mask_words(x, [1], 0.5, 9, generator=torch.Generator().manual_seed(0))
    masked = inputs == 9
    assert torch.equal(masked, targets != -100)
    assert not masked[x == 0].any()  # spaces are never hidden
    # within a word, either every letter is masked or none is
    runs = torch.cat([torch.zeros(1, 1, dtype=torch.long), (x[:, 1:] & ~x[:, :-1]).cumsum(1)], 1)
    for word in runs[x == 1].unique():
        members = masked[(runs == word) & (x == 1)]
        assert members.all() or not members.any()
    assert 0 < masked.sum() < (x == 1).sum()


def test_word_log_probs_are_log_probabilities_over_all_words_of_a_length():
    m = model(MaskedLM)
    left, right = torch.tensor([1, 2]), torch.tensor([3])
    # every 2-id string over the whole vocabulary (the model may even predict [MASK], id 10)
    words = [torch.tensor([a, b]) for a in range(11) for b in range(11)]
    total = sum(torch.tensor(word_log_probs(m, left, right, words)).exp())
    assert float(total) == pytest.approx(1.0, abs=1e-4)  # the chain rule sums to 1


@pytest.mark.parametrize("temperature,top_k", [(0.0, None), (0.8, None), (1.0, 3)])
@pytest.mark.parametrize(
    "prompt,new", [(3, 5), (4, 12), (16, 4)]
)  # 4 + 12 fills the window, 16 + 4 slides
def test_kv_cached_generation_equals_rerunning_the_window(temperature, top_k, prompt, new):
    """The KV-cached decoder writes what ``GPT.generate`` writes, within the window and after
    the window starts to slide (block_size 16)."""
    from aieng.models import incremental

    m = model(seed=3)
    idx = torch.randint(11, (4, prompt), generator=torch.Generator().manual_seed(2))

    def run(fn):
        gen = torch.Generator().manual_seed(7)
        return fn(idx, new, temperature=temperature, top_k=top_k, generator=gen)

    want = run(m.generate)
    got = run(lambda *a, **k: incremental.generate(m, *a, **k))
    assert got.shape == (4, prompt + new)
    assert torch.equal(got, want)
