"""Fenced code blocks, found with SuperFences' rules: the one fence scanner of the package.

SuperFences is what hands blocks to markdown-exec, so its rules decide what runs: an opening fence
may be indented or quoted by any number of spaces and ``>``, uses backticks or tildes, three or
more; content keeps the opening line's indentation; the closing fence is exactly the opening
fence. :func:`find_fences` applies them to a page's lines; :func:`parse_info` reads an info string
the way SuperFences does and :func:`is_executed` the way markdown-exec does.
``tests/test_i18n.py`` checks on generated pages that the executed blocks found here are the ones
SuperFences runs. :func:`python_blocks_run_by_pytest` gives the other view: the Python blocks that
pytest-markdown-docs runs (it parses with markdown-it).

:mod:`aieng.text.pages` reads whole pages with it; the site's list preprocessor
(:mod:`aieng.website.lists`) uses it to leave code alone.

Example:
    >>> blocks, _ = find_fences(['~~~python exec="1"', "print(1)", "~~~"])
    >>> [(b.line, b.fence, b.language, b.executed, b.body) for b in blocks]
    [(1, '~~~', 'python', True, 'print(1)')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass


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

    def option(self, key: str) -> str | None:
        """The value of option ``key`` (``session``, ``exec``, ...), or None.

        Example:
            >>> [block], _ = find_fences(['```python exec="1" session="s"', "x = 1", "```"])
            >>> block.option("session"), block.option("html")
            ('s', None)
        """
        return dict(self.options).get(key)


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
    if language in _EXEC_LANGUAGES:  # markdown-exec's validator takes ``exec`` out, then declines
        options = [(key, value) for key, value in options if key != "exec"]
    return all(key in _HIGHLIGHT_OPTIONS for key, _ in options)


def split_prefix(line: str, limit: int | None = None) -> tuple[str, str]:
    """Leading '>', spaces and tabs of a line (at most ``limit`` columns), and the rest.

    Example:
        >>> split_prefix("  > ```python")
        ('  > ', '```python')
    """
    count = 0
    for char in line:
        if char not in "> \t" or (limit is not None and count >= limit):
            break
        count += 1
    return line[:count], line[count:]


def find_fences(lines: Sequence[str], start: int = 0) -> tuple[list[CodeBlock], set[int]]:
    """The fenced blocks of ``lines`` (from index ``start``) the way SuperFences' preprocessor
    finds them, and the 0-based indexes of their fence and body lines.

    An opening fence may be indented or quoted by any number of spaces and '>'; content lines
    must keep the opening line's indentation (a line indented less abandons the block, as does a
    quote marker where the fence had none); the closing fence is exactly the opening fence, at
    the same indentation. A block never closed is not a block. Lines of an abandoned block are
    not scanned again for openings, as in SuperFences. Line numbers in the blocks are 1-based
    indexes into ``lines``.
    """
    blocks: list[CodeBlock] = []
    code_lines: set[int] = set()
    i = start
    while i < len(lines):
        prefix, rest = split_prefix(lines[i])
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
            ws, content = split_prefix(lines[j], width)
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
        blocks.append(
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
        code_lines.update(range(i, end + 1))
        i = end + 1
    return blocks, code_lines


def is_fence_line(line: str) -> bool:
    """Whether a line looks like a fence once its indentation and quote markers are removed.

    Example:
        >>> is_fence_line("    > ~~~~python"), is_fence_line("text ```")
        (True, False)
    """
    return _FENCE_RE.match(split_prefix(line)[1]) is not None


def python_blocks_run_by_pytest(lines: Sequence[str]) -> list[tuple[int, str, str]]:
    """Python blocks pytest-markdown-docs runs: (line, info, code), found with its parser.

    pytest-markdown-docs reads fences with markdown-it (CommonMark rules, whole file), which can
    differ from SuperFences; checking its view too means a block can't hide from one of them.
    """
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - pytest-markdown-docs (and markdown-it) not installed
        return []
    found = []
    for token in MarkdownIt("commonmark").parse("\n".join(lines)):
        if token.type != "fence" or not token.map:
            continue
        info = token.info.strip()
        words = info.strip("{}").split() if info.startswith("{") else info.split()
        languages = {w.lstrip(".") for w in words[:1]} | {w[1:] for w in words if w.startswith(".")}
        if languages & {"py", "python", "python3"} and "notest" not in words:
            found.append((token.map[0] + 1, info, token.content))
    return found
