"""Comparing the code blocks of a translation with its source's: what may change, and what not.

Pages run code while the site builds (markdown-exec) and while the tests run
(pytest-markdown-docs), so a translation may never add, remove or change a block that runs:
executed blocks must be byte-identical (:func:`code_findings`), and so must the Python blocks
pytest runs, up to comments and strings (:func:`tested_findings`). A block that does not run may
translate its comments and the words in its strings (:func:`compare_bodies`).

Example:
    >>> from aieng.text.pages import extract_code_blocks
    >>> [a] = extract_code_blocks("```python\\nprint('안녕')  # 인사\\n```\\n")
    >>> [b] = extract_code_blocks("```python\\nprint('hello')  # greeting\\n```\\n")
    >>> compare_bodies(a, b) is None
    True
    >>> [c] = extract_code_blocks("```python\\nprint(len('hello'))\\n```\\n")
    >>> compare_bodies(a, c)
    "its code differs from the source's; only comments and strings may change"
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize

from aieng.i18n.structure import plural, sequence_findings
from aieng.i18n.translations import Finding
from aieng.text.pages import CodeBlock, Page, is_fence_line, python_blocks_run_by_pytest

_PYTHON = frozenset({"py", "python", "python3", "py3", "pycon", "pyodide"})
_TEXT = frozenset({"", "text", "txt", "plain", "plaintext", "output", "md", "markdown", "console"})
# A block that hands strings to these may not change its strings: they would become code.
_RISKY_NAMES = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "__import__",
        "import_module",
        "system",
        "popen",
        "Popen",
        "run",
        "call",
        "check_call",
        "check_output",
        "getattr",
        "loads",
        "open",
        "execfile",
    }
)
_GENERIC_DROP_RE = re.compile(
    r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|(?:(?<=\s)|^)(?:#|//).*$", re.M
)


def _pycon_code(body: str) -> str:
    """The Python typed at the ``>>>`` and ``...`` prompts of a console session."""
    lines = [line[4:] for line in body.split("\n") if line.startswith((">>> ", "... "))]
    lines += [""] if lines else []
    return "\n".join(line for line in lines)


def _python_shape(code: str) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """(tokens with string contents and comments removed, the strings, whether it is risky).

    f-strings keep their replacement fields (``{expr!r:spec}``) in the shape: those are code.
    Returns None when the code does not tokenize.
    """
    shape, strings, risky = [], [], False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER):
                continue
            if tok.type == tokenize.STRING:
                strings.append(tok.string)
                prefix = re.match(r"[A-Za-z]*", tok.string).group(0).lower()
                fields = ""
                if "f" in prefix:
                    tree = ast.parse(tok.string, mode="eval")
                    fields = "|".join(
                        ast.dump(node.value)
                        + str(node.conversion)
                        + ast.dump(node.format_spec or ast.Constant(""))
                        for node in ast.walk(tree)
                        if isinstance(node, ast.FormattedValue)
                    )
                shape.append(f"STRING:{prefix}:{fields}")
            elif getattr(tokenize, "FSTRING_MIDDLE", None) == tok.type:
                strings.append(tok.string)
            else:
                risky = risky or (tok.type == tokenize.NAME and tok.string in _RISKY_NAMES)
                shape.append(f"{tokenize.tok_name[tok.type]}:{tok.string}")
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return None
    return tuple(shape), tuple(strings), risky


def compare_bodies(source: CodeBlock, translation: CodeBlock) -> str | None:
    """Why a non-executed block's body may not be accepted, or None when it may.

    Python may change comments and the words inside strings (never f-string fields, never the
    strings of a block that passes strings to ``eval``, ``open``, ``subprocess``...); other
    languages may change comments and quoted strings; plain text may change freely. A block whose
    body holds a line that could open a fence must be byte-identical.
    """
    if source.body == translation.body:
        return None
    for block in (source, translation):
        for line in block.body.split("\n"):
            if is_fence_line(line):
                return "a code block that contains fence lines must be byte-identical to the source"
    language = source.language.lower()
    if language in _PYTHON:
        code = _pycon_code if language == "pycon" else (lambda body: body)
        a, b = _python_shape(code(source.body)), _python_shape(code(translation.body))
        if a is None or b is None:
            if a is None and b is None:
                return _compare_generic(source.body, translation.body)
            return "the code does not parse like the source's; only comments and strings may change"
        if a[0] != b[0]:
            return "its code differs from the source's; only comments and strings may change"
        if a[1] != b[1] and (a[2] or b[2]):
            return "its strings changed in a block that passes strings to eval/exec/open/subprocess"
        return None
    if language in _TEXT:
        return None
    return _compare_generic(source.body, translation.body)


def _compare_generic(source: str, translation: str) -> str | None:
    strip = lambda body: _GENERIC_DROP_RE.sub(" ", body).split()  # noqa: E731
    if strip(source) != strip(translation):
        return "its code differs from the source's; only comments and quoted strings may change"
    return None


def code_findings(path: str, src: Page, tr: Page) -> list[Finding]:
    findings = []
    executed = lambda doc: [b for b in doc.blocks if b.executed]  # noqa: E731
    if len(executed(src)) != len(executed(tr)):
        findings.append(
            Finding(
                path,
                0,
                "code",
                f"{plural(len(executed(tr)), 'executed code block')} "
                f"vs {len(executed(src))} in the source",
            )
        )
    findings += sequence_findings(
        path,
        "code",
        "code block",
        src.blocks,
        tr.blocks,
        key=lambda b: (b.prefix.strip(), b.fence, b.info),
        show=lambda b: f"'{b.fence}{b.info}'",
    )
    matcher = difflib.SequenceMatcher(
        a=[(b.prefix.strip(), b.fence, b.info) for b in src.blocks],
        b=[(b.prefix.strip(), b.fence, b.info) for b in tr.blocks],
        autojunk=False,
    )
    number = {id(b): n for n, b in enumerate(src.blocks, start=1)}
    for block in matcher.get_matching_blocks():
        for s, t in zip(  # noqa: B905 - both slices have block.size items
            src.blocks[block.a : block.a + block.size], tr.blocks[block.b : block.b + block.size]
        ):
            where = f"code block {number[id(s)]} (source line {s.line})"
            if s.executed:
                if s.body != t.body or s.prefix != t.prefix:
                    findings.append(
                        Finding(
                            path,
                            t.line,
                            "code",
                            f"executed {where} differs: executed code must be byte-identical",
                        )
                    )
                continue
            reason = compare_bodies(s, t)
            if reason:
                findings.append(Finding(path, t.line, "code", f"{where}: {reason}"))
    return findings


def _as_block(line: int, info: str, code: str) -> CodeBlock:
    """A Python block as pytest sees it, in the form :func:`compare_bodies` takes."""
    return CodeBlock(line, line, "```", "", info, "python", (), code, False)


def tested_findings(path: str, src: Page, tr: Page) -> list[Finding]:
    a, b = python_blocks_run_by_pytest(src.lines), python_blocks_run_by_pytest(tr.lines)
    findings = []
    if len(a) != len(b):
        findings.append(
            Finding(
                path,
                b[0][0] if b else 0,
                "tested",
                f"{plural(len(b), 'Python block')} run by pytest vs {len(a)} in the source",
            )
        )
        return findings  # the other rules say which block; pairing them up here would be noise
    for (sl, si, sc), (tl, ti, tc) in zip(a, b, strict=True):
        reason = (
            "its info string differs"
            if si != ti
            else compare_bodies(_as_block(sl, si, sc), _as_block(tl, ti, tc))
        )
        if reason:
            findings.append(
                Finding(
                    path,
                    tl,
                    "tested",
                    f"the Python block pytest runs at source line {sl}: {reason}",
                )
            )
    return findings
