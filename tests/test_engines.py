"""The second engine: ProperDocs builds the same pages as MkDocs (aieng.tools.engines).

The comparison itself is tested on small sites written here; one slow test builds the real site
with both engines (examples not run: seconds on any cache), and ``.ci/run`` compares the pages
with their examples run, on the cache ``./setup.sh`` has just filled.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from aieng.tools import engines
from aieng.tools.sitebuild import build_site

ROOT = Path(__file__).resolve().parents[1]

MKDOCS_HEAD = '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">'
PROPERDOCS_HEAD = '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2">'


def _site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def _page(head: str, body: str = "<p>42 tokens</p>") -> str:
    return f"<html><head>\n{head}\n</head><body>\n{body}\n</body></html>\n"


def test_the_generator_tags_of_both_engines_normalise_to_one():
    assert MKDOCS_HEAD != PROPERDOCS_HEAD
    assert engines.normalise(MKDOCS_HEAD) == engines.normalise(PROPERDOCS_HEAD)


def test_only_the_generator_tag_is_normalised():
    """A version string in a page's text is content, not the engine's signature."""
    text = "<p>built with mkdocs-1.6.1</p>"
    assert engines.normalise(text) == text
    other = '<meta name="generator" content="hugo-0.140">'
    assert engines.normalise(other) == other


def test_sites_that_differ_only_in_their_generator_are_the_same(tmp_path):
    a = _site(tmp_path / "a", {"index.html": _page(MKDOCS_HEAD), "x.png": b"\x89PNG"})
    b = _site(tmp_path / "b", {"index.html": _page(PROPERDOCS_HEAD), "x.png": b"\x89PNG"})
    assert engines.compare_sites(a, b) == []


def test_every_other_difference_is_listed(tmp_path):
    a = _site(
        tmp_path / "a",
        {
            "index.html": _page(MKDOCS_HEAD),
            "en/index.html": _page(MKDOCS_HEAD),
            "old.html": "gone",
            "x.png": b"\x89PNG1",
        },
    )
    b = _site(
        tmp_path / "b",
        {
            "index.html": _page(PROPERDOCS_HEAD, "<p>43 tokens</p>"),
            "en/index.html": _page(PROPERDOCS_HEAD),
            "new.html": "here",
            "x.png": b"\x89PNG2",
        },
    )
    found = {d.path: d for d in engines.compare_sites(a, b)}
    assert {path: d.kind for path, d in found.items()} == {
        "index.html": "differs",
        "new.html": "only in properdocs",
        "old.html": "only in mkdocs",
        "x.png": "differs",
    }
    assert "-<p>42 tokens</p>" in found["index.html"].detail
    assert "+<p>43 tokens</p>" in found["index.html"].detail
    assert "generator" not in found["index.html"].detail


def test_properdocs_builds_what_mkdocs_builds_with_the_same_options():
    mkdocs = engines.EngineBuild(site_dir="/s", execute=False, engine="mkdocs")
    properdocs = engines.EngineBuild(site_dir="/s", execute=False, engine="properdocs")
    assert mkdocs.command()[1:4] == ["-m", "mkdocs", "build"]
    assert properdocs.command()[1:4] == ["-m", "properdocs", "build"]
    assert mkdocs.command()[3:] == properdocs.command()[3:]
    assert "--strict" in properdocs.command()
    assert properdocs.environment({})["AIENG_EXEC"] == "off"
    assert engines.EngineBuild(source_date_epoch="0").environment({})["SOURCE_DATE_EPOCH"] == "0"


def _configured_plugins() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    return [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's tags (!ENV) read as plain strings: only the plugin names matter here."""


_Loader.add_constructor("!ENV", lambda loader, node: None)


def test_properdocs_loads_every_plugin_of_mkdocs_yml_from_the_mkdocs_entry_points():
    """ProperDocs reads the ``mkdocs.plugins`` group beside its own; only ``search``, which each
    engine provides itself (and Material replaces with ``material/search``), resolves apart."""
    from properdocs.plugins import get_plugins as properdocs_plugins

    ours = {e.name: e.value for e in metadata.entry_points(group="mkdocs.plugins")}
    found = properdocs_plugins()
    for name in _configured_plugins():
        assert name in found, f"ProperDocs does not find the plugin {name!r}"
        if name != "search":
            assert found[name].value == ours[name], name
    assert found["aieng"].value == "aieng.website.plugin:AiengPlugin"


@pytest.mark.slow
def test_properdocs_builds_the_same_pages_as_mkdocs(tmp_path):
    """Both engines build the real site strictly; only the generator tag may differ."""
    result = engines.compare_engines(execute=False, work_dir=tmp_path, cwd=ROOT)
    assert result.pages > 20
    assert set(result.builds) == {"mkdocs", "properdocs"}
    assert result.same, "\n".join(map(str, result.differences))
    page = (tmp_path / "site-properdocs" / "index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in page  # the second build really was ProperDocs


def test_a_failing_block_fails_the_properdocs_build_naming_page_and_line(tmp_path):
    """Under ProperDocs the plugin still hears markdown-exec's failure (its loggers are named
    ``mkdocs.plugins...``, which ProperDocs re-parents) and stops the build loudly."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    failing = '# Broken {#broken}\n\nText.\n\n```python exec="on"\nratio = 1 / 0\n```\n'
    for lang, home in (("ko", "# 홈 {#home}\n"), ("en", "# Home {#home}\n")):
        (docs / lang).mkdir()
        (docs / lang / "index.md").write_text(home, encoding="utf-8")
        (docs / lang / "broken.md").write_text(failing, encoding="utf-8")
    config = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": "docs", "site_dir": "site"}
    config["nav"] = ["index.md", "broken.md"]
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    options = engines.EngineBuild(engine="properdocs", cache_dir=str(tmp_path / "cache"))
    result = build_site(options, cwd=tmp_path)
    assert result.returncode != 0
    assert options.command()[1:3] == ["-m", "properdocs"]
    assert "page 'ko/broken.md', executed block 1 (line 5)" in result.log, result.log[-3000:]
    assert "ZeroDivisionError: division by zero" in result.log


def test_the_command_line_lists_differences_and_fails(monkeypatch, capsys, tmp_path):
    from aieng.cli import engines as cli

    result = engines.EngineComparison(
        builds={}, differences=[engines.Difference("index.html", "differs", "-a\n+b")], pages=1
    )
    monkeypatch.setattr(engines, "compare_engines", lambda **kwargs: result)
    assert cli.main(["compare"]) == 1
    out = capsys.readouterr().out
    assert "1 file(s) differ" in out and "- index.html: differs" in out
    assert cli.main(["nonsense"]) == 2
    assert sys.modules["aieng.cli.engines"] is cli
