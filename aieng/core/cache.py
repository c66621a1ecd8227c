"""A content-addressed result cache for everything the site computes while it builds.

The site is built once per language and markdown-exec has no cache of its own, so every
computation a page asks for goes through :func:`cached`: it runs once per build (an in-memory
layer serves the second language) and not at all in the next build when nothing changed (an
on-disk layer).

The key of a result is the SHA-256 of

* the function's module and qualified name,
* its arguments (dataclasses by their fields; see :func:`_canonical`),
* the hash of the data it reads (``data=`` of :func:`cached`, a callable returning a string),
* the package version and a hash of the defining module's source code,

so changing a config, a seed, a corpus file or the code itself computes afresh.

Entries are pickles written atomically (temporary file, then :func:`os.replace`). An entry that
cannot be read (truncated, corrupted, written by an incompatible version) is logged, deleted and
recomputed: never a crash. Results are meant to be plain Python and numpy values, so reading a
cached result never imports torch.

Environment:
    ``AIENG_CACHE_DIR``: where entries live (default ``$XDG_CACHE_HOME/aieng`` or
    ``~/.cache/aieng``).
    ``AIENG_CACHE``: set to ``0``, ``off`` or ``false`` to disable the disk layer (results are
    still shared within one process).

Example:
    >>> from aieng.core.cache import cached
    >>> @cached()
    ... def square(x: int) -> int:
    ...     return x * x
    >>> square(12)
    144
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_MEMORY: dict[str, Any] = {}
_SOURCE_HASHES: dict[str, str] = {}
_STATS = {"memory": 0, "disk": 0, "computed": 0}


def enabled() -> bool:
    """Whether the on-disk layer is used (``AIENG_CACHE`` is not ``0``/``off``/``false``)."""
    return os.environ.get("AIENG_CACHE", "1").strip().lower() not in {"0", "off", "false", "no"}


def cache_dir() -> Path:
    """The folder that holds cache entries (``AIENG_CACHE_DIR`` moves it)."""
    configured = os.environ.get("AIENG_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aieng"


def _canonical(value: Any) -> Any:
    """A JSON-serialisable, order-stable stand-in for ``value``, used to build cache keys.

    Example:
        >>> _canonical({"b": (1, 2.5), "a": None})
        {'a': None, 'b': [1, 2.5]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__dataclass__": type(value).__qualname__, **fields}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(
        f"cannot build a cache key from {type(value).__name__!r}: pass plain values "
        "(str, int, float, bool, None, tuples, dicts or dataclasses of them)"
    )


def _source_hash(module_name: str) -> str:
    """SHA-256 of a module's source, so that editing the code invalidates its results."""
    if module_name not in _SOURCE_HASHES:
        module = sys.modules.get(module_name)
        try:
            source = inspect.getsource(module) if module else ""
        except (OSError, TypeError):
            source = ""
        _SOURCE_HASHES[module_name] = hashlib.sha256(source.encode()).hexdigest()
    return _SOURCE_HASHES[module_name]


def make_key(fn: Callable[..., Any], args: tuple, kwargs: dict, data_hash: str = "") -> str:
    """The content address of ``fn(*args, **kwargs)`` over data hashed as ``data_hash``."""
    from aieng import __version__

    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    payload = {
        "function": f"{fn.__module__}.{fn.__qualname__}",
        "arguments": _canonical(dict(bound.arguments)),
        "data": data_hash,
        "version": __version__,
        "code": _source_hash(fn.__module__),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _entry_path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.pkl"


def _read(path: Path) -> tuple[bool, Any]:
    try:
        with path.open("rb") as fh:
            return True, pickle.load(fh)
    except FileNotFoundError:
        return False, None
    except Exception as exc:  # a corrupt entry is recomputed, never a crash
        log.warning("cache entry %s is unreadable (%s); recomputing it", path.name, exc)
        path.unlink(missing_ok=True)
        return False, None


def _write(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only or full disk costs speed, not correctness
        log.warning("could not write cache entry %s (%s)", path, exc)


def cached(*, data: Callable[[], str] | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a pure function so that its results are cached by content address.

    Args:
        data: a callable returning a hash of the data the function reads (a corpus, a
            tokenizer file); it becomes part of the key.

    The decorated function gains ``.key(*args, **kwargs)`` (its content address) and
    ``.uncached`` (the original function).
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            key = make_key(fn, args, kwargs, data() if data else "")
            if key in _MEMORY:
                _STATS["memory"] += 1
                return _MEMORY[key]
            if enabled():
                found, value = _read(_entry_path(key))
                if found:
                    _STATS["disk"] += 1
                    _MEMORY[key] = value
                    return value
            log.info("computing %s.%s", fn.__module__, fn.__qualname__)
            value = fn(*args, **kwargs)
            _STATS["computed"] += 1
            _MEMORY[key] = value
            if enabled():
                _write(_entry_path(key), value)
            return value

        wrapper.key = lambda *a, **k: make_key(fn, a, k, data() if data else "")  # type: ignore[attr-defined]
        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper

    return decorate


def stats() -> dict[str, int]:
    """How many results this process took from memory, from disk, or computed."""
    return dict(_STATS)


def clear_cache(*, memory: bool = True, disk: bool = True) -> int:
    """Forget cached results; returns how many disk entries were removed."""
    if memory:
        _MEMORY.clear()
    removed = 0
    if disk and cache_dir().is_dir():
        for entry in cache_dir().glob("*/*.pkl"):
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def main(argv: list[str]) -> int:
    """``python -m aieng cache [info|clear]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m aieng cache", description="Show or clear the result cache."
    )
    parser.add_argument("action", choices=["info", "clear"], nargs="?", default="info")
    ns = parser.parse_args(argv)
    if ns.action == "clear":
        print(f"removed {clear_cache()} entries from {cache_dir()}")
        return 0
    entries = list(cache_dir().glob("*/*.pkl")) if cache_dir().is_dir() else []
    size = sum(e.stat().st_size for e in entries)
    state = "enabled" if enabled() else "disabled (AIENG_CACHE)"
    print(f"{cache_dir()}: {len(entries)} entries, {size / 1e6:.1f} MB, {state}")
    return 0
