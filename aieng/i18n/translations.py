"""The translated docs tree: its languages and pages, and the record of a problem in one.

The Korean pages under ``docs/ko`` are the source; every other language folder under ``docs``
holds translations at the same relative paths. :func:`find_site` reads which languages there are
(from the i18n plugin of ``mkdocs.yml`` when it has one, else from the language folders) into a
:class:`Site`; :func:`read_mkdocs_config` reads ``mkdocs.yml`` without running anything in it.
:class:`Finding` is what every translation check reports (:mod:`aieng.i18n.check`,
:mod:`aieng.i18n.glossary`).

Example:
    >>> site = find_site("docs")
    >>> site.source, site.languages
    ('ko', ('en',))
    >>> site.path("en", "1.1/transformer.md").as_posix()
    'docs/en/1.1/transformer.md'
    >>> print(Finding("en/a.md", 3, "links", "extra link 'c.md': not in the source"))
    en/a.md:3: error: [links] extra link 'c.md': not in the source
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SOURCE_LANGUAGE = "ko"
"""The language the site is written in; every other language translates it."""

LOCALE_RE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
"""A language folder's name: a locale code such as ``en``, ``ja`` or ``pt-BR``."""

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One difference between a translation and its source, or one problem of a page."""

    path: str  # the translation's path as given to the checker
    line: int  # line in that file (1-based; 0 when the whole page is concerned)
    rule: str  # 'headings', 'code', 'fences', 'links', 'html', 'stale', 'glossary', ...
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: [{self.rule}] {self.message}"


def read_mkdocs_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load ``mkdocs.yml`` for reading only: tags such as ``!ENV`` or ``!!python/name:`` are
    kept as their plain value (or None), so no code is imported and nothing is resolved.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = Path(d, "mkdocs.yml").write_text("site_url: !ENV X\\nf: !!python/name:a.b\\n")
        ...     read_mkdocs_config(Path(d, "mkdocs.yml"))
        {'site_url': 'X', 'f': ''}
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    _Loader.add_multi_constructor("!", plain)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", plain)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader) or {}  # noqa: S506 - a SafeLoader subclass


def i18n_languages(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``languages`` list of the i18n plugin in a loaded ``mkdocs.yml`` (empty if none)."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            return [x for x in plugin["i18n"].get("languages") or [] if isinstance(x, dict)]
    return []


@dataclass(frozen=True)
class Site:
    """Where the pages are: the docs folder, the source language and the translations."""

    docs: Path
    source: str  # the language everything is translated from
    languages: tuple[str, ...]  # translation languages, in configuration order
    names: dict[str, str] = field(default_factory=dict)  # language -> its name in the switcher

    def pages(self) -> list[str]:
        """The source pages, as paths relative to the language folder (``1.1/transformer.md``)."""
        root = self.docs / self.source
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))

    def path(self, language: str, page: str) -> Path:
        """Where ``page`` is, or would be, in ``language``."""
        return self.docs / language / page

    def read(self, language: str, page: str) -> str | None:
        """The text of ``page`` in ``language``, or None when there is no such file."""
        path = self.path(language, page)
        return path.read_text(encoding="utf-8") if path.is_file() else None


def find_site(docs: str | os.PathLike[str] = "docs") -> Site:
    """Describe the docs tree ``docs``: languages from ``mkdocs.yml`` next to it when it has the
    i18n plugin, else from the language folders found in it.

    Raises:
        FileNotFoundError: if ``docs`` has no source language folder.
    """
    docs = Path(docs)
    source, languages, names = SOURCE_LANGUAGE, [], {}
    config = docs.parent / "mkdocs.yml"
    entries = i18n_languages(read_mkdocs_config(config)) if config.is_file() else []
    if entries:
        for entry in entries:
            locale = str(entry.get("locale"))
            names[locale] = str(entry.get("name") or locale)
            if entry.get("default"):
                source = locale
            elif locale != "null":
                languages.append(locale)
    else:
        folders = (
            sorted(p.name for p in docs.iterdir() if p.is_dir() and LOCALE_RE.match(p.name))
            if docs.is_dir()
            else []
        )
        languages = [f for f in folders if f != source and any((docs / f).rglob("*.md"))]
    if not (docs / source).is_dir():
        raise FileNotFoundError(
            f"no source pages: {docs / source} does not exist. Pass the docs folder that holds "
            f"'{source}/' (python -m aieng i18n check --docs DIR)"
        )
    return Site(docs, source, tuple(languages), names)
