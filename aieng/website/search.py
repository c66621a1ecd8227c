"""Korean search for the site: morpheme boundaries in the index, one language per search.

Material for MkDocs searches with lunr.js, which splits Korean only at spaces: a reader who
types "학습" does not find "자기지도학습은", and a query with a particle ("트랜스포머가") matches
nothing unless the page has that exact word form. A bilingual build also puts both languages in
one index. This module fixes both without replacing Material's search:

* at build time, :func:`segment_korean` marks the morpheme boundaries inside Korean words of
  every index entry with invisible characters (U+200B before a content morpheme, U+200C before
  a particle or ending), found by the Kiwi morphological analyser; the lunr separator splits
  at them, so the index holds "자기", "지도", "학습" and "은" while the text a reader sees is
  unchanged;
* in the browser, a small worker (``aieng/data/search-worker.js``) in front of Material's
  keeps the documents of the page's language and splits each Korean query word into the
  index's morphemes, dropping particles and endings.

Two more things put first the section that discusses what a reader typed, rather than one
that only lists or recaps it:

* each entry also has an ``emphasis`` field (:data:`EMPHASIS_FIELD`, a field Material's worker
  indexes with the boost the index's configuration gives it): the bold leads of its paragraphs
  and list items (:func:`emphasis_by_section`), the pseudo-headings and the bold names with
  which a section introduces what it discusses;
* the worker ranks pages by their best section: one that contains every term of the query, then
  one that has them as a phrase, then lunr's score (a title match of a common word, or terms
  spread over unrelated sections of a page, no longer decide).

The ``aieng`` MkDocs plugin wires this up (:func:`configure`, :func:`segment_page_entries`,
:func:`point_to_worker`, :func:`write_worker`), after Material's search plugin has done each step.
``AIENG_KO_SEARCH=off`` builds the stock search (used to measure the difference).

Example:
    >>> word = segment_korean("자기지도학습은 레이블 없이 배운다").split()[0]
    >>> word.replace("\\u200b", "|").replace("\\u200c", "+")
    '자기|지도|학습+은'

    >>> strip_marks(segment_korean("트랜스포머가 등장했다")) == "트랜스포머가 등장했다"
    True
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from aieng.core import paths as _paths
from aieng.core.cache import cached
from aieng.website.emphasis import EMPHASIS_BOOST, EMPHASIS_FIELD, emphasis_by_section

log = logging.getLogger(__name__)

CONTENT_MARK = "\u200b"  # a content morpheme (noun, stem, foreign word) starts here
TAIL_MARK = "\u200c"  # a particle or ending starts here
# lunr token separator: whitespace, both marks, punctuation (a decimal point is kept) and
# camelCase boundaries, so "GPT-4의" and "토큰화(tokenization)는" split into searchable parts.
# The index holds HTML: an ampersand is "&amp;", and its semicolon does not split, so "S&P" stays
# one word (the worker writes a query's "&" the same way).
SEPARATOR = (
    r"[\s\u200b\u200c\-_,:!?=\[\]()<>\"'/·…“”‘’「」『』]+|(?<!&amp);|\.(?!\d)|&[lg]t;"
    r"|(?!\b)(?=[A-Z][a-z])"
)
# Kiwi tags whose morphemes are grammar, not content: particles (J*), endings (E*), verb- and
# adjective-forming suffixes (XSV, XSA: 학습+한다), the copula (VCP/VCN), auxiliary verbs (VX).
_FUNCTIONAL_TAGS = ("J", "E", "XSV", "XSA", "VCP", "VCN", "VX")
# Noun-forming suffixes stay on their noun: 범용성 and 창발적 are words a reader searches for,
# and the query's trailing wildcard still finds them from 범용 or 창발.
_ATTACHED_TAGS = ("XSN",)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TAG = re.compile(r"(<[^>]*>)")
_WORKER_TEMPLATE = _paths.DATA / "search-worker.js"
_CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">.*?</script>', re.S)
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)")


def enabled() -> bool:
    """Whether Korean search is on (``AIENG_KO_SEARCH`` is not ``0``/``off``/``false``)."""
    value = os.environ.get("AIENG_KO_SEARCH", "1").strip().lower()
    return value not in {"0", "off", "false", "no"}


def strip_marks(text: str) -> str:
    """``text`` without the morpheme marks that :func:`segment_korean` inserts.

    Example:
        >>> strip_marks("학습\\u200c은")
        '학습은'
    """
    return text.replace(CONTENT_MARK, "").replace(TAIL_MARK, "")


@functools.cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi  # imported on a cache miss only: loading the model takes 2-6 s

    # Without the typo dictionary (it corrects misspellings, which the chapter does not need):
    # the same morphemes on every Korean page, loaded and segmented in 4.1 s instead of 5.6 s.
    return Kiwi(load_typo_dict=False)


def preload() -> float:
    """Load the Korean analyser now; the seconds it took (0 when it was loaded already).

    ``mkdocs serve`` calls this after its first build: that build takes every page's index from
    the result cache, so without it the first edit of a Korean page would wait for the analyser
    to load (6.3 s of an 8.5 s rebuild, measured on 2 cores) instead of about 2 s. It loads
    before serving starts, not on a thread beside it: loading holds the interpreter, so an edit
    made meanwhile waited for it all the same (7 to 12 s in our measurements).
    """
    if _kiwi.cache_info().currsize:
        return 0.0
    start = time.perf_counter()
    _kiwi().tokenize("model")  # the first analysis, of any text, finishes loading the model
    return time.perf_counter() - start


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _boundaries(text: str) -> dict[int, str]:
    """Positions inside Korean words where a morpheme starts, each with its mark."""
    marks: dict[int, str] = {}
    previous_functional = False
    previous_end = -1
    for token in _kiwi().tokenize(text):
        functional = token.tag.startswith(_FUNCTIONAL_TAGS)
        pos = token.start
        inside_word = (
            0 < pos < len(text)
            and _is_word_char(text[pos - 1])
            and _is_word_char(text[pos])
            and (_HANGUL.match(text[pos - 1]) or _HANGUL.match(text[pos]))
        )
        # no mark where a morpheme shares its syllable with the one before (빠지+ㄴ = 빠진),
        # inside a run of grammar morphemes (했다 = 하+었+다), or before a noun suffix
        contracted = pos < previous_end
        continues_tail = functional and previous_functional
        attached = token.tag.startswith(_ATTACHED_TAGS)
        if inside_word and not (contracted or continues_tail or attached):
            marks.setdefault(pos, TAIL_MARK if functional else CONTENT_MARK)
        previous_functional = functional
        previous_end = max(previous_end, token.start + token.len)
    return marks


def segment_korean(text: str) -> str:
    """Mark the morpheme boundaries inside the Korean words of ``text`` (HTML tags are kept).

    Args:
        text: plain text or HTML, as in a search index entry.

    Returns:
        ``text`` with U+200B before each content morpheme and U+200C before each particle or
        ending that starts inside a word; :func:`strip_marks` gives ``text`` back.

    Example:
        >>> segment_korean("멀티모달로의 확장").replace("\\u200b", "|").replace("\\u200c", "+")
        '멀티|모달+로의 확장'
    """
    if not _HANGUL.search(text):
        return text
    parts = _TAG.split(text)
    for i in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        chunk = parts[i]
        if not _HANGUL.search(chunk):
            continue
        marks = _boundaries(chunk)
        pieces, last = [], 0
        for pos in sorted(marks):
            pieces += [chunk[last:pos], marks[pos]]
            last = pos
        pieces.append(chunk[last:])
        parts[i] = "".join(pieces)
    return "".join(parts)


def _analyser_version() -> str:
    try:
        return metadata.version("kiwipiepy") + "/" + metadata.version("kiwipiepy_model")
    except metadata.PackageNotFoundError:
        return "kiwipiepy missing"


@cached(data=_analyser_version)
def segment_entries(texts: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`segment_korean` over many strings, cached (one page's index entries at a time)."""
    return tuple(segment_korean(t) for t in texts)


# --------------------------------------------------------------------------- the worker


def material_worker_name(theme_dirs: list[str]) -> str:
    """File name of Material's search worker (``search.<hash>.min.js``) in the theme."""
    for theme_dir in theme_dirs:
        found = sorted(Path(theme_dir, "assets/javascripts/workers").glob("search.*.min.js"))
        if found:
            return found[0].name
    raise FileNotFoundError(
        "Material's search worker (assets/javascripts/workers/search.*.min.js) was not found in "
        f"the theme folders {theme_dirs}; is the theme 'material'?"
    )


def worker_source(material_worker: str) -> str:
    """The Korean-aware worker, loading Material's ``material_worker`` from the same folder."""
    template = _WORKER_TEMPLATE.read_text(encoding="utf-8")
    return template.replace("__MATERIAL_WORKER__", material_worker)


def worker_name(source: str) -> str:
    """Content-addressed file name, so browsers never run a stale worker after a deploy."""
    return f"aieng-search.{hashlib.sha256(source.encode()).hexdigest()[:8]}.js"


def point_to_worker(html: str, worker: str, query: str) -> str:
    r"""Make a page's ``__config`` name ``worker`` (with ``?query``) as its search worker.

    Only the ``<script id="__config">`` element is changed. The ``&`` is written as
    ``\u0026``, as Jinja's ``tojson`` does: HTML entities are not decoded inside ``<script>``.

    Example:
        >>> page = ('<script id="__config" type="application/json">{"search": '
        ...         '"../assets/javascripts/workers/search.ab12.min.js"}</script>')
        >>> point_to_worker(page, "aieng-search.0.js", "lang=en&keep=en/").split("workers/")[1]
        'aieng-search.0.js?lang=en\\u0026keep=en/"}</script>'
    """
    config = _CONFIG_SCRIPT.search(html)
    target = f"assets/javascripts/workers/{worker}?" + query.replace("&", "\\u0026")
    new, count = (
        ("", 0) if config is None else _MATERIAL_WORKER.subn(lambda _: target, config.group(0))
    )
    if count != 1:
        raise ValueError(
            f"expected Material's search worker path once in the page's __config, found it "
            f"{count} times; Material's templates changed: update "
            "aieng.website.search.point_to_worker"
        )
    return html[: config.start()] + new + html[config.end() :]


# --------------------------------------------------------------------------- the build


def search_plugin(config: Any) -> Any:
    """Material's search plugin of ``config``.

    Raises:
        ValueError: when the site has none (Korean search extends it).
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        raise ValueError(
            "Korean search (aieng.website.search) needs Material's search plugin: add 'search' "
            "to plugins in mkdocs.yml, or build with AIENG_KO_SEARCH=off"
        )
    return search


@dataclass(frozen=True)
class KoreanSearch:
    """What the build needs to know to wire Korean search into Material's: the worker and the
    site's languages (set up by :func:`configure`, used by the ``aieng`` plugin's events)."""

    worker: str  # the worker's file name, content-addressed
    source: str  # the worker's JavaScript
    default: str  # the site's default language (served at the root)
    languages: tuple[str, ...]  # every language the site is built in

    def query(self, lang: str) -> str:
        """The worker's query for a page in ``lang``: the documents of that language only.

        Example:
            >>> setup = KoreanSearch("w.js", "", "ko", ("ko", "en"))
            >>> setup.query("ko"), setup.query("en")
            ('lang=ko&drop=en/', 'lang=en&keep=en/')
        """
        if lang == self.default:
            others = ",".join(f"{other}/" for other in self.languages if other != self.default)
            return f"lang={lang}&drop={others}" if others else f"lang={lang}"
        return f"lang={lang}&keep={lang}/"

    def page_language(self, page: Any) -> str:
        """The language of ``page``'s build (mkdocs-static-i18n's locale, else its URL)."""
        locale = getattr(page.file, "locale", None)
        if locale:
            return locale
        first = page.url.split("/", 1)[0]
        return first if first in self.languages else self.default


def _i18n_languages(config: Any) -> tuple[str, tuple[str, ...]]:
    """(default language, all languages) from mkdocs-static-i18n, or ("ko", ("ko",))."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return "ko", ("ko",)
    languages = plugin.config.languages
    default = next((lang.locale for lang in languages if lang.default), languages[0].locale)
    return default, tuple(lang.locale for lang in languages)


def configure(config: Any) -> KoreanSearch:
    """Give Material's search plugin the morpheme-aware separator; return the worker to install."""
    search = search_plugin(config)
    search.config.separator = SEPARATOR
    search.config.fields[EMPHASIS_FIELD] = {"boost": EMPHASIS_BOOST}
    if hasattr(search, "search_index"):
        search.search_index.config["separator"] = SEPARATOR
        search.search_index.config["fields"][EMPHASIS_FIELD] = {"boost": EMPHASIS_BOOST}
    source = worker_source(material_worker_name(config.theme.dirs))
    default, languages = _i18n_languages(config)
    return KoreanSearch(worker_name(source), source, default, languages)


def segment_page_entries(config: Any, page: Any) -> int:
    """Segment the index entries Material's search plugin has just added for ``page`` and give
    each the :data:`EMPHASIS_FIELD` of its section (:func:`emphasis_by_section`); returns how
    many entries were segmented."""
    search = search_plugin(config)
    mine = [e for e in search.search_index.entries if e["location"].split("#")[0] == page.url]
    if not mine:
        return 0
    emphasis = emphasis_by_section(page.content or "")
    # marks are stripped first, so a page seen twice is segmented the same way
    texts = tuple(
        strip_marks(s)
        for e in mine
        for s in (e["title"], e["text"], emphasis.get(e["location"].partition("#")[2], ""))
    )
    segmented = segment_entries(texts)
    for i, entry in enumerate(mine):
        entry["title"], entry["text"], emphasised = segmented[3 * i : 3 * i + 3]
        if emphasised:
            entry[EMPHASIS_FIELD] = emphasised
        else:
            entry.pop(EMPHASIS_FIELD, None)
    return len(mine)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_LABEL = re.compile(
    r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"'
)


def label_search_dialog(html: str) -> str:
    """Name the theme's search dialog after its input's label (a dialog needs a name: WCAG)."""
    label = _SEARCH_LABEL.search(html)
    if label is None or _SEARCH_DIALOG not in html:
        return html
    named = _SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">'
    return html.replace(_SEARCH_DIALOG, named, 1)


def write_worker(setup: KoreanSearch, site_dir: str) -> Path:
    """Write the worker next to Material's, in the built site; returns its path."""
    target = Path(site_dir, "assets/javascripts/workers", setup.worker)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(setup.source, encoding="utf-8")
    return target
