"""Building the site from Python, and the build benchmark (``python -m aieng bench build``).

A build runs ``mkdocs build`` in a fresh interpreter, as a reader of the README would, with the
switches that the ``aieng`` MkDocs plugin (:mod:`aieng.website.plugin`) and ``mkdocs.yml`` honour:

* ``AIENG_CACHE_DIR``: where the result cache lives (an empty folder gives a cold build);
* ``AIENG_EXEC=off``: examples are shown, not run (the floor a build cannot beat);
* ``AIENG_BUILD_ONLY_LANGUAGE=ko``: build one language instead of all;
* ``AIENG_BUILD_STATS``: the plugin writes the cache counters of the build there, which is how
  :func:`build_site` knows how many results a build computed, took from memory or from disk.

The benchmark (:func:`benchmark`) returns its figures; ``python -m aieng bench build`` prints them
as JSON. Figures are measured, never asserted in timed tests.

Example:
    >>> BuildOptions(execute=False).environment()["AIENG_EXEC"]
    'off'
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCENARIOS = ("cold", "warm", "plain", "cold_one_language", "warm_one_language")
"""What ``python -m aieng bench build`` measures, in the order it measures them."""


# The caller's switches a benchmark build keeps (inherit_switches=False): where the site is
# published, and the file that receives the build's counters (build_site sets it).
_KEPT = {"AIENG_SITE_URL", "AIENG_BUILD_STATS"}


@dataclass(frozen=True)
class BuildOptions:
    """How to build the site."""

    config_file: str = "mkdocs.yml"  # the MkDocs configuration to build
    site_dir: str | None = None  # where the site goes (None: the configuration's site_dir)
    cache_dir: str | None = None  # AIENG_CACHE_DIR (None: the caller's environment decides)
    execute: bool = True  # False sets AIENG_EXEC=off: examples are shown, not run
    only_language: str | None = None  # AIENG_BUILD_ONLY_LANGUAGE: build this language only
    strict: bool = True  # mkdocs build --strict
    inherit_switches: bool = True  # False: drop the caller's AIENG_* and SOURCE_DATE_EPOCH

    def command(self) -> list[str]:
        """The ``mkdocs build`` command line, run with the current interpreter."""
        cmd = [sys.executable, "-m", "mkdocs", "build", "--config-file", self.config_file]
        if self.strict:
            cmd.append("--strict")
        if self.site_dir:
            cmd += ["--site-dir", self.site_dir]
        return cmd

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of the build: ``base`` (default: this process's) plus the switches."""
        env = dict(os.environ if base is None else base)
        if not self.inherit_switches:
            for name in [n for n in env if n.startswith("AIENG_")] + ["SOURCE_DATE_EPOCH"]:
                if name not in _KEPT:
                    env.pop(name, None)
        env["NO_MKDOCS_2_WARNING"] = "1"
        env["AIENG_EXEC"] = "on" if self.execute else "off"
        if self.cache_dir is not None:
            env["AIENG_CACHE_DIR"] = self.cache_dir
        if self.only_language:
            env["AIENG_BUILD_ONLY_LANGUAGE"] = self.only_language
        else:
            env.pop("AIENG_BUILD_ONLY_LANGUAGE", None)
        return env


@dataclass(frozen=True)
class BuildResult:
    """What one build did."""

    returncode: int  # mkdocs' exit status
    seconds: float  # wall-clock time of the whole command, interpreter start included
    cache: dict[str, int] = field(default_factory=dict)  # aieng.core.cache.stats() at the end
    torch_imported: bool | None = None  # whether the build imported torch (None: unknown)
    log: str = ""  # what mkdocs printed (stdout and stderr)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def build_site(
    options: BuildOptions = BuildOptions(), *, cwd: str | Path | None = None
) -> BuildResult:
    """Build the site in a fresh interpreter and report time, exit status and cache counters.

    Args:
        options: what to build and how.
        cwd: the folder to run in (default: the current one); ``options.config_file`` is
            relative to it.
    """
    with tempfile.TemporaryDirectory(prefix="aieng-build-") as tmp:
        stats_file = Path(tmp) / "stats.json"
        env = options.environment()
        env["AIENG_BUILD_STATS"] = str(stats_file)
        start = time.perf_counter()
        proc = subprocess.run(
            options.command(),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        report: dict = {}
        if stats_file.is_file():
            report = json.loads(stats_file.read_text(encoding="utf-8"))
    return BuildResult(
        returncode=proc.returncode,
        seconds=round(seconds, 2),
        cache=report.get("cache", {}),
        torch_imported=report.get("torch_imported"),
        log=proc.stdout,
    )


def _scenario_options(name: str, config_file: str, tmp: Path) -> BuildOptions:
    """The build options of a benchmark scenario.

    Cold, warm and plain builds of both languages share one cache, the one-language builds
    another.
    """
    one = name.endswith("_one_language")
    return BuildOptions(
        config_file=config_file,
        site_dir=str(tmp / f"site-{name}"),
        cache_dir=str(tmp / ("cache-one" if one else "cache-two")),
        execute=name != "plain",
        only_language="ko" if one else None,
        inherit_switches=False,  # what a fresh clone sees, not the caller's switches
    )


def _warm_up(name: str) -> str | None:
    """The untimed build that fills the cache that scenario ``name`` expects to find filled.

    A warm build needs its cold build. The plain build is preceded by an untimed plain build:
    with examples not run, the pages' text differs, and whatever the build computes from it (the
    search index, say) must come from the cache for the plain build to be the floor.
    """
    if name == "plain":
        return "plain"
    return name.replace("warm", "cold") if name.startswith("warm") else None


def _clone(root: Path, tmp: Path) -> Path:
    """A ``git clone`` of ``root``'s last commit under ``tmp``."""
    target = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(target)], check=True)
    return target


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


def warm_over_plain_pairs(
    pairs: int, *, config_file: str = "mkdocs.yml", cache_dir: str | None = None
) -> dict[str, Any]:
    """Time ``pairs`` warm builds each right after a plain one, on one cache (``cache_dir``, else
    the caller's); the ratio of each pair and their median. Measured in pairs because the machine
    may be shared: a pair sees the same load, a ratio of two separate runs may not.

    The cache must be warm (run a build first); an untimed warm and plain build come first.
    """
    import statistics

    with tempfile.TemporaryDirectory(prefix="aieng-pairs-") as tmp:
        warm = BuildOptions(config_file=config_file, site_dir=f"{tmp}/warm", cache_dir=cache_dir)
        plain = BuildOptions(
            config_file=config_file, site_dir=f"{tmp}/plain", cache_dir=cache_dir, execute=False
        )
        build_site(warm), build_site(plain)  # untimed: fill what each reads
        ratios, runs = [], []
        for _ in range(pairs):
            p, w = build_site(plain), build_site(warm)
            if not (p.ok and w.ok):
                raise RuntimeError(f"a build failed:\n{(w.log if not w.ok else p.log)[-3000:]}")
            runs.append({"plain_seconds": p.seconds, "warm_seconds": w.seconds})
            ratios.append(round(w.seconds / p.seconds, 3))
    return {
        "pairs": runs,
        "warm_over_plain": ratios,
        "warm_over_plain_median": statistics.median(ratios),
        "warm_computed": w.cache.get("computed"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def benchmark(
    scenarios: list[str] | tuple[str, ...] = SCENARIOS,
    *,
    config_file: str = "mkdocs.yml",
    repeat: int = 1,
    on_failure: Callable[[str, BuildResult], None] | None = None,
    fresh_clone: bool = False,
) -> dict[str, Any]:
    """Time the build ``scenarios`` (each at its fastest of ``repeat`` runs); the report.

    What a fresh clone sees: every build's environment drops the ``AIENG_*`` switches and
    ``SOURCE_DATE_EPOCH`` of the caller (each scenario sets its own), and with ``fresh_clone``
    the builds run in a ``git clone`` of the repository's last commit in a temporary folder, so
    uncommitted edits, untracked pages and anything left in ``site/`` play no part.

    Cold builds start from an empty temporary cache; the warm build reuses the cold build's cache;
    the plain build runs no example at all (and runs twice on that same cache, timing the
    second, so that whatever else the build computes is not counted against it).

    Raises:
        ValueError: for an unknown scenario, a missing configuration or ``repeat`` below 1.
    """
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        raise ValueError(
            f"unknown scenario(s) {', '.join(unknown)}: choose from {', '.join(SCENARIOS)}"
        )
    if not Path(config_file).is_file():
        raise ValueError(
            f"{config_file} not found: run from the repository root or pass --config-file"
        )
    if repeat < 1:
        raise ValueError("repeat must be at least 1")

    builds: dict[str, dict] = {}
    failed: list[str] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="aieng-bench-") as tmp:
            cwd = _clone(Path(config_file).resolve().parent, Path(tmp)) if fresh_clone else None
            for name in (s for s in SCENARIOS if s in scenarios):
                first = _warm_up(name)
                if first == name or (first and first not in scenarios):
                    build_site(_scenario_options(first, config_file, Path(tmp)), cwd=cwd)
                result = build_site(_scenario_options(name, config_file, Path(tmp)), cwd=cwd)
                if not result.ok:
                    failed.append(name)
                    if on_failure:
                        on_failure(name, result)
                    continue
                best = builds.get(name)
                if best is None or result.seconds < best["seconds"]:
                    builds[name] = {
                        "seconds": result.seconds,
                        **result.cache,
                        "torch_imported": result.torch_imported,
                    }

    def seconds(name: str) -> float | None:
        return builds.get(name, {}).get("seconds")

    return {
        "config_file": config_file,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "repeat": repeat,
        "fresh_clone": fresh_clone,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **{f"{name}_seconds": seconds(name) for name in SCENARIOS if name in scenarios},
        "warm_over_plain": _ratio(seconds("warm"), seconds("plain")),
        "cold_two_over_one_language": _ratio(seconds("cold"), seconds("cold_one_language")),
        "builds": builds,
        "failed": sorted(set(failed)),
    }
