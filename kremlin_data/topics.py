"""Turns events and utterances into topic tables: site tags, topics learned from the words, site topics per turn."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
from scipy import sparse

from kremlin_data import topic_models as tm
from kremlin_data.cache import unchanged_rows
from kremlin_data.schema import (
    EVENT_TAGS,
    TOPICS,
    UTTERANCE_SITE_TOPICS,
    UTTERANCE_TOPICS,
    columns_to_table,
    empty_table,
)
from kremlin_data.topic_models import DECIMALS, SiteTopicModel, TopicModel, tokens

__all__ = ["SiteTopicModel", "TopicModel", "tokens"]

# --- learned topics (NMF) ---
N_TOPICS = 30
"""Learned topics on a corpus large enough; smaller corpora get fewer (one per `DOCS_PER_TOPIC` documents)."""
DOCS_PER_TOPIC = 20
MIN_DOCUMENTS = 200
"""Model documents (paragraph-sized pieces of turns) needed before topics are learned at all."""
MIN_FIT_WORDS = 25
"""Documents shorter than this (greetings, one-line replies) are left out of fitting, but still get topics."""
MIN_TURN_TOKENS = 5
"""Turns with fewer words left after stop words ("Thank you.", "It isn't a campaign.") get no topics of
either kind: one or two words are too little to say what a turn is about."""
TOP_TERMS = 10
TOPICS_PER_TURN = 3

# --- site topics (classifier) ---
SITE_MIN_PAGES = 20
"""A site topic is learned when at least this many training pages carry it."""
MIN_TRAIN_PAGES = 100
SITE_THRESHOLD = 0.5
"""A turn (and, on the word-weighted mean of its turns, a page) gets a site topic at this probability or more."""

EVAL_FOLDS = 5

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACES = re.compile(r"\s+")
_Ints = np.ndarray[Any, np.dtype[np.int64]]


def _no_log(message: str) -> None:
    """Drop messages when the caller gives no logger."""


@dataclass(slots=True)
class TopicModels:
    """The two models of the topic step: given ones are applied as they are, missing ones are fitted.

    After `topic_step`, `fitted` names the models it fitted (the build saves those).
    """

    learned: TopicModel | None = None
    site: SiteTopicModel | None = None
    fitted: list[str] = field(default_factory=list)


def topic_tables(events: pl.DataFrame, utterances: pl.DataFrame, *,
                 log: Callable[[str], None] = _no_log) -> dict[str, pa.Table]:
    """All four topic tables for a corpus, with both models fitted on it.

    Tables that cannot be made (too few documents, too few tagged pages) come back empty but typed,
    and `log` is told why.

    Args:
        events: the events table (columns of `schema.EVENTS`; at least event_id, topics, geography,
            persons, topic_ids, geography_codes, person_ids, narration).
        utterances: the utterances table (at least utterance_id, event_id, text).
        log: receives one line per skipped step.

    Returns:
        A dict from table name to Arrow table: event_tags, topics, utterance_topics, utterance_site_topics.

    >>> ev = pl.DataFrame({"event_id": ["e1"], "topics": [["Sport "]], "geography": [[]], "persons": [[]],
    ...                    "topic_ids": [[7]], "geography_codes": [[]], "person_ids": [[]], "narration": [[]]},
    ...                   schema_overrides={"geography": pl.List(pl.String), "persons": pl.List(pl.String),
    ...                                     "geography_codes": pl.List(pl.String),
    ...                                     "person_ids": pl.List(pl.Int64), "narration": pl.List(pl.String)})
    >>> ut = pl.DataFrame({"utterance_id": ["e1.u1"], "event_id": ["e1"], "text": ["Hello."]})
    >>> {k: v.num_rows for k, v in topic_tables(ev, ut).items()}
    {'event_tags': 1, 'topics': 0, 'utterance_topics': 0, 'utterance_site_topics': 0}
    """
    return topic_step(events, utterances, TopicModels(), log=log)


@dataclass(frozen=True, slots=True)
class PreviousTopics:
    """The turns and per-turn topic rows of an earlier step that applied the same two models.

    With both models given, a turn's rows depend on nothing but its text, so a turn whose id and text are
    unchanged keeps its rows and only the other turns are computed.
    """

    utterances: pl.DataFrame
    """utterance_id and text of the earlier step's turns."""
    utterance_topics: pl.DataFrame
    utterance_site_topics: pl.DataFrame


def topic_step(events: pl.DataFrame, utterances: pl.DataFrame, models: TopicModels, *,
               log: Callable[[str], None] = _no_log, previous: PreviousTopics | None = None) -> dict[str, pa.Table]:
    """The four topic tables, applying the models given in `models` and fitting (and storing there) the others.

    `previous` (used only when both models are given) supplies the rows of unchanged turns; the tables are
    the same as without it.
    """
    tags = event_tags(events)
    stop = _stop_words(models, log)
    # The pages' narration is read only to fit a model: applying both asks for the turns' words alone.
    narration = models.learned is None or models.site is None
    if previous is None or narration:
        corpus = _corpus(events, tags, utterances, stop, narration=narration)
        topics, utterance_topics, utterance_site_topics = _both_models(corpus, models, log)
        return {
            "event_tags": tags,
            "topics": topics,
            "utterance_topics": utterance_topics,
            "utterance_site_topics": utterance_site_topics,
        }
    turns = utterances.select("utterance_id", "text").with_row_index("turn")
    same = unchanged_rows(turns, previous.utterances, ["text"])
    changed = utterances.filter(~pl.col("utterance_id").is_in(same["utterance_id"].implode()))
    corpus = _corpus(events, tags, changed, stop, narration=False)
    topics, new_topics, new_site = _both_models(corpus, models, log)

    def merged(old: pl.DataFrame, new: pa.Table) -> pl.DataFrame:
        kept = old.join(same.select("utterance_id", "turn"), on="utterance_id", maintain_order="left")
        fresh = _frame(new).join(turns.select("utterance_id", "turn"), on="utterance_id", maintain_order="left")
        return pl.concat([kept, fresh]).sort("turn", maintain_order=True).drop("turn")

    utterance_topics = merged(previous.utterance_topics, new_topics)
    firsts = dict(utterance_topics.filter(pl.col("rank") == 1).group_by("topic_id").len().iter_rows())
    topics = topics.set_column(topics.schema.get_field_index("n_utterances"), TOPICS.schema.field("n_utterances"),
                               pa.array([firsts.get(t, 0) for t in topics.column("topic_id").to_pylist()],
                                        TOPICS.schema.field("n_utterances").type))
    return {
        "event_tags": tags,
        "topics": topics,
        "utterance_topics": utterance_topics.to_arrow().cast(UTTERANCE_TOPICS.schema),
        "utterance_site_topics": merged(previous.utterance_site_topics, new_site).to_arrow().cast(
            UTTERANCE_SITE_TOPICS.schema),
    }


def _both_models(corpus: _Corpus, models: TopicModels, log: Callable[[str], None]
                 ) -> tuple[pa.Table, pa.Table, pa.Table]:
    """topics, utterance_topics and utterance_site_topics of a corpus.

    The models are applied to ranges of turns in one pool of threads (`tm.APPLY_PARTS`), which both share:
    with both models given, the site classifier waits for its ranges in a thread beside the learned topics,
    so the one's last steps overlap the other's ranges, and no more ranges are in memory at once than the pool
    has threads. A model to fit is fitted alone, the learned topics first.
    """
    with tm.one_blas_thread(), ThreadPoolExecutor(max_workers=tm.APPLY_PARTS) as pool:
        if models.learned is None or models.site is None:
            return (*_learned_topics(corpus, models, log, pool), _site_topics(corpus, models, log, pool))
        with ThreadPoolExecutor(max_workers=1) as beside:
            site = beside.submit(_site_topics, corpus, models, log, pool)
            topics, utterance_topics = _learned_topics(corpus, models, log, pool)
            return topics, utterance_topics, site.result()


def _stop_words(models: TopicModels, log: Callable[[str], None]) -> tuple[str, ...]:
    """The stop words of the models given (both models of one corpus leave out the same words), else today's."""
    if models.learned is not None and models.site is not None and \
            models.learned.stop_words != models.site.stop_words:
        log("topics: the saved site-topic classifier leaves out other stop words than the learned-topic model; "
            "it is fitted again")
        models.site = None
    given = models.learned or models.site
    return given.stop_words if given is not None else tm.stop_words()


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


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
    (ties: the alphabetically first). A tag listed twice on a page is one row. Columnar: the Python string
    functions run once per distinct tag, not per row.
    """
    kinds = (("topic", "topics", "topic_ids"), ("geography", "geography", "geography_codes"),
             ("person", "persons", "person_ids"))
    parts = []
    for tag_type, tag_col, id_col in kinds:
        tags = pl.col(tag_col).fill_null([])
        ids = pl.col(id_col).cast(pl.List(pl.String))
        parts.append(
            events.select("event_id", tags.alias("raw"),
                          pl.when(ids.list.len() == tags.list.len()).then(ids).alias("ids"),
                          pl.int_ranges(tags.list.len()).alias("pos"))
            .explode("raw", "pos")
            .filter(pl.col("raw").is_not_null())
            .select("event_id", pl.lit(tag_type).alias("tag_type"), "raw",
                    pl.col("ids").list.get(pl.col("pos"), null_on_oob=True).alias("tag_id")))
    rows = pl.concat(parts).with_row_index("order")
    distinct = rows.select(pl.col("raw").unique()).to_series().to_list()
    cleaned = pl.DataFrame({"raw": distinct, "tag": [_clean_tag(t) for t in distinct]},
                           schema={"raw": pl.String, "tag": pl.String})
    rows = rows.join(cleaned, on="raw").filter(pl.col("tag") != "")
    keys = pl.DataFrame({"tag": cleaned["tag"].unique().to_list()}, schema={"tag": pl.String})
    keys = keys.with_columns(pl.Series("key", [tag_key(t) for t in keys["tag"].to_list()], dtype=pl.String))
    rows = rows.join(keys, on="tag")
    canonical = (rows.group_by("tag_type", "key", "tag").len()
                 .sort(["len", "tag"], descending=[True, False])
                 .group_by("tag_type", "key", maintain_order=True).first()
                 .select("tag_type", "key", pl.col("tag").alias("canonical")))
    out = (rows.join(canonical, on=["tag_type", "key"]).sort("order")
           .group_by("event_id", "tag_type", "canonical", maintain_order=True)
           .agg(pl.col("tag_id").drop_nulls().first())
           .sort("event_id", "tag_type", "canonical"))
    return columns_to_table({
        "event_id": out["event_id"].to_list(),
        "tag_type": out["tag_type"].to_list(),
        "tag": out["canonical"].to_list(),
        "tag_id": out["tag_id"].to_list(),
    }, EVENT_TAGS)


# --------------------------------------------------------------------------------------------- corpus

@dataclass(frozen=True, slots=True)
class _Corpus:
    """Turns cut into documents, the tagged pages, and the tokens of both, made once for both models.

    Documents `0 .. n_docs - 1` are pieces of turns; document `n_docs + i` is the narration of page i.
    """

    stop_words: tuple[str, ...]
    turn_ids: list[str]
    turn_tokens: _Ints
    docs: tm.Documents
    n_docs: int
    tokens: tm.Tokens
    page_ids: list[str]
    page_labels: list[frozenset[str]]
    page_of_turn: _Ints
    narration_tokens: _Ints

    def page_docs(self, pages: _Ints) -> _Ints:
        """The documents (turn pieces and narration) of the given pages."""
        of_page = np.zeros(len(self.page_ids) + 1, dtype=bool)
        of_page[pages] = True
        turn_docs = np.flatnonzero(of_page[self.page_of_turn[self.docs.owner]])
        return np.concatenate([turn_docs, self.n_docs + pages]).astype(np.int64)

    def word_counts(self, vocabulary: Sequence[str], docs: _Ints | None = None) -> tuple[sparse.csr_matrix,
                                                                                          sparse.csr_matrix]:
        """Word counts over `vocabulary` of each turn and each page's narration (of `docs` only, if given)."""
        toks = self.tokens if docs is None else self.tokens.only(docs)
        counts = toks.counts(vocabulary, self.n_docs + len(self.page_ids))
        turns = tm.group_matrix(self.docs.owner, len(self.turn_ids)) @ counts[:self.n_docs]
        return turns.tocsr(), counts[self.n_docs:].tocsr()


def _corpus(events: pl.DataFrame, tags: pa.Table, utterances: pl.DataFrame,
            stop: tuple[str, ...] | None = None, *, narration: bool = True) -> _Corpus:
    """The corpus of the turns and tagged pages; without `narration`, the pages' narration counts no words."""
    stop = tm.stop_words() if stop is None else stop
    docs = tm.split_turns(utterances["text"])
    n_docs = len(docs.owner)
    all_tags = pl.from_arrow(tags)
    assert isinstance(all_tags, pl.DataFrame)
    topic_tags = all_tags.filter(pl.col("tag_type") == "topic")
    labels = topic_tags.group_by("event_id", maintain_order=True).agg("tag")
    pages = (events.select("event_id", "narration").join(labels, on="event_id", maintain_order="left")
             .with_columns(pl.col("narration").list.join("\n").fill_null("") if narration
                          else pl.lit("", pl.String).alias("narration")))
    n_pages = pages.height
    texts = pl.concat([docs.paragraphs["text"], pages["narration"]])
    doc_of_text = np.concatenate([docs.paragraphs["doc"].to_numpy(), n_docs + np.arange(n_pages)])
    toks = tm.Tokens.of_texts(texts, doc_of_text, stop)
    per_doc = np.bincount(toks.doc, minlength=n_docs + n_pages)
    page_index = pl.DataFrame({"event_id": pages["event_id"], "page": np.arange(n_pages, dtype=np.int64)})
    page_of_turn = (utterances.select("event_id").join(page_index, on="event_id", how="left",
                                                       maintain_order="left")["page"].fill_null(-1).to_numpy())
    return _Corpus(
        stop_words=stop,
        turn_ids=utterances["utterance_id"].to_list(),
        turn_tokens=np.bincount(docs.owner, weights=per_doc[:n_docs], minlength=utterances.height).astype(np.int64),
        docs=docs,
        n_docs=n_docs,
        tokens=toks,
        page_ids=pages["event_id"].to_list(),
        page_labels=[frozenset(ls) for ls in pages["tag"].to_list()],
        page_of_turn=page_of_turn.astype(np.int64),
        narration_tokens=per_doc[n_docs:].astype(np.int64),
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
    return _learned_topics(_corpus(events, empty_table(EVENT_TAGS), utterances), TopicModels(), log)


def _fit_learned(corpus: _Corpus, log: Callable[[str], None]) -> TopicModel | None:
    """Fit the learned topics on an even sample of the documents of `MIN_FIT_WORDS`+ words."""
    fit_rows = np.flatnonzero(corpus.docs.n_words >= MIN_FIT_WORDS)
    if len(fit_rows) < MIN_DOCUMENTS:
        log(f"topics: skipped, {len(fit_rows)} turn documents of {MIN_FIT_WORDS}+ words (need {MIN_DOCUMENTS}); "
            "topics and utterance_topics are empty")
        return None
    n_topics = min(N_TOPICS, len(fit_rows) // DOCS_PER_TOPIC)
    sample = tm.even_sample(fit_rows, tm.NMF_FIT_DOCUMENTS)
    toks = corpus.tokens.of_docs(sample)
    vocabulary = toks.candidates(pairs=True)
    counts = toks.counts(vocabulary, len(sample))
    return tm.fit_topics(counts, vocabulary, corpus.docs.n_words[sample], n_topics, corpus.stop_words)


def _learned_topics(corpus: _Corpus, models: TopicModels, log: Callable[[str], None], pool: Executor | None = None
                    ) -> tuple[pa.Table, pa.Table]:
    if models.learned is None:
        models.learned = _fit_learned(corpus, log)
        if models.learned is None:
            return empty_table(TOPICS), empty_table(UTTERANCE_TOPICS)
        models.fitted.append("learned")
    model = models.learned
    docs = corpus.docs
    n_topics = len(model.components)
    columns = tm.TermColumns.of(corpus.tokens, model.terms)
    topical = corpus.turn_tokens >= MIN_TURN_TOKENS

    def weigh(lo: int, hi: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        # Only documents of turns that get topics are weighed (each row's weights depend on that row alone);
        # the counts of the others are let go at once, as ranges side by side hold theirs at the same time.
        needed = np.flatnonzero(topical[docs.owner[lo:hi]])
        counts = columns.counts(corpus.tokens.between(lo, hi), hi - lo)[needed]
        w = np.zeros((hi - lo, n_topics))
        w[needed] = model.weights(counts)
        return w

    # Ranges of whole turns side by side: a document's weights, like its counts, depend on it alone.
    w = np.concatenate(tm.side_by_side(weigh, tm.doc_ranges(docs.owner), pool))
    h = np.round(model.components, DECIMALS)
    # Turn weight = word-weighted sum of its documents' weights; then shares of the turn's total.
    turn_w = np.asarray(tm.group_matrix(docs.owner, len(corpus.turn_ids), docs.n_words.astype(np.float64)) @ w)
    totals = turn_w.sum(axis=1)
    rows = np.flatnonzero((totals > 0) & (corpus.turn_tokens >= MIN_TURN_TOKENS))
    shares = np.round(turn_w[rows] / totals[rows, None], DECIMALS)
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
    for k in range(n_topics):
        # Terms are sorted, so stable sorts on weight break ties by term.
        top = np.argsort(-h[k], kind="stable")[:TOP_TERMS]
        top_terms = [model.terms[j] for j in top]
        weights = [round(float(h[k, j] / (h[k, top[0]] or 1.0)), DECIMALS) for j in top]
        topic_cols["topic_id"].append(k + 1)
        topic_cols["label"].append(topic_label(top_terms, weights))
        topic_cols["top_terms"].append(top_terms)
        topic_cols["term_weights"].append(weights)
        topic_cols["n_utterances"].append(int(n_first[k]))
    return columns_to_table(topic_cols, TOPICS), columns_to_table(utt_cols, UTTERANCE_TOPICS)


# --------------------------------------------------------------------------------------------- site topics

def _page_words(corpus: _Corpus, turn_words: sparse.csr_matrix, narration_words: sparse.csr_matrix
                ) -> tuple[sparse.csr_matrix, _Ints]:
    """Word counts of each tagged page (narration + turns), and its number of words after stop words."""
    turns = np.flatnonzero(corpus.page_of_turn >= 0)
    n = len(corpus.page_ids)
    words = narration_words + tm.group_matrix(corpus.page_of_turn[turns], n) @ turn_words[turns]
    n_tokens = corpus.narration_tokens + np.bincount(corpus.page_of_turn[turns],
                                                     weights=corpus.turn_tokens[turns], minlength=n).astype(np.int64)
    return words.tocsr(), n_tokens


def _learnable(labels: Sequence[frozenset[str]]) -> list[str]:
    counts = Counter(t for ls in labels for t in ls)
    return sorted(t for t, n in counts.items() if n >= SITE_MIN_PAGES)


def _training_pages(corpus: _Corpus) -> tuple[_Ints, list[str]]:
    """Tagged pages with words (evenly sampled down to `SITE_FIT_PAGES`), and the topics they can teach."""
    n_tokens = corpus.narration_tokens.copy()
    turns = np.flatnonzero(corpus.page_of_turn >= 0)
    n_tokens += np.bincount(corpus.page_of_turn[turns], weights=corpus.turn_tokens[turns],
                            minlength=len(corpus.page_ids)).astype(np.int64)
    pages = np.flatnonzero(n_tokens > 0)
    return pages, _learnable([corpus.page_labels[i] for i in pages])


def _fit_site(corpus: _Corpus, log: Callable[[str], None]) -> SiteTopicModel | None:
    pages, topics = _training_pages(corpus)
    if len(pages) < MIN_TRAIN_PAGES or len(topics) < 2:
        log(f"utterance_site_topics: skipped, {len(pages)} page(s) with Topics tags and text "
            f"(need {MIN_TRAIN_PAGES}), {len(topics)} topic(s) on {SITE_MIN_PAGES}+ pages (need 2); the table is empty")
        return None
    pages = tm.even_sample(pages, tm.SITE_FIT_PAGES)
    docs = corpus.page_docs(pages)
    vocabulary = corpus.tokens.only(docs).candidates(pairs=False)
    turn_words, narration_words = corpus.word_counts(vocabulary, docs)
    page_words, _ = _page_words(corpus, turn_words, narration_words)
    labels = [corpus.page_labels[i] for i in pages]
    return tm.fit_site_topics(page_words[pages], vocabulary, labels, _learnable(labels), corpus.stop_words)


def site_topics(events: pl.DataFrame, utterances: pl.DataFrame, *, log: Callable[[str], None] = _no_log) -> pa.Table:
    """The site's own topics assigned to each turn by a classifier trained on the tagged pages."""
    return _site_topics(_corpus(events, event_tags(events), utterances), TopicModels(), log)


def _site_topics(corpus: _Corpus, models: TopicModels, log: Callable[[str], None], pool: Executor | None = None
                 ) -> pa.Table:
    if models.site is None:
        models.site = _fit_site(corpus, log)
        if models.site is None:
            return empty_table(UTTERANCE_SITE_TOPICS)
        models.fitted.append("site")
    model = models.site
    columns = tm.TermColumns.of(corpus.tokens, model.terms)
    owner = corpus.docs.owner

    def classify(lo: int, hi: int) -> tuple[_Ints, np.ndarray[Any, np.dtype[np.float64]]]:
        """Probabilities of the turns of documents `lo .. hi - 1` that get topics, and those turns."""
        first, end = (int(owner[lo]), int(owner[hi - 1]) + 1) if hi > lo else (0, 0)
        rows = np.flatnonzero(corpus.turn_tokens[first:end] >= MIN_TURN_TOKENS)
        # the documents' counts and the turns' are let go before the probabilities are computed
        turn_words = (tm.group_matrix(owner[lo:hi] - first, end - first)
                      @ columns.counts(corpus.tokens.between(lo, hi), hi - lo)).tocsr()[rows]
        return first + rows, model.predict_proba(turn_words)

    # Ranges of whole turns side by side (a turn's words and probabilities depend on it alone); turns without
    # documents have no words, so no range needs them.
    parts = tm.side_by_side(classify, tm.doc_ranges(owner), pool)
    rows = np.concatenate([r for r, _ in parts])
    proba = np.round(np.concatenate([p for _, p in parts]), DECIMALS)
    # Within a turn, most probable topic first; ties by name (topics are sorted).
    order = np.argsort(-proba, axis=1, kind="stable")
    sorted_p = np.take_along_axis(proba, order, axis=1)
    keep = sorted_p >= SITE_THRESHOLD
    return columns_to_table({
        "utterance_id": [corpus.turn_ids[r] for r in np.repeat(rows, keep.sum(axis=1))],
        "topic": [model.topics[c] for c in order[keep]],
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
    vocabulary = corpus.tokens.candidates(pairs=False)
    turn_words, narration_words = corpus.word_counts(vocabulary)
    page_words, _ = _page_words(corpus, turn_words, narration_words)
    pages, topics = _training_pages(corpus)
    labels = [corpus.page_labels[i] for i in pages]
    scored = [i for i, t in enumerate(topics) if sum(t in ls for ls in labels) >= min_pages]
    n = len(pages)
    fold = np.random.default_rng(0).permutation(np.arange(n) % folds)
    # Documents of each page: its turns of MIN_TURN_TOKENS+ words, and its narration.
    slot = np.full(len(corpus.page_ids), -1)
    slot[pages] = np.arange(n)
    turn_page = np.where(corpus.page_of_turn >= 0, slot[np.maximum(corpus.page_of_turn, 0)], -1)
    turn_rows = np.flatnonzero((turn_page >= 0) & (corpus.turn_tokens >= MIN_TURN_TOKENS))
    nar_rows = pages[corpus.narration_tokens[pages] > 0]
    doc_words = sparse.vstack([turn_words[turn_rows], narration_words[nar_rows]]).tocsr()
    doc_page = np.concatenate([turn_page[turn_rows], slot[nar_rows]])
    doc_weight = np.concatenate([corpus.turn_tokens[turn_rows], corpus.narration_tokens[nar_rows]]).astype(float)
    truth = np.array([[t in ls for t in topics] for ls in labels], dtype=bool).reshape(n, len(topics))
    proba = np.zeros(truth.shape)
    for f in range(folds):
        train = tm.even_sample(np.flatnonzero(fold != f), tm.SITE_FIT_PAGES)
        model = tm.fit_site_topics(page_words[pages[train]], vocabulary, [labels[i] for i in train], topics,
                                   corpus.stop_words)
        cols = np.searchsorted(np.asarray(vocabulary), np.asarray(model.terms))
        test_docs = np.flatnonzero(fold[doc_page] == f)
        p = model.predict_proba(doc_words[test_docs][:, cols])
        group = tm.group_matrix(doc_page[test_docs], n, doc_weight[test_docs])
        num = np.asarray(group @ p)
        den = np.asarray(group.sum(axis=1)).ravel()
        done = den > 0
        proba[done] = num[done] / den[done, None]
    predicted = proba >= SITE_THRESHOLD
    predicted[np.arange(n), proba.argmax(axis=1)] = True
    has_turns = np.zeros(n, dtype=bool)
    has_turns[turn_page[turn_page >= 0]] = True
    from sklearn.metrics import f1_score  # imported here: a build needs no scikit-learn when it applies saved models

    y, yhat = truth[:, scored], predicted[:, scored]
    per_topic = f1_score(y, yhat, average=None, zero_division=0.0)
    return SiteTopicScores(
        micro_f1=float(f1_score(y, yhat, average="micro")), macro_f1=float(f1_score(y, yhat, average="macro")),
        micro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="micro")),
        macro_f1_transcripts=float(f1_score(y[has_turns], yhat[has_turns], average="macro", zero_division=0.0)),
        n_pages=n, n_transcripts=int(has_turns.sum()), topics=[topics[i] for i in scored],
        per_topic_f1={topics[i]: round(float(v), 3) for i, v in zip(scored, per_topic, strict=True)})
