"""Tests of the translation tooling (``aieng.i18n.check`` and the modules beside it).

The checker is tested with fixture pairs (``tests/fixtures/i18n/ko/<case>.md`` and
``en/<case>.md``), one rule or one smuggling attempt per case; the fence finder is checked
against SuperFences and markdown-exec themselves; staleness, status, the site hook and the
scaffolding of a new language each get known-answer tests; the slow test follows CONTRIBUTING.md
word for word in a copy of the repository and builds the site with a Japanese test language.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.cli import i18n
from aieng.i18n import staleness, translations
from aieng.i18n.check import check_docs, check_page
from aieng.i18n.glossary import load_glossary
from aieng.i18n.scaffold import new_language
from aieng.i18n.staleness import (
    source_hash,
    stamp,
    translation_state,
    translation_status,
)
from aieng.i18n.translations import Finding
from aieng.text import pages
from aieng.text.pages import (
    Admonition,
    Heading,
    Image,
    Link,
    Macro,
    extract_admonitions,
    extract_code_blocks,
    extract_headings,
    extract_html,
    extract_images,
    extract_links,
    extract_macros,
    find_dangerous_html,
    set_front_matter,
)
from aieng.website.banners import outdated_banner, shown_page

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "i18n"

# --------------------------------------------------------------------------- fixture pairs

# case -> (rules with an error, rules with a warning, fragments some message must contain)
EXPECTED: dict[str, tuple[set[str], set[str], list[str]]] = {
    "ok": (set(), set(), []),
    "inline-code-ok": (set(), set(), []),
    "headings-count": (
        {"headings"},
        set(),
        ["3 headings vs 4 in the source", "missing heading '### ... {#notes}'"],
    ),
    "headings-level": (
        {"headings"},
        set(),
        ["'### ... {#try-it}' differs from the source's '## ... {#try-it}'"],
    ),
    "headings-anchor": (
        {"headings"},
        set(),
        ["{#counting}' differs from the source's '## ... {#counting-tokens}'"],
    ),
    "code-extra-executed": (
        {"code", "fences", "tested"},
        set(),
        ["2 executed code blocks vs 1", "4 code blocks vs 3"],
    ),
    "code-removed-executed": (
        {"code", "fences", "tested"},
        set(),
        ["0 executed code blocks vs 1", "2 code blocks vs 3"],
    ),
    "code-changed-executed": ({"code", "tested"}, set(), ["executed code must be byte-identical"]),
    "code-changed-options": (
        {"code", "fences", "tested"},
        set(),
        ['\'```python exec="on" html="1"\' differs'],
    ),
    "code-exec-turned-on": ({"code", "fences", "tested"}, set(), ["2 executed code blocks vs 1"]),
    "code-nonexec-code-changed": (
        {"code", "tested"},
        set(),
        ["only comments and strings may change"],
    ),
    "code-fstring-field": ({"code", "tested"}, set(), ["only comments and strings may change"]),
    "risky-strings": (
        {"code", "tested"},
        set(),
        ["strings changed in a block that passes strings to eval"],
    ),
    "fence-tilde": (
        {"code", "fences", "tested"},
        set(),
        ["extra code block '~~~python exec=\"on\"'"],
    ),
    "fence-length": (
        {"code", "fences", "tested"},
        set(),
        ["'````python' differs from the source's '```python'"],
    ),
    "fence-indented": ({"code", "fences"}, set(), ["2 executed code blocks vs 1"]),
    "fence-quoted": ({"code", "fences", "tested"}, set(), ["2 executed code blocks vs 1"]),
    "fence-braces": ({"code", "fences", "tested"}, set(), ["2 executed code blocks vs 1"]),
    "fence-bare-exec": ({"code", "fences", "tested"}, set(), ["2 executed code blocks vs 1"]),
    "fence-pycon": ({"code", "fences"}, set(), ["2 executed code blocks vs 1"]),
    "fence-in-comment": ({"code", "fences"}, set(), ["2 executed code blocks vs 1"]),
    "fence-pyodide": ({"code", "fences"}, set(), ["2 executed code blocks vs 1"]),
    "exec-markdown-html": (
        {"code", "fences", "html"},
        set(),
        ["2 executed code blocks vs 1", "<script> tag"],
    ),
    "html-script": ({"html"}, {"html"}, ["<script> tag can run script"]),
    "html-iframe": ({"html", "links"}, {"html"}, ["<iframe> tag"]),
    "html-onerror": ({"html", "images"}, {"html"}, ["event handler attribute onerror="]),
    "html-svg-onload": ({"html"}, {"html"}, ["event handler attribute onload="]),
    "html-multiline-handler": ({"html"}, {"html"}, ["event handler attribute onmouseover="]),
    "html-attr-list": ({"html"}, set(), ["event handler attribute onclick="]),
    "html-javascript-link": ({"html", "links"}, set(), ["javascript: URL"]),
    "html-javascript-entity": ({"html", "links"}, {"html"}, ["javascript: URL"]),
    "html-data-url": ({"html", "links"}, set(), ["data:text/html: URL"]),
    "links-changed": (
        {"links"},
        set(),
        ["missing link 'transformer.md#attention'", "extra link 'https://example.org'"],
    ),
    "links-missing": ({"links"}, set(), ["2 links vs 3 in the source"]),
    "images-changed": ({"images"}, set(), ["missing image '../assets/tokens.png'"]),
    "admonitions-changed": (
        {"admonitions"},
        set(),
        ["'!!! note' differs from the source's '!!! warning'"],
    ),
    "claims-changed": ({"macros"}, set(), ["missing macro 'claim:gpt4-example-tokens.measured'"]),
    "jinja-added": ({"macros"}, set(), ["extra macro 'jinja:{{ config.extra }}'"]),
    "snippet-added": ({"macros"}, set(), ["extra macro 'snippet:--8<-- \"secrets.md\"'"]),
    "meta-template": ({"meta"}, set(), ["front matter key 'template' differs"]),
    "meta-description-fence": (
        {"meta", "fences", "tested"},
        set(),
        ["'description' must be one line"],
    ),
    "tested-extra-python": (
        {"code", "fences", "tested"},
        set(),
        ["3 Python blocks run by pytest vs 2"],
    ),
    "untranslated-with-content": ({"untranslated"}, set(), ["must have no content"]),
    "stale": (set(), {"stale"}, ["is outdated: ko/stale.md changed"]),
    "unstamped": (set(), {"stale"}, ["has no source_hash"]),
    "glossary": (
        set(),
        {"glossary"},
        ["'예측' is on the source page (line 3) but its translation 'predict'"],
    ),
    "html-tags": (set(), {"html"}, ["extra HTML tag 'br'"]),
    # British spellings, in prose and in a block that does not run (translated text)
    "spelling": (
        set(),
        {"spelling"},
        ["write 'labeled', not 'labelled'", "write 'favorite', not 'favourite'"],
    ),
    "orphan": ({"orphan"}, set(), ["no source page ko/orphan.md"]),
}


@pytest.fixture(scope="module")
def fixture_findings() -> dict[str, list[Finding]]:
    by_case: dict[str, list[Finding]] = defaultdict(list)
    for finding in check_docs(FIXTURES):
        by_case[Path(finding.path).stem].append(finding)
    return by_case


def test_every_fixture_has_an_expectation() -> None:
    cases = {p.stem for p in (FIXTURES / "en").glob("*.md")}
    assert cases == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_fixture_pair(case: str, fixture_findings: dict[str, list[Finding]]) -> None:
    errors, warnings, fragments = EXPECTED[case]
    findings = fixture_findings.get(case, [])
    assert {f.rule for f in findings if f.severity == "error"} == errors, "\n".join(
        map(str, findings)
    )
    assert {f.rule for f in findings if f.severity == "warning"} == warnings, "\n".join(
        map(str, findings)
    )
    messages = "\n".join(f.message for f in findings)
    for fragment in fragments:
        assert fragment in messages
    for finding in findings:
        assert finding.path.endswith(f"en/{case}.md")
        assert str(finding).startswith(
            f"{finding.path}:{finding.line}: {finding.severity}: [{finding.rule}] "
        )


def test_findings_point_at_the_translation_line() -> None:
    source = (FIXTURES / "ko" / "ok.md").read_text(encoding="utf-8")
    translation = (FIXTURES / "en" / "fence-tilde.md").read_text(encoding="utf-8")
    extra = [f for f in check_page(source, translation) if f.message.startswith("extra code block")]
    assert len(extra) == 1
    assert translation.splitlines()[extra[0].line - 1] == '~~~python exec="on"'


def test_cli_check_exit_status_and_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for lang in ("ko", "en"):
        (tmp_path / lang).mkdir()
    shutil.copy(FIXTURES / "ko" / "ok.md", tmp_path / "ko" / "ok.md")
    shutil.copy(FIXTURES / "en" / "ok.md", tmp_path / "en" / "ok.md")
    assert i18n.main(["check", "--docs", str(tmp_path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out

    # An outdated page is a warning, and an error with --strict.
    page = tmp_path / "ko" / "ok.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
    assert i18n.main(["check", "--docs", str(tmp_path)]) == 0
    assert "[stale]" in capsys.readouterr().out
    assert i18n.main(["check", "--docs", str(tmp_path), "--strict"]) == 1
    assert "error: [stale]" in capsys.readouterr().out

    assert i18n.main(["check", "--docs", str(FIXTURES)]) == 1


def test_real_docs_pass_the_checker() -> None:
    """The site's own translations have no errors (outdated pages and glossary are warnings)."""
    findings = check_docs(ROOT / "docs")
    assert [str(f) for f in findings if f.severity == "error"] == []


# --------------------------------------------------------------------------- extractors


def test_extract_headings_levels_anchors_and_setext() -> None:
    text = (
        "---\ntitle: T\n---\n# 제목 {#title}\n\n텍스트\n\n절 제목\n------\n\n"
        "### 소절 { #sub .x }\n```\n# not a heading\n```\n"
    )
    assert extract_headings(text) == [
        Heading(4, 1, "제목", "title"),
        Heading(8, 2, "절 제목", None),
        Heading(11, 3, "소절", "sub"),
    ]


def test_extract_code_blocks_follow_superfences() -> None:
    text = "\n".join(
        [
            '```python exec="on" session="a"',  # 1
            "print(1)",
            "```",
            "~~~~text",  # 4
            "```",  # a shorter fence of another kind is content
            "~~~~",
            "- item",
            "",
            '    ```{.python exec="1"}',  # 9: nested in a list, attribute form
            "    x = 1",
            "    ```",
            '> ```pycon exec="yes"',  # 12: quoted
            "> >>> 1 + 1",
            "> ```",
            '```python exec="on"',  # 15: never closed: not a block
            "print('never')",
        ]
    )
    blocks = extract_code_blocks(text)
    assert [(b.line, b.end_line, b.fence, b.language, b.executed) for b in blocks] == [
        (1, 3, "```", "python", True),
        (4, 6, "~~~~", "text", False),
        (9, 11, "```", "python", True),
        (12, 14, "```", "pycon", True),
    ]
    assert blocks[0].options == (("exec", "on"), ("session", "a"))
    assert blocks[1].body == "```"
    assert blocks[2].body == "x = 1" and blocks[2].prefix == "    "
    assert blocks[3].body == ">>> 1 + 1"


def test_a_less_indented_line_abandons_a_nested_fence() -> None:
    # SuperFences drops a nested block whose content leaves its indentation; so does the parser.
    text = '- item\n\n    ```python exec="on"\nprint(1)\n    ```\n'
    assert extract_code_blocks(text) == []


@pytest.mark.parametrize(
    ("info", "executed"),
    [
        ('python exec="on"', True),
        ('python exec="1"', True),
        ('python exec="true"', True),
        ('python exec="yes please"', True),
        ("python exec", True),
        ('{.python exec="on"}', True),
        ('pycon exec="on"', True),
        ('bash exec="1"', True),
        ('md exec="on"', True),
        ("pyodide", True),
        ("tree", True),
        ('python exec="off"', False),
        ('python exec="0"', False),
        ("python", False),
        ('text exec="on"', False),
        ('python title="x.py"', False),
    ],
)
def test_executed_as_markdown_exec_decides(info: str, executed: bool) -> None:
    from markdown_exec import formatters, validator

    language, options, form = pages.parse_info(info)
    assert pages.is_executed(language, options) is executed
    if language in formatters and language not in {"tree", "pyodide"}:  # others never reach it
        md = SimpleNamespace()
        assert bool(validator(language, dict(options), {}, {}, md)) is executed


def _superfences_executed(text: str) -> list[tuple[str, str]]:
    """(language, code) of each block markdown-exec would run, found by SuperFences itself."""
    import markdown
    from markdown_exec import formatters, validator

    ran: list[tuple[str, str]] = []

    def record(src: str, language: str, *args: object, **kwargs: object) -> str:
        ran.append((language, src))
        return ""

    fences = [
        {"name": lang, "class": lang, "validator": validator, "format": record}
        for lang in formatters
    ]
    markdown.Markdown(
        extensions=["pymdownx.superfences", "admonition", "md_in_html"],
        extension_configs={"pymdownx.superfences": {"custom_fences": fences}},
    ).convert(text)
    return ran


_LINES = st.sampled_from(
    [
        "",
        "text",
        "- item",
        "> quote",
        "!!! note",
        "<!--",
        "-->",
        "<div markdown>",
        "</div>",
        "```",
        "````",
        "~~~",
        '```python exec="on"',
        '~~~python exec="on"',
        '````python exec="1"',
        '```python exec="0"',
        '~~~python exec="off" title="t"',
        "```python",
        "```text",
        '```{.python exec="on"}',
        "```python exec",
        '```pycon exec="on"',
        "print(1)",
        ">>> 1 + 1",
        '> ```python exec="on"',
        "> print(2)",
        "> ```",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "", "    ", "  ", "\t"]), _LINES), max_size=14))
def test_executed_blocks_agree_with_superfences(lines: list[tuple[str, str]]) -> None:
    """Whatever the nesting, fence lengths and kinds, the parser finds exactly the blocks that
    SuperFences hands to markdown-exec, with the same code."""
    text = "\n".join(indent + line for indent, line in lines) + "\n"
    ours = [(b.language, b.body) for b in extract_code_blocks(text) if b.executed]
    assert ours == _superfences_executed(text)


def test_extract_links_images_and_kinds() -> None:
    text = (
        '[a](x.md#y "t") and ![i](p.png) and <https://a.org> and https://b.org/c.\n'
        "`[not](code.md)` [^1]\n\n[ref]: https://r.org\n"
        "<a href='h.html'>h</a> <img src=\"q.svg\">\n"
    )
    assert extract_links(text) == [
        Link(1, "x.md#y", "link"),
        Link(1, "https://a.org", "autolink"),
        Link(1, "https://b.org/c", "url"),
        Link(2, "^1", "footnote"),
        Link(4, "https://r.org", "reference"),
        Link(5, "h.html", "html"),
    ]
    assert extract_images(text) == [Image(1, "p.png"), Image(5, "q.svg")]


def test_extract_admonitions_blocks_and_tabs() -> None:
    text = (
        '!!! tip "팁"\n    x\n\n???+ note\n    y\n\n'
        '/// details | 자세히\nz\n///\n\n=== "탭"\n    w\n'
    )
    assert extract_admonitions(text) == [
        Admonition(1, "tip", "!!!", "팁"),
        Admonition(4, "note", "???+", ""),
        Admonition(7, "details", "///", "자세히"),
        Admonition(11, "tab", "===", "탭"),
    ]


def test_extract_macros_and_html() -> None:
    text = (
        "값은 [[claim:gpt4-vocab]]와 [[claim:ratio.book]]\n`[[claim:in-code]]`\n"
        '{{ x }}\n--8<-- "a.md"\n<br>\n'
    )
    assert extract_macros(text) == [
        Macro(1, "claim", "gpt4-vocab"),
        Macro(1, "claim", "ratio.book"),
        Macro(3, "jinja", "{{ x }}"),
        Macro(4, "snippet", '--8<-- "a.md"'),
    ]
    assert [h.tag for h in extract_html(text)] == ["br"]


@pytest.mark.parametrize(
    "snippet",
    [
        "<SCRIPT>x</SCRIPT>",
        "</script>",
        "<object data=x>",
        "<embed src=x>",
        "<base href=x>",
        '<meta http-equiv="refresh">',
        "<form action=x>",
        "<style>",
        "<div OnClick=x>",
        '<a href="JaVaScRiPt:x">',
        "[x](java\tscript:x)",
        "[x]( &#106;avascript:x)",
        "[x]: vbscript:x",
        "<img src='data:image/svg+xml;base64,x'>",
        "{: onfocus='x' }",
    ],
)
def test_dangerous_html_is_found(snippet: str) -> None:
    assert find_dangerous_html(f"텍스트\n{snippet}\n") != []


@pytest.mark.parametrize(
    "snippet",
    [
        "JavaScript: a language",
        "a < script",
        "online=True",
        "<div class=x>",
        "[x](https://a.org/javascript)",
        "<scripts>",
    ],
)
def test_harmless_text_is_not_dangerous(snippet: str) -> None:
    assert find_dangerous_html(snippet) == []


def test_python_blocks_may_translate_comments_and_strings_only() -> None:
    source = '```python\n# 인사\nprint("안녕")\n```\n'
    assert check_page(source, '```python\n# Greeting\nprint("Hello")\n```\n') == []
    changed = check_page(source, '```python\n# Greeting\nprint("Hello"); x = 1\n```\n')
    assert [f.rule for f in changed] == ["code", "tested"]


# --------------------------------------------------------------------------- staleness


def test_source_hash_ignores_front_matter_and_line_endings() -> None:
    body = "# 제목\n\n본문\n"
    assert source_hash(body) == source_hash("---\ntitle: 제목\nsource_hash: 123\n---\n" + body)
    assert source_hash(body) == source_hash(body.replace("\n", "\r\n"))
    assert source_hash(body) != source_hash(body + " ")
    # Known answer: SHA-256 of the UTF-8 body, first 12 hex digits.
    import hashlib

    assert source_hash(body) == hashlib.sha256(body.encode()).hexdigest()[:12]


def test_stamp_records_the_source_hash_and_only_that(tmp_path: Path) -> None:
    (tmp_path / "ko").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "ko" / "p.md").write_text("---\ntitle: 원문\n---\n# 제목\n", encoding="utf-8")
    page = tmp_path / "en" / "p.md"
    page.write_text("---\ntitle: Original\n---\n# Title\n", encoding="utf-8")
    digest = stamp(page)
    assert digest == source_hash("# 제목\n")
    assert (
        page.read_text(encoding="utf-8")
        == f"---\ntitle: Original\nsource_hash: {digest}\n---\n# Title\n"
    )
    assert stamp(page) == digest  # idempotent
    assert (
        translation_state(
            (tmp_path / "ko" / "p.md").read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
        )
        == "current"
    )
    (tmp_path / "ko" / "p.md").write_text("# 새 제목\n", encoding="utf-8")
    assert translation_state("# 새 제목\n", page.read_text(encoding="utf-8")) == "outdated"

    stub = tmp_path / "en" / "q.md"
    (tmp_path / "ko" / "q.md").write_text("# 큐\n", encoding="utf-8")
    stub.write_text("---\nuntranslated: true\n---\n", encoding="utf-8")
    with pytest.raises(ValueError, match="untranslated"):
        stamp(stub)
    with pytest.raises(FileNotFoundError, match="not a translation"):
        stamp(tmp_path / "ko" / "p.md")


def test_set_front_matter_keeps_other_keys() -> None:
    text = "---\ntitle: T\nhide:\n  - toc\n---\nbody\n"
    assert (
        set_front_matter(text, "source_hash", "abc")
        == "---\ntitle: T\nhide:\n  - toc\nsource_hash: abc\n---\nbody\n"
    )
    assert set_front_matter("---\nuntranslated: true\n---\nx\n", "untranslated", None) == "x\n"


def test_status_counts_translated_outdated_and_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ko").mkdir()
    (tmp_path / "en").mkdir()
    for name in "abcd":
        (tmp_path / "ko" / f"{name}.md").write_text(f"# {name} 원문\n", encoding="utf-8")
    (tmp_path / "en" / "a.md").write_text("# a\n", encoding="utf-8")
    stamp(tmp_path / "en" / "a.md")  # translated
    (tmp_path / "en" / "b.md").write_text(
        "---\nsource_hash: 000000000000\n---\n# b\n", encoding="utf-8"
    )  # outdated
    (tmp_path / "en" / "c.md").write_text(
        "---\nuntranslated: true\n---\n", encoding="utf-8"
    )  # missing (stub)
    [status] = translation_status(tmp_path)  # d.md: missing (no file)
    assert (status.language, status.pages, status.translated, status.outdated, status.missing) == (
        "en",
        4,
        1,
        1,
        2,
    )
    assert status.percent == 25.0
    assert status.outdated_pages == ("b.md",) and status.missing_pages == ("c.md", "d.md")

    assert i18n.main(["status", "--docs", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == "ko"
    assert report["languages"][0] | {} == status.to_dict()
    assert i18n.main(["status", "--docs", str(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "language",
        "pages",
        "translated",
        "outdated",
        "missing",
        "complete",
    ]
    assert table[1].split() == ["en", "4", "1", "1", "2", "25.0%"]
    assert (
        "| Language | Pages | Translated | Outdated | Missing | Complete |"
        in staleness.status_markdown(tmp_path, lang="en")
    )
    assert "| 언어 | 페이지 |" in staleness.status_markdown(tmp_path, lang="ko")


# --------------------------------------------------------------------------- the site hook


def _page(docs: Path, src_uri: str, url: str) -> tuple[SimpleNamespace, dict[str, object]]:
    meta, _, _ = pages.split_front_matter((docs / src_uri).read_text(encoding="utf-8"))
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta, url=url)
    return page, {"docs_dir": str(docs), "plugins": {}}


def test_shown_page_banner_stub_and_current(tmp_path: Path) -> None:
    (tmp_path / "ko" / "1.1").mkdir(parents=True)
    (tmp_path / "en" / "1.1").mkdir(parents=True)
    (tmp_path / "ko" / "1.1" / "x.md").write_text("# 원문\n", encoding="utf-8")
    translation = tmp_path / "en" / "1.1" / "x.md"

    translation.write_text("# Original\n", encoding="utf-8")
    stamp(translation)
    page, config = _page(tmp_path, "en/1.1/x.md", "en/1.1/x/")
    shown = shown_page("# Original\n", page=page, config=config)
    assert (shown.text, shown.src_uri, shown.banner, shown.stub) == (
        "# Original\n",
        "en/1.1/x.md",
        "",
        False,
    )

    (tmp_path / "ko" / "1.1" / "x.md").write_text("# 바뀐 원문\n", encoding="utf-8")
    shown = shown_page("# Original\n", page=page, config=config)
    assert shown.text == "# Original\n" and "aieng-outdated" in shown.banner
    assert 'href="../../../1.1/x/"' in shown.banner and "Read the Korean original" in shown.banner

    translation.write_text("---\nuntranslated: true\n---\n", encoding="utf-8")
    page, config = _page(tmp_path, "en/1.1/x.md", "en/1.1/x/")
    shown = shown_page("", page=page, config=config)
    assert (shown.text, shown.src_uri, shown.banner, shown.stub) == (
        "# 바뀐 원문\n",
        "ko/1.1/x.md",
        "",
        True,
    )

    translation.write_text("# Original\n", encoding="utf-8")  # no source_hash at all
    page, config = _page(tmp_path, "en/1.1/x.md", "en/1.1/x/")
    assert (
        "does not record which version"
        in shown_page("# Original\n", page=page, config=config).banner
    )

    page, config = _page(tmp_path, "ko/1.1/x.md", "1.1/x/")
    assert shown_page("# 바뀐 원문\n", page=page, config=config).banner == ""


def test_outdated_banner_speaks_the_readers_language() -> None:
    assert "原文" in outdated_banner("ja", "x/")
    assert "원문" in outdated_banner("ko", "x/")
    assert "Korean original" in outdated_banner("fr", "x/")  # unknown: English


# --------------------------------------------------------------------------- a new language

_MKDOCS = """\
site_name: 테스트
site_url: !ENV AIENG_SITE_URL
nav:
  - 목차: index.md
  - 1.2 (준비 중): 1.2.md
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - i18n:
      docs_structure: folder
      languages:
        # the source
        - locale: ko
          name: 한국어
          default: true
        - locale: en
          name: English
          nav_translations:
            목차: Contents
  - aieng  # after i18n
"""


def test_new_language_edits_mkdocs_yml_as_text_and_writes_stubs(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(_MKDOCS, encoding="utf-8")
    (tmp_path / "docs" / "ko" / "1.1").mkdir(parents=True)
    for page in ("index.md", "1.2.md", "1.1/x.md"):
        (tmp_path / "docs" / "ko" / page).write_text("# 원문\n", encoding="utf-8")

    changed = new_language("ja", root=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in changed] == [
        "mkdocs.yml",
        "docs/ja/1.1/x.md",
        "docs/ja/1.2.md",
        "docs/ja/index.md",
    ]
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    # Only lines were added: tags, comments and order are as they were.
    import difflib

    ops = difflib.SequenceMatcher(
        a=_MKDOCS.splitlines(), b=text.splitlines(), autojunk=False
    ).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}
    assert (
        "!!python/name:material.extensions.emoji.twemoji" in text and "!ENV AIENG_SITE_URL" in text
    )
    [ja] = [
        e
        for e in translations.i18n_languages(
            translations.read_mkdocs_config(tmp_path / "mkdocs.yml")
        )
        if e["locale"] == "ja"
    ]
    assert ja == {
        "locale": "ja",
        "name": "日本語",
        "build": True,
        "nav_translations": {"목차": "Contents", "1.2 (준비 중)": "1.2 (준비 중)"},
    }
    assert pages.split_front_matter(
        (tmp_path / "docs" / "ja" / "1.2.md").read_text(encoding="utf-8")
    )[0] == {"untranslated": True}
    assert translation_status(tmp_path / "docs")[-1].missing == 3

    # Again: nothing changes but the stub of a new source page.
    (tmp_path / "docs" / "ko" / "new.md").write_text("# 새 페이지\n", encoding="utf-8")
    assert new_language("ja", root=tmp_path) == [tmp_path / "docs" / "ja" / "new.md"]
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("language", "error"), [("ja jp", ValueError), ("ko", ValueError), ("JA", ValueError)]
)
def test_new_language_rejects_bad_codes(
    tmp_path: Path, language: str, error: type[Exception]
) -> None:
    (tmp_path / "mkdocs.yml").write_text(_MKDOCS, encoding="utf-8")
    (tmp_path / "docs" / "ko").mkdir(parents=True)
    with pytest.raises(error):
        new_language(language, root=tmp_path)
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == _MKDOCS


# --------------------------------------------------------------------------- glossary


def test_glossary_is_well_formed() -> None:
    terms = [t for t in load_glossary() if t.ko]
    assert len(terms) >= 20
    assert all(t.renderings.get("en") for t in terms)
    assert len({t.ko[0] for t in terms}) == len(terms)  # one entry per term


def test_glossary_spelling_rules_are_american() -> None:
    rules = {t.avoid["en"][0]: t.renderings["en"][0] for t in load_glossary() if t.avoid}
    assert rules["labelled"] == "labeled" and rules["memorises"] == "memorizes"
    assert "colour" not in rules  # the pages quote Shakespeare's spelling
    assert all(" " not in word and word != use for word, use in rules.items())


def test_spelling_warnings_name_the_line() -> None:
    source = (FIXTURES / "ko" / "spelling.md").read_text(encoding="utf-8")
    translation = (FIXTURES / "en" / "spelling.md").read_text(encoding="utf-8")
    found = [f for f in check_page(source, translation, glossary=load_glossary())]
    lines = translation.splitlines()
    assert [f.rule for f in found] == ["spelling", "spelling"]
    assert "labelled" in lines[found[0].line - 1] and "favourite" in lines[found[1].line - 1]


def test_real_translations_use_american_spelling() -> None:
    findings = check_docs(ROOT / "docs")
    assert [str(f) for f in findings if f.rule == "spelling"] == []


# --------------------------------------------------------------------------- the guide, followed


def _guide_commands(path: Path, sections: list[str]) -> list[tuple[str, str]]:
    """(section, command) for every line of the ``bash`` blocks of ``sections``, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for title in sections:
        match = re.search(rf"^## {re.escape(title)}\n(?P<body>.*?)(?=^## |\Z)", text, re.M | re.S)
        assert match, f"CONTRIBUTING.md has no section '## {title}'"
        for block in re.findall(r"^```bash\n(.*?)^```", match["body"], re.M | re.S):
            found += [
                (title, line.strip())
                for line in block.splitlines()
                if line.strip() and not line.startswith("#")
            ]
    return found


@pytest.mark.slow
def test_contributing_guide_scaffolds_and_builds_a_new_language(tmp_path: Path) -> None:
    """Follow CONTRIBUTING.md word for word in a copy of the repository: add Japanese, build,
    translate a page, stamp, check, build again; the site has Japanese in its switcher.

    The only thing done by hand is what the guide asks a person to do (translate the prose);
    the guide's pytest command is the one that runs this test, so it is not run again here.
    Examples are not executed (``AIENG_EXEC=off``): this test is about configuration, and the
    site's own build runs every example.
    """
    repo = tmp_path / "repo"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    env = {
        **os.environ,
        "AIENG_EXEC": "off",
        "PYTHONPATH": str(repo),
        "NO_MKDOCS_2_WARNING": "1",
        "AIENG_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    commands = _guide_commands(
        ROOT / "CONTRIBUTING.md", ["Add a language", "Translate a page", "Check your work"]
    )
    assert any(c == "python -m aieng i18n new ja" for _, c in commands)
    translated = False
    for section, command in commands:
        if re.match(r"(python -m )?pytest\b", command):
            continue
        if command.startswith("python -m aieng i18n stamp") and not translated:
            page = repo / command.split()[-1]
            text = (
                page.read_text(encoding="utf-8")
                .replace("다음 절", "次の節")
                .replace("준비 중", "準備中")
            )
            page.write_text(text, encoding="utf-8")  # the person translating
            translated = True
        result = subprocess.run(
            command, shell=True, cwd=repo, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, f"{section}: {command}\n{result.stdout}\n{result.stderr}"
    assert translated

    site = repo / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'hreflang="ja"', home) and "日本語" in home  # in the switcher
    stub = (site / "ja" / "1.1" / "transformer" / "index.html").read_text(encoding="utf-8")
    assert "aieng-fallback" in stub and "Transformer" in stub  # the Korean page, with the banner
    translated_page = (site / "ja" / "1.2" / "index.html").read_text(encoding="utf-8")
    assert (
        "次の節" in translated_page
        and "aieng-fallback" not in translated_page
        and "aieng-outdated" not in translated_page
    )


# --------------------------------------------------------------------------- English style

_MINOR_WORDS = {
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in",
    "of", "on", "to", "up", "via", "vs", "with", "from", "into", "per",
}  # fmt: skip


def title_case_slips(heading: str) -> list[str]:
    """Words of ``heading`` that Title Case would capitalize: every word but the minor ones
    (articles, short conjunctions and prepositions) after the first, each part of a hyphenated
    word too; words with digits, code or symbols are left alone.

    Example: "Counting for ourselves" -> ["ourselves"].
    """
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\S+", re.sub(r"`[^`]*`", " ", heading))
    slips = []
    for i, word in enumerate(words):
        for part in word.split("-"):
            if not part or not part[0].isalpha() or part[0].isupper():
                continue
            if i > 0 and part.lower() in _MINOR_WORDS:
                continue
            slips.append(part)
    return slips


def test_title_case_slips_are_found() -> None:
    assert title_case_slips("Counting for ourselves: letter frequencies") == [
        "ourselves", "letter", "frequencies",
    ]  # fmt: skip
    assert title_case_slips('Why the Term "AI Engineering"?') == []
    assert title_case_slips("Task-Specific → General-Purpose") == []
    assert title_case_slips("Self-supervised learning") == ["supervised", "learning"]


def test_english_headings_are_title_case() -> None:
    """The chapter's headings are Title Case; headings the site adds follow them."""
    slips = []
    for path in sorted((ROOT / "docs" / "en").rglob("*.md")):
        for heading in extract_headings(path.read_text(encoding="utf-8")):
            found = title_case_slips(heading.text)
            if found:
                slips.append(f"{path.relative_to(ROOT)}:{heading.line}: {heading.text!r} {found}")
    assert slips == []
