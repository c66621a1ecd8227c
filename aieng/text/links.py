"""Links, images and raw HTML tags in the prose of a page (code blocks and code spans skipped).

Part of the page parser (:mod:`aieng.text.pages`); the translation checker compares these records
between a page and its translation.

Example:
    >>> [(l.kind, l.target) for l in extract_links("[a](b.md) <https://c.org>\\n")]
    [('link', 'b.md'), ('autolink', 'https://c.org')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aieng.text.document import parse_page


@dataclass(frozen=True)
class Link:
    """A link target: Markdown link, reference definition, autolink, bare URL or ``href``."""

    line: int
    target: str  # the URL as written, without '<>' or title
    kind: str  # 'link', 'reference', 'autolink', 'url', 'html' or 'footnote'


@dataclass(frozen=True)
class Image:
    """An image: ``![alt](src)`` or ``<img src=...>``."""

    line: int
    src: str


@dataclass(frozen=True)
class RawHtml:
    """An HTML tag in the prose of a page."""

    line: int
    tag: str  # lower-case name, e.g. 'div'
    text: str  # the tag as written


_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<url><[^>]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFDEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:[ \t]*(?P<url><[^>]*>|\S+)")
_AUTOLINK_RE = re.compile(r"<(?P<url>(?:https?|ftp|mailto):[^\s<>]+)>", re.I)
_BARE_URL_RE = re.compile(
    r"(?<![\w/(<\"'=])(?P<url>(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?\"'])"
)
_FOOTNOTE_RE = re.compile(r"\[\^(?P<label>[^\]\s]+)\]")
_TAG_RE = re.compile(
    r"<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?P<attrs>(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)/?>", re.S
)
_HTML_URL_RE = re.compile(
    r"""(?<![\w-])(?P<name>href|src|xlink:href|action|formaction|data)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",
    re.I,
)


def _attr_value(match: re.Match[str]) -> str:
    return next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)


def extract_links(text: str) -> list[Link]:
    """Link targets in the prose of a page (code blocks and code spans are skipped).

    Example:
        >>> [(l.kind, l.target) for l in extract_links(
        ...     "See [1.2](../1.2.md#x) and <https://a.org>.\\n\\n[r]: https://b.org\\n")]
        [('link', '../1.2.md#x'), ('autolink', 'https://a.org'), ('reference', 'https://b.org')]
    """
    doc = parse_page(text)
    links: list[Link] = []
    for index, line in enumerate(doc.prose):
        if not line:
            continue
        number = index + 1
        match = _REFDEF_RE.match(line)
        if match and not match["label"].startswith("^"):
            links.append(Link(number, match["url"].strip("<>"), "reference"))
            continue
        rest = line
        for m in _LINK_RE.finditer(line):
            if not m["bang"]:
                links.append(Link(number, m["url"].strip("<>"), "link"))
            rest = rest.replace(m.group(0), " " * len(m.group(0)), 1)
        for m in _AUTOLINK_RE.finditer(rest):
            links.append(Link(number, m["url"], "autolink"))
            rest = rest.replace(m.group(0), " " * len(m.group(0)), 1)
        for m in _TAG_RE.finditer(rest):
            if m["tag"].lower() != "img":
                links += [
                    Link(number, _attr_value(u), "html") for u in _HTML_URL_RE.finditer(m["attrs"])
                ]
            rest = rest.replace(m.group(0), " " * len(m.group(0)), 1)
        links += [Link(number, m["url"], "url") for m in _BARE_URL_RE.finditer(rest)]
        links += [Link(number, "^" + m["label"], "footnote") for m in _FOOTNOTE_RE.finditer(line)]
    return links


def extract_images(text: str) -> list[Image]:
    """Images in the prose of a page: ``![alt](src)`` and ``<img src=...>``.

    Example:
        >>> extract_images('![그림](../assets/a.png "제목")\\n<img alt="x" src="b.svg">\\n')
        [Image(line=1, src='../assets/a.png'), Image(line=2, src='b.svg')]
    """
    doc = parse_page(text)
    images = []
    for index, line in enumerate(doc.prose):
        for m in _LINK_RE.finditer(line):
            if m["bang"]:
                images.append(Image(index + 1, m["url"].strip("<>")))
        for m in _TAG_RE.finditer(line):
            if m["tag"].lower() == "img":
                src = [
                    _attr_value(u)
                    for u in _HTML_URL_RE.finditer(m["attrs"])
                    if u["name"].lower() == "src"
                ]
                images.append(Image(index + 1, src[0] if src else ""))
    return images


def extract_html(text: str) -> list[RawHtml]:
    """HTML tags in the prose of a page (closing tags and comments are not listed).

    Example:
        >>> [(h.line, h.tag) for h in extract_html('텍스트<br>\\n<div class="x" markdown>\\n')]
        [(1, 'br'), (2, 'div')]
    """
    doc = parse_page(text)
    prose = "\n".join(doc.prose)
    return [
        RawHtml(prose.count("\n", 0, m.start()) + 1, m["tag"].lower(), m.group(0))
        for m in _TAG_RE.finditer(prose)
    ]
