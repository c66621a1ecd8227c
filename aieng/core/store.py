"""Cache entries in formats that cannot run code when they are read.

A result is written as a JSON document. Tuples, sets, dicts whose keys are not all strings,
numpy scalars and dataclasses are tagged objects (``{"$": "tuple", "items": [...]}``), so the
value read back is equal to the one written, with the same types. Numpy arrays and bytes (model
weights, as safetensors bytes) go beside the document in one ``.npz`` file, read with
``allow_pickle=False``; an entry without them is a plain ``.json`` file.

Reading rebuilds only dataclasses defined in ``aieng``, found by module and qualified name, and
only when the stored fields are exactly the class's fields. Anything else (a truncated file, a
pickle, another format, a type that is not ours, an entry written for another key or by another
version of the format) raises :class:`EntryError`; the cache logs it and recomputes.

Writes are atomic: a temporary file in the same folder, then :func:`os.replace`.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> stem = Path(tempfile.mkdtemp()) / "0123"
    >>> path = write(stem, {"a": (1, 2.5), 3: {"b"}}, key="0123")
    >>> path.suffix, read(stem, key="0123")
    ('.json', {'a': (1, 2.5), 3: {'b'}})
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "aieng-cache/2"  # 1 was pickle; part of every key, so old entries are never looked up
SUFFIXES = (".json", ".npz")
_DOCUMENT = "entry"  # the .npz member that holds the JSON document
PACKAGE = "aieng"


class EntryError(Exception):
    """A cache entry that cannot be read back as a value of ours (the cache recomputes it)."""


def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    """``value`` as a JSON tree; arrays and bytes are moved to ``arrays``."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [_encode(v, arrays) for v in value]
    if kind is tuple:
        return {"$": "tuple", "items": [_encode(v, arrays) for v in value]}
    if kind in (set, frozenset):
        return {"$": kind.__name__, "items": [_encode(v, arrays) for v in value]}
    if kind is dict:
        if all(type(k) is str for k in value) and "$" not in value:
            return {k: _encode(v, arrays) for k, v in value.items()}
        return {
            "$": "dict",
            "items": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()],
        }
    if kind is bytes:
        ref = f"a{len(arrays)}"
        arrays[ref] = np.frombuffer(value, dtype=np.uint8)
        return {"$": "bytes", "ref": ref}
    if isinstance(value, np.ndarray | np.generic):
        array = np.asarray(value)
        if array.dtype.hasobject:
            raise TypeError("cannot cache a numpy array of Python objects: use a numeric dtype")
        ref = f"a{len(arrays)}"
        arrays[ref] = array
        return {"$": "array" if kind is np.ndarray else "scalar", "ref": ref}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not kind.__module__.startswith(PACKAGE + "."):
            raise TypeError(
                f"cannot cache a {kind.__module__}.{kind.__qualname__}: only dataclasses defined "
                "in aieng are rebuilt from the cache; return one of those or plain values"
            )
        fields = {
            f.name: _encode(getattr(value, f.name), arrays) for f in dataclasses.fields(value)
        }
        return {
            "$": "dataclass",
            "module": kind.__module__,
            "name": kind.__qualname__,
            "fields": fields,
        }
    raise TypeError(
        f"cannot cache a value of type {kind.__name__!r}: return plain values (None, bool, int, "
        "float, str, bytes, lists, tuples, sets, dicts), numpy arrays or dataclasses of aieng"
    )


def _dataclass(module: str, name: str) -> type:
    """The dataclass ``module.name`` of ``aieng``, or :class:`EntryError`."""
    if not module.startswith(PACKAGE + "."):
        raise EntryError(f"type {module}.{name} is not defined in aieng")
    try:
        obj: Any = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise EntryError(f"type {module}.{name} no longer exists ({exc})") from None
    if not (isinstance(obj, type) and dataclasses.is_dataclass(obj)):
        raise EntryError(f"{module}.{name} is not a dataclass")
    if obj.__module__ != module or obj.__qualname__ != name:
        raise EntryError(f"{module}.{name} names {obj.__module__}.{obj.__qualname__}")
    return obj


def _decode(tree: Any, arrays: Any) -> Any:
    if isinstance(tree, list):
        return [_decode(v, arrays) for v in tree]
    if not isinstance(tree, dict):
        return tree
    tag = tree.get("$")
    if tag is None:
        return {k: _decode(v, arrays) for k, v in tree.items()}
    if tag == "tuple":
        return tuple(_decode(v, arrays) for v in tree["items"])
    if tag in ("set", "frozenset"):
        items = [_decode(v, arrays) for v in tree["items"]]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "dict":
        return {_decode(k, arrays): _decode(v, arrays) for k, v in tree["items"]}
    if tag in ("bytes", "array", "scalar"):
        if arrays is None or tree["ref"] not in arrays:
            raise EntryError(f"the entry has no array {tree['ref']!r}")
        array = arrays[tree["ref"]]
        if tag == "bytes":
            return array.tobytes()
        return array if tag == "array" else array[()]
    if tag == "dataclass":
        cls = _dataclass(tree["module"], tree["name"])
        fields = {f.name: f for f in dataclasses.fields(cls)}
        stored = tree["fields"]
        if set(stored) != set(fields):
            raise EntryError(f"the fields of {tree['module']}.{tree['name']} have changed")
        values = {k: _decode(v, arrays) for k, v in stored.items()}
        obj = cls(**{k: v for k, v in values.items() if fields[k].init})
        for k, v in values.items():
            if not fields[k].init:
                object.__setattr__(obj, k, v)
        return obj
    raise EntryError(f"unknown tag {tag!r}")


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(stem: Path, value: Any, *, key: str, **meta: str) -> Path:
    """Store ``value`` at ``stem.json`` (or ``stem.npz`` when it holds arrays or bytes).

    ``key`` and ``meta`` go into the document; :func:`read` checks ``key``.

    Raises:
        TypeError: for a value that cannot be stored (the message lists what can).
    """
    arrays: dict[str, np.ndarray] = {}
    document = {"format": FORMAT, "key": key, **meta, "value": _encode(value, arrays)}
    blob = json.dumps(document, ensure_ascii=False, allow_nan=True).encode()
    path = stem.with_suffix(".npz" if arrays else ".json")
    if arrays:
        members = {_DOCUMENT: np.frombuffer(blob, dtype=np.uint8), **arrays}
        _atomic_write(path, lambda fh: np.savez(fh, **members))
    else:
        _atomic_write(path, lambda fh: fh.write(blob))
    for other in SUFFIXES:  # one entry per key
        if other != path.suffix:
            stem.with_suffix(other).unlink(missing_ok=True)
    return path


def _document(blob: bytes, key: str) -> dict[str, Any]:
    try:
        document = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EntryError(f"not a JSON document ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise EntryError(f"format {found!r}, expected {FORMAT!r}")
    if document.get("key") != key:
        raise EntryError("the entry was written for another key")
    return document


def read(stem: Path, *, key: str) -> Any:
    """The value stored at ``stem`` for ``key``.

    Raises:
        FileNotFoundError: when there is no entry.
        EntryError: when there is one that cannot be read back (the message says why).
    """
    path = stem.with_suffix(".json")
    if path.is_file():
        return _decode(_document(path.read_bytes(), key)["value"], None)
    path = stem.with_suffix(".npz")
    if not path.is_file():
        raise FileNotFoundError(stem)
    data = path.read_bytes()
    try:
        npz = np.load(io.BytesIO(data), allow_pickle=False)  # a pickle raises ValueError here
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not an archive")
        with npz:
            arrays = {name: npz[name] for name in npz.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise EntryError(f"not an .npz of plain arrays ({type(exc).__name__}: {exc})") from None
    if _DOCUMENT not in arrays or arrays[_DOCUMENT].dtype != np.uint8:
        raise EntryError(f"the .npz has no {_DOCUMENT!r} document")
    document = _document(arrays.pop(_DOCUMENT).tobytes(), key)
    return _decode(document["value"], arrays)
