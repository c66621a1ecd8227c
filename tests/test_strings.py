"""The one string table (aieng/data/strings.toml) and its one fallback rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from aieng.core import strings

PACKAGE = Path(__file__).resolve().parents[1] / "aieng"


def test_every_key_exists_in_korean_and_english() -> None:
    assert strings.missing() == []


def test_a_scaffolded_language_reads_english_and_a_typo_is_an_error() -> None:
    assert strings.words("tokens", "ja") == strings.words("tokens", "en")
    with pytest.raises(ValueError, match="locale code"):
        strings.words("tokens", "korean")


def test_unknown_keys_name_what_exists() -> None:
    with pytest.raises(strings.UnknownStringError, match="tokens has: count"):
        strings.word("tokens", "cuont", "en")
    with pytest.raises(strings.UnknownStringError, match="areas:"):
        strings.word("tokenz", "count", "en")


def test_every_area_and_key_the_code_names_exists() -> None:
    """Each literal ``word("area", "key", ...)`` or ``words("area", ...)`` names a real entry."""
    table = strings.table()
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            literal = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
            if name == "words" and literal and literal[0] not in table:
                wrong.append(f"{path.name}:{node.lineno} {literal[0]}")
            if name == "word" and len(literal) == 2:
                area, key = literal
                if area not in table or key not in table[area]["en"]:
                    wrong.append(f"{path.name}:{node.lineno} {area}.{key}")
    assert not wrong, wrong


def test_no_module_keeps_its_own_korean_table() -> None:
    """Korean text printed by the package lives in the table, not in code (docstrings and
    comments may quote Korean; the checks' ledger wording lives in the claims data file)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        hangul = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and id(n) not in docstrings
            and any("\uac00" <= c <= "\ud7a3" for c in n.value)
        ]
        if hangul:
            offenders.append(f"{path.relative_to(PACKAGE)} lines {hangul[:5]}")
    assert not offenders, "move these into aieng/data/strings.toml:\n" + "\n".join(offenders)


def test_every_table_header_names_each_column() -> None:
    """A column whose header is empty leaves its cells without a header for screen readers
    (Lighthouse's ``td-has-header``): the row labels' column is named too ("Measure", "항목")."""
    unnamed = [
        f"{area}.{lang}.{key}: {text}"
        for area, languages in strings.table().items()
        for lang, keys in languages.items()
        for key, text in keys.items()
        if key.endswith("_head")
        and text.startswith("|")
        and any(not cell.strip() for cell in text.strip().strip("|").split("|"))
    ]
    assert not unnamed, "\n".join(unnamed)
