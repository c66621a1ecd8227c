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
    "cached": "aieng.cache",
    "cache_dir": "aieng.cache",
    "clear_cache": "aieng.cache",
    # chapter importer (damaged UTF-8 recovery)
    "recover_text": "aieng.recovery",
    "damage": "aieng.recovery",
    "NotDamagedError": "aieng.recovery",
    # tokenizers, the token view, Shannon, the claims ledger
    "tokenizer": "aieng.tokens",
    "split": "aieng.tokens",
    "vocabulary": "aieng.tokens",
    "next_token_pairs": "aieng.tokens",
    "UnknownTokenizerError": "aieng.tokens",
    "letter_stats": "aieng.shannon",
    "entropy_profile": "aieng.shannon",
    "ledger": "aieng.claims",
    "UnknownClaimError": "aieng.claims",
    # translations: page structure, checker, staleness, status, new languages
    "extract_headings": "aieng.pages",
    "extract_code_blocks": "aieng.pages",
    "extract_links": "aieng.pages",
    "extract_images": "aieng.pages",
    "extract_admonitions": "aieng.pages",
    "extract_macros": "aieng.pages",
    "extract_html": "aieng.pages",
    "find_dangerous_html": "aieng.pages",
    "check_page": "aieng.i18n",
    "check_docs": "aieng.i18n",
    "source_hash": "aieng.staleness",
    "stamp": "aieng.staleness",
    "translation_status": "aieng.staleness",
    "new_language": "aieng.scaffold",
    "load_glossary": "aieng.glossary",
    # corpus, models, training, scaling (torch is imported only by what trains or evaluates)
    "Play": "aieng.corpus",
    "plays": "aieng.corpus",
    "corpus_hash": "aieng.corpus",
    "CorpusError": "aieng.corpus",
    "GPT": "aieng.gpt",
    "GPTConfig": "aieng.gpt",
    "MaskedLM": "aieng.mlm",
    "NGramModel": "aieng.ngram",
    "analogy": "aieng.word2vec",
    "PRESETS": "aieng.train",
    "TrainConfig": "aieng.train",
    "trained": "aieng.train",
    "complete": "aieng.lm",
    "completions": "aieng.lm",
    "next_chars": "aieng.lm",
    "word_odds": "aieng.lm",
    "compare_blank": "aieng.lm",
    "training_pairs": "aieng.lm",
    "long_context": "aieng.lm",
    "fit_power_law": "aieng.scaling",
    "model_sweep": "aieng.scaling",
    "data_sweep": "aieng.scaling",
    "emergence": "aieng.scaling",
    # site (MkDocs plugin) and builds
    "page_language": "aieng.site",
    "using_page_language": "aieng.site",
    "ExampleError": "aieng.site",
    "BuildOptions": "aieng.build",
    "BuildResult": "aieng.build",
    "build_site": "aieng.build",
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
