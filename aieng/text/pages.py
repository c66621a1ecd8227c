"""The Markdown page parser: one reading of a page, shared by everything that reads pages.

The site (which blocks run and where, the claim macros it expands), the prose measurements
(:mod:`aieng.book.prose`), the chapter check (:mod:`aieng.book.chapter`) and the translation
checker (:mod:`aieng.i18n.check`) read pages through this interface, so they agree on what a
fence, a block that runs, a heading or a claim macro is. It gathers the parser's modules:

* :mod:`aieng.text.frontmatter`: front matter, split and set;
* :mod:`aieng.text.fences`: fenced blocks with SuperFences' rules, info strings and options,
  whether markdown-exec runs a block, and what pytest-markdown-docs runs;
* :mod:`aieng.text.document`: :func:`parse_page`, the page as lines, blocks and prose (code spans
  blanked), and its headings, code blocks and admonitions;
* :mod:`aieng.text.links`: links, images and raw HTML tags of the prose;
* :mod:`aieng.text.macros`: claim macros (:data:`CLAIM_MACRO`, the package's one definition),
  Jinja and snippet includes;
* :mod:`aieng.text.htmlsafety`: HTML that could run script, wherever it is.

Every record carries the 1-based line of the file it was found on (front matter counted), which
is also the line an error of the site names.

Example:
    >>> page = '# 제목 {#title}\\n\\n~~~python exec="1"\\nprint(1)\\n~~~\\n'
    >>> extract_headings(page)
    [Heading(line=1, level=1, text='제목', anchor='title')]
    >>> [(b.line, b.fence, b.language, b.executed) for b in extract_code_blocks(page)]
    [(3, '~~~', 'python', True)]
"""

from __future__ import annotations

from aieng.text.document import (
    Admonition,
    Heading,
    Page,
    executed_block_lines,
    extract_admonitions,
    extract_code_blocks,
    extract_headings,
    fence_lines,
    parse_page,
)
from aieng.text.fences import (
    CodeBlock,
    find_fences,
    is_executed,
    is_fence_line,
    parse_info,
    python_blocks_run_by_pytest,
    split_prefix,
)
from aieng.text.frontmatter import normalise, set_front_matter, split_front_matter
from aieng.text.htmlsafety import find_dangerous_html, find_dangers
from aieng.text.links import Image, Link, RawHtml, extract_html, extract_images, extract_links
from aieng.text.macros import (
    CLAIM_MACRO,
    ClaimMacro,
    Macro,
    claim_macros,
    extract_macros,
    substitute_claims,
)

__all__ = [
    "CLAIM_MACRO",
    "Admonition",
    "ClaimMacro",
    "CodeBlock",
    "Heading",
    "Image",
    "Link",
    "Macro",
    "Page",
    "RawHtml",
    "claim_macros",
    "executed_block_lines",
    "extract_admonitions",
    "extract_code_blocks",
    "extract_headings",
    "extract_html",
    "extract_images",
    "extract_links",
    "extract_macros",
    "fence_lines",
    "find_dangerous_html",
    "find_dangers",
    "find_fences",
    "is_executed",
    "is_fence_line",
    "normalise",
    "parse_info",
    "parse_page",
    "python_blocks_run_by_pytest",
    "set_front_matter",
    "split_front_matter",
    "split_prefix",
    "substitute_claims",
]
