"""The API reference: docstrings as mkdocstrings shows them (a griffe extension).

``mkdocs.yml`` loads :class:`ExampleSections` as an extension of mkdocstrings' Python handler.
The package's docstrings say ``Example:`` and use Sphinx roles; the extension renames the section
(:func:`examples_heading`) and turns roles into inline code (:func:`plain_roles`) before griffe
parses them.

Example:
    >>> plain_roles(examples_heading("See :func:`f`.\\n\\nExample:\\n    >>> 1\\n    1\\n"))
    'See `f`.\\n\\nExamples:\\n    >>> 1\\n    1\\n'
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_HEADING_RE = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)
_ROLE_RE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const):`(~?)([^`]+)`")


def examples_heading(docstring: str) -> str:
    """``docstring`` with its ``Example:`` sections renamed ``Examples:``.

    griffe's Google parser reads ``>>>`` lines as code only under ``Examples:`` and renders the
    singular as an admonition of Markdown text, where a printed list such as ``['a', 'b']`` turns
    into a broken cross-reference.

    Example:
        >>> examples_heading("Sum.\\n\\nExample:\\n    >>> 1 + 1\\n    2\\n").splitlines()[2]
        'Examples:'
    """
    return _EXAMPLE_HEADING_RE.sub(r"\g<indent>Examples:", docstring)


def plain_roles(docstring: str) -> str:
    """``docstring`` with Sphinx roles (``:func:`name```) turned into Markdown inline code.

    Markdown would show the roles as raw text. A ``~`` keeps the last part of the name, as in
    Sphinx.

    Example:
        >>> plain_roles("See :func:`page_language` and :class:`~mkdocs.exceptions.PluginError`.")
        'See `page_language` and `PluginError`.'
    """

    def code(match: re.Match[str]) -> str:
        short, target = match.groups()
        return f"`{target.rsplit('.', 1)[-1] if short else target}`"

    return _ROLE_RE.sub(code, docstring)


class ExampleSections(griffe.Extension):
    """Griffe extension (``mkdocs.yml``): ``Example:`` sections and Sphinx roles read well."""

    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(examples_heading(obj.docstring.value))
