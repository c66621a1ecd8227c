"""Two builds of the same commit are byte-identical, and the build needs no network.

The first build is the site that ``setup.sh`` has just built (``site/``), reused when its receipt
(:mod:`aieng.website.receipt`) says it was built from this tree as it is now, with examples run,
dated by the commit (``SOURCE_DATE_EPOCH``) and, as root, offline; that is what ``.ci/run`` does,
and on a fresh machine that build began on an empty result cache, so every example ran and every
model trained in it. Otherwise (an edited tree, a site built some other way) the first build is
made here, once, on the reader's result cache. The second build starts from an empty site folder
and reads what the first computed from the cache, offline (``unshare -n``) where a network
namespace can be made: always as root, which is how ``.ci/run`` runs.

So this proves that rendering is deterministic (no clock, no random ids, no ordering by hash)
and that a result read back from the cache renders exactly as it did when it was computed. That
training itself is deterministic (same seed, same weights, bit for bit) is
``tests/test_train.py::test_same_seed_same_run``; a second cold build here would repeat it at the
cost of every model trained twice (twenty minutes on two cores), which is what kept a
contributor waiting for CI.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from aieng.core import cache
from aieng.tools.sitebuild import BuildOptions
from aieng.website.receipt import Receipt, read_receipt

ROOT = Path(__file__).resolve().parents[1]
# The reader's cache, read before conftest points this module's tests at a cache of their own.
READER_CACHE = cache.cache_dir()


def _commit_epoch() -> str:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "0"
    except OSError:
        return "0"


def _offline_prefix() -> list[str]:
    """``unshare -n`` where this process may create a network namespace, else nothing."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ["unshare", "-n"] if probe.returncode == 0 else []


def _build(site: Path, cache_dir: Path, offline: list[str]) -> None:
    options = BuildOptions(site_dir=str(site), cache_dir=str(cache_dir))
    env = options.environment()
    env["SOURCE_DATE_EPOCH"] = _commit_epoch()
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(proxy, None)
    proc = subprocess.run(
        offline + options.command(),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.returncode == 0, f"build {site.name} failed:\n{proc.stdout[-4000:]}"


def reusable(receipt: Receipt | None, *, offline: bool) -> bool:
    """Whether the site of ``receipt`` is the first build this test needs."""
    return (
        receipt is not None
        and receipt.matches(ROOT, ROOT / "docs")
        and receipt.executed
        and receipt.source_date_epoch == _commit_epoch()
        and (receipt.offline or not offline)
    )


def _differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    found = [f"only in one build: {name}" for name in cmp.left_only + cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    found += [f"differs: {(a / name).relative_to(a.parents[0])}" for name in mismatch + errors]
    for sub in cmp.common_dirs:
        found += _differences(a / sub, b / sub)
    return found


@pytest.mark.slow
def test_two_builds_are_identical_and_offline(tmp_path: Path) -> None:
    offline = _offline_prefix()
    if not offline and os.geteuid() == 0:
        pytest.fail("as root, the builds must run offline, but 'unshare -n true' failed")
    setup_site = read_receipt(ROOT / "site", cache_dir=READER_CACHE)
    if reusable(setup_site, offline=bool(offline)):
        first, cache_dir = ROOT / "site", Path(setup_site.cache_dir)
    else:
        first, cache_dir = tmp_path / "first", READER_CACHE
        _build(first, cache_dir, offline)
    second = tmp_path / "second"
    _build(second, cache_dir, offline)
    built = read_receipt(second, cache_dir=cache_dir)
    assert built is not None and built.offline == bool(offline) and not built.cold
    differences = _differences(first, second)
    assert not differences, "the two builds differ:\n" + "\n".join(differences[:40])
    # the dates are the commit's, not the clock's
    assert "<lastmod>" in (first / "sitemap.xml").read_text(encoding="utf-8")


def test_a_site_is_reused_only_when_it_was_built_from_this_tree(tmp_path: Path) -> None:
    from aieng.website.receipt import inputs_digest

    site = tmp_path / "site"
    site.mkdir()
    now = Receipt(
        site_dir=str(site),
        inputs=inputs_digest(ROOT, ROOT / "docs"),
        executed=True,
        cold=True,
        source_date_epoch=_commit_epoch(),
        offline=True,
        cache_dir=str(tmp_path / "cache"),
    )
    assert reusable(now, offline=True)
    assert not reusable(None, offline=True)
    assert not reusable(Receipt(**{**now.__dict__, "inputs": "0" * 64}), offline=True)
    assert not reusable(Receipt(**{**now.__dict__, "executed": False}), offline=True)
    assert not reusable(Receipt(**{**now.__dict__, "source_date_epoch": "1"}), offline=True)
    assert not reusable(Receipt(**{**now.__dict__, "offline": False}), offline=True)
    assert reusable(Receipt(**{**now.__dict__, "offline": False}), offline=False)
