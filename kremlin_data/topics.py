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
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from kremlin_data.schema import (
    EVENT_TAGS,
    TOPICS,
    UTTERANCE_SITE_TOPICS,
    UTTERANCE_TOPICS,
    Table,
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
NMF_ITERATIONS = 100
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
SITE_MIN_WORDS = 8
"""Turns with fewer words ("Thank you.") get no site topics: too little text to say anything."""
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
    topics, utterance_topics = learned_topics(utterances, log=log)
    return {
        "event_tags": event_tags(events),
        "topics": topics,
        "utterance_topics": utterance_topics,
        "utterance_site_topics": site_topics(events, utterances, log=log),
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
    return _table(EVENT_TAGS, {
        "event_id": [k[0] for k, _ in ordered],
        "tag_type": [k[1] for k, _ in ordered],
        "tag": [k[2] for k, _ in ordered],
        "tag_id": [v for _, v in ordered],
    })


# --------------------------------------------------------------------------------------------- learned topics

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


def _vectorizer(ngrams: int, max_features: int | None) -> TfidfVectorizer:
    return TfidfVectorizer(lowercase=True, stop_words=STOP_WORDS, token_pattern=TOKEN_PATTERN,
                           ngram_range=(1, ngrams), min_df=3, max_df=0.5, max_features=max_features,
                           sublinear_tf=True, dtype=np.float64)


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
    ids = utterances["utterance_id"].to_list()
    docs = split_turns(utterances["text"].to_list())
    fit_rows = np.flatnonzero(docs.n_words >= MIN_FIT_WORDS)
    n_topics = min(N_TOPICS, len(fit_rows) // DOCS_PER_TOPIC)
    if len(fit_rows) < MIN_DOCUMENTS:
        log(f"topics: skipped, {len(fit_rows)} turn documents of {MIN_FIT_WORDS}+ words (need {MIN_DOCUMENTS}); "
            "topics and utterance_topics are empty")
        return empty_table(TOPICS), empty_table(UTTERANCE_TOPICS)
    vec = _vectorizer(ngrams=2, max_features=NMF_FEATURES)
    rest_rows = np.flatnonzero(docs.n_words < MIN_FIT_WORDS)
    w = np.zeros((len(docs.texts), n_topics))
    with _one_thread():
        x_fit = vec.fit_transform([docs.texts[i] for i in fit_rows])
        # A fixed number of iterations (tol=0): where a tolerance test stops must not hinge on the last bit.
        model = NMF(n_components=n_topics, init="nndsvd", solver="cd", beta_loss="frobenius",
                    max_iter=NMF_ITERATIONS, tol=0.0, random_state=0, shuffle=False)
        w[fit_rows] = model.fit_transform(x_fit)
        if len(rest_rows):
            w[rest_rows] = model.transform(vec.transform([docs.texts[i] for i in rest_rows]))
    # Feature names are sorted, so stable sorts on weight break ties by term.
    terms = vec.get_feature_names_out()
    h = np.round(model.components_, DECIMALS)
    # Turn weight = word-weighted sum of its documents' weights; then shares of the turn's total.
    owner = sparse.csr_matrix((docs.n_words.astype(np.float64), (docs.owner, np.arange(len(docs.owner)))),
                              shape=(len(ids), len(docs.owner)))
    turn_w = np.asarray(owner @ w)
    # Topics numbered by their total weight over the turns, largest first.
    order = np.argsort(-np.round(turn_w.sum(axis=0), DECIMALS), kind="stable")
    totals = turn_w.sum(axis=1)
    rows = np.flatnonzero(totals > 0)
    shares = np.round(turn_w[rows][:, order] / totals[rows, None], DECIMALS)
    best = np.argsort(-shares, axis=1, kind="stable")[:, :TOPICS_PER_TURN]
    best_share = np.take_along_axis(shares, best, axis=1)
    keep = best_share > 0
    ranks = np.broadcast_to(np.arange(1, best.shape[1] + 1), best.shape)
    utt_cols = {
        "utterance_id": [ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
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
    return _table(TOPICS, topic_cols), _table(UTTERANCE_TOPICS, utt_cols)


# --------------------------------------------------------------------------------------------- site topics

def _page_texts(events: pl.DataFrame, utterances: pl.DataFrame) -> pl.DataFrame:
    """event_id, site topics (normalised, sorted, unique) and page text = narration + turn text."""
    turns = (utterances.group_by("event_id", maintain_order=True)
             .agg(pl.col("text").str.join("\n").alias("turn_text")))
    return (events.select("event_id", "topics", "narration")
            .join(turns, on="event_id", how="left", maintain_order="left")
            .with_columns(
                pl.col("topics").list.eval(pl.element().str.replace_all(r"\s+", " ").str.strip_chars())
                .list.unique().list.sort(),
                pl.concat_str(pl.col("narration").list.join("\n"), pl.col("turn_text").fill_null(""),
                              separator="\n").alias("text"))
            .select("event_id", "topics", "text"))


@dataclass(slots=True)
class SiteTopicModel:
    """A TF-IDF vocabulary and one logistic regression per site topic."""

    vectorizer: TfidfVectorizer
    classifier: list[LogisticRegression]
    topics: list[str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Probability of each topic (columns, in `topics` order) for each text (rows)."""
        x = self.vectorizer.transform(texts)
        with _one_thread():
            return np.column_stack([c.predict_proba(x)[:, 1] for c in self.classifier])


def fit_site_topics(texts: Sequence[str], labels: Sequence[Sequence[str]], topics: Sequence[str]) -> SiteTopicModel:
    """Fit the site-topic classifier on page texts and their site topics: one logistic regression per topic.

    Whole pages train better than pages cut into turn-sized pieces (held-out F1), and faster. Classes are
    weighted to balance, so that rare topics are not drowned by Foreign policy.
    """
    label_sets = [set(ls) for ls in labels]
    vec = _vectorizer(ngrams=1, max_features=None)
    with _one_thread():
        x = vec.fit_transform(texts)
        classifiers = []
        for topic in topics:
            y = np.fromiter((topic in ls for ls in label_sets), dtype=bool, count=len(label_sets))
            clf = LogisticRegression(C=SITE_C, class_weight="balanced", solver="liblinear", random_state=0,
                                     max_iter=1000)
            classifiers.append(clf.fit(x, y))
    return SiteTopicModel(vec, classifiers, list(topics))


def _site_training(events: pl.DataFrame, utterances: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Training pages (those with site topics and some text) and the topics with enough pages to learn."""
    pages = _page_texts(events, utterances).filter(pl.col("topics").list.len() > 0,
                                                   pl.col("text").str.len_chars() > 0)
    counts = Counter(t for ts in pages["topics"].to_list() for t in ts)
    topics = sorted(t for t, n in counts.items() if n >= SITE_MIN_PAGES)
    return pages, topics


def site_topics(events: pl.DataFrame, utterances: pl.DataFrame, *, log: Callable[[str], None] = _no_log) -> pa.Table:
    """The site's own topics assigned to each turn by a classifier trained on the tagged pages."""
    pages, topics = _site_training(events, utterances)
    if pages.height < MIN_TRAIN_PAGES or len(topics) < 2:
        log(f"utterance_site_topics: skipped, {pages.height} pages carry Topics tags (need {MIN_TRAIN_PAGES}) "
            f"and {len(topics)} topics have {SITE_MIN_PAGES}+ pages (need 2); the table is empty")
        return empty_table(UTTERANCE_SITE_TOPICS)
    model = fit_site_topics(pages["text"].to_list(), pages["topics"].to_list(), topics)
    turns = utterances.filter(pl.col("text").str.split(" ").list.len() >= SITE_MIN_WORDS)
    proba = np.round(model.predict_proba(turns["text"].to_list()), DECIMALS)
    rows, cols = np.nonzero(proba >= SITE_THRESHOLD)
    ids = turns["utterance_id"].to_list()
    out = sorted((ids[r], topics[c], float(proba[r, c])) for r, c in zip(rows, cols, strict=True))
    return _table(UTTERANCE_SITE_TOPICS, {"utterance_id": [o[0] for o in out], "topic": [o[1] for o in out],
                                          "probability": [o[2] for o in out]})


def _table(table: Table, cols: dict[str, list[Any]]) -> pa.Table:
    return columns_to_table(cols, table)
