"""aieng: the code behind the executable edition of "1.1 The Rise of AI Engineering".

Every figure on the site is computed by this package while the site builds. Public names are
re-exported here lazily, so that ``import aieng`` stays cheap: a warm build must not import torch.

Example:
    >>> import aieng
    >>> aieng.__version__
    '0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> module that defines it. Resolved on first use (PEP 562).
_EXPORTS: dict[str, str] = {
    # cache
    "cached": "aieng.core.cache",
    "cache_dir": "aieng.core.cache",
    "clear_cache": "aieng.core.cache",
    # chapter importer (damaged UTF-8 recovery)
    "recover_text": "aieng.recovery.repair",
    "damage": "aieng.recovery.damage",
    "NotDamagedError": "aieng.recovery.damage",
    # tokenizers, the token view, Shannon, the claims ledger
    "tokenizer": "aieng.text.tokens",
    "split": "aieng.text.tokens",
    "vocabulary": "aieng.text.tokens",
    "next_token_pairs": "aieng.text.tokens",
    "UnknownTokenizerError": "aieng.text.tokens",
    "letter_stats": "aieng.text.shannon",
    "entropy_profile": "aieng.text.shannon",
    "ledger": "aieng.book.ledger",
    "UnknownClaimError": "aieng.book.claims",
    # translations: page structure, checker, staleness, status, new languages
    "extract_headings": "aieng.text.pages",
    "extract_code_blocks": "aieng.text.pages",
    "extract_links": "aieng.text.pages",
    "extract_images": "aieng.text.pages",
    "extract_admonitions": "aieng.text.pages",
    "extract_macros": "aieng.text.pages",
    "extract_html": "aieng.text.pages",
    "find_dangerous_html": "aieng.text.pages",
    "check_page": "aieng.i18n.check",
    "check_docs": "aieng.i18n.check",
    "source_hash": "aieng.i18n.staleness",
    "stamp": "aieng.i18n.staleness",
    "translation_status": "aieng.i18n.staleness",
    "new_language": "aieng.i18n.scaffold",
    "load_glossary": "aieng.i18n.glossary",
    # corpus, models, training, scaling (torch is imported only by what trains or evaluates)
    "Play": "aieng.text.corpus",
    "plays": "aieng.text.corpus",
    "corpus_hash": "aieng.text.corpus",
    "CorpusError": "aieng.text.corpus",
    "GPT": "aieng.models.gpt",
    "GPTConfig": "aieng.models.gpt",
    "MaskedLM": "aieng.models.mlm",
    "NGramModel": "aieng.models.ngram",
    "analogy": "aieng.models.word2vec",
    "PRESETS": "aieng.training.train",
    "TrainConfig": "aieng.training.train",
    "trained": "aieng.training.train",
    "complete": "aieng.book.queries",
    "completions": "aieng.book.queries",
    "next_chars": "aieng.book.queries",
    "word_odds": "aieng.book.queries",
    "compare_blank": "aieng.book.blanks",
    "training_pairs": "aieng.book.contexts",
    "long_context": "aieng.book.contexts",
    "fit_power_law": "aieng.training.scaling",
    "model_sweep": "aieng.training.scaling",
    "data_sweep": "aieng.training.scaling",
    "emergence": "aieng.training.scaling",
    # site (MkDocs plugin) and builds
    "page_language": "aieng.core.lang",
    "using_page_language": "aieng.core.lang",
    "ExampleError": "aieng.website.plugin",
    "BuildOptions": "aieng.tools.sitebuild",
    "BuildResult": "aieng.tools.sitebuild",
    "build_site": "aieng.tools.sitebuild",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'aieng' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
