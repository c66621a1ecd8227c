"""Staleness: which version of its source a translation translates, and what follows from that.

A translation records the hash of the source page it translates (``source_hash`` in its front
matter, written by :func:`stamp`). Comparing it with the source's current :func:`source_hash`
gives a page's :func:`translation_state`; counting the states per language gives
:func:`translation_status` (``python -m aieng i18n status``, and the site's translations page
through :func:`status_markdown`, in the words of ``[translation_status]`` in
``aieng/data/strings.toml``). While the site builds, the ``aieng`` MkDocs plugin
(:mod:`aieng.website.banners`) puts a banner on a translation that is not current and shows the
source page in place of an untranslated stub.

Example:
    >>> src = "# 제목\\n"
    >>> stamped = f"---\\nsource_hash: {source_hash(src)}\\n---\\n# Title\\n"
    >>> translation_state(src, stamped), translation_state("# 새 제목\\n", stamped)
    ('current', 'outdated')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aieng.core.strings import words
from aieng.i18n.translations import LOCALE_RE, SOURCE_LANGUAGE, find_site
from aieng.text.pages import normalise, set_front_matter, split_front_matter

# --------------------------------------------------------------------------- source hashes

HASH_LENGTH = 12
"""Hex digits of SHA-256 kept in ``source_hash`` (48 bits: collisions are not a concern here)."""


def source_hash(text: str) -> str:
    """The hash a translation records of its source page: what "this version" of a page means.

    It is the first :data:`HASH_LENGTH` hex digits of the SHA-256 of the page's UTF-8 text with
    its front matter removed and line endings normalised to ``\\n``. Front matter is left out so
    that stamping or retitling a page never makes its translations outdated; any change to the
    text itself, however small, does.

    Example:
        >>> source_hash("# 제목\\n") == source_hash("---\\ntitle: x\\n---\\n# 제목\\r\\n")
        True
        >>> len(source_hash("# 제목\\n"))
        12
    """
    _, body, _ = split_front_matter(text)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def translation_state(source: str, translation: str | None) -> str:
    """Where a translation stands against the current source text.

    One of ``'missing'`` (no file), ``'untranslated'`` (a stub marked ``untranslated: true``),
    ``'unstamped'`` (no ``source_hash``), ``'outdated'`` (the source changed since the hash was
    recorded) and ``'current'``.

    Example:
        >>> src = "# 제목\\n"
        >>> translation_state(src, None), translation_state(src, "# Title\\n")
        ('missing', 'unstamped')
        >>> translation_state(src, f"---\\nsource_hash: {source_hash(src)}\\n---\\n# Title\\n")
        'current'
        >>> stamped = f"---\\nsource_hash: {source_hash(src)}\\n---\\n# Title\\n"
        >>> translation_state("# 새 제목\\n", stamped)
        'outdated'
    """
    if translation is None:
        return "missing"
    meta, _, _ = split_front_matter(translation)
    if meta.get("untranslated"):
        return "untranslated"
    recorded = meta.get("source_hash")
    if not recorded:
        return "unstamped"
    return "current" if str(recorded) == source_hash(source) else "outdated"


# --------------------------------------------------------------------------- stamping


def _locate(path: Path) -> tuple[Path, str, str]:
    """(docs folder, language, page) of a translation's path such as ``docs/en/1.1/x.md``."""
    path = path.resolve()
    for folder in path.parents:
        if LOCALE_RE.match(folder.name) and folder.name != SOURCE_LANGUAGE:
            page = path.relative_to(folder).as_posix()
            if (folder.parent / SOURCE_LANGUAGE / page).is_file():
                return folder.parent, folder.name, page
    raise FileNotFoundError(
        f"{path} is not a translation of a source page: a translation lives at "
        f"docs/<lang>/<page> and its source at docs/{SOURCE_LANGUAGE}/<page>"
    )


def stamp(path: str | os.PathLike[str]) -> str:
    """Record in a translation the hash of its source page as it is now; return the hash.

    Run it after updating a translation to the current source (``python -m aieng i18n stamp
    docs/en/1.1/x.md``); only the ``source_hash`` line of the front matter changes.

    Raises:
        FileNotFoundError: if ``path`` is not ``docs/<lang>/<page>`` with a source page.
        ValueError: if the page is still marked ``untranslated: true``.
    """
    path = Path(path)
    docs, _, page = _locate(path)
    text = path.read_text(encoding="utf-8")
    if split_front_matter(text)[0].get("untranslated"):
        raise ValueError(
            f"{path} is marked 'untranslated: true': translate it and remove that line first"
        )
    digest = source_hash((docs / SOURCE_LANGUAGE / page).read_text(encoding="utf-8"))
    updated = set_front_matter(text, "source_hash", digest)
    if updated != normalise(text):
        _write_atomic(path, updated)
    return digest


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class LanguageStatus:
    """How far the translation into one language is."""

    language: str
    name: str  # the language's name in the switcher
    pages: int  # source pages
    translated: int  # stamped with the current source hash
    outdated: int  # stamped with an older hash, or not stamped
    missing: int  # no file, or an untranslated stub
    outdated_pages: tuple[str, ...] = ()
    missing_pages: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        """Share of the source pages translated and current, in percent (one decimal)."""
        return round(100 * self.translated / self.pages, 1) if self.pages else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "percent": self.percent,
            "outdated_pages": list(self.outdated_pages),
            "missing_pages": list(self.missing_pages),
        }


def translation_status(docs: str | os.PathLike[str] = "docs") -> list[LanguageStatus]:
    """Per translation language: pages translated, outdated and missing.

    Example:
        >>> [s.language for s in translation_status("docs")]
        ['en']
    """
    site = find_site(docs)
    pages = site.pages()
    result = []
    for language in site.languages:
        outdated, missing = [], []
        for page in pages:
            state = translation_state(site.read(site.source, page) or "", site.read(language, page))
            if state in {"missing", "untranslated"}:
                missing.append(page)
            elif state in {"outdated", "unstamped"}:
                outdated.append(page)
        result.append(
            LanguageStatus(
                language,
                site.names.get(language, language),
                len(pages),
                len(pages) - len(outdated) - len(missing),
                len(outdated),
                len(missing),
                tuple(outdated),
                tuple(missing),
            )
        )
    return result


def status_table(statuses: Sequence[LanguageStatus]) -> str:
    """The status as a plain-text table (what ``python -m aieng i18n status`` prints)."""
    rows = [("language", "pages", "translated", "outdated", "missing", "complete")]
    rows += [
        (
            s.language,
            str(s.pages),
            str(s.translated),
            str(s.outdated),
            str(s.missing),
            f"{s.percent:.1f}%",
        )
        for s in statuses
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def status_markdown(docs: str | os.PathLike[str] = "docs", *, lang: str = SOURCE_LANGUAGE) -> str:
    """The status as Markdown for the site's translation page, with words in ``lang``.

    Example:
        >>> print(status_markdown("docs", lang="en").splitlines()[0])
        | Language | Pages | Translated | Outdated | Missing | Complete |
    """
    w = words("translation_status", lang)
    columns = ("language", "pages", "translated", "outdated", "missing", "complete")
    statuses = translation_status(docs)
    lines = ["| " + " | ".join(w[c] for c in columns) + " |", "|:--|--:|--:|--:|--:|--:|"]
    for s in statuses:
        lines.append(
            f"| {s.name} (`{s.language}`) | {s.pages} | {s.translated} | {s.outdated} "
            f"| {s.missing} | {s.percent:.1f}% |"
        )
    for s in statuses:
        lists = ((w["outdated_pages"], s.outdated_pages), (w["missing_pages"], s.missing_pages))
        for title, pages in lists:
            if pages:
                lines += ["", f"**{s.name} — {title}:** " + ", ".join(f"`{p}`" for p in pages)]
    return "\n".join(lines)
