"""Word2Vec: skip-gram word embeddings with negative sampling, trained on the plays.

Each word gets a vector such that words appearing in similar contexts get similar vectors
(Mikolov et al., 2013). Training pairs come from the text itself: every word predicts the words
within ``window`` positions of it (the positives); ``negatives`` random words, drawn in
proportion to frequency**0.75, serve as counterexamples. Frequent words are randomly dropped
(subsampling) so that "the" and "and" do not dominate.

:func:`analogy` asks the classic question (king - man + woman = ?) of the trained vectors and
returns the nearest words, whatever they are; :func:`embeddings` returns plain numpy arrays.

Example:
    >>> cfg = Word2VecConfig(dim=16, epochs=1, min_count=50)
    >>> cfg.window
    4
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from aieng.core.cache import cached
from aieng.text import corpus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Word2VecConfig:
    """Skip-gram training settings."""

    dim: int = 64  # embedding width
    window: int = 4  # context words on each side
    negatives: int = 5  # random counterexamples per positive pair
    min_count: int = 5  # words rarer than this are dropped
    subsample: float = 1e-3  # frequent-word subsampling threshold t (Mikolov et al.)
    epochs: int = 2  # passes over the text
    batch_size: int = 4096  # positive pairs per step
    lr: float = 0.01  # Adam learning rate
    seed: int = 0  # initial vectors, subsampling, windows and negatives
    max_pairs: int = 0  # stop after this many positive pairs (0: train on every pair)


@dataclass(frozen=True)
class Embeddings:
    """Trained word vectors as plain arrays (rows are unit-normalised)."""

    words: tuple[str, ...]  # vocabulary, most frequent first
    vectors: np.ndarray  # (len(words), dim), float32, each row of length 1
    config: dict  # asdict(Word2VecConfig)
    train_seconds: float  # wall time of training
    pairs_seen: int  # positive pairs trained on

    def vector(self, word: str) -> np.ndarray:
        """The unit vector of ``word``.

        Raises:
            KeyError: if the word is not in the vocabulary (the message says why).
        """
        try:
            return self.vectors[self.words.index(word)]
        except ValueError:
            raise KeyError(
                f"{word!r} is not in the Word2Vec vocabulary: it occurs fewer than "
                f"{self.config['min_count']} times in the plays (words are lower-case)"
            ) from None

    def nearest(self, query: np.ndarray, k: int = 5, exclude: tuple[str, ...] = ()) -> list:
        """The ``k`` words whose vectors have the highest cosine similarity to ``query``.

        Returns:
            ``[(word, cosine), ...]``, most similar first.
        """
        q = query / np.linalg.norm(query)
        sims = self.vectors @ q
        order = np.argsort(-sims, kind="stable")
        out = [(self.words[i], float(sims[i])) for i in order if self.words[i] not in exclude]
        return out[:k]


def _vocabulary(cfg: Word2VecConfig) -> tuple[tuple[str, ...], np.ndarray]:
    """Words (letters only) with at least ``min_count`` occurrences, and their counts."""
    counts = corpus.word_counts("train")
    words = tuple(w for w, n in counts.items() if n >= cfg.min_count and w[0].isalpha())
    return words, np.array([counts[w] for w in words], dtype=np.float64)


def _pairs(ids: np.ndarray, cfg: Word2VecConfig, rng: np.random.Generator) -> np.ndarray:
    """(center, context) id pairs of one epoch: subsampled text, random window sizes."""
    counts = np.bincount(ids)
    freq = counts / counts.sum()
    keep_prob = np.minimum(1.0, np.sqrt(cfg.subsample / freq) + cfg.subsample / freq)
    kept = ids[rng.random(len(ids)) < keep_prob[ids]]
    pairs = []
    reach = rng.integers(1, cfg.window + 1, len(kept))  # word2vec's shrinking window
    for offset in range(1, cfg.window + 1):
        near = reach[:-offset] >= offset
        left, right = kept[:-offset][near], kept[offset:][near]
        pairs.append(np.stack([left, right], 1))
        pairs.append(np.stack([right, left], 1))
    out = np.concatenate(pairs)
    return out[rng.permutation(len(out))]


def train(cfg: Word2VecConfig) -> Embeddings:
    """Train skip-gram embeddings on the train split (uncached; see :func:`embeddings`)."""
    import torch
    from torch.nn import functional as F

    words, counts = _vocabulary(cfg)
    index = {w: i for i, w in enumerate(words)}
    tokens = corpus.words(corpus.text("train"))
    ids = np.array([index[t] for t in tokens if t in index], dtype=np.int64)
    rng = np.random.default_rng(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    noise = torch.from_numpy(counts**0.75 / (counts**0.75).sum())  # negative-sampling weights

    V, D = len(words), cfg.dim
    center = torch.nn.Embedding(V, D)
    context = torch.nn.Embedding(V, D)
    with torch.no_grad():
        center.weight.uniform_(-0.5 / D, 0.5 / D, generator=gen)
        context.weight.zero_()
    params = list(center.parameters()) + list(context.parameters())
    optimizer = torch.optim.Adam(params, lr=cfg.lr)

    start, seen = time.perf_counter(), 0
    for _ in range(cfg.epochs):
        pairs = torch.from_numpy(_pairs(ids, cfg, rng))
        if cfg.max_pairs:
            pairs = pairs[: max(0, cfg.max_pairs - seen)]
        for batch in pairs.split(cfg.batch_size):
            c, o = batch[:, 0], batch[:, 1]  # (B,), (B,)
            neg = torch.multinomial(noise, len(c) * cfg.negatives, True, generator=gen)
            vc = center(c)  # (B, D)
            pos = (vc * context(o)).sum(-1)  # (B,)
            negs = torch.bmm(context(neg.view(len(c), -1)), vc[:, :, None]).squeeze(-1)  # (B, k)
            loss = -(F.logsigmoid(pos).mean() + F.logsigmoid(-negs).sum(-1).mean())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            seen += len(c)
    seconds = time.perf_counter() - start
    vectors = center.weight.detach().numpy().astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    log.info("word2vec: %d words, %d pairs in %.1f s", V, seen, seconds)
    from dataclasses import asdict

    return Embeddings(words, vectors, asdict(cfg), seconds, seen)


@cached(data=corpus.corpus_hash)  # the code (this module, the corpus module) is in every key
def embeddings(cfg: Word2VecConfig = Word2VecConfig()) -> Embeddings:
    """Trained embeddings for ``cfg``, through the result cache (trains only on a miss)."""
    return train(cfg)


@dataclass(frozen=True)
class Analogy:
    """``a - b + c`` and the words nearest to it."""

    a: str
    b: str
    c: str
    nearest: list[tuple[str, float]]  # (word, cosine similarity), the three inputs excluded
    rank_of: dict[str, int]  # rank of each word asked about (1 = nearest), inputs excluded
    vocabulary: int = 0  # how many words have vectors


def analogy(
    a: str,
    b: str,
    c: str,
    *,
    k: int = 5,
    expect: tuple[str, ...] = (),
    cfg: Word2VecConfig = Word2VecConfig(),
) -> Analogy:
    """Solve ``a - b + c`` (e.g. king - man + woman) with the trained vectors.

    Args:
        a: the word to start from (lower-case), e.g. ``"king"``.
        b: the word to subtract, e.g. ``"man"``.
        c: the word to add, e.g. ``"woman"``.
        k: how many nearest words to return.
        expect: words whose rank to report (e.g. ``("queen",)``), whatever the top ``k`` are.
        cfg: which embeddings.
    """
    emb = embeddings(cfg)
    query = emb.vector(a) - emb.vector(b) + emb.vector(c)
    ranked = emb.nearest(query, k=len(emb.words), exclude=(a, b, c))
    ranks = {
        w: next(i for i, (x, _) in enumerate(ranked, 1) if x == w) for w in expect if w in emb.words
    }
    return Analogy(a, b, c, ranked[:k], ranks, len(emb.words))


# A small analogy test set from the plays (after Mikolov et al.'s 2013 test set, which has
# categories of word pairs): every word occurs at least 20 times in the training split. Within a
# category, each ordered couple of pairs (a, b), (c, d) is one question: b - a + c should be d.
ANALOGY_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    # a man and a woman of the same rank or kin
    "gender": (
        ("man", "woman"), ("king", "queen"), ("lord", "lady"), ("father", "mother"),
        ("son", "daughter"), ("brother", "sister"), ("husband", "wife"), ("uncle", "aunt"),
        ("boy", "girl"), ("prince", "princess"), ("duke", "duchess"), ("sir", "madam"),
        ("master", "mistress"), ("he", "she"), ("gentleman", "gentlewoman"),
        ("emperor", "empress"), ("god", "goddess"), ("host", "hostess"), ("count", "countess"),
        ("nephew", "niece"),
    ),
    # a pronoun as subject and as object
    "object": (
        ("i", "me"), ("he", "him"), ("she", "her"), ("we", "us"), ("they", "them"),
        ("thou", "thee"),
    ),
    # the verb after "thou" and after "you"
    "thou_verb": (
        ("art", "are"), ("hast", "have"), ("dost", "do"), ("wilt", "will"), ("shalt", "shall"),
        ("canst", "can"), ("wast", "was"), ("wert", "were"), ("didst", "did"),
        ("wouldst", "would"), ("shouldst", "should"), ("couldst", "could"), ("mayst", "may"),
        ("mightst", "might"),
    ),
    # one and many
    "plural": (
        ("eye", "eyes"), ("hand", "hands"), ("heart", "hearts"), ("friend", "friends"),
        ("man", "men"), ("woman", "women"), ("word", "words"), ("tear", "tears"),
        ("night", "nights"), ("day", "days"), ("foot", "feet"), ("tooth", "teeth"),
        ("child", "children"), ("king", "kings"), ("lord", "lords"), ("son", "sons"),
        ("sword", "swords"), ("crown", "crowns"),
    ),
    # a verb now and in the past
    "past": (
        ("speak", "spoke"), ("know", "knew"), ("come", "came"), ("go", "went"), ("take", "took"),
        ("give", "gave"), ("see", "saw"),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class AnalogyCategory:
    """One category's questions and how many the vectors answered."""

    name: str  # a key of ANALOGY_PAIRS
    questions: int
    top1: int  # questions whose expected word is the nearest (inputs excluded)
    top5: int  # ... among the 5 nearest
    example: tuple[str, str, str, str, str]  # the first question (a, b, c, d) and its answer


@dataclass(frozen=True)
class AnalogyTest:
    """The analogy test set's results, category by category."""

    categories: list[AnalogyCategory]
    vocabulary: int  # words with vectors (the answer is any of them but the three inputs)

    @property
    def questions(self) -> int:
        return sum(c.questions for c in self.categories)

    @property
    def top1(self) -> float:
        """Share of all questions answered by the nearest word."""
        return sum(c.top1 for c in self.categories) / self.questions

    @property
    def top5(self) -> float:
        return sum(c.top5 for c in self.categories) / self.questions


def analogy_questions(
    pairs: tuple[tuple[str, str], ...],
) -> list[tuple[str, str, str, str]]:
    """Every question of one category, ``(a, b, c, d)`` for ``b - a + c = d``, in a fixed order.

    Example:
        >>> analogy_questions((("man", "woman"), ("king", "queen")))
        [('man', 'woman', 'king', 'queen'), ('king', 'queen', 'man', 'woman')]
    """
    return [(a, b, c, d) for a, b in pairs for c, d in pairs if (a, b) != (c, d)]


@cached(data=corpus.corpus_hash)
def analogy_test(cfg: Word2VecConfig = Word2VecConfig()) -> AnalogyTest:
    """Answer every question of :data:`ANALOGY_PAIRS` with the trained vectors (3CosAdd: the
    word nearest to ``b - a + c`` by cosine, the three inputs excluded, as in Mikolov et al.)."""
    emb = embeddings(cfg)
    index = {w: i for i, w in enumerate(emb.words)}
    results = []
    for name, pairs in ANALOGY_PAIRS.items():
        questions = analogy_questions(pairs)
        top1 = top5 = 0
        example = None
        for a, b, c, d in questions:
            query = emb.vectors[index[b]] - emb.vectors[index[a]] + emb.vectors[index[c]]
            sims = emb.vectors @ (query / np.linalg.norm(query))
            sims[[index[a], index[b], index[c]]] = -np.inf
            best = np.argsort(-sims, kind="stable")[:5]
            found = [emb.words[i] for i in best]
            top1 += found[0] == d
            top5 += d in found
            example = example or (a, b, c, d, found[0])
        results.append(AnalogyCategory(name, len(questions), top1, top5, example))
    return AnalogyTest(results, len(emb.words))
