"""HTML in a page that could run script in a reader's browser, wherever it is.

Part of the page parser (:mod:`aieng.text.pages`): the translation checker refuses a translation
that adds any of it (:func:`find_dangers` says which findings sit inside code, where the source
may legitimately show them).

Example:
    >>> find_dangerous_html('<script>x</script>\\n')
    [(1, '<script> tag')]
"""

from __future__ import annotations

import bisect
import html
import re

from aieng.text.document import Page
from aieng.text.frontmatter import normalise

_DANGEROUS_TAGS = (
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "style",
    "portal",
    "template",
)
_DANGEROUS_TAG_RE = re.compile(r"</?(?P<tag>" + "|".join(_DANGEROUS_TAGS) + r")(?![\w-])", re.I)
_HANDLER_IN_TAG_RE = re.compile(r"<[a-z][^<>]*?[\s/\"'](?P<attr>on[a-z]+)\s*=", re.I | re.S)
_HANDLER_IN_ATTRS_RE = re.compile(r"\{[^{}\n]*?(?<=[\s{:;,])(?P<attr>on[a-z]+)\s*=[^{}\n]*\}", re.I)
_SCHEME_RE = re.compile(
    r"(?:[(<\"'=`]|\]:)(?P<url>(?:java|vb|live)script:|data:(?:text/html|application/x?html|"
    r"application/(?:x-)?javascript|image/svg))"
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def _flatten_for_urls(text: str) -> tuple[str, list[int]]:
    """Text as a browser reads a URL: entities decoded, whitespace and controls dropped, lower
    case; with the offset in ``text`` of each character kept."""
    chars, offsets, i = [], [], 0
    while i < len(text):
        if text[i] == "&":
            m = _ENTITY_RE.match(text, i)
            if m:
                for char in html.unescape(m.group(0)):
                    if ord(char) > 0x20:
                        chars.append(char.lower())
                        offsets.append(i)
                i = m.end()
                continue
        if ord(text[i]) > 0x20:
            chars.append(text[i].lower())
            offsets.append(i)
        i += 1
    return "".join(chars), offsets


def find_dangerous_html(text: str) -> list[tuple[int, str]]:
    """(line, what) for everything in a page that could run script in a reader's browser.

    Looks everywhere, code included: ``<script>``, ``<iframe>`` and other active tags, ``on*=``
    event handlers in tags or attribute lists, and ``javascript:``-like URLs, also when hidden by
    entities, case or whitespace.

    Example:
        >>> find_dangerous_html('<img src=x onerror="alert(1)">\\n[x](jav&#x61;script:alert(1))\\n')
        [(1, 'event handler attribute onerror='), (2, 'javascript: URL')]
    """
    text = normalise(text)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    found = []
    for m in _DANGEROUS_TAG_RE.finditer(text):
        found.append((line_of(m.start()), f"<{m['tag'].lower()}> tag"))
    for pattern in (_HANDLER_IN_TAG_RE, _HANDLER_IN_ATTRS_RE):
        for m in pattern.finditer(text):
            found.append(
                (line_of(m.start("attr")), f"event handler attribute {m['attr'].lower()}=")
            )
    flat, offsets = _flatten_for_urls(text)
    for m in _SCHEME_RE.finditer(flat):
        found.append((line_of(offsets[m.start("url")]), f"{m['url'].rstrip(':')}: URL"))
    return sorted(set(found))


def find_dangers(doc: Page) -> list[tuple[int, str, bool]]:
    """Dangerous HTML of a parsed page as (line, what, inside code)."""
    result = []
    for line, what in find_dangerous_html(doc.text):
        index = line - 1
        in_code = index in doc.code_lines
        if not in_code and index < len(doc.prose) and doc.prose[index] != doc.lines[index]:
            in_code = all(w != what for _, w in find_dangerous_html(doc.prose[index]))
        result.append((line, what, in_code))
    return result
