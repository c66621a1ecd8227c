"""Fixtures shared by the unit tests: they never read or write the reader's result cache.

The pages' blocks (collected from ``docs/``) keep the real cache on purpose: the site build
that precedes the tests has filled it, so they do not train the models again.
"""

from __future__ import annotations

import pytest

from aieng import cache


@pytest.fixture(scope="module", autouse=True)
def _module_cache(tmp_path_factory):
    """Each test module gets a cache folder of its own, shared by its tests."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIENG_CACHE_DIR", str(tmp_path_factory.mktemp("aieng-cache")))
        mp.delenv("AIENG_CACHE", raising=False)
        yield


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    """An empty cache, on disk and in memory, for one test; yields its folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIENG_CACHE_DIR", str(folder))
    cache.clear_cache(disk=False)
    yield folder
    cache.clear_cache(disk=False)
