"""The completion playground's Python side: the sampler, the weights file, the reference completion,
the asset and the HTML. What the browser does with them is tested in
``tests/browser/test_completion.py``.

Stand-in models (small, random float16 weights, built here) test the export and the reference
completion for every option of :class:`~aieng.models.config.GPTConfig`; the tests marked
``needs_main`` use the frozen main GPT and run once ``frozen/main`` exists.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import math
import re
from collections import Counter

import numpy as np
import pytest
import torch

from aieng.book.sampled import complete_with
from aieng.core import strings
from aieng.models.config import GPTConfig
from aieng.models.export import LAYER_NORM_EPS, pack, tensor_shapes, unpack
from aieng.models.gpt import GPT
from aieng.models.sampling import Mulberry32, check_options, pick, softmax
from aieng.text import corpus
from aieng.training import frozen

needs_main = pytest.mark.skipif(
    not (frozen.folder("main") / "receipt.json").is_file(), reason="frozen/main is not trained yet"
)


def stand_in(bias: bool = False, block_size: int = 16, seed: int = 0) -> GPT:
    """A GPT over the corpus alphabet with float16-exact random weights of a useful size."""
    cfg = GPTConfig(vocab_size=len(corpus.alphabet()), block_size=block_size, n_layer=2,
                    n_head=3, n_embd=24, bias=bias)  # fmt: skip
    gen = torch.Generator().manual_seed(seed)
    model = GPT(cfg, generator=gen).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=gen) * (0.4 if p.dim() > 1 else 0.2)
            p.copy_((noise + (1.0 if name.endswith("weight") and p.dim() == 1 else 0.0)).half())
    return model


# --------------------------------------------------------------------------- the sampler


def test_mulberry32_gives_the_published_sequence() -> None:
    """The reference outputs of Mulberry32 (the JavaScript original run on these seeds)."""
    expect = {
        0: [1144304738, 1416247, 958946056, 627933444, 2007157716],
        7: [50271532, 266108690, 4195786334, 3002305430, 2239590375],
        123456789: [1107202814, 4169434471, 3372958138, 885470128, 1301683845],
        2**32 - 1: [3850105811, 813802916, 3073704848, 4054706436, 3630262831],
    }
    for seed, values in expect.items():
        rng = Mulberry32(seed)
        assert [rng.next_u32() for _ in values] == values
    rng = Mulberry32(0)
    assert rng.random() == 1144304738 / 2**32


def test_pick_is_greedy_at_zero_and_draws_in_proportion_above() -> None:
    assert pick([1.0, 3.0, 3.0, -2.0], 0.0, Mulberry32(0)) == 1  # the first of the largest
    rng = Mulberry32(0)
    state = rng.state
    pick([1.0, 2.0], 0.0, rng)
    assert rng.state == state, "greedy decoding must not use a random number"
    logits = [0.5, -1.0, 2.0, 0.0, 1.2]
    for temperature in (0.5, 1.0, 2.0):
        rng = Mulberry32(42)
        counts = Counter(pick(logits, temperature, rng) for _ in range(20_000))
        want = softmax(logits, temperature)
        assert abs(sum(want) - 1) < 1e-12
        for i, p in enumerate(want):
            assert abs(counts[i] / 20_000 - p) < 0.015, (temperature, i, counts[i], p)


def test_pick_is_the_inverse_cdf_of_one_uniform_draw() -> None:
    """``u * total`` falls in the id's share of the cumulative weights."""
    logits = [math.log(w) for w in (1.0, 2.0, 1.0)]  # weights 1/4, 1/2, 1/4 of the total
    for seed in range(50):
        u = Mulberry32(seed).random()
        want = 0 if u < 0.25 else 1 if u < 0.75 else 2
        assert pick(logits, 1.0, Mulberry32(seed)) == want


@pytest.mark.parametrize(
    "options",
    [
        {"temperature": -0.1}, {"temperature": math.inf}, {"temperature": math.nan},
        {"temperature": "1"}, {"seed": -1}, {"seed": 2**32}, {"seed": 1.5}, {"seed": True},
        {"length": -1}, {"length": 2.0},
    ],
)  # fmt: skip
def test_options_the_browser_refuses_are_refused(options: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        check_options(**{"temperature": 0.0, "seed": 0, "length": 1, **options})


# --------------------------------------------------------------------------- the weights file


@pytest.mark.parametrize("bias", [False, True])
def test_the_file_lists_exactly_the_models_tensors(bias: bool) -> None:
    model = stand_in(bias=bias)
    state = model.state_dict()
    assert {k: tuple(v.shape) for k, v in state.items()} == tensor_shapes(model.cfg)
    header, tensors = unpack(pack(state, model.cfg, corpus.alphabet()))
    assert header["config"]["bias"] is bias and header["alphabet"] == corpus.alphabet()
    for name, value in state.items():
        assert np.array_equal(tensors[name].astype(np.float32), value.numpy()), name


def test_the_header_states_what_gpt_py_uses_without_saying() -> None:
    """LayerNorm's epsilon is the one the model's LayerNorms use, and the MLP's GELU is the exact
    erf one (the tanh approximation differs by about 1e-3, far above this tolerance)."""
    model = stand_in()
    assert {m.eps for m in model.modules() if isinstance(m, torch.nn.LayerNorm)} == {LAYER_NORM_EPS}
    mlp = model.blocks[0].mlp
    x = torch.randn(5, model.cfg.n_embd, generator=torch.Generator().manual_seed(3)) * 3
    h = mlp.fc(x)
    exact = mlp.proj(0.5 * h * (1 + torch.erf(h / math.sqrt(2))))
    assert torch.allclose(mlp(x), exact, atol=1e-6)


def test_pack_refuses_what_would_not_be_the_same_model() -> None:
    model = stand_in()
    state = dict(model.state_dict())
    with pytest.raises(ValueError, match="not exactly float16"):
        pack({**state, "head.weight": state["head.weight"] + 1e-4}, model.cfg, corpus.alphabet())
    with pytest.raises(ValueError, match="missing"):
        pack({k: v for k, v in state.items() if k != "ln_f.weight"}, model.cfg, corpus.alphabet())
    with pytest.raises(ValueError, match="alphabet"):
        pack(state, model.cfg, corpus.alphabet()[:-1])


# --------------------------------------------------------------------------- reference completion


@pytest.mark.parametrize("bias", [False, True])
def test_greedy_reference_completion_is_generate_greedy(bias: bool) -> None:
    """Through the context window and past it (block_size 16, 40 new characters)."""
    model = stand_in(bias=bias, block_size=16)
    for prompt in ("To be", "ROMEO:\nWhat light", "a"):
        ids = torch.from_numpy(corpus.encode(prompt).astype(np.int64))[None]
        out = model.generate(ids, 40, temperature=0.0)
        want = prompt + corpus.decode(out[0, ids.shape[1] :].tolist())
        assert complete_with(model, prompt, length=40) == want


def test_reference_completion_refuses_what_the_model_cannot_read() -> None:
    model = stand_in()
    with pytest.raises(ValueError, match="never occurs"):
        complete_with(model, "안녕 world")
    with pytest.raises(ValueError, match="empty"):
        complete_with(model, "")
    assert complete_with(model, "To be", temperature=1.0, seed=5, length=0) == "To be"


def test_a_seed_gives_one_sample_and_seeds_differ() -> None:
    model = stand_in()
    a = complete_with(model, "To be", temperature=1.0, seed=1, length=50)
    assert a == complete_with(model, "To be", temperature=1.0, seed=1, length=50)
    assert a != complete_with(model, "To be", temperature=1.0, seed=2, length=50)


@needs_main
def test_greedy_reference_completion_is_the_pages_completion() -> None:
    from aieng.book.queries import complete
    from aieng.book.sampled import sampled_complete

    for prompt in ("To be or not to be", "What is the capital of France?\n"):
        assert sampled_complete(prompt, length=100) == complete(prompt, max_new=100)


# --------------------------------------------------------------------------- asset and HTML


@needs_main
def test_the_asset_is_the_frozen_model_named_by_its_hash(tmp_path) -> None:
    from aieng.models.export import read_safetensors
    from aieng.website import completion

    (path,) = completion.write_assets(tmp_path)
    raw = gzip.decompress(path.read_bytes())
    assert path.name == f"gpt-main.{hashlib.sha256(raw).hexdigest()[:12]}.bin.gz"
    header, tensors = unpack(raw)
    frozen_weights = read_safetensors((frozen.folder("main") / "weights.safetensors").read_bytes())
    assert sorted(tensors) == sorted(frozen_weights)
    assert all(np.array_equal(tensors[k], v) for k, v in frozen_weights.items())
    assert header["alphabet"] == corpus.alphabet()
    assert header["source"]["weights_sha256"] == frozen.receipt("main")["weights_sha256"]
    (again,) = completion.write_assets(tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()  # gzip with mtime=0: byte-identical builds
    assert path.stat().st_mode & 0o444 == 0o444


@needs_main
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_html_labels_every_control_in_the_readers_language(lang: str) -> None:
    from aieng.website.completion import completion_playground

    fragment = completion_playground(lang=lang)
    w = strings.words("playground_completion", lang)
    labels = dict(re.findall(r'<label class="[^"]*" for="([^"]+)">([^<]*)</label>', fragment))
    assert labels == {
        "aieng-completion-prompt": html.escape(w["prompt"]),
        "aieng-completion-temperature": html.escape(w["temperature"]),
        "aieng-completion-seed": html.escape(w["seed"]),
        "aieng-completion-length": html.escape(w["length"]),
    }
    for key in ("title", "run", "output", "col_char", "col_model", "noscript"):
        assert html.escape(w[key]) in fragment, key
    assert fragment.count('role="status"') == 1 and "window.aieng" in fragment
    # before any JavaScript, the table holds Python's odds after the first prompt
    from aieng.book.queries import next_chars

    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    shown = re.findall(r'<td style="--p: [0-9.]+">([0-9.]+)%</td><td', body)
    assert shown == [f"{100 * p:.1f}" for _, p in next_chars("To be or not to be", k=10).top]
