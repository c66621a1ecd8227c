"""The site: configuration, one plugin, page language, loud example failures, run-once builds,
fallbacks.

The build tests build tiny sites in ``tmp_path`` that inherit the real ``mkdocs.yml`` (theme,
plugins, strictness) and replace its pages, so they exercise the configuration that ships.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.utils.yaml import yaml_load

from aieng.book.chapter import PAGES
from aieng.core import lang as page_lang
from aieng.text import pages as parser
from aieng.tools.sitebuild import BuildOptions, build_site
from aieng.website import banners, execution, plugin, receipt, search

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGUAGES = ("ko", "en")
CHAPTER = list(PAGES)  # the chapter's pages, in order


def _config() -> dict:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as fh:
        return yaml_load(fh)


def _plugins(config: dict) -> dict[str, dict]:
    plugins: dict[str, dict] = {}
    for entry in config["plugins"]:
        if isinstance(entry, str):
            plugins[entry] = {}
        else:
            plugins.update(entry)
    return plugins


# --------------------------------------------------------------------------- configuration


def test_config_is_strict_and_validates_links_and_anchors():
    config = _config()
    assert config["strict"] is True
    for check in ("omitted_files", "absolute_links", "unrecognized_links", "anchors"):
        assert config["validation"][check] == "warn", check  # strict turns warnings into errors


def test_theme_uses_no_web_fonts_and_has_both_schemes_and_code_copy():
    theme = _config()["theme"]
    assert theme["name"] == "material"
    assert theme["font"] is False
    assert theme["language"] == "ko"
    assert "content.code.copy" in theme["features"]
    assert {p["scheme"] for p in theme["palette"]} == {"default", "slate"}
    assert all("toggle" in p for p in theme["palette"])


def test_plugins_bilingual_executed_and_documented():
    plugins = _plugins(_config())
    for name in ("search", "i18n", "markdown-exec", "mkdocstrings", "aieng"):
        assert name in plugins, name
    i18n = plugins["i18n"]
    assert i18n["docs_structure"] == "folder"
    languages = {lang["locale"]: lang for lang in i18n["languages"]}
    assert set(languages) == set(LANGUAGES)
    assert languages["ko"]["default"] is True
    assert set(plugins["search"]["lang"]) == set(LANGUAGES)
    # every Korean nav title has its English translation
    nav_titles = {next(iter(item)) for item in _config()["nav"] if isinstance(item, dict)}
    translated = set(languages["en"]["nav_translations"])
    assert nav_titles - {"1.1 The Rise of AI Engineering"} <= translated


def test_nav_is_the_chapter_in_order_and_every_page_exists_in_korean():
    nav = _config()["nav"]
    chapter = next(item for item in nav if "1.1 The Rise of AI Engineering" in item)
    pages = chapter["1.1 The Rise of AI Engineering"]
    assert pages == [f"1.1/{name}.md" for name in CHAPTER]
    paths = ["index.md", "1.2.md", "reference.md", *pages]
    for path in paths:
        assert (DOCS / "ko" / path).is_file(), f"docs/ko/{path} is in the nav but missing"
    assert next(iter(nav[0].values())) == "index.md"  # the home page is the contents


def test_styles_load_nothing_from_the_network_and_set_korean_typography():
    css = (DOCS / "assets" / "aieng.css").read_text(encoding="utf-8")
    for path in (DOCS / "assets").glob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?https?:", text), f"{path.name} fetches"
    assert "word-break: keep-all" in css
    assert re.search(r"line-height:\s*1\.[6-9]", css)
    for font in ("Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic"):
        assert font in css


def _modules() -> set[str]:
    package = ROOT / "aieng"
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in package.rglob("*.py")
        if not path.stem.startswith("_")
    }


def _reference(lang: str) -> list[str]:
    text = (DOCS / lang / "reference.md").read_text(encoding="utf-8")
    return re.findall(r"^::: (aieng(?:\.\w+)+)\s*$", text, flags=re.MULTILINE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reference_page_documents_modules_that_exist_once(lang):
    listed = _reference(lang)
    assert listed, f"docs/{lang}/reference.md documents no module"
    assert len(listed) == len(set(listed))
    stale = set(listed) - _modules()
    assert not stale, f"docs/{lang}/reference.md documents modules that do not exist: {stale}"


def test_reference_pages_document_the_same_modules_in_both_languages():
    assert _reference("en") == _reference("ko")


# --------------------------------------------------------------------------- one plugin


def test_one_plugin_and_no_hooks_or_extension_lines():
    """Everything of aieng that MkDocs runs comes through the ``aieng`` plugin's entry point."""
    config = _config()
    assert "hooks" not in config
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert not [e for e in extensions if e.startswith("aieng")], extensions
    assert next(iter(_plugins(config))) == "search" and list(_plugins(config))[-1] == "aieng"


def _event_order(config, event: str) -> list[str]:
    return [f"{type(m.__self__).__name__}.{m.__name__}" for m in config.plugins.events[event]]


def test_the_build_runs_the_modules_the_tests_import(monkeypatch):
    """Load the real configuration as ``mkdocs build`` does and run its ``on_config``: the plugin is
    an instance of :class:`aieng.website.plugin.AiengPlugin` (this very module), the state it sets
    is visible here, no aieng module is loaded a second time under a file name, and the events
    run in the order the plugin's docstring gives."""
    from mkdocs.config import load_config

    monkeypatch.delenv("MKDOCS_CONFIG_DIR", raising=False)  # markdown-exec sets it
    monkeypatch.delenv("AIENG_KO_SEARCH", raising=False)
    path_before = list(sys.path)
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)

    ours = config.plugins["aieng"]
    assert isinstance(ours, plugin.AiengPlugin)
    expected = search.worker_name(
        search.worker_source(search.material_worker_name(config.theme.dirs))
    )
    assert ours.search is not None and ours.search.worker == expected
    assert ours.search.languages == ("ko", "en")
    assert "aieng.website.lists" in config.markdown_extensions
    fences = config.mdx_configs["pymdownx.superfences"]["custom_fences"]
    assert all(hasattr(f["format"], "__aieng_wrapped__") for f in fences if f["name"] == "python")

    package = ROOT / "aieng"
    twins = [
        name
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None)
        and package in Path(module.__file__).resolve().parents
        and name != "aieng"
        and not name.startswith("aieng.")
    ]
    assert twins == [], "aieng modules loaded under a second name (a hook by file path?)"
    assert [p for p in sys.path if p not in path_before and "aieng" in p] == []

    config_order = _event_order(config, "config")
    assert (
        config_order.index("AiengPlugin._add_extensions")
        < config_order.index("MarkdownExecPlugin.on_config")
        < config_order.index("AiengPlugin._wrap_and_search")
    )
    assert config_order.index("SearchPlugin.on_config") < config_order.index(
        "AiengPlugin._wrap_and_search"
    )
    context = _event_order(config, "page_context")
    assert context.index("SearchPlugin.on_page_context") < context.index(
        "AiengPlugin._segment_search"
    )
    assert context.index("I18n.on_page_context") < context.index("AiengPlugin._link_alternates")
    markdown = _event_order(config, "page_markdown")
    assert markdown.index("AiengPlugin.on_page_markdown") < markdown.index("I18n.on_page_markdown")


# --------------------------------------------------------------------------- pages


def _pages(lang: str) -> dict[str, Path]:
    base = DOCS / lang
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*.md"))}


def _headings(path: Path) -> list[tuple[int, str | None]]:
    """(level, explicit id) of every heading outside code fences."""
    return [(h.level, h.anchor) for h in parser.extract_headings(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headings_have_stable_ascii_anchors(lang):
    problems = []
    for name, path in _pages(lang).items():
        for level, anchor in _headings(path):
            if anchor is None or not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", anchor):
                problems.append(f"docs/{lang}/{name}: h{level} anchor {anchor!r}")
    assert not problems, "give every heading an ASCII {#id}:\n" + "\n".join(problems)


def test_translated_pages_share_heading_anchors_and_executed_blocks():
    korean, english = _pages("ko"), _pages("en")
    for name in sorted(set(korean) & set(english)):
        assert _headings(korean[name]) == _headings(english[name]), name
        ko_blocks = _executed_blocks(korean[name].read_text(encoding="utf-8"))
        en_blocks = _executed_blocks(english[name].read_text(encoding="utf-8"))
        assert ko_blocks == en_blocks, f"executed blocks of {name} differ between ko and en"


def _executed_blocks(markdown: str) -> list[tuple[str, str, str]]:
    return [(b.prefix, b.info, b.body) for b in parser.parse_page(markdown).executed()]


# --------------------------------------------------------------------------- page language


def test_page_language_defaults_to_korean_and_follows_the_context():
    assert page_lang.page_language() == "ko"
    with page_lang.using_page_language("en"):
        assert page_lang.page_language() == "en"
        with page_lang.using_page_language("ko"):
            assert page_lang.page_language() == "ko"
        assert page_lang.page_language() == "en"
    assert page_lang.page_language() == "ko"
    with pytest.raises(ValueError, match="language code"):
        with page_lang.using_page_language("english"):
            pass


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("docs/en/1.1/transformer.md", "en"),
        ("docs/ko/index.md", "ko"),
        ("en/reference.md", "en"),
        ("/home/x/docs/en/a.md", "en"),
        ("README.md", "ko"),
        ("docs/assets/aieng.css", "ko"),
    ],
)
def test_language_of_path(path, lang):
    assert page_lang.language_of_path(path) == lang


def test_executed_block_lines_skip_plain_and_disabled_fences():
    page = textwrap.dedent(
        """\
        # Page

        ```python exec="on"
        print(1)
        ```

        ```python
        print("not executed")
        ```

        ```python exec="0"
        print("disabled")
        ```

        ````md
        ```python exec="on"
        print("inside another fence")
        ```
        ````

        ```python exec="1" session="s"
        print(2)
        ```
        """
    )
    assert parser.executed_block_lines(page) == [3, 21]


def test_markdown_exec_fences_are_wrapped_once():
    def formatter(*args, **kwargs):
        return "html"

    formatter.__module__ = "markdown_exec._internal.main"
    mdx = {"pymdownx.superfences": {"custom_fences": [{"name": "python", "format": formatter}]}}
    run = execution.PageRun()
    assert execution.wrap_markdown_exec_fences(mdx, run) == 1
    assert (
        execution.wrap_markdown_exec_fences(mdx, run) == 0
    )  # each language build: on_config again
    wrapped = mdx["pymdownx.superfences"]["custom_fences"][0]["format"]
    assert wrapped.__aieng_wrapped__ is formatter


def test_fallback_banner_speaks_the_readers_language():
    english = banners.fallback_banner("en", "ko")
    assert "Korean original" in english and 'lang="en"' in english
    assert "영어 원문" in banners.fallback_banner("ko", "en")
    assert "Not translated yet" in banners.fallback_banner("ja", "ko")  # unknown reader: English


# --------------------------------------------------------------------------- tiny site builds

_EXAMPLES_MODULE = """
import os
from aieng.core.cache import cached

@cached()
def slow_square(x: int) -> int:
    with open(os.environ["TINY_CALLS"], "a", encoding="utf-8") as fh:  # a line per computation
        fh.write(f"{x}\\n")
    return x * x
"""

_BLOCK = """\
```python exec="on"
from aieng import page_language
from tiny_examples import slow_square

words = {"ko": "제곱", "en": "square"}[page_language()]
print(f"{words}={slow_square(7)} lang={page_language()}")
```
"""


def _tiny_site(tmp_path: Path, pages: dict[str, str], nav: list) -> Path:
    """A site in ``tmp_path`` that inherits ``mkdocs.yml`` but has its own pages and nav."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "assets", docs / "assets")
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "tiny_examples.py").write_text(_EXAMPLES_MODULE, encoding="utf-8")
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": "docs",
        "site_dir": "site",
        "nav": nav,
    }
    # JSON is YAML
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("TINY_CALLS", str(tmp_path / "calls.txt"))
    monkeypatch.delenv("AIENG_BUILD_ONLY_LANGUAGE", raising=False)
    opts = BuildOptions(config_file="mkdocs.yml", cache_dir=str(tmp_path / "cache"), **options)
    return build_site(opts, cwd=tmp_path)


def _computations(tmp_path: Path) -> int:
    calls = tmp_path / "calls.txt"
    return len(calls.read_text(encoding="utf-8").splitlines()) if calls.exists() else 0


def _html(tmp_path: Path, url: str) -> str:
    return (tmp_path / "site" / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "raised"),
    [
        ("ratio = 1 / 0", "ZeroDivisionError: division by zero"),
        ("import sys\nsys.exit(0)", "SystemExit"),  # would otherwise end mkdocs with status 0
    ],
)
def test_a_failing_block_fails_the_build_naming_page_block_and_line(
    tmp_path, monkeypatch, code, raised
):
    failing = (
        f'# Broken {{#broken}}\n\nText.\n\n{_BLOCK}\nMore.\n\n```python exec="on"\n{code}\n```\n'
    )
    pages = {"ko/index.md": "# 홈 {#home}\n", "en/index.md": "# Home {#home}\n"}
    pages |= {"ko/broken.md": failing, "en/broken.md": failing}
    root = _tiny_site(tmp_path, pages, ["index.md", "broken.md"])
    result = _build(root, monkeypatch)
    assert result.returncode != 0
    assert "page 'ko/broken.md', executed block 2 (line 15)" in result.log
    assert raised in result.log
    assert not (tmp_path / "site" / "broken" / "index.html").exists()


_WORKING = f"# Broken {{#broken}}\n\n{_BLOCK}"
_FAILING = f'{_WORKING}\n```python exec="on"\nratio = 1 / 0\n```\n'


def test_a_failing_block_is_named_by_its_line_in_the_file(tmp_path, monkeypatch):
    """The English page has front matter and no source_hash, so the site puts the outdated banner
    above it: the line named is still the one in the file, where markdown-exec's block starts."""
    english = f"---\ntitle: Broken\n---\n{_FAILING}"
    pages = {"ko/index.md": "# 홈 {#home}\n", "en/index.md": "# Home {#home}\n"}
    pages |= {"ko/broken.md": _WORKING, "en/broken.md": english}
    root = _tiny_site(tmp_path, pages, ["index.md", "broken.md"])
    result = _build(root, monkeypatch)
    assert result.returncode != 0
    assert "page 'en/broken.md', executed block 2 (line 14)" in result.log, result.log[-3000:]
    assert "ZeroDivisionError: division by zero" in result.log
    assert english.splitlines()[13:15] == ['```python exec="on"', "ratio = 1 / 0"]


def test_a_stub_runs_the_blocks_of_its_source_and_names_the_sources_lines(tmp_path):
    """An untranslated stub shows its Korean source: the blocks that run, and the lines an error
    names, are the source's (the plugin's event, on a page as MkDocs hands it over)."""
    docs = tmp_path / "docs"
    (docs / "ko").mkdir(parents=True)
    (docs / "en").mkdir()
    (docs / "ko" / "x.md").write_text(_FAILING, encoding="utf-8")
    stub = "---\nuntranslated: true\n---\n"
    (docs / "en" / "x.md").write_text(stub, encoding="utf-8")
    file = SimpleNamespace(src_uri="en/x.md", content_string=stub, locale="en")
    page = SimpleNamespace(file=file, meta={"untranslated": True}, url="en/x/")
    ours = plugin.AiengPlugin()
    try:
        shown = ours.on_page_markdown(
            "", page=page, config={"docs_dir": str(docs), "plugins": {}}, files=None
        )
        assert page_lang.page_language() == "ko"  # the words of the page it shows
        assert (ours.run.src_uri, ours.run.block_lines) == ("ko/x.md", [3, 11])
    finally:
        ours.on_build_error(error=RuntimeError())
    assert shown.rstrip("\n") == _FAILING.rstrip("\n")
    assert _FAILING.splitlines()[10] == '```python exec="on"'


_RUNAWAY = """# Slow {#slow}

Text.

```python exec="on"
import time

try:  # a block cannot swallow the limit
    time.sleep(60)
except Exception:
    pass
print("never")
```
"""


def test_a_runaway_block_stops_the_build_naming_page_block_line_and_time(tmp_path, monkeypatch):
    """``block_timeout`` under the aieng plugin in mkdocs.yml (1 s here) stops a block that sleeps
    for a minute, and the build fails within seconds, saying where and for how long it ran."""
    pages = {"ko/index.md": _RUNAWAY, "en/index.md": _RUNAWAY}
    root = _tiny_site(tmp_path, pages, ["index.md"])
    config = json.loads((root / "mkdocs.yml").read_text(encoding="utf-8"))
    # an inherited list is replaced, not merged: the real plugins, the aieng one with its option
    plugins = [{name: options} for name, options in _plugins(_config()).items()]
    config["plugins"] = [
        p if "aieng" not in p else {"aieng": {"block_timeout": 1}} for p in plugins
    ]
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    monkeypatch.delenv("AIENG_BLOCK_TIMEOUT", raising=False)
    result = _build(root, monkeypatch)
    assert result.returncode != 0
    assert result.seconds < 30, result.log[-3000:]  # stopped, not slept out
    found = re.search(
        r"page 'ko/index\.md', executed block 1 \(line 5\): the python block ran for "
        r"(\d+\.\d) s and was stopped at the limit of 1 s",
        result.log,
    )
    assert found, result.log[-3000:]
    assert 1.0 <= float(found.group(1)) < 5
    assert "AIENG_BLOCK_TIMEOUT" in result.log  # says how to raise it
    assert not (root / "site" / "index.html").exists()


def test_the_block_limit_comes_from_the_environment_then_mkdocs_yml(monkeypatch):
    monkeypatch.delenv("AIENG_BLOCK_TIMEOUT", raising=False)
    assert execution.block_timeout(None) == execution.DEFAULT_BLOCK_TIMEOUT
    assert execution.block_timeout(30) == 30
    assert execution.block_timeout(0) is None  # no limit
    monkeypatch.setenv("AIENG_BLOCK_TIMEOUT", "2.5")
    assert execution.block_timeout(30) == 2.5
    monkeypatch.setenv("AIENG_BLOCK_TIMEOUT", "ten")
    with pytest.raises(ValueError, match="AIENG_BLOCK_TIMEOUT='ten' is not a number"):
        execution.block_timeout(30)


def test_the_time_limit_interrupts_a_sleep_and_then_leaves_no_timer():
    import signal
    import time

    start = time.perf_counter()
    with pytest.raises(execution.BlockTimeout), execution.time_limit(0.2):
        time.sleep(10)
    assert time.perf_counter() - start < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with execution.time_limit(None) as enforced:
        assert not enforced


def test_the_time_limit_stops_a_loop_in_a_worker_thread_as_under_mkdocs_serve():
    """``mkdocs serve`` rebuilds on a worker thread, where no signal arrives: a timer thread
    raises the same exception there, and a block that ends in time is left alone."""
    import threading
    import time

    outcome = {}

    def build() -> None:
        start = time.perf_counter()
        try:
            with execution.time_limit(0.2) as enforced:
                outcome["enforced"] = enforced
                while True:  # a runaway block
                    pass
        except execution.BlockTimeout:
            outcome["stopped_after"] = time.perf_counter() - start
        with execution.time_limit(5):
            outcome["quick"] = sum(range(1000))
        time.sleep(0.3)  # long enough for a stray timer to fire, had one been left
        outcome["survived"] = True

    worker = threading.Thread(target=build)
    worker.start()
    worker.join(10)
    assert outcome["enforced"] and outcome["stopped_after"] < 2
    assert outcome["quick"] == 499500 and outcome["survived"]


def test_execution_can_be_switched_off_and_then_nothing_runs(tmp_path, monkeypatch):
    page = f'# Broken {{#broken}}\n\n{_BLOCK}\n```python exec="on"\nratio = 1 / 0\n```\n'
    root = _tiny_site(tmp_path, {"ko/index.md": page, "en/index.md": page}, ["index.md"])
    result = _build(root, monkeypatch, execute=False)
    assert result.ok, result.log[-3000:]
    html = _html(root, "")
    assert "ZeroDivisionError" not in html and "ratio" in html  # shown as code, not run
    assert _computations(root) == 0


def test_pages_link_each_stylesheet_once_mark_blocks_far_down_and_defer_scripts(
    tmp_path, monkeypatch
):
    """mkdocstrings adds its stylesheet per configuration and mkdocs-static-i18n configures each
    language again: the English pages linked it twice. The plugin marks a heavy block below the
    first screen for the browser to draw late (aieng.website.offscreen), but not one above, and
    defers the scripts at the end of the body."""
    rows = "\n".join(f"| {i} | {i * i} |" for i in range(8))
    table = f"| n | n² |\n| --- | --- |\n{rows}\n"
    page = "# Page {#page}\n\n" + table + "\n" + ("Some words of text. " * 80 + "\n\n") * 12 + table
    root = _tiny_site(tmp_path, {"ko/index.md": page, "en/index.md": page}, ["index.md"])
    result = _build(root, monkeypatch, execute=False)
    assert result.ok, result.log[-3000:]
    for url in ("", "en/"):
        html = _html(root, url)
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert sheets and len(sheets) == len(set(sheets)), f"/{url}: {sheets}"
        tables = re.findall(r"<table[^>]*>", html)
        assert tables == ["<table>", "<table data-aieng-offscreen>"], f"/{url}: {tables}"
        # the theme's script and ours run once the page is parsed (plugin.defer_body_scripts)
        scripts = re.findall(r"<script src=\"[^\"]*/(bundle\.[^\"]*|aieng\.js)\"( defer)?>", html)
        assert [d for _, d in scripts] == [" defer", " defer"], f"/{url}: {scripts}"


def test_two_languages_compute_once_and_the_next_build_computes_nothing(tmp_path, monkeypatch):
    pages = {
        "ko/index.md": f"# 홈 {{#home}}\n\n{_BLOCK}",
        "en/index.md": f"# Home {{#home}}\n\n{_BLOCK}",
        "ko/only.md": f"# 한국어만 {{#only}}\n\n본문입니다.\n\n{_BLOCK}",
    }
    root = _tiny_site(tmp_path, pages, ["index.md", "only.md"])

    first = _build(root, monkeypatch)
    assert first.ok, first.log[-3000:]
    # computed once for four renderings: two pages in Korean, their English and fallback twins
    assert _computations(root) == 1
    assert first.cache["memory"] >= 3 and first.cache["computed"] >= 1

    # words follow the page's language; the code is the same
    assert "제곱=49 lang=ko" in _html(root, "")
    assert "square=49 lang=en" in _html(root, "en")

    # the Korean-only page is shown in English with a banner, and says it is Korean
    fallback = _html(root, "en/only")
    assert "Not translated yet" in fallback and "Korean original" in fallback
    assert '<div lang="ko">' in fallback and "제곱=49 lang=ko" in fallback
    assert "Not translated yet" not in _html(root, "only")
    assert "aieng-fallback" not in _html(root, "en")
    # an unstamped translation gets a banner above its H1 (aieng.i18n.staleness), keeps its title
    assert "<title>Home - " in _html(root, "en")

    # the language switcher links the same page in the other language
    assert 'href="../../only/" hreflang="ko"' in fallback
    assert 'href="en/" hreflang="en"' in _html(root, "")

    # nothing is fetched from the network when the page is viewed
    for page in (tmp_path / "site").rglob("*.html"):
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8"), page

    # the build says what it computed, for which page, how long it took, and sums it up
    assert re.search(
        r"aieng: computed tiny_examples\.slow_square for page 'ko/index\.md', executed block 1 "
        r"\(line 3\) in \d+\.\d s",
        first.log,
    ), first.log[-3000:]
    assert re.search(
        r"aieng: computed \d+ results in \d+\.\d s, \d+% of the .* the slowest:", first.log
    )
    assert re.search(
        r"\d+\.\d s +\d+%  tiny_examples\.slow_square for page 'ko/index\.md'", first.log
    )
    assert "aieng: the slowest block ran" in first.log

    # the receipt says what the site was built from (tests reuse a site that matches the tree)
    first_receipt = receipt.read_receipt(root / "site", cache_dir=root / "cache")
    assert first_receipt and first_receipt.cold and first_receipt.executed
    assert first_receipt.matches(root, root / "docs")

    second = _build(root, monkeypatch)
    assert second.ok, second.log[-3000:]
    assert not receipt.read_receipt(root / "site", cache_dir=root / "cache").cold
    assert _computations(root) == 1  # the disk layer served it
    assert second.cache["disk"] >= 1 and second.cache["memory"] >= 3
    assert re.search(r"aieng: computed nothing: all \d+ results came from the cache", second.log)
    assert "aieng: computed tiny" not in second.log and "the slowest" not in second.log


def test_build_benchmark_prints_json_with_the_figures(tmp_path, monkeypatch, capsys):
    from aieng.cli.bench import build_main as bench_main

    pages = {
        "ko/index.md": f"# 홈 {{#home}}\n\n{_BLOCK}",
        "en/index.md": f"# Home {{#home}}\n\n{_BLOCK}",
    }
    root = _tiny_site(tmp_path, pages, ["index.md"])
    monkeypatch.chdir(root)
    monkeypatch.setenv("PYTHONPATH", str(root))
    monkeypatch.setenv("TINY_CALLS", str(root / "calls.txt"))
    assert bench_main(["--only", "warm,plain"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["warm_seconds"] > 0 and report["plain_seconds"] > 0
    assert report["warm_over_plain"] == round(report["warm_seconds"] / report["plain_seconds"], 2)
    warm = report["builds"]["warm"]
    assert warm["computed"] == 0 and warm["disk"] >= 1  # the untimed cold build filled the cache
    assert warm["torch_imported"] is False
    assert report["builds"]["plain"]["computed"] == 0  # the floor computes nothing
    assert report["failed"] == []


def test_serve_reuses_unchanged_pages_and_renders_the_edited_one(tmp_path, monkeypatch):
    """As ``mkdocs serve`` rebuilds: with the page cache on, a second build renders only the page
    whose Markdown changed, and the pages it reused come out byte for byte as before."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from aieng.website import pagecache

    pages = {
        "ko/index.md": "# 홈 {#home}\n\n[다른 쪽](other.md#part)\n",
        "en/index.md": "# Home {#home}\n\n[Other](other.md#part)\n",
        "ko/other.md": "# 다른 쪽 {#other}\n\n## 부분 {#part}\n",
        "en/other.md": "# Other {#other}\n\n## Part {#part}\n",
    }
    root = _tiny_site(tmp_path, pages, ["index.md", "other.md"])
    monkeypatch.chdir(root)
    monkeypatch.setenv("AIENG_EXEC", "off")
    monkeypatch.delenv("AIENG_BUILD_ONLY_LANGUAGE", raising=False)
    cache = pagecache.enable()
    try:
        build(load_config("mkdocs.yml", site_dir=str(root / "one")))
        rendered = cache.misses
        assert rendered >= 4 and cache.hits == 0
        (root / "docs" / "en" / "other.md").write_text(
            "# Other {#other}\n\n## Part {#part}\n\nEdited.\n", encoding="utf-8"
        )
        build(load_config("mkdocs.yml", site_dir=str(root / "two")))
    finally:
        pagecache.disable()
    assert cache.misses == rendered + 1  # only the edited page was rendered again
    assert cache.hits == rendered - 1
    assert "Edited." in (root / "two" / "en" / "other" / "index.html").read_text(encoding="utf-8")
    for page in ("index.html", "en/index.html", "other/index.html"):
        assert (root / "one" / page).read_bytes() == (root / "two" / page).read_bytes(), page
