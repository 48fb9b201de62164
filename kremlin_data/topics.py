"""Turns events and utterances into topic tables: site tags, topics learned from the words, site topics per turn."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from kremlin_data.schema import (
    EVENT_TAGS,
    TOPICS,
    UTTERANCE_SITE_TOPICS,
    UTTERANCE_TOPICS,
    columns_to_table,
    empty_table,
)

# --- learned topics (NMF) ---
N_TOPICS = 30
"""Learned topics on a corpus large enough; smaller corpora get fewer (one per `DOCS_PER_TOPIC` documents)."""
DOCS_PER_TOPIC = 20
MIN_DOCUMENTS = 200
"""Model documents (paragraph-sized pieces of turns) needed before topics are learned at all."""
DOC_WORDS = 60
"""Paragraphs of a turn are merged until a model document holds at least this many words."""
MIN_FIT_WORDS = 25
"""Documents shorter than this (greetings, one-line replies) are left out of fitting, but still get topics."""
MIN_DF = 3
"""A term is used by a model when at least this many of its documents hold it..."""
MAX_DF = 0.5
"""...and at most this share of them (words every other document holds say nothing)."""
NMF_FEATURES = 10_000
"""Vocabulary of the topic model: the most frequent words and two-word phrases (the rest slows NMF down)."""
NMF_ITERATIONS = 60
MIN_TURN_TOKENS = 5
"""Turns with fewer words left after stop words ("Thank you.", "It isn't a campaign.") get no topics of
either kind: one or two words are too little to say what a turn is about."""
TOP_TERMS = 10
TOPICS_PER_TURN = 3
DECIMALS = 6
"""Floats are rounded so that tables are byte-identical across runs and machines."""

# --- site topics (classifier) ---
SITE_MIN_PAGES = 20
"""A site topic is learned when at least this many training pages carry it."""
MIN_TRAIN_PAGES = 100
SITE_THRESHOLD = 0.5
"""A turn (and, on the word-weighted mean of its turns, a page) gets a site topic at this probability or more."""
SITE_C = 16.0
"""Inverse regularisation strength of the per-topic logistic regressions (chosen by held-out F1)."""

EVAL_FOLDS = 5

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
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | BOILERPLATE_WORDS)
# Words of two or more letters; hyphenated words stay whole ("medium-sized"); numbers are left out.
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z]+(?:-[a-zA-Z]+)*\b"

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACES = re.compile(r"\s+")


def _no_log(message: str) -> None:
    """Drop messages when the caller gives no logger."""


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run BLAS on one thread: summation order then does not depend on the machine's core count."""
    with threadpool_limits(limits=1):
        yield


def topic_tables(events: pl.DataFrame, utterances: pl.DataFrame, *,
                 log: Callable[[str], None] = _no_log) -> dict[str, pa.Table]:
    """All four topic tables for a corpus: event_tags, topics, utterance_topics, utterance_site_topics.

    Tables that cannot be made (too few documents, too few tagged pages) come back empty but typed,
    and `log` is told why.

    Args:
        events: the events table (columns of `schema.EVENTS`; at least event_id, topics, geography,
            persons, topic_ids, geography_codes, person_ids, narration).
        utterances: the utterances table (at least utterance_id, event_id, text).
        log: receives one line per skipped step.

    Returns:
        A dict from table name to Arrow table.

    >>> ev = pl.DataFrame({"event_id": ["e1"], "topics": [["Sport "]], "geography": [[]], "persons": [[]],
    ...                    "topic_ids": [[7]], "geography_codes": [[]], "person_ids": [[]], "narration": [[]]},
    ...                   schema_overrides={"geography": pl.List(pl.String), "persons": pl.List(pl.String),
    ...                                     "geography_codes": pl.List(pl.String),
    ...                                     "person_ids": pl.List(pl.Int64), "narration": pl.List(pl.String)})
    >>> ut = pl.DataFrame({"utterance_id": ["e1.u1"], "event_id": ["e1"], "text": ["Hello."]})
    >>> {k: v.num_rows for k, v in topic_tables(ev, ut).items()}
    {'event_tags': 1, 'topics': 0, 'utterance_topics': 0, 'utterance_site_topics': 0}
    """
    tags = event_tags(events)
    corpus = _corpus(events, tags, utterances)
    topics, utterance_topics = _learned_topics(corpus, log)
    return {
        "event_tags": tags,
        "topics": topics,
        "utterance_topics": utterance_topics,
        "utterance_site_topics": _site_topics(corpus, log),
    }


# --------------------------------------------------------------------------------------------- event_tags

def tag_key(tag: str) -> str:
    """The identity of a tag regardless of spacing, dash and letter case.

    >>> tag_key(" Russia\u2013European\u00a0Union ") == tag_key("russia-european union")
    True
    """
    return _SPACES.sub(" ", _DASHES.sub("-", unicodedata.normalize("NFKC", tag))).strip().casefold()


def _clean_tag(tag: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", tag)).strip()


def event_tags(events: pl.DataFrame) -> pa.Table:
    """One row per page tag, with the site's id for it where the HTML gives one; one spelling per tag.

    Spellings that differ only in spacing, dashes or case are one tag, written the way most pages write it
    (ties: the alphabetically first). A tag listed twice on a page is one row.
    """
    kinds = (("topic", "topics", "topic_ids"), ("geography", "geography", "geography_codes"),
             ("person", "persons", "person_ids"))
    rows: list[tuple[str, str, str, str | None]] = []
    for tag_type, tag_col, id_col in kinds:
        for event_id, tags, ids in events.select("event_id", tag_col, id_col).iter_rows():
            tags = tags or []
            ids = ids or []
            aligned = len(ids) == len(tags)
            for i, raw in enumerate(tags):
                tag = _clean_tag(raw)
                if tag:
                    tag_id = ids[i] if aligned else None
                    rows.append((event_id, tag_type, tag, None if tag_id is None else str(tag_id)))
    spellings: dict[tuple[str, str], Counter[str]] = {}
    for _, tag_type, tag, _ in rows:
        spellings.setdefault((tag_type, tag_key(tag)), Counter())[tag] += 1
    canonical = {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in spellings.items()}
    seen: dict[tuple[str, str, str], str | None] = {}
    for event_id, tag_type, tag, tag_id in rows:
        key = (event_id, tag_type, canonical[(tag_type, tag_key(tag))])
        if seen.get(key) is None:
            seen[key] = tag_id
    ordered = sorted(seen.items(), key=lambda kv: kv[0])
    return columns_to_table({
        "event_id": [k[0] for k, _ in ordered],
        "tag_type": [k[1] for k, _ in ordered],
        "tag": [k[2] for k, _ in ordered],
        "tag_id": [v for _, v in ordered],
    }, EVENT_TAGS)


# --------------------------------------------------------------------------------------------- documents

_TOKEN = re.compile(TOKEN_PATTERN)
_STOP = frozenset(STOP_WORDS)
_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Ints = np.ndarray[Any, np.dtype[np.int64]]


def tokens(text: str) -> list[str]:
    """Lower-case words of a text without stop words and boilerplate.

    >>> tokens("Thank you, Mr President. Small- and medium-sized businesses need 20 loans.")
    ['small', 'medium-sized', 'businesses', 'loans']
    """
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


@dataclass(frozen=True, slots=True)
class Documents:
    """Model documents cut from turns: their text, word count and the turn (row index) each came from."""

    texts: list[str]
    n_words: _Ints
    owner: _Ints


def split_turns(texts: Sequence[str], min_words: int = DOC_WORDS) -> Documents:
    r"""Cut turns into paragraph-sized documents: paragraphs merged until each holds `min_words` words.

    A short tail joins the document before it, so a turn never ends in a scrap.

    >>> d = split_turns(["a b c\nd e\nf", "x y"], min_words=2)
    >>> d.texts, d.owner.tolist()
    (['a b c', 'd e\nf', 'x y'], [0, 0, 1])
    """
    out: list[str] = []
    words: list[int] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        start = len(out)
        buf: list[str] = []
        n = 0
        for para in (text or "").split("\n"):
            k = len(para.split())
            if not k:
                continue
            buf.append(para)
            n += k
            if n >= min_words:
                out.append("\n".join(buf))
                words.append(n)
                owner.append(i)
                buf, n = [], 0
        if buf:
            if len(out) > start:
                out[-1] += "\n" + "\n".join(buf)
                words[-1] += n
            else:
                out.append("\n".join(buf))
                words.append(n)
                owner.append(i)
    return Documents(out, np.asarray(words, dtype=np.int64), np.asarray(owner, dtype=np.int64))


def count_terms(docs: Sequence[list[str]], min_df: int = MIN_DF) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of words and adjacent word pairs in tokenised documents; terms in `min_df`+ documents, sorted.

    Done with numpy rather than a scikit-learn vectorizer, which spends seconds per run in Python on pairs.

    >>> m, terms = count_terms([["gas", "oil"], ["gas", "oil", "gas"]], min_df=2)
    >>> terms, m.toarray().tolist()
    (['gas', 'gas oil', 'oil'], [[1.0, 1.0, 1.0], [2.0, 1.0, 1.0]])
    """
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(w, len(index)) for d in docs for w in d), dtype=np.int64)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64),
                     np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs)))
    v = len(index)
    pair = rows[1:] == rows[:-1]
    keys = np.concatenate([ids, v + ids[:-1][pair] * v + ids[1:][pair]])
    rows = np.concatenate([rows, rows[:-1][pair]])
    uniq, col = np.unique(keys, return_inverse=True)
    counts = sparse.csr_matrix((np.ones(len(keys)), (rows, col.ravel())), shape=(len(docs), len(uniq)))
    counts.sum_duplicates()
    keep = np.flatnonzero(np.bincount(counts.indices, minlength=len(uniq)) >= min_df)
    words = list(index)
    names = [words[k] if k < v else f"{words[(k - v) // v]} {words[(k - v) % v]}" for k in uniq[keep].tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    return counts[:, keep[order]].tocsr(), [names[i] for i in order]


def _columns(counts: sparse.csr_matrix, max_features: int | None = None) -> _Ints:
    """Columns in `MIN_DF`+ rows and at most `MAX_DF` of them; the `max_features` most frequent (ties: first)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    cols = np.flatnonzero((df >= MIN_DF) & (df <= MAX_DF * counts.shape[0]))
    if max_features is not None and len(cols) > max_features:
        total = np.asarray(counts[:, cols].sum(axis=0)).ravel()
        cols = np.sort(cols[np.argsort(-total, kind="stable")[:max_features]])
    return cols


def _group(owner: _Ints, n_groups: int, weights: _Floats | None = None) -> sparse.csr_matrix:
    """A matrix that sums rows into groups: row `owner[i]`, column `i`."""
    data = np.ones(len(owner)) if weights is None else weights
    return sparse.csr_matrix((data, (owner, np.arange(len(owner)))), shape=(n_groups, len(owner)))


@dataclass(frozen=True, slots=True)
class _Corpus:
    """Turns cut into documents, the tagged pages, and term counts of both, made once for both models."""

    turn_ids: list[str]
    turn_tokens: _Ints
    docs: Documents
    doc_counts: sparse.csr_matrix
    terms: list[str]
    turn_words: sparse.csr_matrix
    page_ids: list[str]
    page_labels: list[frozenset[str]]
    page_of_turn: _Ints
    narration_words: sparse.csr_matrix
    narration_tokens: _Ints


def _corpus(events: pl.DataFrame, tags: pa.Table, utterances: pl.DataFrame) -> _Corpus:
    texts = utterances["text"].to_list()
    docs = split_turns(texts)
    doc_tokens = [tokens(t) for t in docs.texts]
    labels: dict[str, set[str]] = {}
    for event_id, tag_type, tag in zip(*(tags.column(c).to_pylist() for c in ("event_id", "tag_type", "tag")),
                                       strict=True):
        if tag_type == "topic":
            labels.setdefault(event_id, set()).add(tag)
    pages = [(e, tokens("\n".join(n or []))) for e, n in events.select("event_id", "narration").iter_rows()
             if e in labels]
    counts, terms = count_terms(doc_tokens + [toks for _, toks in pages])
    words = np.flatnonzero([" " not in t for t in terms])
    n_doc_tokens = np.asarray([len(t) for t in doc_tokens], dtype=np.float64)
    page_index = {e: i for i, (e, _) in enumerate(pages)}
    return _Corpus(
        turn_ids=utterances["utterance_id"].to_list(),
        turn_tokens=np.bincount(docs.owner, weights=n_doc_tokens, minlength=len(texts)).astype(np.int64),
        docs=docs,
        doc_counts=counts[:len(docs.texts)],
        terms=terms,
        turn_words=(_group(docs.owner, len(texts)) @ counts[:len(docs.texts)][:, words]).tocsr(),
        page_ids=[e for e, _ in pages],
        page_labels=[frozenset(labels[e]) for e, _ in pages],
        page_of_turn=np.asarray([page_index.get(e, -1) for e in utterances["event_id"].to_list()], dtype=np.int64),
        narration_words=counts[len(docs.texts):][:, words].tocsr(),
        narration_tokens=np.asarray([len(toks) for _, toks in pages], dtype=np.int64),
    )


# --------------------------------------------------------------------------------------------- learned topics

def topic_label(terms: Sequence[str], weights: Sequence[float], n: int = 3) -> str:
    """A label from the top terms: the first `n` that do not repeat a word of a term already taken.

    A word gives way to a two-word term of the list that holds it and weighs at least 0.4 times as much
    ("forces" to "armed forces"), so that phrases the topic is made of read as phrases.

    >>> topic_label(["forces", "military", "armed", "armed forces", "weapons"], [1, 0.8, 0.8, 0.7, 0.3])
    'armed forces, military, weapons'
    """
    taken: list[str] = []
    used: set[str] = set()
    for word, weight in zip(terms, weights, strict=True):
        phrases = [t for t, w in zip(terms, weights, strict=True)
                   if " " in t and word in t.split() and w >= 0.4 * weight]
        for term in [*phrases[:1], word]:
            parts = set(term.split())
            if not parts & used:
                taken.append(term)
                used |= parts
                break
        if len(taken) == n:
            break
    return ", ".join(taken)


def learned_topics(utterances: pl.DataFrame, *, log: Callable[[str], None] = _no_log) -> tuple[pa.Table, pa.Table]:
    """Topics learned by TF-IDF + NMF over turn text, and the top three topics of each turn.

    Returns:
        (topics, utterance_topics) as Arrow tables; both empty when the corpus is too small.
    """
    events = pl.DataFrame(schema={"event_id": pl.String, "narration": pl.List(pl.String)})
    return _learned_topics(_corpus(events, empty_table(EVENT_TAGS), utterances), log)


def _learned_topics(corpus: _Corpus, log: Callable[[str], None]) -> tuple[pa.Table, pa.Table]:
    docs = corpus.docs
    fit_rows = np.flatnonzero(docs.n_words >= MIN_FIT_WORDS)
    rest_rows = np.flatnonzero(docs.n_words < MIN_FIT_WORDS)
    if len(fit_rows) < MIN_DOCUMENTS:
        log(f"topics: skipped, {len(fit_rows)} turn documents of {MIN_FIT_WORDS}+ words (need {MIN_DOCUMENTS}); "
            "topics and utterance_topics are empty")
        return empty_table(TOPICS), empty_table(UTTERANCE_TOPICS)
    n_topics = min(N_TOPICS, len(fit_rows) // DOCS_PER_TOPIC)
    cols = _columns(corpus.doc_counts[fit_rows], NMF_FEATURES)
    tfidf = TfidfTransformer(sublinear_tf=True)
    w = np.zeros((len(docs.texts), n_topics))
    with _one_thread():
        x_fit = tfidf.fit_transform(corpus.doc_counts[fit_rows][:, cols])
        # A fixed number of iterations (tol=0): where a tolerance test stops must not hinge on the last bit.
        model = NMF(n_components=n_topics, init="nndsvd", solver="cd", beta_loss="frobenius",
                    max_iter=NMF_ITERATIONS, tol=0.0, random_state=0, shuffle=False)
        w[fit_rows] = model.fit_transform(x_fit)
        if len(rest_rows):
            w[rest_rows] = model.transform(tfidf.transform(corpus.doc_counts[rest_rows][:, cols]))
    # Terms are sorted, so stable sorts on weight break ties by term.
    terms = [corpus.terms[c] for c in cols]
    h = np.round(model.components_, DECIMALS)
    # Turn weight = word-weighted sum of its documents' weights; then shares of the turn's total.
    turn_w = np.asarray(_group(docs.owner, len(corpus.turn_ids), docs.n_words.astype(np.float64)) @ w)
    # Topics numbered by their total weight over the turns, largest first.
    order = np.argsort(-np.round(turn_w.sum(axis=0), DECIMALS), kind="stable")
    totals = turn_w.sum(axis=1)
    rows = np.flatnonzero((totals > 0) & (corpus.turn_tokens >= MIN_TURN_TOKENS))
    shares = np.round(turn_w[rows][:, order] / totals[rows, None], DECIMALS)
    best = np.argsort(-shares, axis=1, kind="stable")[:, :TOPICS_PER_TURN]
    best_share = np.take_along_axis(shares, best, axis=1)
    keep = best_share > 0
    ranks = np.broadcast_to(np.arange(1, best.shape[1] + 1), best.shape)
    utt_cols = {
        "utterance_id": [corpus.turn_ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
        "topic_id": (best[keep] + 1).tolist(),
        "weight": best_share[keep].tolist(),
        "rank": ranks[keep].tolist(),
    }
    n_first = np.bincount(best[:, 0], minlength=n_topics) if len(rows) else np.zeros(n_topics, dtype=np.int64)
    topic_cols: dict[str, list[Any]] = {c: [] for c in TOPICS.columns}
    for topic_id, k in enumerate(order, start=1):
        top = np.argsort(-h[k], kind="stable")[:TOP_TERMS]
        top_terms = [terms[j] for j in top]
        weights = [round(float(h[k, j] / (h[k, top[0]] or 1.0)), DECIMALS) for j in top]
        topic_cols["topic_id"].append(topic_id)
        topic_cols["label"].append(topic_label(top_terms, weights))
        topic_cols["top_terms"].append(top_terms)
        topic_cols["term_weights"].append(weights)
        topic_cols["n_utterances"].append(int(n_first[topic_id - 1]))
    return columns_to_table(topic_cols, TOPICS), columns_to_table(utt_cols, UTTERANCE_TOPICS)


# --------------------------------------------------------------------------------------------- site topics

def _page_words(corpus: _Corpus) -> tuple[sparse.csr_matrix, _Ints]:
    """Word counts of each tagged page (narration + turns), and its number of words after stop words."""
    turns = np.flatnonzero(corpus.page_of_turn >= 0)
    n = len(corpus.page_ids)
    group = _group(corpus.page_of_turn[turns], n)
    words = corpus.narration_words + group @ corpus.turn_words[turns]
    n_tokens = corpus.narration_tokens + np.bincount(corpus.page_of_turn[turns],
                                                     weights=corpus.turn_tokens[turns], minlength=n).astype(np.int64)
    return words.tocsr(), n_tokens


def _learnable(labels: Sequence[frozenset[str]]) -> list[str]:
    counts = Counter(t for ls in labels for t in ls)
    return sorted(t for t, n in counts.items() if n >= SITE_MIN_PAGES)


@dataclass(slots=True)
class SiteTopicModel:
    """The word columns used, their TF-IDF weighting, and one logistic regression per site topic."""

    columns: _Ints
    tfidf: TfidfTransformer
    classifiers: list[LogisticRegression]
    topics: list[str]

    def predict_proba(self, words: sparse.csr_matrix) -> _Floats:
        """Probability of each topic (columns, in `topics` order) for each row of word counts."""
        if not words.shape[0]:
            return np.zeros((0, len(self.topics)))
        with _one_thread():
            x = self.tfidf.transform(words[:, self.columns])
            return np.column_stack([c.predict_proba(x)[:, 1] for c in self.classifiers])


def fit_site_topics(words: sparse.csr_matrix, labels: Sequence[frozenset[str]], topics: Sequence[str]
                    ) -> SiteTopicModel:
    """Fit the site-topic classifier on pages' word counts and their site topics: one logistic regression each.

    Whole pages train better than pages cut into turn-sized pieces (held-out F1), and faster. Classes are
    weighted to balance, so that rare topics are not drowned by Foreign policy.
    """
    cols = _columns(words)
    tfidf = TfidfTransformer(sublinear_tf=True)
    with _one_thread():
        x = tfidf.fit_transform(words[:, cols])
        classifiers = []
        for topic in topics:
            y = np.fromiter((topic in ls for ls in labels), dtype=bool, count=len(labels))
            clf = LogisticRegression(C=SITE_C, class_weight="balanced", solver="liblinear", random_state=0,
                                     max_iter=1000)
            classifiers.append(clf.fit(x, y))
    return SiteTopicModel(cols, tfidf, classifiers, list(topics))


def site_topics(events: pl.DataFrame, utterances: pl.DataFrame, *, log: Callable[[str], None] = _no_log) -> pa.Table:
    """The site's own topics assigned to each turn by a classifier trained on the tagged pages."""
    return _site_topics(_corpus(events, event_tags(events), utterances), log)


def _site_topics(corpus: _Corpus, log: Callable[[str], None]) -> pa.Table:
    page_words, page_tokens = _page_words(corpus)
    pages = np.flatnonzero(page_tokens > 0)
    labels = [corpus.page_labels[i] for i in pages]
    topics = _learnable(labels)
    if len(pages) < MIN_TRAIN_PAGES or len(topics) < 2:
        log(f"utterance_site_topics: skipped, {len(pages)} page(s) with Topics tags and text "
            f"(need {MIN_TRAIN_PAGES}), {len(topics)} topic(s) on {SITE_MIN_PAGES}+ pages (need 2); the table is empty")
        return empty_table(UTTERANCE_SITE_TOPICS)
    model = fit_site_topics(page_words[pages], labels, topics)
    rows = np.flatnonzero(corpus.turn_tokens >= MIN_TURN_TOKENS)
    proba = np.round(model.predict_proba(corpus.turn_words[rows]), DECIMALS)
    # Within a turn, most probable topic first; ties by name (topics are sorted).
    order = np.argsort(-proba, axis=1, kind="stable")
    sorted_p = np.take_along_axis(proba, order, axis=1)
    keep = sorted_p >= SITE_THRESHOLD
    return columns_to_table({
        "utterance_id": [corpus.turn_ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
        "topic": [topics[c] for c in order[keep]],
        "probability": sorted_p[keep].tolist(),
    }, UTTERANCE_SITE_TOPICS)


@dataclass(frozen=True, slots=True)
class SiteTopicScores:
    """Held-out page-level F1 of the site-topic classifier."""

    micro_f1: float
    macro_f1: float
    micro_f1_transcripts: float
    macro_f1_transcripts: float
    n_pages: int
    n_transcripts: int
    topics: list[str]
    per_topic_f1: dict[str, float]


def evaluate_site_topics(events: pl.DataFrame, utterances: pl.DataFrame, *, folds: int = EVAL_FOLDS,
                         min_pages: int = 50) -> SiteTopicScores:
    """Score the site-topic classifier on pages held out by page (k-fold), at page level.

    Each held-out page is predicted as the turns are in `utterance_site_topics`: every turn of
    `MIN_TURN_TOKENS`+ content words, and the narration as one more document, get probabilities; the page's
    probability is their mean weighted by content words; the page gets the topics at `SITE_THRESHOLD` or more,
    and its most probable topic in any case (every tagged page has one). F1 is counted over the topics carried
    by `min_pages`+ pages; "transcripts" are the pages with turns.
    """
    corpus = _corpus(events, event_tags(events), utterances)
    page_words, page_tokens = _page_words(corpus)
    pages = np.flatnonzero(page_tokens > 0)
    labels = [corpus.page_labels[i] for i in pages]
    topics = _learnable(labels)
    scored = [i for i, t in enumerate(topics) if sum(t in ls for ls in labels) >= min_pages]
    n = len(pages)
    fold = np.random.default_rng(0).permutation(np.arange(n) % folds)
    # Documents of each page: its turns of MIN_TURN_TOKENS+ words, and its narration.
    slot = np.full(len(corpus.page_ids), -1)
    slot[pages] = np.arange(n)
    turn_page = np.where(corpus.page_of_turn >= 0, slot[np.maximum(corpus.page_of_turn, 0)], -1)
    turn_rows = np.flatnonzero((turn_page >= 0) & (corpus.turn_tokens >= MIN_TURN_TOKENS))
    nar_rows = pages[corpus.narration_tokens[pages] > 0]
    doc_words = sparse.vstack([corpus.turn_words[turn_rows], corpus.narration_words[nar_rows]]).tocsr()
    doc_page = np.concatenate([turn_page[turn_rows], slot[nar_rows]])
    doc_weight = np.concatenate([corpus.turn_tokens[turn_rows], corpus.narration_tokens[nar_rows]]).astype(float)
    truth = np.array([[t in ls for t in topics] for ls in labels], dtype=bool).reshape(n, len(topics))
    proba = np.zeros(truth.shape)
    for f in range(folds):
        train = np.flatnonzero(fold != f)
        model = fit_site_topics(page_words[pages[train]], [labels[i] for i in train], topics)
        test_docs = np.flatnonzero(fold[doc_page] == f)
        p = model.predict_proba(doc_words[test_docs])
        group = _group(doc_page[test_docs], n, doc_weight[test_docs])
        num = np.asarray(group @ p)
        den = np.asarray(group.sum(axis=1)).ravel()
        done = den > 0
        proba[done] = num[done] / den[done, None]
    predicted = proba >= SITE_THRESHOLD
    predicted[np.arange(n), proba.argmax(axis=1)] = True
    has_turns = np.zeros(n, dtype=bool)
    has_turns[turn_page[turn_page >= 0]] = True
    y, yhat = truth[:, scored], predicted[:, scored]
    per_topic = f1_score(y, yhat, average=None, zero_division=0.0)
    return SiteTopicScores(
        micro_f1=float(f1_score(y, yhat, average="micro")), macro_f1=float(f1_score(y, yhat, average="macro")),
        micro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="micro")),
        macro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="macro", zero_division=0.0)),
        n_pages=n, n_transcripts=int(has_turns.sum()), topics=[topics[i] for i in scored],
        per_topic_f1={topics[i]: round(float(v), 3) for i, v in zip(scored, per_topic, strict=True)})
