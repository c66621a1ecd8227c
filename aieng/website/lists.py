"""A Markdown extension: lists and code fences may start right under a paragraph line.

The chapter writes lists straight under a bold label, with no blank line between::

    **Tokenization**
    - 원본 텍스트를 토큰으로 나누는 과정

CommonMark and GitHub render that as a list; Python-Markdown (and so MkDocs) folds it into the
paragraph as literal "- " text, and puts a code fence that follows a paragraph line inside that
paragraph. Rather than edit the author's text, this preprocessor inserts the blank line that
Python-Markdown needs before a list item or an opening fence that interrupts a paragraph. Code
inside fences (found by the page parser, :func:`aieng.text.pages.find_fences`, with SuperFences'
rules) is left alone, and so are lines that continue a list already open.

The ``aieng`` MkDocs plugin adds the extension to the site's Markdown extensions.

Example:
    >>> import markdown
    >>> markdown.markdown("**Tokens**\\n- a\\n- b", extensions=["aieng.website.lists"])
    '<p><strong>Tokens</strong></p>\\n<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>'
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from aieng.text.pages import find_fences

NAME = "aieng.website.lists"
"""The extension's name in a list of Markdown extensions."""

_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+\S")


def _ends_paragraph(previous: str) -> bool:
    return bool(
        previous.strip()
        and not _ITEM.match(previous)
        and not previous.startswith((" ", "\t", "#", ">", "|", "<"))
    )


def separate_lists(lines: list[str]) -> list[str]:
    """Insert a blank line wherever a list item or a fence directly follows a paragraph line.

    Example:
        >>> separate_lists(["**A**", "- x", "- y", "", "text", "1. one"])
        ['**A**', '', '- x', '- y', '', 'text', '', '1. one']
        >>> separate_lists(["**Example:**", "```", "- not a list", "```"])
        ['**Example:**', '', '```', '- not a list', '```']
    """
    blocks, code = find_fences([line.expandtabs(4) for line in lines])
    openings = {b.line - 1 for b in blocks if not b.prefix}  # fences at the start of a line
    out: list[str] = []
    for index, line in enumerate(lines):
        interrupts = index in openings or (index not in code and _ITEM.match(line))
        if interrupts and out and _ends_paragraph(out[-1]):
            out.append("")
        out.append(line)
    return out


class _SeparateLists(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return separate_lists(lines)


class ListsExtension(Extension):
    """Let a list start directly under a paragraph line."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        # after the normaliser (30), before fenced code and everything block-level
        md.preprocessors.register(_SeparateLists(md), "aieng_lists", 29)


def makeExtension(**kwargs: object) -> ListsExtension:  # noqa: N802 (Python-Markdown's API)
    return ListsExtension(**kwargs)
