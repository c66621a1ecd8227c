"""The languages that ``aieng`` writes its output in, and what a page in another language gets.

Pages call renderers with :func:`page_language`, which the site's plugin sets while a page
renders. The library has words for Korean (the source) and English (the translation), in
``aieng/data/strings.toml``; a page in a language being added (``python -m aieng i18n new ja``)
reads the English wording until someone writes its own, rather than failing the build.

Example:
    >>> output_language("ko"), output_language("en"), output_language("ja")
    ('ko', 'en', 'en')
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import PurePath

#: Languages with their own wording in the library; the first is the source language.
LANGUAGES: tuple[str, ...] = ("ko", "en")

_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def output_language(lang: str) -> str:
    """The language to write output in for a page written in ``lang``.

    Raises:
        ValueError: if ``lang`` is not a locale code at all (a typo such as ``"korean"``).
    """
    if lang in LANGUAGES:
        return lang
    if not isinstance(lang, str) or not _LOCALE.match(lang):
        raise ValueError(f"lang must be a locale code such as 'ko' or 'en', got {lang!r}")
    return "en"


_page_language: str | None = None


def page_language() -> str:
    """The language of the page being rendered: ``"ko"`` or ``"en"``.

    Set by the plugin while MkDocs renders a page (the language the page's file is written in,
    so a Korean page shown as a fallback in the English site is still ``"ko"``), by
    ``conftest.py`` while pytest runs a page's block, and ``"ko"`` anywhere else.

    Example:
        >>> page_language()
        'ko'
    """
    return _page_language or LANGUAGES[0]


def set_page_language(language: str | None) -> None:
    """Set (or, with None, clear) the language :func:`page_language` returns: the site's plugin
    calls this as each page starts and ends rendering."""
    global _page_language
    _page_language = language


@contextlib.contextmanager
def using_page_language(language: str) -> Iterator[str]:
    """Make :func:`page_language` return ``language`` inside the ``with`` block.

    Args:
        language: a locale such as ``"ko"`` or ``"en"``.

    Raises:
        ValueError: if ``language`` is not a locale code.

    Example:
        >>> with using_page_language("en") as lang:
        ...     lang, page_language()
        ('en', 'en')
        >>> page_language()
        'ko'
    """
    global _page_language
    if not _LOCALE.match(language or ""):
        raise ValueError(f"{language!r} is not a language code: use a locale such as 'ko' or 'en'")
    previous, _page_language = _page_language, language
    try:
        yield language
    finally:
        _page_language = previous


def language_of_path(path: str | os.PathLike[str]) -> str:
    """The language of a page, read from its path in the ``docs/<lang>/...`` folder structure.

    The folder right below ``docs`` names the language (or the first folder, for a path relative
    to ``docs``); a path without a language folder is Korean.

    Example:
        >>> language_of_path("docs/ko/index.md"), language_of_path("en/1.2.md")
        ('ko', 'en')
        >>> language_of_path("README.md")
        'ko'
    """
    parts = PurePath(path).parts
    if "docs" in parts:
        parts = parts[len(parts) - parts[::-1].index("docs") :]
    folders = parts[:-1]
    if folders and _LOCALE.match(folders[0]):
        return folders[0]
    return LANGUAGES[0]
