"""The result cache: keys, the two layers, corruption and the switches that move or disable it."""

from __future__ import annotations

import dataclasses

import pytest

from aieng.core import cache

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


def test_second_call_is_served_from_memory_then_disk(isolated_cache):
    calls.clear()
    assert scaled(Config(3)) == 6.0
    assert scaled(Config(3)) == 6.0
    assert len(calls) == 1
    cache.clear_cache(disk=False)  # a new process: only the disk layer is left
    assert scaled(Config(3)) == 6.0
    assert len(calls) == 1
    assert len(list(isolated_cache.glob("*/*.pkl"))) == 1


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


def test_corrupt_entry_is_recomputed_not_a_crash(isolated_cache):
    calls.clear()
    scaled(Config(5))
    (entry,) = isolated_cache.glob("*/*.pkl")
    entry.write_bytes(b"\x80\x05not a pickle")
    cache.clear_cache(disk=False)
    assert scaled(Config(5)) == 10.0
    assert len(calls) == 2
    cache.clear_cache(disk=False)
    assert scaled(Config(5)) == 10.0  # the rewritten entry is good again
    assert len(calls) == 2


def test_disabled_cache_writes_nothing(isolated_cache, monkeypatch):
    monkeypatch.setenv("AIENG_CACHE", "off")
    scaled(Config(7))
    assert not isolated_cache.exists()


def test_unhashable_argument_is_a_clear_error():
    @cache.cached()
    def f(x):
        return x

    with pytest.raises(TypeError, match="cannot build a cache key"):
        f(object())


def test_no_temporary_files_are_left_behind(isolated_cache):
    scaled(Config(9))
    assert not list(isolated_cache.rglob(".tmp-*"))
