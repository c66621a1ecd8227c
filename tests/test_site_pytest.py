"""Pages' code blocks under pytest (``conftest.py``): page language, sessions, quiet output.

Each test runs pytest on a small ``docs/`` tree in a temporary folder with the project's
``conftest.py``, so what is checked is the conftest that ships.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

SESSION_PAGE = textwrap.dedent(
    """\
    # Page {{#page}}

    ```python exec="on" session="demo"
    answer = 41
    ```

    Some text between the blocks.

    ```python exec="on" session="demo"
    from aieng import page_language

    assert answer + 1 == 42
    assert page_language() == "{lang}", page_language()
    print("THE PAGE'S OUTPUT")
    ```

    ```python exec="on"
    assert "answer" not in globals(), "a block outside the session must not see it"
    ```
    """
)


@pytest.fixture
def docs_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    for lang in ("ko", "en"):
        page = pytester.path / "docs" / lang / "page.md"
        page.parent.mkdir(parents=True)
        page.write_text(SESSION_PAGE.format(lang=lang), encoding="utf-8")
    return pytester


def test_session_blocks_share_state_and_know_their_page_language(docs_project):
    result = docs_project.runpytest("--markdown-docs", "-p", "no:cacheprovider", "docs")
    result.assert_outcomes(passed=6)
    assert "THE PAGE'S OUTPUT" not in result.stdout.str()  # kept, shown only on failure


def test_a_selected_session_block_still_runs_after_its_predecessors(docs_project):
    block = "docs/en/page.md::[CodeFence#2][line:9]"  # the session's second block, alone
    result = docs_project.runpytest("--markdown-docs", "-p", "no:cacheprovider", block)
    result.assert_outcomes(passed=1)


def test_a_failing_block_reports_its_page_output(docs_project):
    page = docs_project.path / "docs" / "ko" / "broken.md"
    page.write_text(
        '# Broken {#broken}\n\n```python exec="on"\nprint("before the error")\n1 / 0\n```\n',
        encoding="utf-8",
    )
    result = docs_project.runpytest("--markdown-docs", "-p", "no:cacheprovider", str(page))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ZeroDivisionError*", "*before the error*"])
