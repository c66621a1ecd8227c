"""Scaffolding: set up a new translation language (``python -m aieng i18n new LANG``).

:func:`new_language` adds the language to the i18n plugin of ``mkdocs.yml`` (a text edit that
keeps comments, order and tags) and writes a stub marked ``untranslated: true`` for every source
page. The site builds at once, with the language in its switcher and the source shown, under a
banner, on every page not translated yet; ``CONTRIBUTING.md`` says how to translate a page.

Example:
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     root = Path(d)
    ...     config = "plugins:\\n  - i18n:\\n      languages:\\n        - locale: ko\\n"
    ...     _ = (root / "mkdocs.yml").write_text(config + "          default: true\\n")
    ...     (root / "docs" / "ko").mkdir(parents=True)
    ...     _ = (root / "docs" / "ko" / "index.md").write_text("# 목차\\n", encoding="utf-8")
    ...     [p.relative_to(root).as_posix() for p in new_language("ja", root=root)]
    ['mkdocs.yml', 'docs/ja/index.md']
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from aieng.i18n.translations import (
    LOCALE_RE,
    SOURCE_LANGUAGE,
    Site,
    i18n_languages,
    read_mkdocs_config,
)

# Each language's name in itself (its autonym), shown in the switcher of a scaffolded language.
# The source language is never scaffolded, so it needs none here.
_LANGUAGE_NAMES = {
    "ja": "日本語",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "vi": "Tiếng Việt",
    "pt": "Português",
    "ru": "Русский",
    "it": "Italiano",
}
_STUB = (
    "---\nuntranslated: true\n---\n"
    "<!-- Not translated yet: the site shows docs/{source}/{page} here, with a banner.\n"
    '     To translate it, follow CONTRIBUTING.md ("Translate a page"). -->\n'
)


def _nav_titles(nav: Any) -> list[str]:
    """Titles written in the ``nav`` of ``mkdocs.yml``, in order."""
    titles: list[str] = []
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                titles.append(str(title))
                titles += _nav_titles(value)
    return titles


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def new_language(
    language: str, *, root: str | os.PathLike[str] = ".", name: str | None = None
) -> list[Path]:
    """Scaffold a translation language; return the files created or changed.

    Adds the language to the i18n plugin's ``languages`` in ``mkdocs.yml`` (a text insertion
    after the last language: comments, order and tags such as ``!ENV`` stay as they are), with
    ``nav_translations`` for every title of ``nav`` (placeholders to translate: the English
    labels where there are some), and writes a stub ``docs/<language>/<page>`` marked
    ``untranslated: true`` for each source page: the site shows the source there, with a banner,
    until someone translates it. The site builds at once, with the language in the switcher.
    Running it again for a language that exists adds the stubs of new source pages only.

    Args:
        language: a locale code such as ``ja`` or ``pt-BR``.
        root: the repository (holding ``mkdocs.yml`` and ``docs/``).
        name: the name shown in the language switcher (default: a known name, else the code).

    Raises:
        ValueError: if ``language`` is not a locale code or is the source language.
        FileNotFoundError: if ``root`` has no ``mkdocs.yml`` with the i18n plugin.
    """
    root = Path(root)
    if not LOCALE_RE.match(language):
        raise ValueError(f"{language!r} is not a language code: use one such as 'ja' or 'pt-BR'")
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        raise FileNotFoundError(
            f"{config_path} not found: run this in the repository's root folder"
        )
    config = read_mkdocs_config(config_path)
    entries = i18n_languages(config)
    if not entries:
        raise FileNotFoundError(
            f"{config_path} has no i18n plugin with languages: nothing to add to"
        )
    docs = root / str(config.get("docs_dir") or "docs")
    source = next((str(e["locale"]) for e in entries if e.get("default")), SOURCE_LANGUAGE)
    if language == source:
        raise ValueError(
            f"{language!r} is the source language: pick the language to translate into"
        )
    changed: list[Path] = []
    if language not in {str(e.get("locale")) for e in entries}:
        english = next(
            (e.get("nav_translations") or {} for e in entries if e.get("locale") == "en"), {}
        )
        labels = {t: str(english.get(t, t)) for t in _nav_titles(config.get("nav"))}
        _add_language_entry(
            config_path,
            language,
            name or _LANGUAGE_NAMES.get(language.split("-")[0].split("_")[0], language),
            labels,
        )
        changed.append(config_path)
    site = Site(docs, source, (language,))
    for page in site.pages():
        target = site.path(language, page)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_STUB.format(source=source, page=page), encoding="utf-8")
            changed.append(target)
    return changed


def _add_language_entry(
    config_path: Path, language: str, name: str, labels: dict[str, str]
) -> None:
    """Insert a ``languages`` entry after the last one of the i18n plugin, as text."""
    original = config_path.read_text(encoding="utf-8")
    lines = original.split("\n")
    plugin = next(
        (i for i, line in enumerate(lines) if re.match(r"^\s*-\s*i18n\s*:\s*$", line)), None
    )
    start = next(
        (i for i in range(plugin or 0, len(lines)) if re.match(r"^\s*languages\s*:\s*$", lines[i])),
        None,
    )
    if plugin is None or start is None:
        raise ValueError(
            f"{config_path}: could not find 'languages:' under '- i18n:'; add the language by hand"
        )
    key_indent = len(lines[start]) - len(lines[start].lstrip())
    end, item_indent = start + 1, None
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip())
        if indent <= key_indent and not (indent == key_indent and text.lstrip().startswith("- ")):
            break
        if item_indent is None and text.lstrip().startswith("- "):
            item_indent = indent
        end = i + 1
    pad = " " * (item_indent if item_indent is not None else key_indent + 2)
    entry = [
        f"{pad}- locale: {language}",
        f"{pad}  name: {_yaml_str(name)}",
        f"{pad}  build: true",
        f"{pad}  # Added by 'python -m aieng i18n new {language}'; translate the menu labels:",
        f"{pad}  nav_translations:",
    ] + [f"{pad}    {_yaml_str(key)}: {_yaml_str(value)}" for key, value in labels.items()]
    if not labels:
        entry[-1] += " {}"
    updated = "\n".join(lines[:end] + entry + lines[end:])
    config_path.write_text(updated, encoding="utf-8")
    try:
        added = [
            e
            for e in i18n_languages(read_mkdocs_config(config_path))
            if str(e.get("locale")) == language
        ]
    except Exception:  # noqa: BLE001 - any failure to read it back means the edit went wrong
        added = []
    if len(added) != 1:
        config_path.write_text(original, encoding="utf-8")
        raise ValueError(
            f"{config_path}: adding '{language}' did not give a valid languages list; "
            "the file is unchanged: add the language by hand"
        )
