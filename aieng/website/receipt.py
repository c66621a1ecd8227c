"""A build's receipt: what a built site was built from, so a test can reuse it instead of building.

After every full build (both languages) the ``aieng`` plugin writes a small JSON receipt for its
``site_dir`` into the result cache's folder (``builds/``, beside the entries, never inside the
site, so the site itself does not change): the digest of the build's inputs
(:func:`inputs_digest`), whether examples ran, whether the build began on an empty cache (cold),
its ``SOURCE_DATE_EPOCH``, whether it had a network, and the cache it used. A build that starts
removes the receipt of its site folder first, so a half-built site never has one.

The tests that need the real site built (``tests/test_reproducible.py``, say) read the receipt of
the site ``setup.sh`` built (:func:`read_receipt`) and reuse it when it was built from the tree
as it is now (:meth:`Receipt.matches`); otherwise they build once per test session.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "docs").mkdir(); _ = (root / "docs" / "index.md").write_text("# Hi")
    >>> first = inputs_digest(root, root / "docs")
    >>> _ = (root / "docs" / "index.md").write_text("# Hello")
    >>> first == inputs_digest(root, root / "docs")
    False
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path

from aieng.core import cache

# What a build reads besides the docs folder, relative to the folder of mkdocs.yml.
INPUTS = ("aieng", "chapter", "mkdocs.yml", "pyproject.toml", "requirements.lock")
_SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}


def inputs_digest(root: Path, docs_dir: Path) -> str:
    """SHA-256 over the path and bytes of every file the build reads: the docs folder, the
    package, the chapter, the configuration and the lock (what ``git clone`` gives another
    machine; the installed packages are the lock's)."""
    digest = hashlib.sha256()
    tops = [Path(docs_dir)] + [Path(root) / name for name in INPUTS]
    for top in tops:
        files = sorted(top.rglob("*")) if top.is_dir() else [top] if top.is_file() else []
        for path in files:
            if not path.is_file() or _SKIP_PARTS & set(path.parts) or path.suffix == ".pyc":
                continue
            name = path.relative_to(docs_dir if top == docs_dir else root).as_posix()
            digest.update(f"{top.name}/{name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def offline() -> bool:
    """Whether this process has no network interface but loopback (``unshare -n``)."""
    try:
        return all(name == "lo" for _, name in socket.if_nameindex())
    except OSError:
        return False


@dataclass(frozen=True)
class Receipt:
    """What one build of a site folder was built from."""

    site_dir: str  # the folder built, absolute
    inputs: str  # inputs_digest() at the start of the build
    executed: bool  # examples ran (AIENG_EXEC was not off)
    cold: bool  # the result cache held none of the build's results when it began
    source_date_epoch: str | None  # SOURCE_DATE_EPOCH the build was dated by
    offline: bool  # the build had no network
    cache_dir: str  # the result cache it read and filled

    def matches(self, root: Path, docs_dir: Path) -> bool:
        """Whether the tree at ``root`` is still what this site was built from."""
        return self.inputs == inputs_digest(root, docs_dir) and Path(self.site_dir).is_dir()


def _path(site_dir: str | Path, folder: Path | None = None) -> Path:
    key = hashlib.sha256(str(Path(site_dir).resolve()).encode()).hexdigest()[:32]
    return (folder or cache.cache_dir()) / "builds" / f"{key}.json"


def discard_receipt(site_dir: str | Path) -> None:
    """Forget the receipt of ``site_dir`` (a build of it is starting)."""
    _path(site_dir).unlink(missing_ok=True)


def write_receipt(receipt: Receipt) -> Path:
    """Store ``receipt`` for its site folder (atomically); returns where."""
    target = _path(receipt.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(f".{os.getpid()}.tmp")
    temp.write_text(json.dumps(asdict(receipt), indent=1), encoding="utf-8")
    os.replace(temp, target)
    return target


def read_receipt(site_dir: str | Path, *, cache_dir: Path | None = None) -> Receipt | None:
    """The receipt of the last complete build of ``site_dir`` that used the result cache in
    ``cache_dir`` (default: :func:`aieng.core.cache.cache_dir`), or None."""
    try:
        data = json.loads(_path(site_dir, cache_dir).read_text(encoding="utf-8"))
        return Receipt(**data)
    except (OSError, ValueError, TypeError):
        return None
