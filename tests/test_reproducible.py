"""Two clean builds of the same commit are byte-identical, and the build needs no network.

Both builds start from an empty result cache (so every example runs and every model trains
twice), take their dates from the commit (``SOURCE_DATE_EPOCH``), and run with networking
disabled (``unshare -n``) where a network namespace can be made: always as root, which is how
``.ci/run`` runs; elsewhere (a GitHub runner) they build online. Slow (two cold builds).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from aieng.tools.sitebuild import BuildOptions

ROOT = Path(__file__).resolve().parents[1]


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


def _build(tmp: Path, name: str, offline: list[str]) -> Path:
    options = BuildOptions(site_dir=str(tmp / name), cache_dir=str(tmp / f"cache-{name}"))
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
    assert proc.returncode == 0, f"clean build {name} failed:\n{proc.stdout[-4000:]}"
    return tmp / name


def _differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    found = [f"only in one build: {name}" for name in cmp.left_only + cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    found += [f"differs: {(a / name).relative_to(a.parents[0])}" for name in mismatch + errors]
    for sub in cmp.common_dirs:
        found += _differences(a / sub, b / sub)
    return found


@pytest.mark.slow
def test_two_clean_builds_are_identical_and_offline(tmp_path: Path) -> None:
    offline = _offline_prefix()
    if not offline and os.geteuid() == 0:
        pytest.fail("as root, the builds must run offline, but 'unshare -n true' failed")
    first = _build(tmp_path, "first", offline)
    second = _build(tmp_path, "second", offline)
    differences = _differences(first, second)
    assert not differences, "the two builds differ:\n" + "\n".join(differences[:40])
    # the dates are the commit's, not the clock's
    assert "<lastmod>" in (first / "sitemap.xml").read_text(encoding="utf-8")
