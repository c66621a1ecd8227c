"""The completion playground: the reader's prompt, continued in the browser by the site's own GPT.

Two halves, one for each side of the build, as in :mod:`aieng.website.playground`:

* :func:`completion_playground` is the HTML a block of the language models page prints (the
  Completion Machine section): a labelled prompt box, a temperature slider, seed and length
  inputs, a button, the text as it is written and a table of the next character's odds, every
  word from ``aieng/data/strings.toml`` in the page's language, and a loader of a few lines. The
  loader imports ``docs/assets/playground/completion.js`` only when the reader first focuses,
  clicks or submits in the playground, or a script calls ``window.aieng.complete(prompt,
  {temperature, seed, length})`` or ``window.aieng.nextChars(prompt)``; that module starts the
  Web Worker (``gpt-worker.js``) that downloads the weights and runs the model (``gpt.js``).
* :func:`write_assets` runs after the build (the plugin's ``on_post_build``) and writes the
  frozen model's weights into ``assets/playground/data/`` of the built site.

What is shipped: ``frozen/main/weights.safetensors``, checked against its receipt, repacked by
:func:`aieng.models.export.pack` (a JSON header with the shape and the alphabet, then the float16
weights: 3.65 MB for the main GPT's 1.8 M parameters) and gzipped with ``mtime=0`` (3.4 MB;
float16 weights hardly compress, and splitting each number's two bytes into two streams would
save only 7% more), so builds stay byte-identical and every host serves the same bytes; the
browser unpacks it with ``DecompressionStream``. The file's name holds the SHA-256 of what it
unpacks to, so new weights are never served from a stale browser cache. Reading the weights needs
no torch: a warm build still never imports it.

What the browser computes is the build's: temperature 0 is :func:`aieng.book.queries.complete`'s
greedy text, and a seed draws what :func:`aieng.book.sampled.sampled_complete` draws
(``tests/browser/test_completion_playground.py``).

Example:
    >>> name, blob = asset()
    >>> name.startswith("gpt-main.") and name.endswith(".bin.gz")
    True
    >>> gzip.decompress(blob)[4:28]  # after the header's length, the header
    b'{"format":"aieng-gpt/1",'
    >>> fragment = completion_playground(lang="en")
    >>> fragment.count("<label "), "window.aieng" in fragment
    (4, True)
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from aieng.book.queries import next_char_distribution
from aieng.core import strings
from aieng.core.lang import output_language
from aieng.models.export import pack, read_safetensors
from aieng.text import corpus
from aieng.training import frozen
from aieng.training.config import config_from_dict, gpt_config
from aieng.website.playground import write_files

__all__ = ["MODEL", "PROMPT", "asset", "completion_playground", "export", "write_assets"]

log = logging.getLogger("mkdocs.plugins.aieng")

MODEL = "main"  # the frozen GPT the playground runs (aieng.training.recipes)
PROMPT = "To be or not to be"  # the prompt box's first text: the page's own example
LENGTH_MAX = 500  # the length input's limit (the JavaScript API takes any length)
_RUNTIME = (  # the words completion.js uses (passed as JSON; the rest is in the HTML)
    "run", "stop", "dist_caption", "col_temperature", "picked", "space", "newline", "tab",
    "loading", "failed", "unknown", "empty_prompt", "seed_invalid", "length_invalid",
    "running", "running_one", "done", "done_one", "stopped", "stopped_one",
)  # fmt: skip


def _weights_file(model: str) -> Path:
    return frozen.folder(model) / "weights.safetensors"


def export(model: str = MODEL) -> bytes:
    """The frozen ``model``'s weights in the browser's format (not compressed).

    The weights file must be the one its receipt describes; a stale recipe is reported as the
    pages report it (:func:`aieng.training.frozen.check`: a warning, under ``CI=true`` an error).

    Raises:
        aieng.training.frozen.ReceiptError: when the receipt or the weights are missing or the
            weights' SHA-256 differs from the receipt's.
    """
    status = frozen.check(model)
    blob = _weights_file(model).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != status.receipt["weights_sha256"]:
        raise frozen.ReceiptError(
            f"frozen/{model}/weights.safetensors is not the file its receipt describes "
            f"(SHA-256 {digest[:12]}, receipt {status.receipt['weights_sha256'][:12]}); "
            f"restore it with git, or retrain: python -m aieng models train {model}"
        )
    cfg = gpt_config(config_from_dict(status.receipt["recipe"]["config"]))
    source = {"model": model, "weights_sha256": digest}
    return pack(read_safetensors(blob), cfg, corpus.alphabet(), source=source)


@functools.cache
def asset(model: str = MODEL) -> tuple[str, bytes]:
    """(file name, gzipped contents) of ``model``'s asset, computed once per process."""
    raw = export(model)
    name = f"gpt-{model}.{hashlib.sha256(raw).hexdigest()[:12]}.bin.gz"
    return name, gzip.compress(raw, compresslevel=9, mtime=0)


def write_assets(
    site_dir: str | os.PathLike[str], models: tuple[str, ...] = (MODEL,)
) -> list[Path]:
    """Write each model's asset into the built site; a model not frozen yet is skipped with a
    note (a page that shows its playground has already failed, naming what is missing)."""
    blobs = {}
    for model in models:
        if not _weights_file(model).is_file():
            log.info("aieng: frozen model %r has no weights yet: no completion playground", model)
            continue
        name, blob = asset(model)
        blobs[name] = blob
    return write_files(site_dir, blobs) if blobs else []


_VISIBLE = {" ": "\u2423", "\n": "\u21b5", "\t": "\u21e5"}  # ␣ ↵ ⇥, as completion.js shows them
ROWS = 10  # characters in the table, as completion.js


def _rows(dist: dict[str, float], w: Mapping[str, str]) -> str:
    """The table's rows for the first prompt at temperature 0, as completion.js draws them (it
    redraws them with the browser's numbers, which agree to 1e-6): a reader without JavaScript,
    or before the playground loads, sees the model's odds too."""
    names = {" ": w["space"], "\n": w["newline"], "\t": w["tab"]}
    top = sorted(dist.items(), key=lambda kv: -kv[1])[:ROWS]
    rows = []
    for k, (char, p) in enumerate(top):
        name = html.escape(names.get(char, ""))
        label = f' aria-label="{name}" title="{name}"' if name else ""
        code = f"<code{label}>{html.escape(_VISIBLE.get(char, char))}</code>"
        cells = "".join(
            f'<td style="--p: {q:.4f}">{100 * q:.1f}%</td>' for q in (p, 1.0 if k == 0 else 0.0)
        )
        rows.append(f"<tr><td>{code}</td>{cells}</tr>")
    return "".join(rows)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{round(n_bytes / 1e3):,} KB"


# The loader, inline so the page needs no request for it: window.aieng.complete and nextChars
# exist at once; the modules, the worker and the weights load on the first focus, click, submit
# or call. The first submit is kept and run once the module is there.
_LOADER = """<script type="module">
const css = document.querySelector('link[href$="assets/tokens.css"]');
const url = new URL("playground/completion.js", css ? css.href : document.baseURI).href;
let module;
const load = () => (module ??= import(url));
window.aieng = Object.assign(window.aieng || {}, {
  complete: (prompt, options) => load().then((m) => m.complete(prompt, options)),
  nextChars: (prompt) => load().then((m) => m.nextChars(prompt)),
});
for (const root of document.querySelectorAll("[data-aieng-completion]")) {
  let ui;
  const start = () => (ui ??= load().then((m) => m.attach(root), (e) => {
    ui = undefined;
    root.querySelector("[data-status]").textContent = root.dataset.failed.replace("{error}", e);
  }));
  root.addEventListener("focusin", start, { once: true });
  root.addEventListener("pointerdown", start, { once: true });
  root.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    start().then((controller) => controller && controller.run());
  });
}
</script>"""


def completion_playground(*, lang: str = "ko", model: str = MODEL) -> str:
    """The playground's HTML in the reader's language (see the module docstring).

    Example:
        >>> fragment = completion_playground(lang="ko")
        >>> '<label class="aieng-playground__label" for="aieng-completion-seed">' in fragment
        True
    """
    lang = output_language(lang)
    w = strings.words("playground_completion", lang)
    name, blob = asset(model)
    cfg = gpt_config(config_from_dict(frozen.receipt(model)["recipe"]["config"]))
    alphabet = corpus.alphabet()
    a = html.escape  # every value below goes into an attribute or element as text
    t = {key: a(value) for key, value in w.items()}
    hint = w["hint"].format(
        params=f"{cfg.num_params():,}", size=_size(len(blob)), n=len(alphabet),
        context=cfg.block_size,
    )  # fmt: skip
    data = {
        "asset": name,
        "chars": json.dumps(alphabet, ensure_ascii=False),
        "alphabet": str(len(alphabet)),
        "words": json.dumps({k: w[k] for k in _RUNTIME if k in w}, ensure_ascii=False),
        "failed": w["failed"],
    }
    attrs = " ".join(f'data-{k}="{a(v)}"' for k, v in data.items())
    p = "aieng-completion"

    def field(key: str, control: str, extra: str = "") -> str:
        return (
            f'<div class="{p}__field"><label class="aieng-playground__label" for="{p}-{key}">'
            f"{t[key]}</label>{control}{extra}</div>"
        )

    number = 'type="number" step="1" inputmode="numeric" required'
    controls = (
        field("temperature", f'<input id="{p}-temperature" name="temperature" type="range" '
              'min="0" max="2" step="0.05" value="0">',
              f'<output id="{p}-temperature-value" for="{p}-temperature" aria-hidden="true">'
              "0.00</output>")
        + field("seed", f'<input id="{p}-seed" name="seed" {number} min="0" max="4294967295" '
                'value="0">')
        + field("length", f'<input id="{p}-length" name="length" {number} min="1" '
                f'max="{LENGTH_MAX}" value="60">')
    )  # fmt: skip
    caption = w["dist_caption"].format(context=PROMPT)
    head = "".join(
        f'<th scope="col">{a(text)}</th>'
        for text in (w["col_char"], w["col_model"], w["col_temperature"].format(t="0.00"))
    )
    return (
        f'<section class="aieng-playground {p}" data-aieng-completion {attrs} '
        f'aria-labelledby="{p}-title">'
        f'<p class="aieng-playground__title" id="{p}-title">{t["title"]}</p>'
        f'<form class="{p}__form" novalidate>'
        f'<label class="aieng-playground__label" for="{p}-prompt">{t["prompt"]}</label>'
        f'<textarea class="aieng-playground__box" id="{p}-prompt" name="prompt" rows="2" '
        'spellcheck="false" autocomplete="off" autocapitalize="off" '
        f'aria-describedby="{p}-hint">{a(PROMPT)}</textarea>'
        f'<div class="{p}__controls">{controls}'
        f'<button type="submit" class="md-button md-button--primary {p}__run">{t["run"]}</button>'
        "</div></form>"
        f'<p class="aieng-playground__hint" id="{p}-hint">{a(hint)}</p>'
        f'<p class="aieng-playground__hint {p}__status" data-status role="status"></p>'
        f'<div class="{p}__panes">'
        f'<figure class="{p}__pane"><figcaption class="aieng-tokens__label" id="{p}-output">'
        f'{t["output"]}</figcaption><pre class="{p}__text" aria-labelledby="{p}-output">'
        f'<span data-prompt>{t["output_empty"]}</span><mark class="{p}__new" data-new></mark>'
        "</pre></figure>"
        f'<table class="{p}__dist"><caption>{a(caption)}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{_rows(next_char_distribution(PROMPT, preset=model), w)}</tbody>"
        "</table></div>"
        f'<noscript><p class="aieng-playground__hint">{t["noscript"]}</p></noscript>'
        + _LOADER
        + "</section>"
    )
