"""The layers of the package, lowest first: a module imports its own subpackage or a lower layer.

::

    cli        python -m aieng: parses arguments, prints what the packages return
    tools      building the site, driving a browser, benchmarks
    website    the one MkDocs plugin: execution, claim macros, search, banners, docstrings
    i18n       translations: the checker, staleness stamps, status, new languages
    book       the chapter's pages: claims, queries, experiments and their renderers
    training   training loops, presets, sweeps (torch)
    models     GPT, masked LM, n-grams, Word2Vec (torch modules beside torch-free configs)
    text       tokenizers, entropy, the Markdown page parser, the Shakespeare corpus
    recovery   the importer that repairs the damaged chapter (beside text: neither uses the other)
    core       the result cache, code fingerprints, safe storage, languages, the string table

``tests/test_layers.py`` reads every import in the package and fails on one that points up or
sideways, on any cycle, on a module over about 400 lines, and on the site generator (mkdocs,
pymdownx, griffe, Python-Markdown) imported outside :mod:`aieng.website`.
"""

from __future__ import annotations

# Rank -> the subpackages of that layer. Subpackages of one rank may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("text", "recovery"),
    ("models",),
    ("training",),
    ("book",),
    ("i18n",),
    ("website",),
    ("tools",),
    ("cli",),
)


def layer_of(module: str) -> int | None:
    """The rank of ``module``'s layer, or None for the package root and what is not ours.

    Example:
        >>> layer_of("aieng.core.cache"), layer_of("aieng.website.plugin"), layer_of("aieng")
        (0, 6, None)
    """
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "aieng":
        return None
    for rank, packages in enumerate(LAYERS):
        if parts[1] in packages:
            return rank
    return None
