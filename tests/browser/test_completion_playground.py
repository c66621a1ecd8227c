"""The completion playground (language models page, Completion Machine) in headless Chromium.

Identity, with the site's real model (the frozen main GPT, as the built site ships it), through
``window.aieng``: greedy completions are :func:`aieng.book.queries.complete`'s, seeded samples are
:func:`aieng.book.sampled.sampled_complete`'s (the same Mulberry32 sampler fed torch's logits),
next-character probabilities are torch's within 1e-4, and characters outside the alphabet are
refused as :func:`aieng.text.corpus.encode` refuses them, in the page's language.

The JavaScript parts are also tested alone, in the page: ``sampling.js`` against
``aieng/models/sampling.py`` on thousands of random logit vectors (no model involved), ``erf``
against Python's ``math.erf``, and ``gpt.js`` against torch on small *stand-in* models (random
float16 weights, with and without biases, a context of 16 characters), which exercise the
options and the sliding window quickly.

Then what a reader does: keyboard only (Tab, arrows, Enter), labels and live status in the
page's language, a stopped run, a Korean prompt, a phone's width in light and dark themes; and
nothing of the playground loads before it is used.
"""

from __future__ import annotations

import base64
import math
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aieng.book.queries import complete, next_char_distribution
from aieng.book.sampled import complete_with, sampled_complete
from aieng.core import strings
from aieng.models.export import pack
from aieng.models.sampling import Mulberry32, pick, softmax
from aieng.text import corpus

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PAGE = {"ko": "1.1/language-models/", "en": "en/1.1/language-models/"}
SECTION = "section[data-aieng-completion]"
PROMPT = "#aieng-completion-prompt"
STATUS = f"{SECTION} [data-status]"

GREEDY = [  # (prompt, length): the page's own prompts, one past the context, odd characters
    ("To be or not to be", 60),
    ("What is the capital of France?\n", 120),  # 151 characters: the window slides
    ("ROMEO:\n", 80),
    ("My favorite color is", 60),
    ("a", 40),
    ("Is this a dagger which I see before me — 1, 2, 3; 1599?!", 60),
]
SAMPLED = [(p, t, s) for p in ("To be or not to be", "JULIET:\n", "The king")
           for t in (0.3, 0.8, 1.0, 1.5) for s in (0, 1, 2**32 - 1)]  # fmt: skip
REFUSED = ["안녕하세요", "café", "To be 😀", "tab\there", "\r\n", "GPT-4는 글자를"]


def _open(page: Any, base_url: str, lang: str) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + PAGE[lang], wait_until="networkidle")
    assert page.locator(SECTION).count() == 1, (
        "the built site has no completion playground: rebuild it (mkdocs build --strict)"
    )
    return requested


def _loaded(requested: list[str]) -> list[str]:
    names = ("completion.js", "gpt-worker.js", "gpt.js", "sampling.js", "/gpt-")
    return [
        url for url in requested if "/assets/playground/" in url and any(n in url for n in names)
    ]


def _complete_all(page: Any, cases: list[tuple[str, float, int, int]]) -> list[str]:
    return page.evaluate(
        "async (cases) => { const out = []; for (const [p, temperature, seed, length] of cases)"
        " out.push(await window.aieng.complete(p, {temperature, seed, length})); return out; }",
        cases,
    )


def _differences(cases: list, got: list[str], want: list[str]) -> str:
    wrong = [(c, g, w) for c, g, w in zip(cases, got, want, strict=True) if g != w]
    lines = [f"{c}:\n  browser {g!r}\n  python  {w!r}" for c, g, w in wrong[:4]]
    return f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(lines) if wrong else ""


def test_greedy_completions_are_the_pages(page: Any, base_url: str) -> None:
    requested = _open(page, base_url, "en")
    assert _loaded(requested) == [], f"the playground loaded before it was used: {requested}"
    cases = [(p, 0.0, 0, n) for p, n in GREEDY]
    got = _complete_all(page, cases)
    wrong = _differences(cases, got, [complete(p, max_new=n) for p, n in GREEDY])
    assert not wrong, wrong
    assert got == [sampled_complete(p, length=n) for p, n in GREEDY]
    assert [u.rsplit("/", 1)[1] for u in _loaded(requested) if "/data/" in u] == [
        page.locator(SECTION).get_attribute("data-asset")
    ]  # the weights, downloaded once
    page.problems.check("greedy completions")


def test_seeded_samples_are_the_reference_samplers(page: Any, base_url: str) -> None:
    _open(page, base_url, "ko")
    cases = [(p, t, s, 80) for p, t, s in SAMPLED]
    got = _complete_all(page, cases)
    want = [sampled_complete(p, temperature=t, seed=s, length=n) for p, t, s, n in cases]
    wrong = _differences(cases, got, want)
    assert not wrong, wrong
    assert len(set(got)) == len(got), "different seeds or temperatures gave the same sample"
    page.problems.check("seeded samples")


def test_next_character_probabilities_are_torchs(page: Any, base_url: str) -> None:
    _open(page, base_url, "en")
    lines = [line for line in corpus.text("val").splitlines() if len(line) > 20]
    prompts = [p for p, _ in GREEDY] + [line[: 1 + 7 * k] for k, line in enumerate(lines[:20])]
    prompts.append(corpus.text("val")[1000:1300])  # longer than the context
    got = page.evaluate(
        "async (prompts) => { const out = [];"
        " for (const p of prompts) out.push(await window.aieng.nextChars(p)); return out; }",
        prompts,
    )
    worst = 0.0
    for prompt, pairs in zip(prompts, got, strict=True):
        want = next_char_distribution(prompt)
        assert sorted(c for c, _ in pairs) == sorted(want), prompt
        assert [p for _, p in pairs] == sorted((p for _, p in pairs), reverse=True)
        worst = max(worst, max(abs(p - want[c]) for c, p in pairs))
        assert abs(sum(p for _, p in pairs) - 1) < 1e-9
    assert worst < 1e-4, worst
    print(
        f"\nnext-character probabilities: {len(prompts)} prompts, max |browser - torch| {worst:.2e}"
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_characters_outside_the_alphabet_are_refused_as_in_python(
    page: Any, base_url: str, lang: str
) -> None:
    _open(page, base_url, lang)
    w = strings.words("playground_completion", lang)
    alphabet = set(corpus.alphabet())
    for prompt in REFUSED:
        with pytest.raises(ValueError, match="never occurs"):
            corpus.encode(prompt)
        unknown = sorted(set(prompt) - alphabet)
        message = w["unknown"].format(n=len(alphabet), chars=" ".join(unknown))
        for call in ("complete(p)", "nextChars(p)"):
            got = page.evaluate(
                f"(p) => window.aieng.{call}.then(() => null, (e) => [e.message, e.unknown])",
                prompt,
            )
            assert got == [message, unknown], (prompt, call, got)
    empty = page.evaluate("() => window.aieng.complete('').then(() => null, (e) => e.message)")
    assert empty == w["empty_prompt"]
    wrong = page.evaluate(
        "() => window.aieng.complete('To be', {seed: -1}).then(() => null, (e) => e.message)"
    )
    assert wrong == "seed must be an integer from 0 to 4294967295, got -1"  # as check_options
    page.problems.check(f"refusals on the {lang} page")


# --------------------------------------------------------------------------- the parts alone


def _stand_in(bias: bool):
    """A GPT over the corpus alphabet, context 16, float16-exact random weights of a useful size
    (as tests/test_completion.py's stand-in)."""
    import torch

    from aieng.models.config import GPTConfig
    from aieng.models.gpt import GPT

    cfg = GPTConfig(vocab_size=len(corpus.alphabet()), block_size=16, n_layer=2, n_head=3,
                    n_embd=24, bias=bias)  # fmt: skip
    gen = torch.Generator().manual_seed(int(bias))
    model = GPT(cfg, generator=gen).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=gen) * (0.4 if p.dim() > 1 else 0.2)
            p.copy_((noise + (1.0 if name.endswith("weight") and p.dim() == 1 else 0.0)).half())
    return model


def _module(page: Any, base_url: str, name: str) -> str:
    return f"{base_url}assets/playground/{name}"


def test_the_javascript_sampler_is_the_python_one(page: Any, base_url: str) -> None:
    """No model: the same logits, temperature and seed draw the same id, 4,000 times."""
    _open(page, base_url, "en")
    rng = random.Random(13)
    seeds = [0, 1, 42, 2**31, 2**32 - 1]
    cases = []
    for k in range(4000):
        n = rng.choice([2, 5, 80])
        logits = [rng.gauss(0, rng.choice([0.5, 3, 20])) for _ in range(n)]
        cases.append([logits, rng.choice([0.0, 0.05, 0.5, 1.0, 1.7, 10.0]), k * 7919])
    got = page.evaluate(
        "async ([url, seeds, cases]) => { const s = await import(url);"
        " const streams = seeds.map((seed) => { const r = new s.Mulberry32(seed);"
        "   return Array.from({length: 1000}, () => r.nextU32()); });"
        " const picks = cases.map(([l, t, seed]) => { const r = new s.Mulberry32(seed);"
        "   return [s.pick(l, t, r), s.pick(l, t, r), s.pick(l, t, r)]; });"
        " const probs = cases.slice(0, 200).map(([l]) => s.softmax(l, 0.7));"
        " return [streams, picks, probs]; }",
        [_module(page, base_url, "sampling.js"), seeds, cases],
    )
    streams, picks, probs = got
    for seed, stream in zip(seeds, streams, strict=True):
        r = Mulberry32(seed)
        assert stream == [r.next_u32() for _ in range(1000)], seed
    want = []
    for logits, t, seed in cases:
        r = Mulberry32(seed)
        want.append([pick(logits, t, r) for _ in range(3)])
    assert picks == want
    for (logits, _, _), p in zip(cases, probs, strict=False):
        assert max(abs(a - b) for a, b in zip(p, softmax(logits, 0.7), strict=True)) < 1e-15


def test_erf_is_pythons(page: Any, base_url: str) -> None:
    _open(page, base_url, "en")
    xs = [x / 500 for x in range(-4000, 4001)] + [1e-9, -1e-300, 5.999, 6.0, 30.0, -30.0]
    got = page.evaluate(
        "async ([url, xs]) => { const g = await import(url); return xs.map(g.erf); }",
        [_module(page, base_url, "gpt.js"), xs],
    )
    assert max(abs(g - math.erf(x)) for g, x in zip(got, xs, strict=True)) < 1e-14


@pytest.mark.parametrize("bias", [False, True])
def test_gpt_js_is_torch_on_stand_in_models(page: Any, base_url: str, bias: bool) -> None:
    """Logits within 1e-4 and identical greedy and seeded completions through and past a
    16-character context, for a GPT with (``bias=True``) and without biases."""
    _open(page, base_url, "en")
    model = _stand_in(bias)
    blob = base64.b64encode(pack(model.state_dict(), model.cfg, corpus.alphabet())).decode()
    prompts = ["To be", "ROMEO:\nBut soft, what light", "a", "Now is the winter of our discontent"]
    runs = [(p, t, s) for p in prompts for t, s in ((0.0, 0), (0.9, 3), (1.4, 2**32 - 1))]
    got = page.evaluate(
        "async ([gptURL, samplingURL, blob, prompts, runs]) => {"
        " const g = await import(gptURL); const s = await import(samplingURL);"
        " const bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));"
        " const m = new g.GPT(bytes);"
        " const logits = prompts.map((p) => Array.from(m.logits(m.encode(p))));"
        " const texts = runs.map(([p, t, seed]) => { const ids = m.encode(p);"
        "   const r = new s.Mulberry32(seed);"
        "   for (let k = 0; k < 40; k++) ids.push(s.pick(m.logits(ids), t, r));"
        "   return p + m.decode(ids.slice(ids.length - 40)); });"
        " return [logits, texts]; }",
        [_module(page, base_url, "gpt.js"), _module(page, base_url, "sampling.js"), blob,
         prompts, runs],
    )  # fmt: skip
    logits, texts = got
    import torch

    for prompt, row in zip(prompts, logits, strict=True):
        ids = torch.from_numpy(corpus.encode(prompt).astype(np.int64))[None, -16:]
        with torch.no_grad():
            want = model(ids)[0][0, -1].tolist()
        assert max(abs(a - b) for a, b in zip(row, want, strict=True)) < 1e-4, prompt
    want_texts = [complete_with(model, p, temperature=t, seed=s, length=40) for p, t, s in runs]
    assert texts == want_texts


# --------------------------------------------------------------------------- the reader


def _words(lang: str) -> dict[str, str]:
    return dict(strings.words("playground_completion", lang))


def _status_like(template: str, **fields: Any) -> str:
    """A regular expression for ``template`` with ``fields`` filled in and any other field a
    number (the rate of a finished run)."""
    parts = re.split(r"(\{\w+\})", template)
    out = []
    for part in parts:
        key = part[1:-1] if part.startswith("{") else None
        if key is None:
            out.append(re.escape(part))
        else:
            out.append(re.escape(str(fields[key])) if key in fields else r"\d+")
    return "^" + "".join(out) + "$"


def _wait_status(page: Any, pattern: str, timeout: float = 60_000) -> str:
    """Wait until the live status matches ``pattern``; its text."""
    page.wait_for_function(
        "([sel, pattern]) => new RegExp(pattern).test(document.querySelector(sel).textContent)",
        arg=[STATUS, pattern],
        timeout=timeout,
    )
    return page.locator(STATUS).inner_text()


def _written(page: Any) -> tuple[str, str]:
    """(the prompt shown, the characters the model wrote) in the output pane."""
    return page.evaluate(
        "(sel) => [document.querySelector(`${sel} [data-prompt]`).textContent,"
        " document.querySelector(`${sel} [data-new]`).textContent]",
        SECTION,
    )


def _table(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{SECTION} tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )


def _tab_to(page: Any, selector: str, presses: int = 40) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_keyboard_only_with_labels_in_the_readers_language(
    page: Any, base_url: str, lang: str
) -> None:
    requested = _open(page, base_url, lang)
    w = _words(lang)
    section = page.locator(SECTION)
    prompt = page.get_by_label(w["prompt"], exact=True)
    temperature = page.get_by_label(w["temperature"], exact=True)
    seed = page.get_by_label(w["seed"], exact=True)
    length = page.get_by_label(w["length"], exact=True)
    button = section.get_by_role("button", name=w["run"], exact=True)
    for control in (prompt, temperature, seed, length, button):
        assert control.count() == 1
    assert section.get_attribute("aria-labelledby") == "aieng-completion-title"
    heads = section.locator("thead th").all_inner_texts()
    assert heads == [w["col_char"], w["col_model"], w["col_temperature"].format(t="0.00")]
    assert section.get_by_role("status").count() == 1
    assert _loaded(requested) == [], "the playground loaded before it was used"

    # from the section's heading, Tab reaches the prompt; the odds of "To be or not to be" appear
    page.focus("a.headerlink[href='#completion-machine']")
    _tab_to(page, PROMPT)
    text = prompt.input_value()
    page.wait_for_function("(sel) => document.querySelector(sel).rows.length > 0",
                           arg=f"{SECTION} tbody")  # fmt: skip
    top = sorted(next_char_distribution(text).items(), key=lambda kv: -kv[1])[0]
    first = _table(page)[0]
    assert abs(float(first[1].rstrip("%")) - 100 * top[1]) <= 0.051, (first, top)
    caption = section.locator("caption").inner_text()
    assert caption == w["dist_caption"].format(context=text)

    # a prompt of the reader's own, then temperature by arrow keys, seed and length typed
    page.keyboard.press("Control+A")
    page.keyboard.type("JULIET:\nO Romeo")
    _tab_to(page, "#aieng-completion-temperature", 1)
    for _ in range(16):
        page.keyboard.press("ArrowRight")
    t = float(temperature.input_value())
    assert section.locator("output").inner_text() == f"{t:.2f}" == "0.80"
    _tab_to(page, "#aieng-completion-seed", 1)
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    _tab_to(page, "#aieng-completion-length", 1)
    page.keyboard.press("Control+A")
    page.keyboard.type("50")
    page.keyboard.press("Enter")  # submits the form
    _wait_status(page, _status_like(w["done"], n=50))
    want = sampled_complete("JULIET:\nO Romeo", temperature=t, seed=7, length=50)
    shown_prompt, new = _written(page)
    assert shown_prompt + new == want
    assert section.locator("thead th").nth(2).inner_text() == w["col_temperature"].format(t="0.80")

    # still in the length box: a long run, started with Enter on the button, stopped with Enter
    assert page.evaluate("() => document.activeElement.id") == "aieng-completion-length"
    page.keyboard.press("Control+A")
    page.keyboard.type("500")
    _tab_to(page, f"{SECTION} button[type=submit]", 1)
    page.keyboard.press("Enter")
    section.get_by_role("button", name=w["stop"], exact=True).wait_for(timeout=10_000)
    page.wait_for_function("(sel) => document.querySelector(sel).textContent.length > 0",
                           arg=f"{SECTION} [data-new]", timeout=30_000)  # fmt: skip
    page.keyboard.press("Enter")
    either = f"{_status_like(w['stopped'])}|{_status_like(w.get('stopped_one', w['stopped']))}"
    stopped = _wait_status(page, either, timeout=10_000)
    n = len(_written(page)[1])
    assert 0 < n < 500 and stopped == strings.word("playground_completion", "stopped", lang, n=n)
    assert button.inner_text() == w["run"]

    # a Korean prompt: refused, in the page's language, naming the characters
    prompt.focus()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("사느냐 죽느냐")
    message = w["unknown"].format(n=80, chars=" ".join(sorted(set("사느냐 죽느냐") - {" "})))
    _wait_status(page, "^" + re.escape(message) + "$")
    assert _table(page) == []
    page.problems.check(f"keyboard use of the {lang} playground")


def _scheme(page: Any) -> str:
    return page.evaluate("() => document.body.dataset.mdColorScheme")


def _switch_scheme(page: Any, scheme: str) -> None:
    for _ in range(2):
        if _scheme(page) == scheme:
            return
        page.click("form[data-md-component='palette'] label:visible")
    assert _scheme(page) == scheme


@pytest.mark.parametrize("lang, scheme", [("ko", "default"), ("ko", "slate"), ("en", "slate")])
def test_a_phone_runs_the_pages_greedy_completion(
    browser: Any, base_url: str, lang: str, scheme: str
) -> None:
    """At 360 px, in light and dark: the default prompt at temperature 0 gives the page's own
    greedy completion (the first row of the table above it), and nothing is wider than the
    phone."""
    phone = browser.new_page()
    try:
        phone.set_viewport_size({"width": 360, "height": 780})
        phone.goto(base_url + PAGE[lang], wait_until="networkidle")
        _switch_scheme(phone, scheme)
        w = _words(lang)
        phone.locator(f"{SECTION} button[type=submit]").click()
        _wait_status(phone, _status_like(w["done"], n=60))
        shown_prompt, new = _written(phone)
        assert shown_prompt + new == complete("To be or not to be", max_new=60)
        section = phone.locator(SECTION)
        widths = section.evaluate(
            "el => [el.scrollWidth, el.clientWidth, document.documentElement.scrollWidth]"
        )
        assert widths[0] <= widths[1] and widths[2] <= 360, f"wider than the phone: {widths}"
        for selector in (PROMPT, f"{SECTION} table", f"{SECTION} pre"):
            box = phone.locator(selector).bounding_box()
            assert box is not None and box["width"] >= 250, (selector, box)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = "light" if scheme == "default" else "dark"
        section.screenshot(path=str(SCREENSHOTS / f"{lang}-completion-phone-{name}.png"))
    finally:
        _switch_scheme(phone, "default")  # the palette is remembered for the other tests
        phone.close()


def test_worker_speed(page: Any, base_url: str) -> None:
    """Characters a second in the worker, inside the context and past it (where a sliding window
    runs the whole context again per character), printed. What is asserted does not depend on the
    machine's load: inside the context the key-value cache makes a character several times
    cheaper than past it."""
    _open(page, base_url, "en")
    rates = page.evaluate(
        "async () => { await window.aieng.complete('To be', {length: 1});"
        " const rate = async (p, n) => { const t = performance.now();"
        "   await window.aieng.complete(p, {length: n});"
        "   return n / ((performance.now() - t) / 1000); };"
        " return [await rate('To be', 100), await rate('x'.repeat(128), 10)]; }"
    )
    print(f"\nworker: {rates[0]:.0f} characters/s in the context, {rates[1]:.1f} past it")
    assert rates[0] > 3 * rates[1], rates
