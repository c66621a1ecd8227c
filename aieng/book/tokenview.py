"""The token view: a text shown as the tokens a tokenizer makes of it.

Each token is a chip with its text and its id under it. Spaces, tabs and newlines inside a token
are drawn (``␣``, ``⇥``, ``↵``) so the reader sees that GPT-4's ``" can"`` starts with a space.
Neighbouring chips differ in tint *and* in border style, and the list is an ordered list with a
count in its label, so the view does not rely on colour. The colours come from mkdocs-material's
CSS variables (``docs/assets/tokens.css``) and work in the light and dark themes. Every view has a
plain-text twin (:func:`to_text`), shown under the chips and usable where HTML is not.

Example:
    >>> from aieng.text.tokens import split
    >>> print(to_text(split("I can't wait", "gpt-4"), lang="en"))
    GPT-4 (cl100k_base): 4 tokens
    I | ␣can | 't | ␣wait
    ids: 40 649 956 3868
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from aieng.core import strings
from aieng.core.lang import output_language
from aieng.text.tokens import TokenSplit, canonical_name, next_token_pairs, split, vocabulary

__all__ = [
    "tokenizer_label",
    "compare_html",
    "cost_table",
    "pairs_table",
    "show_space",
    "to_html",
    "to_text",
    "units_table",
    "vocabulary_table",
]

_STYLES = 4  # chips cycle through this many tint/border-style pairs (see tokens.css)
_VISIBLE = {" ": "␣", "\t": "⇥", "\n": "↵"}


def _lang(lang: str) -> str:
    return output_language(lang)


def _w(key: str, lang: str, **fields) -> str:
    return strings.word("token_view", key, lang, **fields)


def tokenizer_label(name: str, lang: str) -> str:
    """How pages name a registered tokenizer (``"GPT-4 (cl100k_base)"``, ``"문자 단위"``, ...)."""
    return strings.words("tokenizer_names", lang).get(name, name)


def _count(n: int, lang: str) -> str:
    return strings.word("tokens", "count", lang, n=n)


def show_space(piece: str) -> str:
    """``piece`` with spaces, tabs and newlines drawn as visible symbols.

    Example:
        >>> show_space(" can\\n")
        '␣can↵'
    """
    return "".join(_VISIBLE.get(c, c) for c in piece)


def _label(s: TokenSplit, lang: str) -> str:
    name = tokenizer_label(s.tokenizer, lang)
    return f"{name}: {_count(s.count, lang)}"


def to_text(s: TokenSplit, *, lang: str = "ko") -> str:
    """The plain-text view: a label line, the pieces separated by `` | ``, then the ids."""
    lang = _lang(lang)
    pieces = " | ".join(show_space(p) for p in s.pieces)
    return f"{_label(s, lang)}\n{pieces}\nids: {' '.join(map(str, s.ids))}"


def to_html(s: TokenSplit, *, lang: str = "ko", fallback: bool = True) -> str:
    """The chip view of one split, as an HTML fragment (an ordered list with a caption).

    Example:
        >>> from aieng.text.tokens import split
        >>> fragment = to_html(split(" can't", "gpt-4"), lang="en", fallback=False)
        >>> '<span class="aieng-tok__text">␣can</span>' in fragment
        True
        >>> 'aria-label="GPT-4 (cl100k_base): 2 tokens"' in fragment
        True
    """
    lang = _lang(lang)
    label = html.escape(_label(s, lang))
    chips = []
    for k, (piece, token_id) in enumerate(zip(s.pieces, s.ids, strict=True)):
        chips.append(
            f'<li class="aieng-tok aieng-tok--{k % _STYLES}" title="id {token_id}">'
            f'<span class="aieng-tok__text">{html.escape(show_space(piece))}</span>'
            f'<span class="aieng-tok__id">{token_id}</span></li>'
        )
    parts = [
        '<figure class="aieng-tokens">',
        f'<figcaption class="aieng-tokens__label">{label}</figcaption>',
        f'<ol class="aieng-tokens__list" aria-label="{label}">{"".join(chips)}</ol>',
    ]
    if fallback:
        summary = _w("plain", lang)
        plain = html.escape(to_text(s, lang=lang))
        parts.append(
            f'<details class="aieng-tokens__plain"><summary>{summary}</summary>'
            f"<pre><code>{plain}</code></pre></details>"
        )
    parts.append("</figure>")
    return "".join(parts)


def compare_html(
    text: str, names: Sequence[str] = ("gpt-4", "mixtral"), *, lang: str = "ko"
) -> str:
    """One text under several tokenizers: the text (spaces drawn), then one chip row each.

    Example:
        >>> fragment = compare_html(" cooking", ["gpt-4", "mixtral"], lang="en")
        >>> fragment.count('<figure class="aieng-tokens">')
        2
        >>> '<code>␣cooking</code>' in fragment
        True
    """
    lang = _lang(lang)
    splits = [split(text, canonical_name(n)) for n in names]
    rows = "".join(to_html(s, lang=lang, fallback=False) for s in splits)
    shown = html.escape(show_space(text))
    summary = _w("plain", lang)
    plain = html.escape("\n\n".join(to_text(s, lang=lang) for s in splits))
    return (
        f'<div class="aieng-tokens-compare"><p class="aieng-tokens-compare__text">'
        f"<code>{shown}</code></p>{rows}"
        f'<details class="aieng-tokens__plain"><summary>{summary}</summary>'
        f"<pre><code>{plain}</code></pre></details></div>"
    )


# --- tables for pages -----------------------------------------------------------------------


def _code_cell(text: str) -> str:
    """Inline code for a Markdown table cell (a ``|`` in ``<|endoftext|>`` would end the cell)."""
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


def vocabulary_table(names: Sequence[str] = ("mixtral", "gpt-4"), *, lang: str = "ko") -> str:
    """A Markdown table of vocabularies read from the tokenizer files (see :func:`vocabulary`).

    Example:
        >>> row = vocabulary_table(["gpt-4"], lang="en").splitlines()[2]
        >>> row.split(" | ")[1:3]
        ['100,261', '100,256']
    """
    lang = _lang(lang)
    rows = [_w("vocab_head", lang), "|---|---:|---:|---|---|"]
    for name in names:
        v = vocabulary(canonical_name(name))
        label = tokenizer_label(v.tokenizer, lang)
        ordinary = f"{v.ordinary:,}"
        if v.byte_pieces:
            ordinary += _w("byte_pieces", lang, byte=v.byte_pieces)
        specials = ", ".join(f"{_code_cell(t)} {i:,}" for t, i in v.special) or "-"
        span = f"0–{v.size - 1:,}"
        if v.used != v.size:
            unused = v.size - v.used
            span += _w("unused_ids", lang, unused=unused)
        rows.append(f"| {label} | {v.used:,} | {ordinary} | {specials} | {span} |")
    return "\n".join(rows)


def pairs_table(text: str, name: str = "word", *, lang: str = "ko") -> str:
    """The self-supervised samples of ``text`` as a Markdown table: context, next token, ids.

    Example:
        >>> print(pairs_table("I love.", "word", lang="en").splitlines()[2])
        | 1 | <code>&lt;BOS&gt;</code> | <code>I</code> | 1 → 4 |
    """
    lang = _lang(lang)
    key = canonical_name(name)
    pairs = next_token_pairs(text, key)
    head = _w("pairs_head", lang, label=tokenizer_label(key, lang))
    rows = [head, "|---:|---|---|---|"]
    for k, pair in enumerate(pairs, start=1):
        context = ", ".join(_code_cell(show_space(t)) for t in pair.context)
        ids = " ".join(map(str, pair.context_ids))
        target = _code_cell(show_space(pair.target))
        rows.append(f"| {k} | {context} | {target} | {ids} → {pair.target_id} |")
    summary = _w("samples", lang, count=len(pairs))
    return "\n".join(rows) + f"\n\n**{summary}**"


def units_table(*, lang: str = "ko") -> str:
    """Character < Token < Word, measured on the English chapter (:func:`aieng.book.prose.units`).

    Example:
        >>> print(units_table(lang="en").splitlines()[0])
        | Measure | Character | GPT-4 token | Word |
    """
    from aieng.book.prose import units

    lang = _lang(lang)
    u = units()
    keys = ("char", "gpt-4", "word")
    fitted = _w("fitted", lang)
    row = [_w(f"units_row_{i}", lang) for i in range(4)]

    def share(n: int, total: int) -> str:
        return f"{n:,} ({n / total:.1%})" if n else "0"

    rows = [
        _w("units_head", lang),
        "|---|---:|---:|---:|",
        f"| {row[0]} | " + " | ".join(f"{u.count[k]:,}" for k in keys) + " |",
        f"| {row[1]} | " + " | ".join(f"{u.chars / u.count[k]:.2f}" for k in keys) + " |",
        f"| {row[2]} | {u.vocab['char']:,}{fitted} | {u.vocab['gpt-4']:,} "
        f"| {u.vocab['word']:,}{fitted} |",
        f"| {row[3]} | " + " | ".join(share(u.unknown[k], u.count[k]) for k in keys) + " |",
    ]
    return "\n".join(rows)


def cost_table(*, lang: str = "ko") -> str:
    """The same chapter in Korean and in English: characters and tokens, and their ratio.

    Example:
        >>> print(cost_table(lang="en").splitlines()[0])
        | Measure | Korean | English | Korean / English |
    """
    from aieng.book.prose import measure_chapter

    lang = _lang(lang)
    ko, en = measure_chapter("ko"), measure_chapter("en")
    head = _w("cost_head", lang)
    names = [_w(f"cost_row_{i}", lang) for i in range(4)]
    rows = [head, "|---|---:|---:|---:|"]
    pairs = ((ko.chars, en.chars), (ko.tokens["gpt-4"], en.tokens["gpt-4"]),
             (ko.tokens["mixtral"], en.tokens["mixtral"]))  # fmt: skip
    for name, (a, b) in zip(names, pairs, strict=False):
        rows.append(f"| {name} | {a:,} | {b:,} | {a / b:.2f} |")
    per_ko, per_en = ko.chars / ko.tokens["gpt-4"], en.chars / en.tokens["gpt-4"]
    rows.append(f"| {names[3]} | {per_ko:.2f} | {per_en:.2f} | {per_ko / per_en:.2f} |")
    return "\n".join(rows)
