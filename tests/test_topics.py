"""Tests for kremlin_data.topics: site tags, learned topics, site topics per turn."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import HTML_DIR, SHARED_DATA, need
from scipy import sparse

from kremlin_data import topic_models as tm
from kremlin_data import topics as tp
from kremlin_data.schema import TABLES

INDEX = SHARED_DATA / "derived" / "valdai_transcripts_pages_index.jsonl"
TOPIC_TABLES = ("event_tags", "topics", "utterance_topics", "utterance_site_topics")

# Four invented subjects, each with its own words; a turn mixes words of one subject with filler.
THEMES = {
    "Energy": "gas oil pipeline refinery barrels tanker drilling offshore electricity turbine coal grid",
    "Sport": "football hockey stadium athletes olympic medal champion coach tournament goalkeeper skiing team",
    "Healthcare": "hospital doctors patients vaccine clinic nurses surgery ambulance medicine treatment disease",
    "Education": "school teachers pupils university students exams textbooks classroom lessons campus diploma",
}
FILLER = "thank you mr president colleagues we will the of and to in that this is about".split()


def _synthetic(n_events: int = 120, turns_per_event: int = 4, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events tagged with one subject each, whose turns talk about that subject."""
    rng = np.random.default_rng(seed)
    names = sorted(THEMES)
    events: list[dict[str, Any]] = []
    utterances: list[dict[str, Any]] = []
    for e in range(n_events):
        theme = names[e % len(names)]
        words = THEMES[theme].split()
        event_id = f"kremlin-en-{1000 + e}"
        events.append({"event_id": event_id, "topics": [theme], "topic_ids": [names.index(theme) + 1],
                       "geography": [], "geography_codes": [], "persons": [], "person_ids": [],
                       "narration": [" ".join(rng.choice(words, 30))]})
        for s in range(turns_per_event):
            paras = [" ".join([*rng.choice(words, 40), *rng.choice(FILLER, 20)]) for _ in range(2)]
            utterances.append({"utterance_id": f"{event_id}.u{s + 1}", "event_id": event_id,
                               "text": "\n".join(paras)})
        utterances.append({"utterance_id": f"{event_id}.u{turns_per_event + 1}", "event_id": event_id,
                           "text": "Thank you."})
        utterances.append({"utterance_id": f"{event_id}.u{turns_per_event + 2}", "event_id": event_id,
                           "text": f"It is not a {words[0]}, it is {words[1]}."})
    schema = {"geography": pl.List(pl.String), "geography_codes": pl.List(pl.String),
              "persons": pl.List(pl.String), "person_ids": pl.List(pl.Int64), "topic_ids": pl.List(pl.Int64)}
    return pl.DataFrame(events, schema_overrides=schema), pl.DataFrame(utterances)


def _events(rows: list[dict[str, Any]]) -> pl.DataFrame:
    base = {"topics": [], "topic_ids": [], "geography": [], "geography_codes": [], "persons": [], "person_ids": [],
            "narration": []}
    schema = {"topics": pl.List(pl.String), "topic_ids": pl.List(pl.Int64), "geography": pl.List(pl.String),
              "geography_codes": pl.List(pl.String), "persons": pl.List(pl.String),
              "person_ids": pl.List(pl.Int64), "narration": pl.List(pl.String)}
    if not rows:
        return pl.DataFrame(schema={"event_id": pl.String, **schema})
    return pl.DataFrame([{**base, **r} for r in rows], schema_overrides=schema)


def _parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def synthetic_tables() -> tuple[pl.DataFrame, pl.DataFrame, dict[str, pa.Table]]:
    events, utterances = _synthetic()
    return events, utterances, tp.topic_tables(events, utterances)


# --------------------------------------------------------------------------------------------- event_tags

@pytest.mark.parametrize(("a", "b"), [
    ("Support for\u00a0business", "Support for business"),
    (" Regions ", "Regions"),
    ("Russia\u2013European Union", "Russia-European Union"),
    ("Foreign Policy", "foreign policy"),
])
def test_tag_key_ignores_spacing_dashes_and_case(a: str, b: str) -> None:
    assert tp.tag_key(a) == tp.tag_key(b)


@pytest.mark.parametrize(("a", "b"), [("Energy", "Energy efficiency"), ("CIS", "CSTO")])
def test_tag_key_keeps_different_tags_apart(a: str, b: str) -> None:
    assert tp.tag_key(a) != tp.tag_key(b)


def test_event_tags_one_row_per_tag_with_one_spelling() -> None:
    events = _events([
        {"event_id": "e1", "topics": ["Support for\u00a0business", "Energy "], "topic_ids": [5, 83],
         "geography": ["Belarus"], "geography_codes": ["BY"], "persons": ["Lukashenko Alexander"],
         "person_ids": [119]},
        {"event_id": "e2", "topics": ["Support for business", "Energy", "Energy"], "topic_ids": [5, 83, 83]},
        {"event_id": "e3", "topics": ["Support for  business"], "topic_ids": []},
    ])
    tags = pl.from_arrow(tp.event_tags(events))
    assert isinstance(tags, pl.DataFrame)
    assert tags.rows() == [
        ("e1", "geography", "Belarus", "BY"),
        ("e1", "person", "Lukashenko Alexander", "119"),
        ("e1", "topic", "Energy", "83"),
        ("e1", "topic", "Support for business", "5"),
        ("e2", "topic", "Energy", "83"),
        ("e2", "topic", "Support for business", "5"),
        ("e3", "topic", "Support for business", None),
    ]


def test_event_tags_without_aligned_ids_have_null_ids() -> None:
    events = _events([{"event_id": "e1", "topics": ["Energy", "Sport"], "topic_ids": [83]}])
    assert tp.event_tags(events).column("tag_id").to_pylist() == [None, None]


def test_event_tags_count_equals_the_tags_on_the_pages(synthetic_tables: Any) -> None:
    events, _, tables = synthetic_tables
    on_pages = sum(len(set(ts)) for col in ("topics", "geography", "persons") for ts in events[col].to_list())
    assert tables["event_tags"].num_rows == on_pages


# --------------------------------------------------------------------------------------------- helpers

@pytest.mark.parametrize(("texts", "min_words", "docs", "owner"), [
    (["a b c\nd e\nf", "x y"], 2, ["a b c", "d e\nf", "x y"], [0, 0, 1]),
    (["a\nb\nc"], 2, ["a\nb\nc"], [0]),
    (["", "a b"], 2, ["a b"], [1]),
    (["one two three four"], 2, ["one two three four"], [0]),
])
def test_split_turns(texts: list[str], min_words: int, docs: list[str], owner: list[int]) -> None:
    d = tm.split_turns(texts, min_words=min_words)
    texts_of_docs = d.paragraphs.group_by("doc", maintain_order=True).agg(pl.col("text").str.join("\n"))
    assert texts_of_docs["text"].to_list() == docs
    assert d.owner.tolist() == owner
    assert sum(d.n_words.tolist()) == sum(len(t.split()) for t in texts)


@pytest.mark.parametrize("parts", [1, 2, 7])
def test_text_work_in_parts_equals_the_work_in_one_piece(monkeypatch: pytest.MonkeyPatch, parts: int) -> None:
    texts = ["Gas and oil.\nOil prices, Mr President.", "", "x-ray a-b medium-sized 20 loans", "Café naïve ok",
             "Coal\n\ncoal gas"] * 3
    monkeypatch.setattr(tm, "PARTS", 1)
    one = tm.split_turns(texts, min_words=2)
    one_tokens = tm.Tokens.of_texts(one.paragraphs["text"], one.paragraphs["doc"].to_numpy())
    monkeypatch.setattr(tm, "PARTS", parts)
    split = tm.split_turns(texts, min_words=2)
    tokens = tm.Tokens.of_texts(split.paragraphs["text"], split.paragraphs["doc"].to_numpy())
    assert split.paragraphs.equals(one.paragraphs)
    assert split.owner.tolist() == one.owner.tolist() and split.n_words.tolist() == one.n_words.tolist()
    assert tokens.doc.tolist() == one_tokens.doc.tolist() and tokens.code.tolist() == one_tokens.code.tolist()
    assert tokens.words == one_tokens.words


@pytest.mark.parametrize(("n", "n_rows", "n_cols"), [(0, 3, 4), (1, 1, 1), (50, 7, 5), (5_000, 300, 40)])
def test_count_matrix_is_scipys_conversion_of_coordinates(n: int, n_rows: int, n_cols: int) -> None:
    rng = np.random.default_rng(n)
    row, col = np.sort(rng.integers(0, n_rows, n)), rng.integers(0, n_cols, n)
    mine = tm.count_matrix(row, col, n_rows, n_cols)
    scipys = sparse.csr_matrix((np.ones(n), (row, col)), shape=(n_rows, n_cols))
    for attr in ("indptr", "indices", "data"):
        assert getattr(mine, attr).tolist() == getattr(scipys, attr).tolist(), attr
        assert getattr(mine, attr).dtype == getattr(scipys, attr).dtype, attr
    assert mine.has_canonical_format and mine.shape == scipys.shape


@pytest.mark.parametrize("owner", [[], [0], [0, 0, 0], [0, 0, 1, 2, 2, 2, 5, 6], list(range(9)), [3] * 5 + [4] * 2])
@pytest.mark.parametrize("parts", [1, 2, 3, 20])
def test_doc_ranges_cover_every_document_once_and_never_cut_a_turn(owner: list[int], parts: int) -> None:
    ranges = tm.doc_ranges(np.array(owner, dtype=np.int64), parts)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(owner)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert len(ranges) <= parts
    assert all(lo < hi for lo, hi in ranges) or ranges == [(0, 0)]
    for lo, _ in ranges[1:]:
        assert owner[lo - 1] != owner[lo], (ranges, owner)


@pytest.mark.parametrize("order", ["document order", "shuffled"])
def test_tokens_between_are_the_tokens_of_those_documents(order: str) -> None:
    toks = tm.Tokens.of_texts(["gas oil", "", "coal gas gas", "oil", "grid"], [0, 1, 2, 3, 4])
    if order == "shuffled":
        perm = np.random.default_rng(0).permutation(len(toks.doc))
        toks = tm.Tokens(toks.doc[perm], toks.code[perm], toks.words)
    for lo, hi in [(0, 5), (1, 3), (2, 2), (3, 5), (4, 9)]:
        part = toks.between(lo, hi)
        mine = (toks.doc >= lo) & (toks.doc < hi)
        assert part.doc.tolist() == (toks.doc[mine] - lo).tolist() and part.code.tolist() == toks.code[mine].tolist()


def test_counts_of_document_ranges_stack_to_the_counts_of_all() -> None:
    texts = ["gas oil gas pipeline", "coal", "", "oil gas oil gas", "pipeline gas oil coal coal"] * 4
    toks = tm.Tokens.of_texts(texts, np.arange(len(texts)))
    vocabulary = ["coal", "gas", "gas oil", "oil", "oil gas", "pipeline gas"]
    whole = toks.counts(vocabulary, len(texts))
    columns = tm.TermColumns.of(toks, vocabulary)
    stacked = sparse.vstack([columns.counts(toks.between(lo, hi), hi - lo)
                             for lo, hi in [(0, 3), (3, 4), (4, 4), (4, 20)]]).tocsr()
    for attr in ("indptr", "indices", "data"):
        assert getattr(stacked, attr).tolist() == getattr(whole, attr).tolist(), attr
    assert whole[3].toarray().tolist() == [[0.0, 2.0, 1.0, 2.0, 2.0, 0.0]]


@pytest.mark.parametrize("parts", [2, 3, 16])
def test_saved_models_applied_in_ranges_side_by_side_give_the_same_rows_bit_for_bit(
        monkeypatch: pytest.MonkeyPatch, parts: int) -> None:
    events, utterances = _synthetic(seed=9)
    models = tp.TopicModels()
    tp.topic_step(events, utterances, models)
    assert models.learned is not None and models.site is not None
    corpus = tp._corpus(events, tp.event_tags(events), utterances, models.learned.stop_words, narration=False)
    monkeypatch.setattr(tm, "APPLY_PARTS", 1)
    one = tp.topic_step(events, utterances, tp.TopicModels(models.learned, models.site))
    calls: list[tuple[int, int]] = []
    side_by_side = tm.side_by_side

    def counted(work: Any, ranges: Any, pool: Any = None) -> Any:
        calls.extend(ranges)
        return side_by_side(work, ranges, pool)

    monkeypatch.setattr(tm, "APPLY_PARTS", parts)
    monkeypatch.setattr(tm, "side_by_side", counted)
    apart = tp.topic_step(events, utterances, tp.TopicModels(models.learned, models.site))
    assert len(calls) == 2 * len(tm.doc_ranges(corpus.docs.owner)) > 2
    for name in TOPIC_TABLES:
        assert apart[name].num_rows > 0, name
        assert apart[name].equals(one[name], check_metadata=True), name
    # below the rounding of the tables: the weights themselves, bit for bit
    needed = np.flatnonzero((corpus.turn_tokens >= tp.MIN_TURN_TOKENS)[corpus.docs.owner])
    whole = models.learned.weights(corpus.tokens.counts(models.learned.terms, corpus.n_docs)[needed])
    columns = tm.TermColumns.of(corpus.tokens, models.learned.terms)
    pieces = []
    for lo, hi in tm.doc_ranges(corpus.docs.owner, parts):
        rows = np.flatnonzero((corpus.turn_tokens >= tp.MIN_TURN_TOKENS)[corpus.docs.owner[lo:hi]])
        pieces.append(models.learned.weights(columns.counts(corpus.tokens.between(lo, hi), hi - lo)[rows]))
    assert np.concatenate(pieces).tobytes() == whole.tobytes()


@pytest.mark.parametrize(("terms", "weights", "label"), [
    (["united", "states", "united states", "trump"], [1, 0.98, 0.95, 0.2], "united states, trump"),
    (["children", "families", "families children", "child"], [1, 0.5, 0.2, 0.3], "children, families, child"),
    (["power", "nuclear", "plant", "nuclear power", "power plant", "energy"], [1, 0.7, 0.6, 0.5, 0.4, 0.3],
     "nuclear power, plant, energy"),
])
def test_topic_label(terms: list[str], weights: list[float], label: str) -> None:
    assert tp.topic_label(terms, weights) == label


def test_boilerplate_is_not_a_token() -> None:
    assert tp.tokens("Thank you very much, Mr President, colleagues, ladies and gentlemen.") == []


# --------------------------------------------------------------------------------------------- whole step

def test_tables_are_typed_as_the_schema(synthetic_tables: Any) -> None:
    _, _, tables = synthetic_tables
    assert set(tables) == set(TOPIC_TABLES)
    for name, table in tables.items():
        assert table.schema.equals(TABLES[name].schema, check_metadata=True), name


def test_synthetic_corpus_gives_topics_made_of_one_subject_each(synthetic_tables: Any) -> None:
    _, _, tables = synthetic_tables
    topics = pl.from_arrow(tables["topics"])
    assert isinstance(topics, pl.DataFrame)
    assert 2 <= topics.height <= tp.N_TOPICS
    assert topics["topic_id"].to_list() == list(range(1, topics.height + 1))
    vocab = {t: set(ws.split()) for t, ws in THEMES.items()}
    covered = set()
    for terms in topics["top_terms"].to_list():
        words = {w for term in terms[:5] for w in term.split()}
        homes = [t for t, v in vocab.items() if words <= v]
        assert len(homes) == 1, terms
        covered.add(homes[0])
    assert covered == set(THEMES)


def test_each_turn_gets_at_most_three_ranked_topics(synthetic_tables: Any) -> None:
    events, utterances, tables = synthetic_tables
    ut = pl.from_arrow(tables["utterance_topics"])
    assert isinstance(ut, pl.DataFrame)
    per_turn = ut.group_by("utterance_id").agg(pl.len(), pl.col("rank").sort(), pl.col("weight"), "topic_id")
    assert per_turn["len"].max() == tp.TOPICS_PER_TURN
    for ranks, weights in per_turn.select("rank", "weight").iter_rows():
        assert ranks == list(range(1, len(ranks) + 1))
        assert all(0 < w <= 1 for w in weights)
    assert not ut["utterance_id"].str.ends_with(".u5").any(), "a turn of only boilerplate got a topic"
    assert not ut["utterance_id"].str.ends_with(".u6").any(), "a turn of two content words got a topic"
    topics = pl.from_arrow(tables["topics"])
    assert isinstance(topics, pl.DataFrame)
    assert topics["n_utterances"].sum() == ut.filter(pl.col("rank") == 1).height
    assert ut["utterance_id"].n_unique() == utterances.height - 2 * events.height


def test_site_topics_name_each_turns_subject(synthetic_tables: Any) -> None:
    events, utterances, tables = synthetic_tables
    site = pl.from_arrow(tables["utterance_site_topics"])
    assert isinstance(site, pl.DataFrame)
    assert site["probability"].min() >= tp.SITE_THRESHOLD
    subject = utterances.join(events.select("event_id", pl.col("topics").list.first().alias("subject")),
                              on="event_id")
    best = (site.sort("probability", descending=True).group_by("utterance_id").first()
            .join(subject, on="utterance_id"))
    assert best.height == utterances.height - 2 * events.height
    assert (best["topic"] == best["subject"]).all()


def test_held_out_scores_on_a_separable_corpus() -> None:
    events, utterances = _synthetic()
    scores = tp.evaluate_site_topics(events, utterances, min_pages=20)
    assert scores.n_pages == events.height
    assert sorted(scores.topics) == sorted(THEMES)
    assert scores.micro_f1 > 0.95
    assert scores.macro_f1 > 0.95


def test_learned_topics_alone_equal_those_of_the_whole_step(synthetic_tables: Any) -> None:
    _, utterances, tables = synthetic_tables
    topics, utterance_topics = tp.learned_topics(utterances)
    assert topics.equals(tables["topics"])
    assert utterance_topics.equals(tables["utterance_topics"])


def test_two_runs_give_byte_identical_parquet() -> None:
    events, utterances = _synthetic(seed=1)
    first = tp.topic_tables(events, utterances)
    second = tp.topic_tables(events, utterances)
    for name in TOPIC_TABLES:
        assert first[name].num_rows > 0, name
        assert _parquet_bytes(first[name]) == _parquet_bytes(second[name]), name


def test_small_corpus_gives_empty_typed_tables_and_says_why() -> None:
    events, utterances = _synthetic(n_events=8, turns_per_event=2)
    messages: list[str] = []
    tables = tp.topic_tables(events, utterances, log=messages.append)
    assert tables["event_tags"].num_rows == 8
    for name in ("topics", "utterance_topics", "utterance_site_topics"):
        assert tables[name].num_rows == 0
        assert tables[name].schema.equals(TABLES[name].schema, check_metadata=True)
    assert len(messages) == 2
    assert messages[0].startswith("topics: skipped")
    assert messages[1].startswith("utterance_site_topics: skipped")


def test_no_input_at_all() -> None:
    utterances = pl.DataFrame(schema={"utterance_id": pl.String, "event_id": pl.String, "text": pl.String})
    tables = tp.topic_tables(_events([]), utterances)
    assert all(t.num_rows == 0 for t in tables.values())


def test_bundled_sample_build_has_empty_topic_tables(sample_build: Path) -> None:
    import kremlin_data as kd

    assert kd.load_event_tags(sample_build).height > 0
    for name in ("topics", "utterance_topics", "utterance_site_topics"):
        df = kd.load(name, sample_build)
        assert df.height == 0
        assert df.columns == list(TABLES[name].columns)
    messages: list[str] = []
    tp.topic_tables(kd.load_events(sample_build), kd.load_utterances(sample_build), log=messages.append)
    assert [m.partition(",")[0] for m in messages] == ["topics: skipped", "utterance_site_topics: skipped"]
    assert "(need 200)" in messages[0]


# --------------------------------------------------------------------------------------------- real archive

@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The 7,235 HTML pages built once (without claims and topics) into a temporary folder."""
    import kremlin_data as kd
    from kremlin_data.build import build

    out = tmp_path_factory.mktemp("archive")
    build([need(HTML_DIR)], out, progress=False, log=lambda _m: None, claims=False, topics=False)
    return kd.load_events(out), kd.load_utterances(out)


@pytest.mark.corpus
def test_archive_event_tags_hold_every_tag_of_the_pages(archive: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    events, _ = archive
    tags = pl.from_arrow(tp.event_tags(events))
    assert isinstance(tags, pl.DataFrame)
    on_pages = {(e, kind, tp.tag_key(t)) for kind, col in (("topic", "topics"), ("geography", "geography"),
                                                            ("person", "persons"))
                for e, ts in events.select("event_id", col).iter_rows() for t in ts}
    assert tags.height == len(on_pages)
    assert {(e, kind, tp.tag_key(t)) for e, kind, t in tags.select("event_id", "tag_type", "tag").iter_rows()} \
        == on_pages
    # An independent count: the regex-made page index of the data folder (catalogue links of the tag lists).
    index = [json.loads(line) for line in need(INDEX).read_text(encoding="utf-8").splitlines()]
    by_type = dict(tags.group_by("tag_type").len().iter_rows())
    assert not tags["tag"].str.contains(r"^\d+ more$").any(), "the `N more` expander of a tag list is not a tag"
    assert by_type["topic"] == sum(len(d["topics"]) for d in index) == 4366
    assert by_type["geography"] == sum(len(d["geography"]) for d in index) == 1925
    assert by_type["person"] == sum(len(d["persons"]) for d in index) == 1823
    assert tags.filter(pl.col("tag_type") == "topic")["event_id"].n_unique() == 3175


@pytest.mark.corpus
def test_archive_topics_and_held_out_f1(archive: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    events, utterances = archive
    topics, utterance_topics = tp.learned_topics(utterances)
    assert 20 <= topics.num_rows <= 40
    assert len(set(topics.column("label").to_pylist())) == topics.num_rows
    assert utterance_topics.num_rows > 2 * utterances.height / 3
    scores = tp.evaluate_site_topics(events, utterances)
    assert scores.n_pages > 3100
    assert len(scores.topics) >= 15
    assert scores.micro_f1 >= 0.7


# --------------------------------------------------------------------------------------------- saved models

def test_saved_models_load_without_pickle_and_give_the_same_tables(tmp_path: Path) -> None:
    events, utterances = _synthetic(seed=2)
    models = tp.TopicModels()
    fitted = tp.topic_step(events, utterances, models)
    assert models.fitted == ["learned", "site"]
    assert models.learned is not None and models.site is not None
    tm.save_model(models.learned, tmp_path / tm.LEARNED_FILE)
    tm.save_model(models.site, tmp_path / tm.SITE_FILE)
    with np.load(tmp_path / tm.LEARNED_FILE, allow_pickle=False) as z:
        assert {"terms", "idf", "components", "version"} <= set(z.files)
    learned = tm.load_model(tmp_path / tm.LEARNED_FILE, print)
    site = tm.load_model(tmp_path / tm.SITE_FILE, print)
    assert isinstance(learned, tm.TopicModel) and isinstance(site, tm.SiteTopicModel)
    loaded = tp.TopicModels(learned, site)
    again = tp.topic_step(events, utterances, loaded)
    assert loaded.fitted == []
    for name in TOPIC_TABLES:
        assert again[name].equals(fitted[name]), name


def test_applying_both_models_reads_no_narration() -> None:
    """Narration is read only to fit: with both models given, the pages' narration is not tokenised at all."""
    events, utterances = _synthetic(seed=8)
    models = tp.TopicModels()
    tp.topic_step(events, utterances, models)
    applied = tp.topic_step(events, utterances, tp.TopicModels(models.learned, models.site))
    other = events.with_columns(pl.lit(["hospital doctors patients vaccine " * 30]).alias("narration"))
    elsewise = tp.topic_step(other, utterances, tp.TopicModels(models.learned, models.site))
    for name in TOPIC_TABLES:
        assert applied[name].num_rows > 0, name
        assert elsewise[name].equals(applied[name]), name
    tags = tp.event_tags(events)
    assert tp._corpus(events, tags, utterances).narration_tokens.sum() > 0
    assert tp._corpus(events, tags, utterances, narration=False).narration_tokens.sum() == 0


def test_saved_models_keep_topic_ids_when_the_corpus_grows() -> None:
    events, utterances = _synthetic(seed=3)
    models = tp.TopicModels()
    first = tp.topic_step(events, utterances, models)
    more_events, more_utterances = _synthetic(n_events=40, seed=4)
    more_events = more_events.with_columns(pl.col("event_id") + "b")
    more_utterances = more_utterances.with_columns(pl.col("event_id") + "b", pl.col("utterance_id") + "b")
    grown = tp.topic_step(pl.concat([events, more_events]), pl.concat([utterances, more_utterances]), models)
    assert models.fitted == ["learned", "site"], "the second step fitted again"
    for col in ("topic_id", "label", "top_terms"):
        assert grown["topics"].column(col).equals(first["topics"].column(col)), col
    refit = tp.topic_step(pl.concat([events, more_events]), pl.concat([utterances, more_utterances]),
                          tp.TopicModels())
    assert refit["topics"].num_rows > 0


@pytest.mark.parametrize("damage", ["version", "garbage", "missing"])
def test_a_model_of_another_version_or_unreadable_is_fitted_again(tmp_path: Path, damage: str) -> None:
    events, utterances = _synthetic(seed=5)
    models = tp.TopicModels()
    tp.topic_step(events, utterances, models)
    assert models.learned is not None
    path = tmp_path / tm.LEARNED_FILE
    if damage == "version":
        tm.save_model(tm.TopicModel(models.learned.terms, models.learned.idf, models.learned.components,
                                    version="0.0.1"), path)
    elif damage == "garbage":
        path.write_bytes(b"not a zip file")
    messages: list[str] = []
    assert tm.load_model(path, messages.append) is None
    if damage == "missing":
        assert messages == []
    else:
        assert len(messages) == 1 and "fitted again" in messages[0], messages


def test_rows_of_unchanged_turns_are_reused_and_the_tables_stay_the_same() -> None:
    events, utterances = _synthetic(seed=6)
    models = tp.TopicModels()
    first = tp.topic_step(events, utterances, models)
    previous = tp.PreviousTopics(utterances.select("utterance_id", "text"), pl.DataFrame(first["utterance_topics"]),
                                 pl.DataFrame(first["utterance_site_topics"]))
    more_events, more_utterances = _synthetic(n_events=30, seed=7)
    more_events = more_events.with_columns(pl.col("event_id") + "b")
    more_utterances = more_utterances.with_columns(pl.col("event_id") + "b", pl.col("utterance_id") + "b")
    # One turn changed, one removed, and the new turns placed between the old ones.
    changed = utterances.with_columns(pl.when(pl.col("utterance_id") == "kremlin-en-1003.u2")
                                      .then(pl.lit("hospital doctors patients " * 20)).otherwise("text").alias("text"))
    changed = changed.filter(pl.col("utterance_id") != "kremlin-en-1005.u1")
    grown = pl.concat([changed.head(100), more_utterances, changed.tail(-100)])
    all_events = pl.concat([events, more_events])
    reused = tp.topic_step(all_events, grown, models, previous=previous)
    fresh = tp.topic_step(all_events, grown, tp.TopicModels(models.learned, models.site))
    for name in TOPIC_TABLES:
        assert reused[name].num_rows > 0, name
        assert reused[name].equals(fresh[name], check_metadata=True), name


def test_applying_saved_models_needs_no_scikit_learn(tmp_path: Path) -> None:
    events, utterances = _synthetic(seed=7)
    models = tp.TopicModels()
    fitted = tp.topic_step(events, utterances, models)
    assert models.learned is not None and models.site is not None
    assert models.learned.stop_words == models.site.stop_words == tm.stop_words()
    tm.save_model(models.learned, tmp_path / tm.LEARNED_FILE)
    tm.save_model(models.site, tmp_path / tm.SITE_FILE)
    events.write_parquet(tmp_path / "events.parquet")
    utterances.write_parquet(tmp_path / "utterances.parquet")
    script = f"""
import sys
from pathlib import Path
import polars as pl
from kremlin_data import topic_models as tm, topics as tp
out = Path({str(tmp_path)!r})
models = tp.TopicModels(tm.load_model(out / tm.LEARNED_FILE, print), tm.load_model(out / tm.SITE_FILE, print))
tables = tp.topic_step(pl.read_parquet(out / "events.parquet"), pl.read_parquet(out / "utterances.parquet"), models)
for name, table in tables.items():
    pl.from_arrow(table).write_parquet(out / f"applied_{{name}}.parquet")
print(sorted(m for m in sys.modules if m.split(".")[0] == "sklearn"), models.fitted)
"""
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[] []", done.stdout
    for name, table in fitted.items():
        assert pl.read_parquet(tmp_path / f"applied_{name}.parquet").equals(pl.from_arrow(table)), name


def test_stop_words_are_scikit_learns_read_without_importing_it() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert tm.stop_words() == tuple(sorted(ENGLISH_STOP_WORDS | tm.BOILERPLATE_WORDS))
    script = ("import sys\nfrom kremlin_data import topic_models as tm\nn = len(tm.stop_words())\n"
              "print(n, sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'pandas')))")
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == f"{len(tm.stop_words())} []", done.stdout
