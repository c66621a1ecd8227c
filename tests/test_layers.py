"""The package's shape: layers that import only downwards, no cycles, small modules, and names that
shadow nothing.

Every ``import`` in ``aieng/`` is read with :mod:`ast` (function-level imports included, since they
run just the same), so the test sees what Python would import, without importing anything.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

import pytest

from aieng.layers import LAYERS, layer_of

PACKAGE = Path(__file__).resolve().parents[1] / "aieng"
MAX_LINES = 420  # "about 400": room for a docstring's last example, not for a second concept
# Third-party packages that only the website layer may import (the site generator and its parts).
SITE_GENERATOR = {"mkdocs", "material", "mkdocs_static_i18n", "markdown", "pymdownx", "griffe"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, at module level) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + [base]
                ).strip(".")
            for alias in node.names:
                full = f"{base}.{alias.name}"
                # "from aieng.text import corpus" imports the module aieng.text.corpus
                target = (
                    full
                    if (PACKAGE.parent / (full.replace(".", "/") + ".py")).exists()
                    or (PACKAGE.parent / full.replace(".", "/")).is_dir()
                    else base
                )
                found.append((node.lineno, target, id(node) in top))
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {
    name: sorted(
        {t for _, t, _ in _imports(path) if t.startswith("aieng.") and t in MODULES and t != name}
    )
    for name, path in MODULES.items()
}


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = [
        m
        for m in MODULES
        if m not in ("aieng", "aieng.__main__", "aieng.layers") and layer_of(m) is None
    ]
    assert not unplaced, f"modules outside every layer of aieng.layers.LAYERS: {unplaced}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name: str) -> None:
    """A module imports its own subpackage or a lower layer, never a higher one or a sibling."""
    here = layer_of(name)
    if here is None:  # the package root and __main__ re-export and dispatch: they sit on top
        return
    wrong = []
    for line, target, _ in _imports(MODULES[name]):
        there = layer_of(target)
        if there is None or target.split(".")[:2] == name.split(".")[:2]:
            continue
        if there >= here:
            wrong.append(f"line {line}: {target} ({LAYERS[there]} is not below {LAYERS[here]})")
    assert not wrong, f"{name} imports against the layers:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    """Depth-first search over every import edge, function-level imports included."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in GRAPH.get(node, []):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in GRAPH:
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_site_generator_is_imported_by_the_website_layer_only() -> None:
    wrong = [
        f"{name} line {line}: {target}"
        for name, path in MODULES.items()
        if not name.startswith("aieng.website")
        for line, target, _ in _imports(path)
        if target.split(".")[0] in SITE_GENERATOR
    ]
    assert not wrong, "only aieng.website may import the site generator:\n" + "\n".join(wrong)


def test_page_facing_code_never_imports_torch_at_module_level() -> None:
    """A warm build must not pay for torch: only models and training import it at the top."""
    allowed = ("aieng.models.", "aieng.training.")
    wrong = [
        f"{name} line {line}"
        for name, path in MODULES.items()
        if not name.startswith(allowed)
        for line, target, top in _imports(path)
        if top and target.split(".")[0] == "torch"
    ]
    assert not wrong, "torch imported at module level outside models and training:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_small(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"{name} has {lines} lines; split it by concept (at most {MAX_LINES})"
    )


def test_names_shadow_nothing_the_build_imports() -> None:
    """No module or subpackage is named like a standard-library module or an installed package,
    so no entry on ``sys.path`` can make ``import site`` or ``import build`` find ours."""
    installed = {
        top
        for dist in importlib.metadata.distributions()
        for top in (dist.read_text("top_level.txt") or "").split()
    } | {
        (dist.metadata["Name"] or "").lower().replace("-", "_")
        for dist in importlib.metadata.distributions()
    }
    taken = (set(sys.stdlib_module_names) | installed) - {"aieng"}
    names = {part for m in MODULES for part in m.split(".")[1:]} - {"__init__", "__main__"}
    clashes = sorted(names & taken)
    assert not clashes, f"aieng modules named like modules the build can import: {clashes}"
