"""The result cache: keys, the two layers, safe entries, corrupt and foreign entries, the folder.

(Which code a key covers is tested on a copy of the package in ``tests/test_cache_code.py``.)
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.core import cache, fingerprint, store
from aieng.training.loop import TrainResult

pytestmark = pytest.mark.usefixtures("isolated_cache")


@dataclasses.dataclass(frozen=True)
class Config:
    width: int
    seed: int = 0


calls: list[tuple] = []


@cache.cached()
def scaled(cfg: Config, factor: float = 2.0) -> float:
    calls.append((cfg, factor))
    return cfg.width * factor


def _result(seed: int = 0) -> TrainResult:
    """A result of ours with every kind of field: dicts, bytes, lists of tuples, floats."""
    return TrainResult(
        name="tiny",
        config={"model": {"block_size": 8}, "seed": seed, "lr": 1e-3},
        num_params=12,
        weights=bytes(range(256)) * 3,
        train_losses=[4.2, 3.1, float("inf")],
        val_loss=2.5,
        curve=[(1, 16, 3.0), (2, 32, 2.75)],
        train_seconds=0.5,
        device="cpu",
    )


@cache.cached()
def run(seed: int) -> TrainResult:
    calls.append(("run", seed))
    return _result(seed)


@cache.cached()
def arrays(n: int) -> dict:
    calls.append(("arrays", n))
    return {"ids": np.arange(n, dtype=np.int64), "mean": np.float32(0.5), 3: (np.eye(2), None)}


def _entries(folder):
    return sorted(folder.glob("*/*.json")) + sorted(folder.glob("*/*.npz"))


def test_second_call_is_served_from_memory_then_disk(isolated_cache):
    calls.clear()
    assert scaled(Config(3)) == 6.0
    assert scaled(Config(3)) == 6.0
    assert len(calls) == 1
    cache.clear_cache(disk=False)  # a new process: only the disk layer is left
    assert scaled(Config(3)) == 6.0
    assert len(calls) == 1
    (entry,) = _entries(isolated_cache)
    assert entry.suffix == ".json"
    assert json.loads(entry.read_text())["value"] == 6.0


def test_dataclasses_bytes_and_arrays_come_back_equal_with_their_types(isolated_cache):
    calls.clear()
    first = run(1)
    got = arrays(4)
    cache.clear_cache(disk=False)
    assert run(1) == first and type(run(1)) is TrainResult
    assert run(1).curve[0] == (1, 16, 3.0)  # tuples stay tuples inside lists
    again = arrays(4)
    assert np.array_equal(again["ids"], got["ids"]) and again["ids"].dtype == np.int64
    assert type(again["mean"]) is np.float32 and np.array_equal(again[3][0], np.eye(2))
    assert len(calls) == 2
    assert {e.suffix for e in _entries(isolated_cache)} == {".npz"}  # bytes, arrays: beside JSON


@settings(deadline=None, max_examples=60)  # a loaded machine: file writes vary in time
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text()
        | st.binary(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner, inner)
            | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=4)
            | st.frozensets(st.integers() | st.text(max_size=3), max_size=4)
        ),
        max_leaves=20,
    )
)
def test_store_round_trips_plain_values(tmp_path_factory, value):
    stem = tmp_path_factory.mktemp("entry") / "k"
    store.write(stem, value, key="k")
    back = store.read(stem, key="k")
    assert back == value and _types(back) == _types(value)  # a tuple stays a tuple, and so on


def _types(value):
    """The type tree of ``value`` (sets sorted by repr, so that their order does not count)."""
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    if isinstance(value, dict):
        return (dict, sorted(((repr(k), _types(k), _types(v)) for k, v in value.items())))
    if isinstance(value, set | frozenset):
        return (type(value), sorted(repr(_types(v)) for v in value))
    return type(value)


def test_values_that_cannot_be_stored_are_a_clear_error(tmp_path):
    with pytest.raises(TypeError, match="only dataclasses defined in aieng"):
        store.write(tmp_path / "k", Config(1), key="k")
    with pytest.raises(TypeError, match="numeric dtype"):
        store.write(tmp_path / "k", np.array([object()]), key="k")
    with pytest.raises(TypeError, match="cannot cache a value of type 'complex'"):
        store.write(tmp_path / "k", 1j, key="k")
    assert not list(tmp_path.iterdir())


def test_key_depends_on_config_seed_and_defaults():
    base = scaled.key(Config(3))
    assert base == scaled.key(Config(3), 2.0) == scaled.key(cfg=Config(3))
    assert base != scaled.key(Config(3, seed=1))
    assert base != scaled.key(Config(4))
    assert base != scaled.key(Config(3), 3.0)


def test_key_depends_on_data_hash():
    data = {"hash": "a"}

    @cache.cached(data=lambda: data["hash"])
    def read() -> int:
        return 1

    first = read.key()
    data["hash"] = "b"
    assert read.key() != first


def test_key_depends_on_the_code_fingerprint(monkeypatch):
    first = scaled.key(Config(3))
    monkeypatch.setattr(fingerprint, "fingerprint", lambda module: "other code")
    assert scaled.key(Config(3)) != first


def _recomputed_with_warning(caplog, isolated_cache, damage) -> None:
    """Write an entry, damage it with ``damage(path)``, and check it is recomputed and logged."""
    calls.clear()
    first = run(5)
    (entry,) = _entries(isolated_cache)
    damage(entry)
    cache.clear_cache(disk=False)
    with caplog.at_level(logging.WARNING, logger="aieng.core.cache"):
        assert run(5) == first
    assert len(calls) == 2
    assert "is unreadable" in caplog.text and "recomputing it" in caplog.text
    cache.clear_cache(disk=False)
    assert run(5) == first and len(calls) == 2  # the rewritten entry is good again


def _edit_document(entry, change) -> None:
    """Rewrite the JSON document of an .npz entry with ``change(document)``."""
    with np.load(entry, allow_pickle=False) as npz:
        members = {name: npz[name] for name in npz.files}
    document = json.loads(members["entry"].tobytes())
    change(document)
    members["entry"] = np.frombuffer(json.dumps(document).encode(), dtype=np.uint8)
    with entry.open("wb") as fh:
        np.savez(fh, **members)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:100]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"\x80\x05not a pickle"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(pickle.dumps(_result(5))), id="a-pickle"),
        pytest.param(lambda p: np.save(p.open("wb"), np.arange(3)), id="an-npy-not-npz"),
        pytest.param(
            lambda p: _edit_document(p, lambda d: d.update(format="aieng-cache/1")),
            id="other-format",
        ),
        pytest.param(lambda p: _edit_document(p, lambda d: d.update(key="0" * 64)), id="other-key"),
        pytest.param(
            lambda p: _edit_document(p, lambda d: d["value"].update(module="subprocess")),
            id="type-not-ours",
        ),
        pytest.param(
            lambda p: _edit_document(
                p, lambda d: d["value"].update(module="aieng.core.cache", name="CacheInfo")
            ),
            id="other-type",
        ),
        pytest.param(
            lambda p: _edit_document(p, lambda d: d["value"]["fields"].pop("device")),
            id="fields-changed",
        ),
    ],
)
def test_corrupt_or_foreign_entry_is_recomputed_not_a_crash(caplog, isolated_cache, damage):
    _recomputed_with_warning(caplog, isolated_cache, damage)


class _Exploit:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_reading_an_entry_cannot_run_code(caplog, isolated_cache, tmp_path):
    """A crafted pickle where an entry belongs (and an old-style .pkl beside it) runs nothing."""
    marker = tmp_path / "code-ran"
    calls.clear()
    run(6)
    (entry,) = _entries(isolated_cache)
    crafted = pickle.dumps(_Exploit(marker))
    for path in (entry, entry.with_suffix(".json"), entry.with_suffix(".pkl")):
        path.write_bytes(crafted)
    cache.clear_cache(disk=False)
    with caplog.at_level(logging.WARNING, logger="aieng.core.cache"):
        assert run(6) == _result(6)
    assert not marker.exists(), "reading the cache ran code"
    assert len(calls) == 2


def test_no_pickle_and_no_unsafe_torch_load_in_the_package():
    import ast
    from pathlib import Path

    # One exception, marked "OWN CHECKPOINT" on the line before: a training run's checkpoint,
    # written by the same machine's run into .cache/checkpoints (or a temporary folder) and read
    # back by it; it is never committed or downloaded. What the repository ships (frozen/) is
    # safetensors and JSON, read without pickle.
    wrong = []
    for path in sorted((Path(cache.__file__).parents[1]).rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name.split(".")[0] for a in node.names]
                if "pickle" in names or getattr(node, "module", None) == "pickle":
                    wrong.append(f"{path.name}:{node.lineno} imports pickle")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "load":
                owner = getattr(node.func.value, "id", "")
                safe = any(
                    k.arg == "weights_only" and getattr(k.value, "value", None) is True
                    for k in node.keywords
                )
                own = "OWN CHECKPOINT" in "".join(lines[max(0, node.lineno - 4) : node.lineno])
                if owner == "torch" and not safe and not own:
                    wrong.append(f"{path.name}:{node.lineno} torch.load without weights_only=True")
                pickled = any(
                    k.arg == "allow_pickle" and getattr(k.value, "value", None) is True
                    for k in node.keywords
                )
                if owner in ("np", "numpy") and pickled:
                    wrong.append(f"{path.name}:{node.lineno} np.load(allow_pickle=True)")
    assert not wrong, wrong


def test_disabled_cache_writes_nothing(isolated_cache, monkeypatch):
    monkeypatch.setenv("AIENG_CACHE", "off")
    scaled(Config(7))
    assert not isolated_cache.exists()
    assert cache.info().enabled is False


def test_unhashable_argument_is_a_clear_error():
    @cache.cached()
    def f(x):
        return x

    with pytest.raises(TypeError, match="cannot build a cache key"):
        f(object())


def test_no_temporary_files_are_left_behind(isolated_cache):
    scaled(Config(9))
    run(9)
    assert not list(isolated_cache.rglob(".tmp-*"))


def test_computations_record_what_this_process_computed():
    before = len(cache.computed())
    scaled(Config(11))
    scaled(Config(11))
    ((function, seconds),) = cache.computed()[before:]
    assert function == f"{__name__}.scaled" and seconds >= 0
    assert cache.in_memory(scaled.key(Config(11))) and not cache.in_memory(scaled.key(Config(0)))
    assert cache.stats()["computed"] >= 1


def test_info_and_clear_count_entries_and_old_files(isolated_cache):
    assert cache.info().entries == 0
    scaled(Config(12))
    run(12)
    (isolated_cache / "ab").mkdir(parents=True, exist_ok=True)
    (isolated_cache / "ab" / "old.pkl").write_bytes(b"an entry of the pickle era")
    about = cache.info()
    assert (about.entries, about.other_files, about.folder) == (2, 1, isolated_cache)
    assert about.bytes == sum(f.stat().st_size for f in isolated_cache.rglob("*") if f.is_file())
    assert cache.clear_cache() == 3
    assert cache.info().entries == 0 and cache.info().bytes == 0


def test_cli_prints_info_and_clears(isolated_cache, capsys):
    from aieng.__main__ import main

    scaled(Config(13))
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(isolated_cache) in out and "1 entries" in out and "enabled" in out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 files" in capsys.readouterr().out
    assert main(["cache"]) == 0 and "0 entries" in capsys.readouterr().out


def test_reading_entries_never_imports_torch(tmp_path):
    """A process writes a result of ours with weights bytes and arrays; the next one reads it."""
    (tmp_path / "results.py").write_text(
        "import numpy as np\n"
        "from aieng.core.cache import cached\n"
        "from aieng.training.loop import TrainResult\n"
        "@cached()\n"
        "def result():\n"
        "    return TrainResult('t', {}, 1, b'weights', [1.0], 1.0, [], 0.1, 'cpu'), np.ones(3)\n"
    )
    script = (
        "import sys, results; from aieng.core import cache; r, a = results.result(); "
        "print(cache.stats()['disk'], r.weights.decode(), a.sum(), 'torch' in sys.modules)"
    )
    env = {**os.environ, "AIENG_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(tmp_path)}

    def probe() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert probe() == "0 weights 3.0 False"  # computed and written
    assert probe() == "1 weights 3.0 False"  # read back: no torch


def test_non_finite_floats_survive(isolated_cache):
    assert math.isinf(run(15).train_losses[-1])
    cache.clear_cache(disk=False)
    assert math.isinf(run(15).train_losses[-1])


def test_code_edited_while_the_process_runs_is_neither_read_nor_stored(
    isolated_cache, monkeypatch, caplog
):
    """The code in memory may not be the code on disk: such results stay in memory."""
    calls.clear()
    run(16)
    cache.clear_cache(disk=False)
    monkeypatch.setattr(fingerprint, "_STARTED", 0.0)  # every file "changed" after the start
    with caplog.at_level(logging.WARNING, logger="aieng.core.cache"):
        assert run(16) == _result(16)
        run(17)
    assert len(calls) == 3  # run(16) computed again: its entry was not read
    assert "changed while this process ran" in caplog.text
    assert len(_entries(isolated_cache)) == 1  # run(17) was not stored
