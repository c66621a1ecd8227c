"""Two engines, one site: the pages MkDocs builds against the pages ProperDocs builds.

MkDocs 1.6.1 is the last release of its line and MkDocs 2.0 has no plugin system. ProperDocs
(``properdocs`` on PyPI) is the maintained fork of MkDocs 1.x and a drop-in replacement: it reads
``mkdocs.yml`` (after ``properdocs.yml``, which this project does not have), loads plugins from the
``mkdocs.plugins`` entry point group as well as its own ``properdocs.plugins`` (ours, ``aieng``,
is registered in the former, as are Material's, i18n's, markdown-exec's and mkdocstrings'), and
its command line redirects every ``import mkdocs...`` to ``properdocs...``, so the plugins run on
it unchanged. :func:`compare_engines` builds the site with both, strictly and in the same
environment, and :func:`compare_sites` lists every file that differs once what legitimately
differs (:data:`NORMALISE`: the generator meta tag, which names the engine and its version) is
made equal. ``python -m aieng engines compare`` prints the list; ``.ci/run`` fails on any entry.

Example:
    >>> normalise('<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">')
    '<meta name="generator" content="ENGINE, mkdocs-material-9.8.2">'
    >>> normalise('<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9">')
    '<meta name="generator" content="ENGINE, mkdocs-material-9">'
"""

from __future__ import annotations

import difflib
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from aieng.tools.sitebuild import BuildOptions, BuildResult, build_site

ENGINES = ("mkdocs", "properdocs")
"""The engines compared, the reference first (each is run as ``python -m ENGINE build``)."""

NORMALISE: tuple[tuple[re.Pattern[str], str], ...] = (
    # Material writes the engine's name and version: "mkdocs-1.6.1" or "mkdocs-ProperDocs 1.6.7".
    (
        re.compile(r'(<meta name="generator" content=")mkdocs-(?:ProperDocs )?[0-9][^,"]*'),
        r"\1ENGINE",
    ),
)
"""What may differ between the engines' pages: (pattern, replacement), applied to text files."""

_TEXT_SUFFIXES = {".html", ".xml", ".json", ".js", ".css", ".txt"}
_DETAIL_LINES = 12  # lines of unified diff kept per differing file


def normalise(text: str) -> str:
    """``text`` with what may differ between the engines (:data:`NORMALISE`) made equal."""
    for pattern, replacement in NORMALISE:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Difference:
    """One file that is not the same in two built sites."""

    path: str  # relative to the site's root, with "/" separators
    kind: str  # "differs", or "only in A" / "only in B" with the sites' names
    detail: str = ""  # the first lines of a unified diff of the normalised texts

    def __str__(self) -> str:
        head = f"{self.path}: {self.kind}"
        return f"{head}\n{self.detail}" if self.detail else head


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _detail(a: str, b: str, names: tuple[str, str]) -> str:
    lines = difflib.unified_diff(
        a.splitlines(), b.splitlines(), fromfile=names[0], tofile=names[1], n=0, lineterm=""
    )
    kept = [line if len(line) <= 200 else line[:200] + " ..." for line in lines]
    more = len(kept) - _DETAIL_LINES
    return "\n".join(kept[:_DETAIL_LINES] + ([f"... ({more} more lines)"] if more > 0 else []))


def compare_sites(
    a: str | Path, b: str | Path, *, names: tuple[str, str] = ENGINES
) -> list[Difference]:
    """Every file that differs between the sites in folders ``a`` and ``b`` once normalised.

    A file present in one site only is a difference; so is a text file whose normalised text
    differs, and any other file whose bytes differ.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        ...     _ = (Path(a) / "x.html").write_text('<p>1</p>', encoding="utf-8")
        ...     _ = (Path(b) / "x.html").write_text('<p>2</p>', encoding="utf-8")
        ...     [d.kind for d in compare_sites(a, b)]
        ['differs']
    """
    a, b = Path(a), Path(b)
    files_a, files_b = _files(a), _files(b)
    found: list[Difference] = []
    for path in sorted(files_a | files_b):
        if path not in files_b:
            found.append(Difference(path, f"only in {names[0]}"))
        elif path not in files_a:
            found.append(Difference(path, f"only in {names[1]}"))
        else:
            raw_a, raw_b = (a / path).read_bytes(), (b / path).read_bytes()
            if raw_a == raw_b:
                continue
            if Path(path).suffix in _TEXT_SUFFIXES:
                text_a = normalise(raw_a.decode("utf-8", errors="replace"))
                text_b = normalise(raw_b.decode("utf-8", errors="replace"))
                if text_a != text_b:
                    found.append(Difference(path, "differs", _detail(text_a, text_b, names)))
            else:
                sizes = f"{len(raw_a)} against {len(raw_b)} bytes"
                found.append(Difference(path, "differs", sizes))
    return found


@dataclass(frozen=True)
class EngineBuild(BuildOptions):
    """:class:`~aieng.tools.sitebuild.BuildOptions` for one engine (``python -m ENGINE build``)."""

    engine: str = "mkdocs"  # one of ENGINES
    source_date_epoch: str | None = None  # SOURCE_DATE_EPOCH for both builds (sitemap dates)

    def command(self) -> list[str]:
        cmd = super().command()
        if cmd[1:3] != ["-m", "mkdocs"]:  # sitebuild changed how it runs MkDocs
            raise RuntimeError(f"cannot run {self.engine} in place of mkdocs in {cmd}")
        return [cmd[0], "-m", self.engine, *cmd[3:]]

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = super().environment(base)
        if self.source_date_epoch is not None:
            env["SOURCE_DATE_EPOCH"] = self.source_date_epoch
        return env


@dataclass(frozen=True)
class EngineComparison:
    """Both engines' builds of one site and how their pages differ."""

    builds: dict[str, BuildResult]  # engine -> its build
    differences: list[Difference] = field(default_factory=list)  # empty: the same pages
    pages: int = 0  # HTML files compared

    @property
    def same(self) -> bool:
        return not self.differences

    def summary(self) -> dict:
        """The comparison as plain data (what ``python -m aieng engines compare --json`` prints)."""
        return {
            "same": self.same,
            "pages": self.pages,
            "normalised": [pattern.pattern for pattern, _ in NORMALISE],
            "builds": {
                name: {"seconds": b.seconds, "returncode": b.returncode, "cache": b.cache}
                for name, b in self.builds.items()
            },
            "differences": [d.path + ": " + d.kind for d in self.differences],
        }


class EngineBuildError(RuntimeError):
    """An engine failed to build the site (its log is in the message)."""


def compare_engines(
    *,
    config_file: str = "mkdocs.yml",
    execute: bool = False,
    cache_dir: str | None = None,
    work_dir: str | Path | None = None,
    cwd: str | Path | None = None,
) -> EngineComparison:
    """Build the site strictly with each of :data:`ENGINES` and compare their pages.

    Args:
        config_file: the configuration both engines build (relative to ``cwd``).
        execute: run the examples (fast only on a warm cache: right after ``./setup.sh``, say);
            False builds with ``AIENG_EXEC=off``, which takes seconds on any cache.
        cache_dir: ``AIENG_CACHE_DIR`` of both builds (None: the caller's environment decides).
        work_dir: where the two sites are written, as ``site-ENGINE`` (None: a temporary folder).
        cwd: the folder to build in (default: the current one).

    Raises:
        EngineBuildError: an engine is not installed or its build failed; the message says which.
    """
    epoch = str(int(time.time()))  # one date for both sitemaps
    with tempfile.TemporaryDirectory(prefix="aieng-engines-") as tmp:
        root = Path(work_dir) if work_dir is not None else Path(tmp)
        builds: dict[str, BuildResult] = {}
        for engine in ENGINES:
            options = EngineBuild(
                config_file=config_file,
                site_dir=str((root / f"site-{engine}").resolve()),
                cache_dir=cache_dir,
                execute=execute,
                engine=engine,
                source_date_epoch=epoch,
            )
            result = build_site(options, cwd=cwd)
            if not result.ok:
                hint = ""
                if "No module named" in result.log:
                    hint = f" ({engine} is not installed: ./setup.sh installs requirements.lock)"
                raise EngineBuildError(
                    f"{engine} build --strict failed{hint}:\n{result.log[-4000:]}"
                )
            builds[engine] = result
        sites = [root / f"site-{engine}" for engine in ENGINES]
        differences = compare_sites(*sites, names=ENGINES)
        pages = len([p for p in _files(sites[0]) if p.endswith(".html")])
    return EngineComparison(builds=builds, differences=differences, pages=pages)
