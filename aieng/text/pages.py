"""The structure of a Markdown page, as the site's build and tests see it.

Pure functions that read a page into small records with line numbers: headings with level and
anchor (:func:`extract_headings`), fenced code blocks with info string, options, body and whether
markdown-exec runs them (:func:`extract_code_blocks`), links, images, admonitions, macros (claim
references, Jinja, snippet includes) and raw HTML; plus :func:`find_dangerous_html`, everything
in a page that could run script in a browser.

Code blocks are found with SuperFences' own rules, because SuperFences is what hands blocks to
markdown-exec: an opening fence may be indented or quoted by any number of spaces and ``>``, uses
backticks or tildes, three or more; content keeps the opening line's indentation; the closing
fence is exactly the opening fence. ``tests/test_i18n.py`` checks that the executed blocks found
here are the ones SuperFences runs, on generated pages.
:func:`python_blocks_run_by_pytest` gives the other
view, the Python blocks pytest-markdown-docs runs (it parses with markdown-it).

:mod:`aieng.i18n.check` compares these records between a page and its translation.

Example:
    >>> page = '# 제목 {#title}\\n\\n~~~python exec="1"\\nprint(1)\\n~~~\\n'
    >>> extract_headings(page)
    [Heading(line=1, level=1, text='제목', anchor='title')]
    >>> [(b.line, b.fence, b.language, b.executed) for b in extract_code_blocks(page)]
    [(3, '~~~', 'python', True)]
"""

from __future__ import annotations

import bisect
import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Heading:
    """A Markdown heading (``#`` or underlined)."""

    line: int  # 1-based line in the file
    level: int  # 1 for '#', 2 for '##', ...
    text: str  # the heading's words, without '#' marks or attribute list
    anchor: str | None  # explicit id from '{#id}'; None when the heading has none


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block, found with SuperFences' rules."""

    line: int  # line of the opening fence
    end_line: int  # line of the closing fence
    fence: str  # the fence itself: '```', '~~~~', ...
    prefix: str  # what precedes the fence on its line: indentation, '>' of quotes
    info: str  # everything after the fence: language and options, stripped
    language: str  # '' when the block names none
    options: tuple[tuple[str, str], ...]  # key="value" options and {attributes}, in order
    body: str  # the lines between the fences, the fence's indentation removed
    executed: bool  # markdown-exec runs it while the site builds


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
class Admonition:
    """A container: ``!!! note``, ``??? tip``, ``/// details`` or a content tab ``=== "..."``."""

    line: int
    kind: str  # 'note', 'warning', ... ('tab' for content tabs)
    marker: str  # '!!!', '???', '???+', '///' or '==='
    title: str  # translatable


@dataclass(frozen=True)
class Macro:
    """Something replaced while the site builds: ``[[claim:ID]]``, Jinja, a snippet include."""

    line: int
    kind: str  # 'claim', 'jinja' or 'snippet'
    value: str  # claim 'ID' or 'ID.field'; the whole expression for the others


@dataclass(frozen=True)
class RawHtml:
    """An HTML tag in the prose of a page."""

    line: int
    tag: str  # lower-case name, e.g. 'div'
    text: str  # the tag as written


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split a page into its YAML front matter, its body and the number of front matter lines.

    Example:
        >>> split_front_matter("---\\nsource_hash: abc\\n---\\n# T\\n")
        ({'source_hash': 'abc'}, '# T\\n', 3)
        >>> split_front_matter("# T\\n")
        ({}, '# T\\n', 0)
    """
    import yaml

    text = normalise(text)
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text, 0
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict):
        return {}, text, 0  # not front matter MkDocs would accept: the page starts with '---'
    return meta, text[match.end() :], match.group(0).count("\n")


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def set_front_matter(text: str, key: str, value: str | None) -> str:
    """Set (or, with ``value=None``, remove) one front matter key, leaving the rest untouched.

    Example:
        >>> set_front_matter("# T\\n", "source_hash", "abc")
        '---\\nsource_hash: abc\\n---\\n# T\\n'
        >>> set_front_matter("---\\ntitle: T\\nsource_hash: old\\n---\\nx\\n", "source_hash", "new")
        '---\\ntitle: T\\nsource_hash: new\\n---\\nx\\n'
    """
    text = normalise(text)
    meta, body, count = split_front_matter(text)
    lines = text.split("\n")[1 : count - 1] if count else []
    key_re = re.compile(rf"^{re.escape(key)}\s*:")
    kept, replaced = [], False
    for line in lines:
        if key_re.match(line):
            if value is not None and not replaced:
                kept.append(f"{key}: {value}")
            replaced = True
        else:
            kept.append(line)
    if value is not None and not replaced:
        kept.append(f"{key}: {value}")
    if not kept:
        return body
    return "---\n" + "\n".join(kept) + "\n---\n" + body


# --------------------------------------------------------------------------- parsing

# markdown-exec: the languages it handles and how it reads ``exec`` (anything but these is true).
_EXEC_LANGUAGES = frozenset({"bash", "console", "md", "markdown", "py", "python", "pycon", "sh"})
_ALWAYS_RUN = frozenset({"tree", "pyodide"})  # handled without exec="..." (pyodide: in the browser)
_EXEC_FALSE = frozenset({"", "no", "off", "false", "0"})
# SuperFences' highlighter accepts only these options; a fence with others is not a fence.
_HIGHLIGHT_OPTIONS = frozenset({"hl_lines", "linenums", "title", "title_mode"})

_FENCE_RE = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_LANG_RE = re.compile(r"[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[ \t]|$)")
_OPTIONS_RE = re.compile(
    r"""(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<q>["']).*?(?P=q))?(?=[ \t]|$))+"""
)
_OPTION_RE = re.compile(r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<q>["'])(?P<value>.*?)(?P=q))?""")
_ATTR_RE = re.compile(
    r"""(?P<key>[^\s=]+)=(?P<q>["']?)(?P<value>.*?)(?P=q)(?=\s|$)|(?P<word>\S+)"""
)


def _auto_languages() -> frozenset[str]:
    """Languages markdown-exec runs without ``exec`` because ``MARKDOWN_EXEC_AUTO`` names them."""
    return frozenset(x.strip() for x in os.environ.get("MARKDOWN_EXEC_AUTO", "").split(",") if x)


def parse_info(info: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """Read a fence's info string as SuperFences does: (language, options, form).

    ``form`` is ``'options'`` (``key="value"`` pairs), ``'attrs'`` (``{.lang key=value}``) or
    ``'unrecognized'`` (SuperFences does not treat the line as a fence). A bare key gets itself
    as value, as in SuperFences, so a bare ``exec`` turns execution on.

    Example:
        >>> parse_info('python exec="on" html="1"')
        ('python', (('exec', 'on'), ('html', '1')), 'options')
        >>> parse_info('{.python exec}')
        ('python', (('exec', 'exec'),), 'attrs')
        >>> parse_info('python exec=on')[2]
        'unrecognized'
    """
    language, rest = "", info
    match = _LANG_RE.match(info)
    if match:
        language, rest = match["lang"], info[match.end() :]
    rest = rest.strip()
    if not rest:
        return language, (), "options"
    if rest.startswith("{") and rest.endswith("}"):
        options, classes = [], []
        for m in _ATTR_RE.finditer(rest[1:-1]):
            if m["word"] is not None:
                word = m["word"]
                if word.startswith("."):
                    classes.append(word[1:])
                elif word.startswith("#"):
                    options.append(("id", word[1:]))
                else:
                    options.append((word, word))
            else:
                options.append((m["key"], m["value"]))
        if not language and classes:
            language = classes.pop(0)
        options += [("class", c) for c in classes]
        return language, tuple(options), "attrs"
    if _OPTIONS_RE.fullmatch(rest):
        pairs = [
            (m["key"], m["value"] if m["value"] is not None else m["key"])
            for m in _OPTION_RE.finditer(rest)
        ]
        return language, tuple(pairs), "options"
    return language, (), "unrecognized"


def is_executed(language: str, options: Sequence[tuple[str, str]]) -> bool:
    """Whether markdown-exec runs a block with this language and these options.

    Example:
        >>> is_executed("python", [("exec", "on")]), is_executed("python", [("exec", "1")])
        (True, True)
        >>> is_executed("python", [("exec", "off")]), is_executed("text", [("exec", "on")])
        (False, False)
        >>> is_executed("pyodide", [])
        True
    """
    if language in _ALWAYS_RUN:
        return True
    if language not in _EXEC_LANGUAGES:
        return False
    value = dict(options).get("exec", "no")
    return value.lower() not in _EXEC_FALSE or language in _auto_languages()


def _fence_accepted(language: str, options: Sequence[tuple[str, str]], form: str) -> bool:
    """Whether SuperFences turns an opening fence into a block (otherwise it is plain text)."""
    if form == "unrecognized":
        return False
    if is_executed(language, options):
        return True
    if form == "attrs":
        return True
    return all(key in _HIGHLIGHT_OPTIONS for key, _ in options)


def _split_prefix(line: str, limit: int | None = None) -> tuple[str, str]:
    """Leading '>', spaces and tabs of a line (at most ``limit`` columns), and the rest."""
    count = 0
    for char in line:
        if char not in "> \t" or (limit is not None and count >= limit):
            break
        count += 1
    return line[:count], line[count:]


@dataclass
class Page:
    """A page split into lines, with its fenced blocks and its prose (code spans blanked)."""

    text: str
    meta: dict[str, Any]
    offset: int  # front matter lines before the body
    lines: list[str]  # all lines of the file, tabs expanded
    blocks: list[CodeBlock] = field(default_factory=list)
    code_lines: set[int] = field(default_factory=set)  # 0-based indexes of fence and body lines
    prose: list[str] = field(default_factory=list)  # lines outside blocks, code spans blanked


_CODE_SPAN_RE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")


@lru_cache(maxsize=256)
def parse_page(text: str) -> Page:
    text = normalise(text)
    meta, _, offset = split_front_matter(text)
    # As Python-Markdown normalises a page before any extension sees it: tabs expanded to 4
    # columns, lines of only spaces emptied.
    lines = [line.expandtabs(4) for line in text.split("\n")]
    lines = [line if line.strip(" ") else "" for line in lines]
    doc = Page(text=text, meta=meta, offset=offset, lines=lines)
    _scan_fences(doc)
    for index, line in enumerate(lines):
        if index < offset or index in doc.code_lines:
            doc.prose.append("")
        else:
            doc.prose.append(_CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line))
    return doc


def _scan_fences(doc: Page) -> None:
    """Find fenced blocks the way SuperFences' preprocessor does.

    An opening fence may be indented or quoted by any number of spaces and '>'; content lines
    must keep the opening line's indentation (a line indented less abandons the block, as does a
    quote marker where the fence had none); the closing fence is exactly the opening fence, at
    the same indentation. A block never closed is not a block. Lines of an abandoned block are
    not scanned again for openings, as in SuperFences.
    """
    lines, i = doc.lines, doc.offset
    while i < len(lines):
        prefix, rest = _split_prefix(lines[i])
        match = _FENCE_RE.match(rest)
        if not match:
            i += 1
            continue
        language, options, form = parse_info(match["info"])
        if not _fence_accepted(language, options, form):
            i += 1
            continue
        fence, width, quotes = match["fence"], len(prefix), prefix.count(">")
        closing = re.compile(re.escape(fence) + r"[ \t]*$")
        body, j, end, blank = [], i + 1, None, 0
        while j < len(lines):
            ws, content = _split_prefix(lines[j], width)
            level = ws.count(">")
            if quotes:  # SuperFences' rules for a fence inside a block quote
                if level > quotes:
                    break
                if content == "":
                    body.append(content)
                    blank += 1
                    j += 1
                    continue
                if len(ws) < width or (blank and level < quotes):
                    break
                if closing.match(content):
                    end = j
                    break
            else:
                if level:
                    break
                if (ws + content).strip() == "":
                    body.append(content)
                    j += 1
                    continue
                if len(ws) != width:
                    break
                if closing.match(content) and not content.startswith((" ", "\t")):
                    end = j
                    break
            blank = 0
            body.append(content)
            j += 1
        if end is None:  # abandoned, or never closed: the lines stay text and are not rescanned
            i = j + 1
            continue
        doc.blocks.append(
            CodeBlock(
                line=i + 1,
                end_line=end + 1,
                fence=fence,
                prefix=prefix,
                info=match["info"].strip(),
                language=language,
                options=options,
                body="\n".join(body),
                executed=is_executed(language, options),
            )
        )
        doc.code_lines.update(range(i, end + 1))
        i = end + 1


# --------------------------------------------------------------------------- extractors

_ATX_RE = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(?P<u>=+|-+)[ \t]*$")
_HEADING_ATTRS_RE = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
_BLOCK_START_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|\||!!!|\?\?\?|#|<)")


def extract_headings(text: str) -> list[Heading]:
    """Headings of a page, with level and explicit anchor.

    Example:
        >>> for heading in extract_headings("# 제목 {#title}\\n\\nText\\n\\n## 절\\n"):
        ...     print(heading)
        Heading(line=1, level=1, text='제목', anchor='title')
        Heading(line=5, level=2, text='절', anchor=None)
    """
    doc = parse_page(text)
    headings = []
    for index, line in enumerate(doc.prose):
        if index < doc.offset or index in doc.code_lines:
            continue
        match = _ATX_RE.match(line)
        if match:
            headings.append(_heading(index, len(match["marks"]), match["text"] or ""))
            continue
        match = _SETEXT_RE.match(line)
        if match and index > doc.offset and (index - 1) not in doc.code_lines:
            previous = doc.prose[index - 1]
            if (
                previous.strip()
                and not _BLOCK_START_RE.match(previous)
                and not _SETEXT_RE.match(previous)
            ):
                level = 1 if match["u"][0] == "=" else 2
                headings.append(_heading(index - 1, level, doc.lines[index - 1].strip()))
    return headings


def _heading(index: int, level: int, text: str) -> Heading:
    anchor = None
    match = _HEADING_ATTRS_RE.search(text)
    if match:
        ids = re.findall(r"#([\w-]+)", match["attrs"])
        anchor = ids[0] if ids else None
        text = text[: match.start()]
    return Heading(line=index + 1, level=level, text=text.strip(), anchor=anchor)


def extract_code_blocks(text: str) -> list[CodeBlock]:
    """Fenced code blocks, in order, with info string, options, body and whether they run.

    Example:
        >>> [(b.line, b.language, b.executed) for b in extract_code_blocks(
        ...     '```python exec="1"\\nprint(1)\\n```\\n\\n~~~~text\\nx\\n~~~~\\n')]
        [(1, 'python', True), (5, 'text', False)]
    """
    return list(parse_page(text).blocks)


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


_ADMONITION_RE = re.compile(r"^\s*(?P<marker>!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+)?(?P<rest>.*)$")
_BLOCKS_RE = re.compile(r"^\s*(?P<marker>/{3,})[ \t]*(?P<kind>[\w-]+)(?P<rest>.*)$")
_TAB_RE = re.compile(r"^\s*(?P<marker>===\+?)[ \t]+\"(?P<title>.*)\"")


def extract_admonitions(text: str) -> list[Admonition]:
    """Admonitions (``!!!``, ``???``), pymdownx blocks (``/// type``) and content tabs.

    Example:
        >>> page = '!!! warning "책과 다른 점"\\n    본문\\n\\n??? note\\n    x\\n'
        >>> for admonition in extract_admonitions(page):
        ...     print(admonition)
        Admonition(line=1, kind='warning', marker='!!!', title='책과 다른 점')
        Admonition(line=4, kind='note', marker='???', title='')
    """
    doc = parse_page(text)
    found = []
    for index, line in enumerate(doc.prose):
        match = _ADMONITION_RE.match(line) or _BLOCKS_RE.match(line)
        if match:
            rest = match["rest"].strip()
            title = re.search(r"\"(.*)\"", rest)
            title = (
                title.group(1)
                if title
                else rest.lstrip("|").strip()
                if match["marker"][0] == "/"
                else ""
            )
            found.append(Admonition(index + 1, match["kind"] or "", match["marker"], title))
            continue
        match = _TAB_RE.match(line)
        if match:
            found.append(Admonition(index + 1, "tab", match["marker"], match["title"]))
    return found


_CLAIM_RE = re.compile(r"\[\[\s*claim\s*:\s*(?P<id>[^\]\s]+?)\s*\]\]")
_JINJA_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_SNIPPET_RE = re.compile(r"^.*-{1,}8<-{1,}.*$", re.M)


def extract_macros(text: str) -> list[Macro]:
    """Claim references (``[[claim:ID]]``, ``[[claim:ID.field]]``), Jinja and snippet includes.

    Claims are read from the prose; Jinja expressions and ``--8<--`` snippet lines from the
    whole page, since they are expanded before code blocks are recognised.

    Example:
        >>> for macro in extract_macros("책은 [[claim:a-b.book]]개, 실제는 [[claim:a-b]]개.\\n"):
        ...     print(macro)
        Macro(line=1, kind='claim', value='a-b.book')
        Macro(line=1, kind='claim', value='a-b')
    """
    doc = parse_page(text)
    macros = [
        Macro(index + 1, "claim", m["id"])
        for index, line in enumerate(doc.prose)
        for m in _CLAIM_RE.finditer(line)
    ]
    body_start = sum(len(line) + 1 for line in doc.lines[: doc.offset])
    body = doc.text[body_start:]
    for kind, pattern in (("jinja", _JINJA_RE), ("snippet", _SNIPPET_RE)):
        for m in pattern.finditer(body):
            line = doc.offset + body.count("\n", 0, m.start()) + 1
            macros.append(Macro(line, kind, m.group(0).strip()))
    return sorted(macros, key=lambda m: m.line)


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


def is_fence_line(line: str) -> bool:
    """Whether a line looks like a fence once its indentation and quote markers are removed.

    Example:
        >>> is_fence_line("    > ~~~~python"), is_fence_line("text ```")
        (True, False)
    """
    return _FENCE_RE.match(_split_prefix(line)[1]) is not None


def fence_lines(doc: Page) -> list[tuple[int, str]]:
    """Every line that looks like a fence, wherever it is (front matter and code included)."""
    return [
        (index + 1, line.rstrip()) for index, line in enumerate(doc.lines) if is_fence_line(line)
    ]


def python_blocks_run_by_pytest(doc: Page) -> list[tuple[int, str, str]]:
    """Python blocks pytest-markdown-docs runs: (line, info, code), found with its parser.

    pytest-markdown-docs reads fences with markdown-it (CommonMark rules, whole file), which can
    differ from SuperFences; checking its view too means a block can't hide from one of them.
    """
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - pytest-markdown-docs (and markdown-it) not installed
        return []
    found = []
    for token in MarkdownIt("commonmark").parse("\n".join(doc.lines)):
        if token.type != "fence" or not token.map:
            continue
        info = token.info.strip()
        words = info.strip("{}").split() if info.startswith("{") else info.split()
        languages = {w.lstrip(".") for w in words[:1]} | {w[1:] for w in words if w.startswith(".")}
        if languages & {"py", "python", "python3"} and "notest" not in words:
            found.append((token.map[0] + 1, info, token.content))
    return found


# --------------------------------------------------------------------------- dangerous HTML

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
