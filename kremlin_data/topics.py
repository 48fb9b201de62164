"""Turns events and utterances into topic tables: site tags, topics learned from the words, site topics per turn."""

from __future__ import annotations

import itertools
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
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
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
    putin vladimir dmitry medvedev opportunity pleased happy glad
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
    turns = _turns(utterances)
    tags = event_tags(events)
    topics, utterance_topics = _learned_topics(turns, log)
    return {
        "event_tags": tags,
        "topics": topics,
        "utterance_topics": utterance_topics,
        "utterance_site_topics": _site_topics(events, tags, turns, log),
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
    canonical = {key: min(c, key=lambda s, c=c: (-c[s], s)) for key, c in spellings.items()}  # type: ignore[misc]
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


def tokens(text: str) -> list[str]:
    """Lower-case words of a text without stop words and boilerplate.

    >>> tokens("Thank you, Mr President. Small- and medium-sized businesses need 20 loans.")
    ['small', 'medium-sized', 'businesses', 'loans']
    """
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


def _with_bigrams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _words(words: list[str]) -> list[str]:
    return words


@dataclass(frozen=True, slots=True)
class Documents:
    """Model documents cut from turns: their text, word count and the turn (row index) each came from."""

    texts: list[str]
    n_words: np.ndarray[Any, np.dtype[np.int64]]
    owner: np.ndarray[Any, np.dtype[np.int64]]


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


@dataclass(frozen=True, slots=True)
class _Turns:
    """The turns cut into documents and tokenised once, for both models."""

    ids: list[str]
    event_ids: list[str]
    n_words: np.ndarray[Any, np.dtype[np.int64]]
    n_tokens: np.ndarray[Any, np.dtype[np.int64]]
    docs: Documents
    doc_tokens: list[list[str]]
    tokens: list[list[str]]


def _turns(utterances: pl.DataFrame) -> _Turns:
    texts = utterances["text"].to_list()
    docs = split_turns(texts)
    doc_tokens = [tokens(t) for t in docs.texts]
    turn_tokens: list[list[str]] = [[] for _ in texts]
    for o, toks in zip(docs.owner.tolist(), doc_tokens, strict=True):
        turn_tokens[o].extend(toks)
    n_words = np.asarray([len((t or "").split()) for t in texts], dtype=np.int64)
    n_tokens = np.asarray([len(t) for t in turn_tokens], dtype=np.int64)
    return _Turns(utterances["utterance_id"].to_list(), utterances["event_id"].to_list(), n_words, n_tokens, docs,
                  doc_tokens, turn_tokens)


def _vectorizer(analyzer: Callable[[list[str]], list[str]], max_features: int | None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, min_df=3, max_df=0.5, max_features=max_features, sublinear_tf=True,
                           dtype=np.float64)


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
    return _learned_topics(_turns(utterances), log)


def _learned_topics(turns: _Turns, log: Callable[[str], None]) -> tuple[pa.Table, pa.Table]:
    docs = turns.docs
    fit_rows = np.flatnonzero(docs.n_words >= MIN_FIT_WORDS)
    rest_rows = np.flatnonzero(docs.n_words < MIN_FIT_WORDS)
    if len(fit_rows) < MIN_DOCUMENTS:
        log(f"topics: skipped, {len(fit_rows)} turn documents of {MIN_FIT_WORDS}+ words (need {MIN_DOCUMENTS}); "
            "topics and utterance_topics are empty")
        return empty_table(TOPICS), empty_table(UTTERANCE_TOPICS)
    n_topics = min(N_TOPICS, len(fit_rows) // DOCS_PER_TOPIC)
    vec = _vectorizer(_with_bigrams, NMF_FEATURES)
    w = np.zeros((len(docs.texts), n_topics))
    with _one_thread():
        x_fit = vec.fit_transform([turns.doc_tokens[i] for i in fit_rows])
        # A fixed number of iterations (tol=0): where a tolerance test stops must not hinge on the last bit.
        model = NMF(n_components=n_topics, init="nndsvd", solver="cd", beta_loss="frobenius",
                    max_iter=NMF_ITERATIONS, tol=0.0, random_state=0, shuffle=False)
        w[fit_rows] = model.fit_transform(x_fit)
        if len(rest_rows):
            w[rest_rows] = model.transform(vec.transform([turns.doc_tokens[i] for i in rest_rows]))
    # Feature names are sorted, so stable sorts on weight break ties by term.
    terms = vec.get_feature_names_out()
    h = np.round(model.components_, DECIMALS)
    # Turn weight = word-weighted sum of its documents' weights; then shares of the turn's total.
    owner = sparse.csr_matrix((docs.n_words.astype(np.float64), (docs.owner, np.arange(len(docs.owner)))),
                              shape=(len(turns.ids), len(docs.owner)))
    turn_w = np.asarray(owner @ w)
    # Topics numbered by their total weight over the turns, largest first.
    order = np.argsort(-np.round(turn_w.sum(axis=0), DECIMALS), kind="stable")
    totals = turn_w.sum(axis=1)
    rows = np.flatnonzero((totals > 0) & (turns.n_tokens >= MIN_TURN_TOKENS))
    shares = np.round(turn_w[rows][:, order] / totals[rows, None], DECIMALS)
    best = np.argsort(-shares, axis=1, kind="stable")[:, :TOPICS_PER_TURN]
    best_share = np.take_along_axis(shares, best, axis=1)
    keep = best_share > 0
    ranks = np.broadcast_to(np.arange(1, best.shape[1] + 1), best.shape)
    utt_cols = {
        "utterance_id": [turns.ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
        "topic_id": (best[keep] + 1).tolist(),
        "weight": best_share[keep].tolist(),
        "rank": ranks[keep].tolist(),
    }
    n_first = np.bincount(best[:, 0], minlength=n_topics) if len(rows) else np.zeros(n_topics, dtype=np.int64)
    topic_cols: dict[str, list[Any]] = {c: [] for c in TOPICS.columns}
    for topic_id, k in enumerate(order, start=1):
        top = np.argsort(-h[k], kind="stable")[:TOP_TERMS]
        top_terms = [str(terms[j]) for j in top]
        weights = [round(float(h[k, j] / (h[k, top[0]] or 1.0)), DECIMALS) for j in top]
        topic_cols["topic_id"].append(topic_id)
        topic_cols["label"].append(topic_label(top_terms, weights))
        topic_cols["top_terms"].append(top_terms)
        topic_cols["term_weights"].append(weights)
        topic_cols["n_utterances"].append(int(n_first[topic_id - 1]))
    return columns_to_table(topic_cols, TOPICS), columns_to_table(utt_cols, UTTERANCE_TOPICS)


# --------------------------------------------------------------------------------------------- site topics

@dataclass(frozen=True, slots=True)
class _Pages:
    """Pages that carry site topics: their ids, tokens (narration + turns) and topic sets."""

    event_ids: list[str]
    tokens: list[list[str]]
    labels: list[frozenset[str]]
    narration_tokens: list[list[str]]


def _tagged_pages(events: pl.DataFrame, tags: pa.Table, turns: _Turns) -> _Pages:
    labels: dict[str, set[str]] = {}
    for event_id, tag_type, tag in zip(*(tags.column(c).to_pylist() for c in ("event_id", "tag_type", "tag")),
                                       strict=True):
        if tag_type == "topic":
            labels.setdefault(event_id, set()).add(tag)
    by_event: dict[str, list[str]] = {}
    for event_id, toks in zip(turns.event_ids, turns.tokens, strict=True):
        by_event.setdefault(event_id, []).extend(toks)
    pages = _Pages([], [], [], [])
    for event_id, narration in events.select("event_id", "narration").iter_rows():
        if event_id not in labels:
            continue
        nar = tokens("\n".join(narration or []))
        toks = nar + by_event.get(event_id, [])
        if toks:
            pages.event_ids.append(event_id)
            pages.tokens.append(toks)
            pages.labels.append(frozenset(labels[event_id]))
            pages.narration_tokens.append(nar)
    return pages


def _learnable(labels: Sequence[frozenset[str]]) -> list[str]:
    counts = Counter(t for ls in labels for t in ls)
    return sorted(t for t, n in counts.items() if n >= SITE_MIN_PAGES)


@dataclass(slots=True)
class SiteTopicModel:
    """A TF-IDF vocabulary and one logistic regression per site topic."""

    vectorizer: TfidfVectorizer
    classifiers: list[LogisticRegression]
    topics: list[str]

    def predict_proba(self, docs: Sequence[list[str]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Probability of each topic (columns, in `topics` order) for each tokenised text (rows)."""
        if not docs:
            return np.zeros((0, len(self.topics)))
        with _one_thread():
            x = self.vectorizer.transform(docs)
            return np.column_stack([c.predict_proba(x)[:, 1] for c in self.classifiers])


def fit_site_topics(docs: Sequence[list[str]], labels: Sequence[frozenset[str]], topics: Sequence[str]
                    ) -> SiteTopicModel:
    """Fit the site-topic classifier on tokenised page texts and their site topics: one logistic regression each.

    Whole pages train better than pages cut into turn-sized pieces (held-out F1), and faster. Classes are
    weighted to balance, so that rare topics are not drowned by Foreign policy.
    """
    vec = _vectorizer(_words, None)
    with _one_thread():
        x = vec.fit_transform(docs)
        classifiers = []
        for topic in topics:
            y = np.fromiter((topic in ls for ls in labels), dtype=bool, count=len(labels))
            clf = LogisticRegression(C=SITE_C, class_weight="balanced", solver="liblinear", random_state=0,
                                     max_iter=1000)
            classifiers.append(clf.fit(x, y))
    return SiteTopicModel(vec, classifiers, list(topics))


def site_topics(events: pl.DataFrame, utterances: pl.DataFrame, *, log: Callable[[str], None] = _no_log) -> pa.Table:
    """The site's own topics assigned to each turn by a classifier trained on the tagged pages."""
    return _site_topics(events, event_tags(events), _turns(utterances), log)


def _site_topics(events: pl.DataFrame, tags: pa.Table, turns: _Turns, log: Callable[[str], None]) -> pa.Table:
    pages = _tagged_pages(events, tags, turns)
    topics = _learnable(pages.labels)
    if len(pages.event_ids) < MIN_TRAIN_PAGES or len(topics) < 2:
        log(f"utterance_site_topics: skipped, {len(pages.event_ids)} pages with Topics tags and text "
            f"(need {MIN_TRAIN_PAGES}), {len(topics)} topics on {SITE_MIN_PAGES}+ pages (need 2); the table is empty")
        return empty_table(UTTERANCE_SITE_TOPICS)
    model = fit_site_topics(pages.tokens, pages.labels, topics)
    rows = np.flatnonzero(turns.n_tokens >= MIN_TURN_TOKENS)
    proba = np.round(model.predict_proba([turns.tokens[r] for r in rows]), DECIMALS)
    # Within a turn, most probable topic first; ties by name (topics are sorted).
    order = np.argsort(-proba, axis=1, kind="stable")
    sorted_p = np.take_along_axis(proba, order, axis=1)
    keep = sorted_p >= SITE_THRESHOLD
    return columns_to_table({
        "utterance_id": [turns.ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
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
    probability is their word-weighted mean; the page gets the topics at `SITE_THRESHOLD` or more, and its
    most probable topic in any case (every tagged page has one). F1 is counted over the topics carried by
    `min_pages`+ pages; "transcripts" are the pages with turns.
    """
    turns = _turns(utterances)
    pages = _tagged_pages(events, event_tags(events), turns)
    topics = _learnable(pages.labels)
    scored = [i for i, t in enumerate(topics) if sum(t in ls for ls in pages.labels) >= min_pages]
    n = len(pages.event_ids)
    fold = np.random.default_rng(0).permutation(np.arange(n) % folds)
    page_of = {e: i for i, e in enumerate(pages.event_ids)}
    doc_page = [page_of.get(e, -1) for e in turns.event_ids]
    truth = np.array([[t in ls for t in topics] for ls in pages.labels])
    proba = np.zeros(truth.shape)
    for f in range(folds):
        train = np.flatnonzero(fold != f)
        model = fit_site_topics([pages.tokens[i] for i in train], [pages.labels[i] for i in train], topics)
        test = set(np.flatnonzero(fold == f).tolist())
        docs = [(p, toks, len(toks)) for p, toks in
                ((i, pages.narration_tokens[i]) for i in sorted(test)) if toks]
        docs += [(doc_page[r], turns.tokens[r], int(turns.n_words[r])) for r in range(len(turns.ids))
                 if doc_page[r] in test and turns.n_tokens[r] >= MIN_TURN_TOKENS]
        p = model.predict_proba([d[1] for d in docs])
        owner = np.array([d[0] for d in docs], dtype=np.int64)
        weight = np.array([d[2] for d in docs], dtype=np.float64)
        num = np.zeros(truth.shape)
        den = np.zeros(n)
        np.add.at(num, owner, p * weight[:, None])
        np.add.at(den, owner, weight)
        done = den > 0
        proba[done] = num[done] / den[done, None]
    predicted = proba >= SITE_THRESHOLD
    predicted[np.arange(n), proba.argmax(axis=1)] = True
    has_turns = np.zeros(n, dtype=bool)
    has_turns[[p for p in doc_page if p >= 0]] = True
    y, yhat = truth[:, scored], predicted[:, scored]
    per_topic = f1_score(y, yhat, average=None, zero_division=0.0)
    return SiteTopicScores(
        micro_f1=float(f1_score(y, yhat, average="micro")), macro_f1=float(f1_score(y, yhat, average="macro")),
        micro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="micro")),
        macro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="macro", zero_division=0.0)),
        n_pages=n, n_transcripts=int(has_turns.sum()), topics=[topics[i] for i in scored],
        per_topic_f1={topics[i]: round(float(v), 3) for i, v in zip(scored, per_topic, strict=True)})
