"""Code fingerprints: the part of a cached result's key that stands for the code that computed it.

A result depends on the module that defines the cached function and on every ``aieng`` module
that module imports, directly or through others. :func:`fingerprint` hashes that whole closure,
read from the source files with :mod:`ast` (nothing is imported):

* **Edges.** ``import aieng.x``, ``from aieng.x import y`` (relative ones too), at module level
  or inside a function (those run just the same), ``import_module("aieng.x")`` with a literal,
  and ``from aieng import name`` / ``aieng.name`` resolved through the package's lazy
  ``_EXPORTS`` table to the module that defines ``name``.
* **What counts in a module.** Its syntax tree without line numbers and without docstrings:
  comments, blank lines, formatting, quoting style and docstrings do not change the hash; every
  statement, every name and every other string literal does (a claim's explanation, a prompt, a
  table of words).
* **Order counts.** Statements are hashed in order, so moving a top-level definition inside a
  module, or to another module, recomputes the results that depend on those modules. We chose
  this because top-level statements run in order and order can change meaning (a later binding
  of a name wins, decorators can register things in order, constants are computed from earlier
  ones): an order-free hash would need a proof that each move is harmless, and a wrong proof
  serves a stale figure for ever, while a move recomputes once.
* **Package data named in code.** A module whose string literals name a file of ``aieng/data``
  (``"strings.toml"``, ``"claims-1.1.toml"``) also depends on that file's bytes. Data read from
  elsewhere (the corpus, tokenizer files) goes into the key through ``cached(data=...)``.
* **Code that changed under a running process.** A process runs the code it imported, which
  may not be what the files say once they are edited. :func:`unchanged` tells whether any file
  of a closure was modified after this module was imported; the cache neither reads nor writes
  such results on disk (it computes them, and says so in a warning).
* **Not counted.** The cache's own machinery (:data:`MACHINERY`) decides where results are kept,
  not what they are; the entry format carries its own version in every key. Docstrings are left
  out on the understanding that no cached computation reads ``__doc__``.

The Python version (major.minor) is part of every fingerprint, since :func:`ast.dump` may
differ between versions.

Example:
    >>> "aieng.text.corpus" in closure("aieng.models.ngram")
    True
    >>> "aieng.book.claims" in closure("aieng.models.ngram")
    False
    >>> len(fingerprint("aieng.models.ngram"))
    64
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from aieng.core import paths

log = logging.getLogger(__name__)
_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"

_STARTED = time.time()  # about when this process began importing aieng
PACKAGE = "aieng"
MACHINERY = frozenset({"aieng.core.cache", "aieng.core.fingerprint", "aieng.core.store"})

# What one source file says, by the SHA-256 of its bytes: its normalised hash, its import
# statements and its whitespace-free string literals. These follow from the bytes alone, so a
# memo keyed on them can never be stale; it spares a warm build from parsing the package again.
# The cache keeps it beside its entries (:func:`use_memo`); anything odd in it is ignored.
_MEMO_FORMAT = 1
_MEMO: dict[str, dict] = {}
_MEMO_FILE: Path | None = None
_MEMO_DIRTY = False


def source_file(module: str) -> Path | None:
    """The source file of ``module``: found in the package folder for ``aieng`` modules (without
    importing them), from ``sys.modules`` for others (a test module); None when there is none."""
    if module == PACKAGE or module.startswith(PACKAGE + "."):
        base = paths.PACKAGE.joinpath(*module.split(".")[1:])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None
    file = getattr(sys.modules.get(module), "__file__", None)
    return Path(file) if file and file.endswith(".py") and Path(file).is_file() else None


def _is_ours(module: str) -> bool:
    return module.startswith(PACKAGE + ".") and source_file(module) is not None


@cache
def _tree(module: str) -> ast.Module:
    path = source_file(module)
    return ast.parse(path.read_text(encoding="utf-8")) if path else ast.Module([], [])


@cache
def _exports() -> dict[str, str]:
    """The package's lazy ``_EXPORTS`` table (public name -> defining module), read as a literal."""
    for node in _tree(PACKAGE).body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "_EXPORTS" and node.value is not None:
            try:
                return dict(ast.literal_eval(node.value))
            except ValueError:
                break
    return {}


def _from_import(base: str, name: str) -> str | None:
    """The module that ``from base import name`` makes the importer depend on."""
    if _is_ours(f"{base}.{name}"):
        return f"{base}.{name}"  # "from aieng.text import corpus" imports the module corpus
    if base == PACKAGE:
        return _exports().get(name)  # "from aieng import split" -> aieng.text.tokens
    return base if _is_ours(base) else None


def _package_of(module: str) -> str:
    path = source_file(module)
    return module if path and path.name == "__init__.py" else module.rpartition(".")[0]


@cache
def imports(module: str) -> frozenset[str]:
    """The ``aieng`` modules that ``module`` imports itself (function-level imports included).

    Example:
        >>> sorted(imports("aieng.core.strings"))
        ['aieng.core.lang', 'aieng.core.paths']
    """
    facts = _facts(module)
    found: set[str | None] = set()
    for record in facts["imports"] if facts else []:
        kind = record[0]
        if kind == "import":
            name = record[1]
            while name and not _is_ours(name):  # "import aieng.x.y" -> the longest module
                name = name.rpartition(".")[0]
            found.add(name or None)
        elif kind == "from":
            base, level, names = record[1], record[2], record[3]
            if level:
                parts = _package_of(module).split(".")
                base = ".".join(parts[: len(parts) - level + 1] + ([base] if base else []))
            if base == PACKAGE or base.startswith(PACKAGE + "."):
                found.update(_from_import(base, name) for name in names)
        elif kind == "call" and _is_ours(record[1]):
            found.add(record[1])
        elif kind == "attr":  # "import aieng" then "aieng.split(...)"
            found.add(_from_import(PACKAGE, record[1]))
    return frozenset(m for m in found if m and m != module)


@cache
def closure(module: str) -> tuple[str, ...]:
    """``module`` and every ``aieng`` module it depends on, transitively, sorted.

    The cache's machinery (:data:`MACHINERY`) is left out, and not followed.
    """
    seen = {module}
    todo = [module]
    while todo:
        for dep in imports(todo.pop()):
            if dep not in seen and dep not in MACHINERY:
                seen.add(dep)
                todo.append(dep)
    return tuple(sorted(seen))


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def normalised_source(source: str) -> str:
    """The text that stands for ``source`` in a fingerprint: its syntax tree without docstrings,
    comments, formatting or line numbers.

    Example:
        >>> a = 'def f(x):\\n    "Twice x."\\n    return 2 * x  # doubled\\n'
        >>> b = "def f(x):\\n\\n    return (2 *\\n            x)\\n"
        >>> normalised_source(a) == normalised_source(b)
        True
        >>> normalised_source(b) == normalised_source(b.replace("2", "3"))
        False
    """
    return ast.dump(_strip_docstrings(ast.parse(source)), include_attributes=False)


@cache
def module_hash(module: str) -> str:
    """SHA-256 of ``module``'s normalised syntax tree (empty for a module without a file)."""
    facts = _facts(module)
    if facts is None:
        log.debug("no source for %s: its code cannot be fingerprinted", module)
        return hashlib.sha256(b"").hexdigest()
    return facts["hash"]


@cache
def data_files(module: str) -> tuple[Path, ...]:
    """Files of ``aieng/data`` that ``module`` names in a string literal."""
    shipped = (
        {p.name: p for p in paths.DATA.iterdir() if p.is_file()} if paths.DATA.is_dir() else {}
    )
    facts = _facts(module)
    if facts is None:
        return ()
    if any(ch.isspace() for name in shipped for ch in name):  # the memo keeps no such literal
        tails = {
            node.value.rpartition("/")[2]
            for node in ast.walk(_tree(module))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    else:
        tails = set(facts["tails"])
    return tuple(sorted(shipped[t] for t in tails if t in shipped))


def _records(tree: ast.Module) -> list[list]:
    """The import-like statements of a tree, as plain lists (resolved later by :func:`imports`)."""
    found: list[list] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [["import", alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(["from", node.module or "", node.level, [a.name for a in node.names]])
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            arg = node.args[0]
            if name == "import_module" and isinstance(arg, ast.Constant):
                if isinstance(arg.value, str):
                    found.append(["call", arg.value])
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == PACKAGE:
                found.append(["attr", node.attr])
    return found


def _facts_of(source: str) -> dict:
    tree = ast.parse(source)
    tails = {
        node.value.rpartition("/")[2]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value
        and not any(ch.isspace() for ch in node.value)
    }
    return {
        "hash": hashlib.sha256(normalised_source(source).encode()).hexdigest(),
        "imports": _records(tree),
        "tails": sorted(tails),
    }


@cache
def _facts(module: str) -> dict | None:
    """What ``module``'s source says (see :data:`_MEMO`), from the memo when its bytes match."""
    global _MEMO_DIRTY
    path = source_file(module)
    if path is None:
        return None
    raw = path.read_bytes()
    key = hashlib.sha256(raw).hexdigest()
    facts = _MEMO.get(key)
    if not (
        isinstance(facts, dict)
        and isinstance(facts.get("hash"), str)
        and isinstance(facts.get("imports"), list)
        and isinstance(facts.get("tails"), list)
    ):
        facts = _facts_of(raw.decode("utf-8"))
        _MEMO[key] = facts
        _MEMO_DIRTY = True
    return facts


def use_memo(file: Path) -> None:
    """Read (once) and later keep the memo of source facts in ``file`` (the cache's folder)."""
    global _MEMO_FILE
    if _MEMO_FILE == file:
        return
    _MEMO_FILE = file
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") == _MEMO_FORMAT and data.get("python") == _PYTHON:
            _MEMO.update(data.get("files", {}))
    except (OSError, ValueError, AttributeError):
        pass  # missing or unreadable: it is only a memo


def save_memo() -> None:
    """Write the memo if this process learned something new (atomically; errors are ignored)."""
    global _MEMO_DIRTY
    if not (_MEMO_DIRTY and _MEMO_FILE):
        return
    blob = json.dumps({"format": _MEMO_FORMAT, "python": _PYTHON, "files": _MEMO})
    try:
        _MEMO_FILE.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=_MEMO_FILE.parent, prefix=".fingerprints-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(blob)
        os.replace(tmp, _MEMO_FILE)
        _MEMO_DIRTY = False
    except OSError as exc:
        log.debug("could not keep the fingerprint memo (%s)", exc)


@cache
def fingerprint(module: str) -> str:
    """SHA-256 over the normalised code of :func:`closure` ``(module)`` and the package data it
    names: the code part of the key of every result that ``module`` caches."""
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    files: set[Path] = set()
    for name in closure(module):
        digest.update(f"{name} {module_hash(name)}\n".encode())
        files.update(data_files(name))
    for path in sorted(files):
        digest.update(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def unchanged(module: str) -> bool:
    """Whether no file that :func:`fingerprint` ``(module)`` reads was modified after this
    process began importing ``aieng`` (if one was, the code running may not be the code hashed).
    """
    for name in closure(module):
        for path in (source_file(name), *data_files(name)):
            try:
                if path is not None and path.stat().st_mtime > _STARTED:
                    return False
            except OSError:
                return False
    return True


def forget() -> None:
    """Drop what this process has read and hashed (for a process that edits the package)."""
    for memo in (_tree, _facts, _exports, imports, closure, module_hash, data_files, fingerprint):
        memo.cache_clear()
