"""Turns text into term counts, and term counts into topic weights: the two topic models, fitted or loaded.

The learned-topic model (TF-IDF + NMF) and the site-topic classifier (one logistic regression per site topic)
are plain arrays: a vocabulary, IDF weights and the fitted parameters. They are saved beside the tables as
`.npz` files of numbers and strings (read back without pickle), so later builds reuse them and topic ids
keep their meaning from one update to the next.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import re
import runpy
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl
from scipy import sparse
from threadpoolctl import threadpool_limits

from kremlin_data._version import __version__

DOC_WORDS = 60
"""Paragraphs of a turn are merged until a model document holds at least this many words."""
MIN_DF = 3
"""A term is used by a model when at least this many of its fitting documents hold it..."""
MAX_DF = 0.5
"""...and at most this share of them (words every other document holds say nothing)."""
DECIMALS = 6
"""Floats are rounded so that tables are byte-identical across runs and machines."""
PARTS = 16
"""Slices of the text that the tokeniser and the paragraph split run on side by side (see `in_parts`)."""
APPLY_PARTS = min(os.cpu_count() or 1, 4)
"""Ranges of documents that a saved model is applied to side by side, in threads (see `side_by_side`)."""

NMF_FEATURES = 10_000
"""Vocabulary of the learned-topic model: the most frequent words and two-word phrases of the fitting sample."""
NMF_FIT_DOCUMENTS = 12_000
"""Documents the learned topics are fitted on at most: evenly spaced over the corpus in input order."""
NMF_ITERATIONS = 60
"""Coordinate-descent passes of the NMF fit (a fixed number: no tolerance test whose outcome hinges on the
last bit)."""
TRANSFORM_ITERATIONS = 8
"""Coordinate-descent passes that give every document its topic weights under the fitted topics. Measured on
the 4,174 day files (114,975 documents, 39,552 turns with topics): after 8 passes every turn's topic shares are
within 0.00005 of those after 40 and its first topic is the same; 12 passes cost 1.3 times as much for nothing."""

SITE_FEATURES = 20_000
"""Vocabulary of the site-topic classifier: the most frequent words of its training pages."""
SITE_FIT_PAGES = 4_000
"""Tagged pages the site-topic classifier is trained on at most: evenly spaced over the corpus."""
SITE_C = 16.0
"""Inverse regularisation strength of the per-topic logistic regressions (chosen by held-out F1)."""
SITE_TOL = 1e-2
"""Stopping tolerance of liblinear: held-out F1 is the same as at its default 1e-4, in 20% less time."""

LEARNED_FILE = "topic_model.npz"
SITE_FILE = "site_topic_model.npz"
MODEL_FORMAT = 2
"""2: the models carry the stop words they were fitted with, so applying them needs no scikit-learn."""

# Words of the transcript ritual rather than of any subject; kept out of both vocabularies.
BOILERPLATE_WORDS = frozenset("""
    mr mrs ms president colleagues colleague friends friend ladies gentlemen dear thank thanks thanking
    good afternoon evening morning welcome please floor let like want wish say said says saying think
    thought know known just really course certainly yes okay ok right way lot lots things thing going
    make making made need needs needed instance example words word question questions answer ask asked
    asking today tell told come came look looking believe sure talk talking talked speak speaking mean
    meeting meetings discuss discussed discussing issue issues matter matters point important
    necessary able fact hope great far did does doing got get getting probably quite actually simply
    understand understood don didn doesn isn aren wasn won ll ve re use used work working
    year years time times day days people country countries russia russian russians also new
    putin vladimir dmitry medvedev opportunity pleased happy glad situation problem problems development area areas
""".split())
# Words of two or more letters; hyphenated words stay whole ("medium-sized"); numbers are left out.
TOKEN_PATTERN = r"\b[a-z][a-z]+(?:-[a-z]+)*\b"

_TOKEN = re.compile(TOKEN_PATTERN)
_T = TypeVar("_T")
_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Ints = np.ndarray[Any, np.dtype[np.int64]]


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read from the one file that holds them, without importing scikit-learn.

    Importing scikit-learn (with the scipy.stats and pandas it loads) takes 1.5-2.5 s, and a build without saved
    models needs it only for this list when no model can be fitted (the bundled sample, any small corpus): that
    was most of such a build's time. The list is taken from scikit-learn's own file; where that file is not where
    it is expected, from the public import. tests/test_topics.py holds the two equal.
    """
    spec = importlib.util.find_spec("sklearn")  # finds the package without running it
    if spec is not None and spec.origin is not None:
        words_file = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
        if words_file.is_file():
            words = runpy.run_path(str(words_file)).get("ENGLISH_STOP_WORDS")
            if isinstance(words, frozenset) and words:
                return frozenset(map(str, words))
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@cache
def stop_words() -> tuple[str, ...]:
    """The words a model fitted now leaves out: scikit-learn's English stop words and `BOILERPLATE_WORDS`, sorted.

    Read without importing scikit-learn (see `_english_stop_words`): a build that applies saved models needs none
    of it (the models carry their stop words), and one that fits none needs only this list.
    """
    return tuple(sorted(_english_stop_words() | BOILERPLATE_WORDS))


def tokens(text: str, stop: Sequence[str] | None = None) -> list[str]:
    """Lower-case words of a text without stop words and boilerplate (what `Tokens.of_texts` does in polars).

    >>> tokens("Thank you, Mr President. Small- and medium-sized businesses need 20 loans.")
    ['small', 'medium-sized', 'businesses', 'loans']
    """
    leave_out = frozenset(stop_words() if stop is None else stop)
    return [t for t in _TOKEN.findall(text.lower()) if t not in leave_out]


def in_parts(frame: pl.DataFrame, query: Callable[[pl.LazyFrame], pl.LazyFrame], parts: int | None = None
             ) -> pl.DataFrame:
    """`query` run on `parts` slices of `frame` side by side (polars' thread pool), results concatenated in order.

    For row-wise queries over text: polars runs one string expression over one column on one thread, so the
    slices are what lets the second core help. The result is the same as the query over the whole frame.

    >>> in_parts(pl.DataFrame({"x": [1, 2, 3]}), lambda lf: lf.select(pl.col("x") * 2), parts=2)["x"].to_list()
    [2, 4, 6]
    """
    bounds = np.linspace(0, frame.height, max(parts or PARTS, 1) + 1).round().astype(np.int64).tolist()
    return pl.concat(pl.collect_all([query(frame.slice(a, b - a).lazy()) for a, b in itertools.pairwise(bounds)]))


def doc_ranges(owner: _Ints, parts: int | None = None) -> list[tuple[int, int]]:
    """Documents `0 .. len(owner) - 1` cut into at most `parts` ranges `(lo, hi)` of about equal size.

    Each cut falls where the owner (turn) changes, so that no turn's documents are split; `owner` is sorted.

    >>> doc_ranges(np.array([0, 0, 0, 1, 2, 2]), parts=2)
    [(0, 3), (3, 6)]
    >>> doc_ranges(np.array([], dtype=np.int64), parts=2)
    [(0, 0)]
    """
    n = len(owner)
    cuts = np.linspace(0, n, max(parts or APPLY_PARTS, 1) + 1).round().astype(np.int64)[1:-1]
    cuts = np.searchsorted(owner, owner[np.minimum(cuts, max(n - 1, 0))]) if n else cuts[:0]
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < n}), n]
    return list(itertools.pairwise(bounds))


def side_by_side(work: Callable[[int, int], _T], ranges: Sequence[tuple[int, int]],
                 pool: Executor | None = None) -> list[_T]:
    """`work(lo, hi)` for each range, in threads side by side (numpy and scipy release the lock), in order.

    The threads are `pool`'s when given (other work queued there waits its turn, so no more ranges are in
    memory at once than it has threads), else the calling thread's and one more for each further range.
    BLAS is held to one thread throughout (see `one_blas_thread`).
    """
    with one_blas_thread():
        if pool is not None:
            futures = [pool.submit(work, *r) for r in ranges]
            return [f.result() for f in futures]
        if len(ranges) == 1:
            return [work(*ranges[0])]
        with ThreadPoolExecutor(max_workers=len(ranges) - 1) as own:
            rest = [own.submit(work, *r) for r in ranges[1:]]
            return [work(*ranges[0]), *(f.result() for f in rest)]


def _distinct(values: _Ints) -> _Ints:
    """The distinct values, sorted."""
    v = np.sort(values)
    return v[np.r_[True, v[1:] != v[:-1]]] if len(v) else v


def count_matrix(row: _Ints, col: _Ints, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """How often each (row, col) pair occurs: a CSR matrix in canonical form (columns sorted within a row, no repeats).

    The matrix scipy makes from COO coordinates (`csr_matrix((ones, (row, col)))`), from one sort of the pairs'
    keys instead of a conversion, a sort of each row and a pass for repeats.

    >>> count_matrix(np.array([1, 0, 1]), np.array([2, 1, 2]), 2, 3).toarray().tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]
    """
    key = np.sort(row * n_cols + col)
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    distinct = key[first]
    matrix = sparse.csr_matrix((np.diff(np.r_[first, len(key)]).astype(np.float64), distinct % n_cols,
                                np.searchsorted(distinct, np.arange(n_rows + 1) * n_cols)), shape=(n_rows, n_cols))
    matrix.has_canonical_format = True
    return matrix


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of numbered documents, in text order, as integers: `doc` and `code` (an index into `words`).

    Terms are words and pairs of adjacent words of one document ("armed forces"); a term's key is its word
    code, or `n + first * n + second` for a pair of words (n = number of distinct words).
    """

    doc: _Ints
    code: _Ints
    words: list[str]

    @classmethod
    def of_texts(cls, texts: pl.Series | Sequence[str | None], doc: _Ints | Sequence[int],
                 stop: Sequence[str] | None = None) -> Tokens:
        """Tokenise texts (the rule of `tokens`, run by polars) into the documents numbered in `doc`.

        `stop` are the words left out (`stop_words()` when not given).

        >>> t = Tokens.of_texts(["Gas and oil, Mr President.", "Oil"], [0, 1])
        >>> t.doc.tolist(), [t.words[c] for c in t.code]
        ([0, 0, 1], ['gas', 'oil', 'oil'])
        """
        leave_out = list(stop_words() if stop is None else stop)
        frame = in_parts(
            pl.DataFrame({"doc": pl.Series(doc, dtype=pl.Int64), "word": pl.Series(texts, dtype=pl.String)}),
            lambda part: (part.with_columns(pl.col("word").str.to_lowercase().str.extract_all(TOKEN_PATTERN))
                          .explode("word")
                          .filter(pl.col("word").is_not_null() & ~pl.col("word").is_in(leave_out))))
        # One hash pass (categorical codes); each code's word is read at one of its tokens (any one: they all
        # hold that word), and the codes are renumbered in word order.
        raw_codes = frame["word"].cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
        at = np.full(int(raw_codes.max(initial=-1)) + 1, -1, dtype=np.int64)
        at[raw_codes] = np.arange(len(raw_codes))
        present = np.flatnonzero(at >= 0)
        words = frame["word"].gather(at[present])
        order = words.arg_sort().to_numpy()
        lut = np.zeros(len(at), dtype=np.int64)
        lut[present[order]] = np.arange(len(present))
        return cls(frame["doc"].to_numpy().astype(np.int64), lut[raw_codes], words.gather(order).to_list())

    def only(self, docs: _Ints) -> Tokens:
        """The tokens of the documents listed in `docs`, numbers kept."""
        mask = np.zeros(max(int(self.doc.max(initial=-1)), int(docs.max(initial=-1))) + 1, dtype=bool)
        mask[docs] = True
        rows = np.flatnonzero(mask[self.doc])
        return Tokens(self.doc[rows], self.code[rows], self.words)

    def of_docs(self, keep: _Ints) -> Tokens:
        """The tokens of the documents listed in `keep`, renumbered 0, 1, ... in that order."""
        new = np.full(max(int(self.doc.max(initial=-1)), int(keep.max(initial=-1))) + 1, -1, dtype=np.int64)
        new[keep] = np.arange(len(keep))
        mine = new[self.doc]
        rows = np.flatnonzero(mine >= 0)
        return Tokens(mine[rows], self.code[rows], self.words)

    def terms(self, pairs: bool) -> tuple[_Ints, _Ints]:
        """The document and key of each term occurrence: the words, then (with `pairs`) the word pairs."""
        if not pairs:
            return self.doc, self.code
        n = len(self.words)
        same = np.flatnonzero(self.doc[1:] == self.doc[:-1])
        keys = np.concatenate([self.code, n + self.code[same] * n + self.code[same + 1]])
        return np.concatenate([self.doc, self.doc[same]]), keys

    def name(self, key: int) -> str:
        """The term a key stands for."""
        n = len(self.words)
        return self.words[key] if key < n else f"{self.words[(key - n) // n]} {self.words[(key - n) % n]}"

    def keys(self, vocabulary: Sequence[str]) -> _Ints:
        """The key of each vocabulary term; -1 for a term no document here holds."""
        n = len(self.words)
        index = {w: i for i, w in enumerate(self.words)}
        out = np.full(len(vocabulary), -1, dtype=np.int64)
        for j, term in enumerate(vocabulary):
            first, _, second = term.partition(" ")
            a, b = index.get(first, -1), index.get(second, -1) if second else 0
            if a >= 0 and b >= 0:
                out[j] = n + a * n + b if second else a
        return out

    def counts(self, vocabulary: Sequence[str], n_docs: int) -> sparse.csr_matrix:
        """Counts of the vocabulary's terms (columns, in vocabulary order) in documents `0 .. n_docs - 1`.

        >>> Tokens.of_texts(["gas oil gas", "coal"], [0, 1]).counts(["coal", "gas", "gas oil"], 2).toarray().tolist()
        [[0.0, 2.0, 1.0], [1.0, 0.0, 0.0]]
        """
        return TermColumns.of(self, vocabulary).counts(self, n_docs)

    def between(self, lo: int, hi: int) -> Tokens:
        """The tokens of documents `lo .. hi - 1`, renumbered from 0 (words and their codes kept).

        Tokens in document order (as `of_texts` gives them for texts in document order) are cut, not searched.
        """
        doc = self.doc
        if len(doc) < 2 or bool((doc[1:] >= doc[:-1]).all()):
            a, b = np.searchsorted(doc, [lo, hi]).tolist()
            return Tokens(doc[a:b] - lo, self.code[a:b], self.words)
        rows = np.flatnonzero((doc >= lo) & (doc < hi))
        return Tokens(doc[rows] - lo, self.code[rows], self.words)

    def candidates(self, pairs: bool) -> list[str]:
        """Terms held by `MIN_DF`+ documents, sorted.

        >>> Tokens.of_texts(["gas oil", "gas oil", "gas oil", "coal"], [0, 1, 2, 3]).candidates(pairs=True)
        ['gas', 'gas oil', 'oil']
        """
        doc, term = self.terms(pairs)
        n_keys = len(self.words) * (len(self.words) + 1)
        # Sorting beats numpy's hash-based unique on these millions of integers.
        pairs_ = _distinct(doc * n_keys + term) % n_keys
        keys = np.sort(pairs_)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        df = np.diff(np.r_[starts, len(keys)])
        return sorted(self.name(int(k)) for k in keys[starts][df >= MIN_DF])


@dataclass(frozen=True, slots=True)
class TermColumns:
    """Where the terms of tokens fall in a vocabulary's columns.

    Made once per vocabulary, used on any part of tokens that share the same words (`Tokens.between`). A word
    goes through a look-up table; a pair of adjacent words is looked for only where both words start/end some
    pair of the vocabulary.
    """

    n_cols: int
    word_col: _Ints
    """Column of each word code (-1: not a term of the vocabulary); one more slot than words."""
    first: np.ndarray[Any, np.dtype[np.bool_]]
    second: np.ndarray[Any, np.dtype[np.bool_]]
    pair_keys: _Ints
    """Keys of the vocabulary's pairs, sorted; `pair_cols` holds their columns."""
    pair_cols: _Ints

    @classmethod
    def of(cls, tokens: Tokens, vocabulary: Sequence[str]) -> TermColumns:
        """The look-ups of `vocabulary` for tokens with the words of `tokens`."""
        keys = tokens.keys(vocabulary)
        n = len(tokens.words)
        word_col = np.full(n + 1, -1, dtype=np.int64)
        single = np.flatnonzero((keys >= 0) & (keys < n))
        word_col[keys[single]] = single
        double = np.flatnonzero(keys >= n)
        first, second = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        first[(keys[double] - n) // n] = True
        second[(keys[double] - n) % n] = True
        order = np.argsort(keys[double], kind="stable")
        return cls(len(vocabulary), word_col, first, second, keys[double][order], double[order])

    def counts(self, tokens: Tokens, n_docs: int) -> sparse.csr_matrix:
        """Counts of the vocabulary's terms (columns) in documents `0 .. n_docs - 1` of `tokens`."""
        n = len(tokens.words)
        cols = self.word_col[tokens.code]
        hit = np.flatnonzero(cols >= 0)
        docs, hit_cols = [tokens.doc[hit]], [cols[hit]]
        del cols, hit
        if len(self.pair_keys):
            code = tokens.code
            at = np.flatnonzero((tokens.doc[1:] == tokens.doc[:-1]) & self.first[code[:-1]] & self.second[code[1:]])
            pair_keys = n + code[at] * n + code[at + 1]
            pos = np.minimum(np.searchsorted(self.pair_keys, pair_keys), len(self.pair_keys) - 1)
            found = np.flatnonzero(self.pair_keys[pos] == pair_keys)
            docs.append(tokens.doc[at[found]])
            hit_cols.append(self.pair_cols[pos[found]])
        return count_matrix(np.concatenate(docs), np.concatenate(hit_cols), n_docs, self.n_cols)


@dataclass(frozen=True, slots=True)
class Documents:
    """Model documents cut from turns: word count and turn (row index) of each, and each paragraph's document."""

    n_words: _Ints
    owner: _Ints
    paragraphs: pl.DataFrame
    """One row per non-empty paragraph, in turn order: `doc` (its document) and `text`."""


def split_turns(texts: pl.Series | Sequence[str | None], min_words: int = DOC_WORDS) -> Documents:
    r"""Cut turns into paragraph-sized documents: paragraphs merged until each holds `min_words` words.

    A short tail joins the document before it, so a turn never ends in a scrap.

    >>> d = split_turns(["a b c\nd e\nf", "x y"], min_words=2)
    >>> d.paragraphs.group_by("doc", maintain_order=True).agg(pl.col("text").str.join("\n"))["text"].to_list()
    ['a b c', 'd e\nf', 'x y']
    >>> d.owner.tolist(), d.n_words.tolist()
    ([0, 0, 1], [3, 3, 2])
    """
    paras = in_parts(pl.DataFrame({"text": pl.Series(texts, dtype=pl.String)}).with_row_index("turn"),
                     lambda part: (part.with_columns(pl.col("text").fill_null("").str.split("\n")).explode("text")
                                   .with_columns(pl.col("text").str.count_matches(r"\S+").alias("n"))
                                   .filter(pl.col("n") > 0)))
    turn = paras["turn"].to_numpy().astype(np.int64)
    n = paras["n"].to_numpy().astype(np.int64)
    # The merge is a running sum that restarts after each document, run for all turns at once: step k takes
    # the k-th paragraph of every turn that has one (turns longest first, so those are a prefix of `lanes`).
    turns, first, count = np.unique(turn, return_index=True, return_counts=True)
    lanes = np.argsort(-count, kind="stable")
    active = np.searchsorted(-count[lanes], -np.arange(int(count.max(initial=0))), side="left")
    local = np.empty(len(n), dtype=np.int64)  # document of each paragraph, counted within its turn
    closed = np.zeros(len(turns), dtype=np.int64)  # documents of each turn that reached `min_words`
    filling = np.zeros(len(turns), dtype=np.int64)  # words of the document still filling
    for k, n_active in enumerate(active.tolist()):
        lane = lanes[:n_active]
        at = first[lane] + k
        local[at] = closed[lane]
        filling[lane] += n[at]
        full = lane[filling[lane] >= min_words]
        closed[full] += 1
        filling[full] = 0
    # A short tail joins the document before it, so a turn never ends in a scrap.
    joins = (filling > 0) & (closed > 0)
    of_para = np.repeat(np.arange(len(turns)), count)
    local[joins[of_para] & (local == closed[of_para])] -= 1
    n_docs = closed + ((filling > 0) & (closed == 0))
    offset = np.cumsum(n_docs) - n_docs
    doc = offset[of_para] + local
    words = np.bincount(doc, weights=n, minlength=int(n_docs.sum())).astype(np.int64)
    return Documents(words, np.repeat(turns, n_docs), pl.DataFrame({"doc": doc, "text": paras["text"]}))


def pick_columns(counts: sparse.csr_matrix, max_features: int) -> _Ints:
    """Columns in `MIN_DF`+ rows and at most `MAX_DF` of them; the `max_features` most frequent (ties: first)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    cols = np.flatnonzero((df >= MIN_DF) & (df <= MAX_DF * counts.shape[0]))
    if len(cols) > max_features:
        total = np.asarray(counts[:, cols].sum(axis=0)).ravel()
        cols = np.sort(cols[np.argsort(-total, kind="stable")[:max_features]])
    return cols


def even_sample(rows: _Ints, n: int) -> _Ints:
    """At most `n` of `rows`, evenly spaced (all when there are fewer): the same input gives the same sample.

    >>> even_sample(np.arange(10), 4).tolist()
    [0, 3, 6, 9]
    """
    if len(rows) <= n:
        return rows
    return rows[np.unique(np.linspace(0, len(rows) - 1, n).round().astype(np.int64))]


def group_matrix(owner: _Ints, n_groups: int, weights: _Floats | None = None) -> sparse.csr_matrix:
    """A matrix that sums rows into groups: row `owner[i]`, column `i`."""
    data = np.ones(len(owner)) if weights is None else weights
    return sparse.csr_matrix((data, (owner, np.arange(len(owner)))), shape=(n_groups, len(owner)))


def fit_idf(counts: sparse.csr_matrix) -> _Floats:
    """Smoothed inverse document frequency of each column (as scikit-learn's TfidfTransformer computes it)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf: _Floats = np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0
    return idf


def tfidf(counts: sparse.csr_matrix, idf: _Floats) -> sparse.csr_matrix:
    """Sublinear TF (1 + log count) times IDF, each row scaled to unit length."""
    x = counts.tocsr(copy=True).astype(np.float64)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


def one_blas_thread() -> Any:
    """BLAS on one thread: summation order then does not depend on the machine's core count.

    The limit is the process's: code that runs its model work in several threads holds it around all of them,
    so that no thread's leaving lifts it while another still works.
    """
    return threadpool_limits(limits=1)


# --------------------------------------------------------------------------------------------- learned topics

@dataclass(frozen=True, slots=True)
class TopicModel:
    """Learned topics: vocabulary, IDF weights, and NMF components (row k is topic k + 1)."""

    terms: list[str]
    idf: _Floats
    components: _Floats
    version: str = __version__
    stop_words: tuple[str, ...] = field(default_factory=stop_words)
    """The words left out of the documents the model was fitted on; applying it leaves out the same."""

    def weights(self, counts: sparse.csr_matrix, iterations: int = TRANSFORM_ITERATIONS) -> _Floats:
        """Topic weights of documents given their counts over `terms`.

        Non-negative least squares by coordinate descent with the topics held fixed, as NMF's own solver
        does it. Documents are columns here (topic by document), so each step is one pass over the documents;
        blocks of documents run all their passes while they sit in cache.
        """
        h = self.components
        with one_blas_thread():
            x = tfidf(counts, self.idf)
            hht = h @ h.T
            xht = np.ascontiguousarray(np.asarray(x @ h.T).T)
        wt = np.zeros_like(xht)
        diag = np.diag(hht).copy()
        diag[diag == 0] = 1.0
        block = 8192
        for start in range(0, wt.shape[1], block):
            wb = np.ascontiguousarray(wt[:, start:start + block])
            xb = xht[:, start:start + block]
            for _ in range(iterations):
                for t in range(len(h)):
                    # einsum (not BLAS) sums each document's terms in topic order whatever the other documents
                    # are, so a document's weights do not depend on its neighbours (rebuilds reuse rows).
                    grad = np.einsum("j,jn->n", hht[t], wb) - xb[t]
                    np.maximum(wb[t] - grad / diag[t], 0.0, out=wb[t])
            wt[:, start:start + block] = wb
        w: _Floats = wt.T
        return w


def fit_topics(counts: sparse.csr_matrix, terms: Sequence[str], n_words: _Ints, n_topics: int,
               stop: Sequence[str]) -> TopicModel:
    """Fit NMF topics on documents' term counts; topics are numbered by their word-weighted total, largest first.

    The vocabulary is cut to `NMF_FEATURES` columns of the counts first; the model keeps those terms, and the
    stop words `stop` the counts were made without.
    """
    from sklearn.decomposition import NMF  # imported here: applying a saved model needs no scikit-learn

    cols = pick_columns(counts, NMF_FEATURES)
    sub = counts[:, cols]
    idf = fit_idf(sub)
    with one_blas_thread():
        model = NMF(n_components=n_topics, init="nndsvd", solver="cd", beta_loss="frobenius",
                    max_iter=NMF_ITERATIONS, tol=0.0, random_state=0, shuffle=False)
        w = model.fit_transform(tfidf(sub, idf))
    order = np.argsort(-np.round(n_words.astype(np.float64) @ w, DECIMALS), kind="stable")
    return TopicModel([terms[c] for c in cols], idf, np.asarray(model.components_)[order],
                      stop_words=tuple(stop))


# --------------------------------------------------------------------------------------------- site topics

@dataclass(frozen=True, slots=True)
class SiteTopicModel:
    """The site-topic classifier: vocabulary, IDF weights, and one logistic regression per site topic."""

    terms: list[str]
    idf: _Floats
    coef: _Floats
    intercept: _Floats
    topics: list[str]
    version: str = __version__
    stop_words: tuple[str, ...] = field(default_factory=stop_words)
    """The words left out of the pages the model was fitted on; applying it leaves out the same."""

    def predict_proba(self, counts: sparse.csr_matrix) -> _Floats:
        """Probability of each topic (columns, in `topics` order) for each row of counts over `terms`."""
        if not counts.shape[0]:
            return np.zeros((0, len(self.topics)))
        with one_blas_thread():
            z = np.asarray(tfidf(counts, self.idf) @ self.coef.T) + self.intercept
        proba: _Floats = 1.0 / (1.0 + np.exp(-z))
        return proba


def fit_site_topics(counts: sparse.csr_matrix, terms: Sequence[str], labels: Sequence[frozenset[str]],
                    topics: Sequence[str], stop: Sequence[str]) -> SiteTopicModel:
    """Fit the site-topic classifier on pages' word counts and their site topics: one logistic regression each.

    Whole pages train better than pages cut into turn-sized pieces (held-out F1), and faster. Classes are
    weighted to balance, so that rare topics are not drowned by Foreign policy.
    """
    from sklearn.linear_model import LogisticRegression  # imported here: applying a saved model needs none

    cols = pick_columns(counts, SITE_FEATURES)
    sub = counts[:, cols]
    idf = fit_idf(sub)
    coef = np.zeros((len(topics), len(cols)))
    intercept = np.zeros(len(topics))
    # One fit after the other: liblinear draws from one process-wide random generator, so fits in parallel
    # threads do not give the same model twice.
    with one_blas_thread():
        x = tfidf(sub, idf)
        for k, topic in enumerate(topics):
            y = np.fromiter((topic in ls for ls in labels), dtype=bool, count=len(labels))
            clf = LogisticRegression(C=SITE_C, class_weight="balanced", solver="liblinear", tol=SITE_TOL,
                                     max_iter=1000, random_state=0).fit(x, y)
            coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
    return SiteTopicModel([terms[c] for c in cols], idf, coef, intercept, list(topics), stop_words=tuple(stop))


# --------------------------------------------------------------------------------------------- saved models

def model_digest(model: TopicModel | SiteTopicModel) -> str:
    """SHA-256 of a model's vocabulary and parameters: equal digests, equal models."""
    h = hashlib.sha256("\n".join(model.terms).encode())
    h.update("\n".join(model.stop_words).encode())
    if isinstance(model, TopicModel):
        arrays = [model.idf, model.components]
    else:
        h.update("\n".join(model.topics).encode())
        arrays = [model.idf, model.coef, model.intercept]
    for a in arrays:
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return h.hexdigest()


def save_model(model: TopicModel | SiteTopicModel, path: Path) -> None:
    """Write a model as an `.npz` of plain arrays (strings as fixed-width unicode, no pickled objects)."""
    arrays: dict[str, Any] = {"format": np.int64(MODEL_FORMAT), "version": np.str_(model.version),
                              "terms": np.asarray(model.terms, dtype=np.str_), "idf": model.idf,
                              "stop_words": np.asarray(model.stop_words, dtype=np.str_)}
    if isinstance(model, TopicModel):
        arrays.update(kind=np.str_("learned"), components=model.components)
    else:
        arrays.update(kind=np.str_("site"), coef=model.coef, intercept=model.intercept,
                      topics=np.asarray(model.topics, dtype=np.str_))
    with path.open("wb") as f:
        np.savez_compressed(f, **arrays)


def load_model(path: Path, log: Callable[[str], None]) -> TopicModel | SiteTopicModel | None:
    """Read a saved model; None (and a message) when it is missing, unreadable, or of another package version."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            fmt, version, kind = int(z["format"]), str(z["version"]), str(z["kind"])
            if fmt != MODEL_FORMAT or version != __version__:
                log(f"topics: {path.name} was saved by kremlin-data {version} (format {fmt}); this is "
                    f"{__version__} (format {MODEL_FORMAT}), so the model is fitted again")
                return None
            terms, stop = z["terms"].tolist(), tuple(z["stop_words"].tolist())
            if kind == "learned":
                return TopicModel(terms, z["idf"], z["components"], stop_words=stop)
            if kind == "site":
                return SiteTopicModel(terms, z["idf"], z["coef"], z["intercept"], z["topics"].tolist(),
                                      stop_words=stop)
            raise ValueError(f"unknown model kind {kind!r}")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        log(f"topics: {path} cannot be read ({type(exc).__name__}: {exc}); the model is fitted again")
        return None
