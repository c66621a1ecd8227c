"""Where the package's own files and the repository's folders are.

Example:
    >>> from aieng.core.paths import DATA
    >>> (DATA / "claims-1.1.toml").is_file()
    True
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # aieng/
DATA = PACKAGE / "data"  # files shipped with the package (claims, glossary, strings, manifests)
ROOT = PACKAGE.parent  # the repository (in an editable install)
DOCS = ROOT / "docs"  # the pages, one folder per language
CHAPTER = ROOT / "chapter"  # the recovered chapter, its seed and its reviewed overrides
