"""The languages that ``aieng`` writes its output in, and what a page in another language gets.

Pages call renderers with :func:`aieng.website.plugin.page_language`. The library has words for Korean
(the source) and English (the translation); a page in a language being added (``python -m aieng
i18n new ja``) reads the English wording until someone writes its own, rather than failing the
build.

Example:
    >>> output_language("ko"), output_language("en"), output_language("ja")
    ('ko', 'en', 'en')
"""

from __future__ import annotations

import re

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
