"""A content-addressed result cache for everything the site computes while it builds.

The site is built once per language and markdown-exec has no cache of its own, so every
computation a page asks for goes through :func:`cached`: it runs once per build (an in-memory
layer serves the second language) and not at all in the next build when nothing changed (an
on-disk layer).

The key of a result is the SHA-256 of

* the function's module and qualified name,
* its arguments (dataclasses by their fields; see :func:`_canonical`),
* the hash of the data it reads (``data=`` of :func:`cached`, a callable returning a string),
* the package version and the entry format (:data:`aieng.core.store.FORMAT`),
* the fingerprint of all the code it depends on: the defining module and every ``aieng`` module
  it imports, transitively, each hashed from its syntax tree, so that a comment or a docstring
  changes nothing and any statement or string literal does (:mod:`aieng.core.fingerprint`).

so changing a config, a seed, a corpus file or any code a result depends on computes afresh.

Entries are JSON, with numpy arrays and bytes in an ``.npz`` read without pickle
(:mod:`aieng.core.store`): reading an entry never runs code and never imports torch. An entry that
cannot be read (truncated, corrupted, an old pickle, a type that is not ours, written by another
format) is logged as a warning, deleted and recomputed: never a crash. Writes are atomic.

:func:`stats` counts where this process's results came from; :func:`computed` lists what it
computed and how long each took; :func:`info` describes the folder.

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
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, ParamSpec, TypeVar

from aieng.core import fingerprint, store

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_MEMORY: dict[str, Any] = {}
_STATS = {"memory": 0, "disk": 0, "computed": 0, "unreadable": 0}


class Computation(NamedTuple):
    """One result this process computed (a cache miss): ``(function, seconds)``."""

    function: str  # module.qualname of the cached function
    seconds: float  # wall time of the computation (cached results it computed included)


@dataclass(frozen=True)
class CacheInfo:
    """What the cache folder holds (``python -m aieng cache info``)."""

    entries: int  # readable-format entries (.json, .npz)
    bytes: int  # size of every file in the entry folders (old formats included)
    folder: Path  # where entries live (AIENG_CACHE_DIR)
    enabled: bool  # whether the disk layer is used (AIENG_CACHE)
    other_files: int = 0  # not entries: old pickles, leftovers (cache clear removes them)


_COMPUTED: list[Computation] = []


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


def _code(module: str) -> str:
    """The fingerprint of ``module``'s code; the disk layer keeps the memo of source facts that
    spares the next process from parsing the package (:func:`aieng.core.fingerprint.use_memo`)."""
    if enabled():
        fingerprint.use_memo(cache_dir() / "fingerprints.json")
    code = fingerprint.fingerprint(module)
    if enabled():
        fingerprint.save_memo()
    return code


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
        "format": store.FORMAT,
        "code": _code(fn.__module__),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(blob.encode()).hexdigest()


_WARNED: set[str] = set()


def _code_unchanged(module: str) -> bool:
    """False (with one warning) when code ``module`` depends on was edited while this process
    ran: its results are then computed and kept in memory only, since the code that runs may
    not be the code the key describes."""
    if fingerprint.unchanged(module):
        return True
    if module not in _WARNED:
        _WARNED.add(module)
        log.warning(
            "code that %s depends on changed while this process ran: its results are computed "
            "afresh and not stored (restart to use the cache again)",
            module,
        )
    return False


def _stem(key: str) -> Path:
    return cache_dir() / key[:2] / key


def _read(key: str) -> tuple[bool, Any]:
    stem = _stem(key)
    try:
        return True, store.read(stem, key=key)
    except FileNotFoundError:
        return False, None
    except Exception as exc:  # a corrupt or foreign entry is recomputed, never a crash
        _STATS["unreadable"] += 1
        log.warning("cache entry %s is unreadable (%s); recomputing it", stem.name, exc)
        for suffix in store.SUFFIXES:
            stem.with_suffix(suffix).unlink(missing_ok=True)
        return False, None


def _write(key: str, value: Any, function: str) -> None:
    from aieng import __version__

    try:
        store.write(_stem(key), value, key=key, function=function, version=__version__)
    except OSError as exc:  # a read-only or full disk costs speed, not correctness
        log.warning("could not write cache entry %s (%s)", key, exc)


def cached(*, data: Callable[[], str] | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a pure function so that its results are cached by content address.

    Args:
        data: a callable returning a hash of the data the function reads (a corpus, a
            tokenizer file); it becomes part of the key. Code needs no such hash: every
            ``aieng`` module the function's module imports is in the key already.

    The decorated function gains ``.key(*args, **kwargs)`` (its content address) and
    ``.uncached`` (the original function). Its results must be values :mod:`aieng.core.store`
    can write (plain values, numpy arrays, bytes, dataclasses of aieng); another type is a
    TypeError when the result is first computed.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            key = make_key(fn, args, kwargs, data() if data else "")
            if key in _MEMORY:
                _STATS["memory"] += 1
                return _MEMORY[key]
            disk = enabled() and _code_unchanged(fn.__module__)
            if disk:
                found, value = _read(key)
                if found:
                    _STATS["disk"] += 1
                    _MEMORY[key] = value
                    return value
            log.info("computing %s", name)
            start = time.perf_counter()
            value = fn(*args, **kwargs)
            _COMPUTED.append(Computation(name, time.perf_counter() - start))
            _STATS["computed"] += 1
            _MEMORY[key] = value
            if disk and _code_unchanged(fn.__module__):
                _write(key, value, name)
            return value

        wrapper.key = lambda *a, **k: make_key(fn, a, k, data() if data else "")  # type: ignore[attr-defined]
        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper

    return decorate


def stats() -> dict[str, int]:
    """How many results this process took from memory, from disk, or computed, and how many
    disk entries it found unreadable (and so recomputed)."""
    return dict(_STATS)


def in_memory(key: str) -> bool:
    """Whether this process holds the result of content address ``key`` (see ``fn.key``)."""
    return key in _MEMORY


def computed() -> list[Computation]:
    """What this process computed, in order: ``(function, seconds)`` of every cache miss.

    A result that computes others counts their time too, and they appear before it.
    """
    return list(_COMPUTED)


def _files() -> list[Path]:
    """Every file in the entry folders (two hex digits each), entries or not."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return [
        f
        for sub in folder.iterdir()
        if sub.is_dir() and len(sub.name) == 2 and all(c in "0123456789abcdef" for c in sub.name)
        for f in sub.iterdir()
        if f.is_file()
    ]


def info() -> CacheInfo:
    """The cache folder: how many entries, how many bytes, where, and whether it is used."""
    files = _files()
    entries = [f for f in files if f.suffix in store.SUFFIXES and not f.name.startswith(".")]
    return CacheInfo(
        entries=len(entries),
        bytes=sum(f.stat().st_size for f in files),
        folder=cache_dir(),
        enabled=enabled(),
        other_files=len(files) - len(entries),
    )


def clear_cache(*, memory: bool = True, disk: bool = True) -> int:
    """Forget cached results; returns how many disk files were removed (old formats included)."""
    if memory:
        _MEMORY.clear()
    removed = 0
    if disk:
        for entry in _files():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
