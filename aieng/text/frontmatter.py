"""A page's YAML front matter: read it, split it from the body, set one key.

Line endings are normalised first (:func:`normalise`), as MkDocs reads a page, so every line
number the parser reports counts ``\\n``-separated lines of the file.

Example:
    >>> split_front_matter("---\\nsource_hash: abc\\n---\\n# T\\n")
    ({'source_hash': 'abc'}, '# T\\n', 3)
"""

from __future__ import annotations

import re
from typing import Any

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def normalise(text: str) -> str:
    """``text`` with ``\\n`` line endings and no byte-order mark.

    Example:
        >>> normalise("\\ufeffa\\r\\nb\\rc")
        'a\\nb\\nc'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


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
