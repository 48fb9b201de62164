"""Derived tables of kremlin_data.charts on tiny hand-made frames; every chart validates; PNG export."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pyarrow.parquet as pq
import pytest

from kremlin_data import charts as kc
from kremlin_data.cli import main as cli_main
from kremlin_data.schema import (
    EVENT_TAGS,
    EVENTS,
    TOPICS,
    UTTERANCE_SITE_TOPICS,
    UTTERANCE_TOPICS,
    UTTERANCES,
    to_table,
)

PUTIN = ("Vladimir Putin", "vladimir-putin")


def event(event_id: str, date: dt.date, title: str, n_utterances: int, n_words: int) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(EVENTS.columns)
    row.update(event_id=event_id, source_path="x.txt", source_line=1, title=title, date=date, is_announcement=False,
               n_utterances=n_utterances, n_words=n_words, n_omissions=0, content_sha256="0", parser_version="t")
    return row


def turn(event_id: str, seq: int, who: tuple[str, str] | None, n_words: int, role: str | None = None,
         kind: str = "named") -> dict[str, Any]:
    name, speaker_id = who if who else (None, None)
    label = " ".join(x for x in (role, name or kind.capitalize()) if x)
    return {"utterance_id": f"{event_id}.u{seq}", "event_id": event_id, "seq": seq, "speaker_label": label,
            "label_note": None, "speaker_name": name, "speaker_role": role, "speaker_id": speaker_id,
            "person_id": None, "kind": kind, "subheading": None, "text": f"words of turn {seq}", "n_words": n_words,
            "n_paragraphs": 1, "follows_omission": False, "reply_to": None, "is_question": kind == "question"}


def frame(table: Any) -> pl.DataFrame:
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out


TOKAYEV = ("Kassym-Jomart Tokayev", "kassym-jomart-tokayev")
SILUANOV = ("Anton Siluanov", "anton-siluanov")
REMEZOVA = ("Tatyana Remezova", "tatyana-remezova")

UTTERANCE_ROWS = [
    turn("e1", 1, PUTIN, 100, "President of Russia"),
    turn("e1", 2, None, 20, kind="question"),
    turn("e1", 3, PUTIN, 80),  # the role is printed only on the first turn
    turn("e1", 4, REMEZOVA, 10, "Moderator"),
    turn("e1", 5, None, 5, kind="remark"),
    turn("e1", 6, PUTIN, 50),
    turn("e2", 1, PUTIN, 60, "President of Russia"),
    turn("e2", 2, TOKAYEV, 40, "President of Kazakhstan"),
    turn("e3", 1, SILUANOV, 30, "Finance Minister"),
    turn("e3", 2, PUTIN, 70, "President of Russia"),
]
EVENT_ROWS = [
    event("e1", dt.date(2019, 1, 10), "Direct Line with Vladimir Putin", 6, 265),
    event("e2", dt.date(2019, 2, 5), "Meeting with President of Kazakhstan", 2, 100),
    event("e3", dt.date(2020, 3, 1), "Meeting with Finance Minister", 2, 100),
]


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    return frame(to_table(EVENT_ROWS, EVENTS))


@pytest.fixture(scope="module")
def utterances() -> pl.DataFrame:
    return frame(to_table(UTTERANCE_ROWS, UTTERANCES))


def claim(n: int, utterance_id: str, who: tuple[str, str] | None, date: dt.date, kind: str, value: float | None,
          unit: str | None = None, bound: str = "=", change: str | None = None, surface: str = "x") -> dict[str, Any]:
    name, speaker_id = who if who else (None, None)
    return {"claim_id": f"{utterance_id}.c{n}", "utterance_id": utterance_id, "event_id": utterance_id.split(".")[0],
            "speaker_id": speaker_id, "speaker_name": name, "date": date, "char_start": 0, "char_end": 1,
            "surface": surface, "sentence": f"A sentence with {surface}.", "value": value, "value_high": None,
            "kind": kind, "unit": unit, "bound": bound, "change": change, "change_type": "by" if change else None}


D1, D2, D3 = (r["date"] for r in EVENT_ROWS)
CLAIM_ROWS = [
    claim(1, "e1.u1", PUTIN, D1, "percent", 34.4, "percent", change="up", surface="34.4 percent"),
    claim(2, "e1.u1", PUTIN, D1, "money", 17e9, "USD", surface="US$17 billion"),
    claim(3, "e1.u1", PUTIN, D1, "money", 4e9, "USD", bound=">", surface="US$4 billion"),
    claim(4, "e1.u1", PUTIN, D1, "year", 2018.0, surface="2018"),
    claim(5, "e1.u3", PUTIN, D1, "percent", 3.0, "percent", bound="~", change="down", surface="3 percent"),
    claim(6, "e2.u1", PUTIN, D2, "money", 5e12, "RUB", surface="5 trillion roubles"),
    claim(7, "e2.u2", TOKAYEV, D2, "percent", 34.4, "percent", surface="34.4 percent"),
    claim(8, "e3.u1", SILUANOV, D3, "count", 7.0, "region", surface="seven"),
    claim(9, "e3.u2", PUTIN, D3, "money", 17e9, "USD", bound="~", surface="US$17 billion"),
    claim(10, "e3.u2", PUTIN, D3, "vague", None, "region", surface="dozens"),
]


@pytest.fixture(scope="module")
def claims() -> pl.DataFrame:
    return pl.DataFrame(CLAIM_ROWS, infer_schema_length=None)


@pytest.fixture(scope="module")
def topic_frames() -> dict[str, pl.DataFrame]:
    tags = [{"event_id": e, "tag_type": t, "tag": tag, "tag_id": None} for e, t, tag in [
        ("e1", "topic", "Economy and finance"), ("e1", "topic", "Social services"), ("e2", "topic", "Foreign policy"),
        ("e2", "geography", "Kazakhstan"), ("e3", "topic", "Economy and finance")]]
    topics = [{"topic_id": i, "label": label, "top_terms": label.split(", "), "term_weights": [1.0, 0.5],
               "n_utterances": 1} for i, label in [(1, "budget, taxes"), (2, "trade, partners")]]
    weights = {"e1.u1": [(1, 0.75), (2, 0.25)], "e1.u3": [(1, 1.0)], "e2.u1": [(2, 1.0)], "e2.u2": [(2, 1.0)],
               "e3.u1": [(1, 1.0)], "e3.u2": [(1, 0.5), (2, 0.5)]}
    ut = [{"utterance_id": u, "topic_id": t, "weight": w, "rank": r} for u, tw in weights.items()
          for r, (t, w) in enumerate(tw, start=1)]
    site = [{"utterance_id": u, "topic": t, "probability": p} for u, t, p in [
        ("e1.u1", "Economy and finance", 0.9), ("e1.u1", "Social services", 0.4), ("e1.u3", "Social services", 0.8),
        ("e1.u6", "Economy and finance", 0.5), ("e2.u1", "Foreign policy", 0.7)]]
    return {"event_tags": frame(to_table(tags, EVENT_TAGS)), "topics": frame(to_table(topics, TOPICS)),
            "utterance_topics": frame(to_table(ut, UTTERANCE_TOPICS)),
            "utterance_site_topics": frame(to_table(site, UTTERANCE_SITE_TOPICS))}


def rows(df: pl.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return list(df.select(columns).iter_rows())


# ---------------------------------------------------------------- 01 speaking share


def test_words_per_speaker(utterances: pl.DataFrame, events: pl.DataFrame) -> None:
    words = kc.words_per_speaker(utterances, events)
    e1 = words.filter(pl.col("event_id") == "e1")
    assert rows(e1, "speaker", "n_turns", "n_words") == [
        ("Vladimir Putin", 3, 230), ("Question", 1, 20), ("Tatyana Remezova", 1, 10), ("Remark", 1, 5)]
    assert e1["share"].sum() == pytest.approx(1.0)
    assert e1["event"][0] == "2019-01-10 Direct Line with Vladimir Putin"
    assert words["event_id"].to_list()[:4] == ["e1"] * 4  # longest event first


def test_one_name_per_person(utterances: pl.DataFrame, events: pl.DataFrame) -> None:
    shouted = utterances.with_columns(speaker_name=pl.when(pl.col("utterance_id") == "e1.u3")
                                      .then(pl.lit("Vladimir PUTIN")).otherwise(pl.col("speaker_name")))
    named = kc.with_speaker(shouted)
    assert set(named.filter(pl.col("speaker_id") == "vladimir-putin")["speaker"]) == {"Vladimir Putin"}
    assert named.filter(pl.col("speaker_id").is_null())["speaker"].to_list() == ["Question", "Remark"]
    words = kc.words_per_speaker(shouted, events).filter(pl.col("event_id") == "e1")
    assert rows(words, "speaker", "n_words")[0] == ("Vladimir Putin", 230)


def test_president_share_counts_unlabelled_turns_and_no_foreign_president(utterances: pl.DataFrame,
                                                                            events: pl.DataFrame) -> None:
    share = kc.president_share_by_month(utterances, events, min_words=0)
    assert rows(share, "month", "n_words", "president_words") == [
        (dt.date(2019, 1, 1), 265, 230), (dt.date(2019, 2, 1), 100, 60), (dt.date(2020, 3, 1), 100, 70)]
    assert share["share"].to_list() == pytest.approx([230 / 265, 0.6, 0.7])
    assert kc.president_share_by_month(utterances, events, min_words=150)["month"].to_list() == [dt.date(2019, 1, 1)]


def test_share_by_turn_type(utterances: pl.DataFrame) -> None:
    types = {r["turn_type"]: r for r in kc.share_by_turn_type(utterances).iter_rows(named=True)}
    assert {k: v["n_words"] for k, v in types.items()} == {
        "question": 20, "answer": 80, "other named turn": 360, "other generic turn": 5}
    assert sum(v["share"] for v in types.values()) == pytest.approx(1.0)
    assert types["other named turn"]["mean_words"] == pytest.approx(360 / 7)


def test_share_by_role_carries_the_first_printed_role(utterances: pl.DataFrame) -> None:
    roles = kc.share_by_role(utterances, n=3)
    by_role = dict(rows(roles, "role", "n_words"))
    assert by_role["President of Russia"] == 360  # 100 + 80 + 50 + 60 + 70: later turns without the role count
    assert by_role["President of Kazakhstan"] == 40
    assert by_role["Finance Minister"] == 30
    assert by_role[kc.OTHERS] == 20 + 10 + 5  # Question, Moderator, Remark beyond the top 3
    assert roles["share"].sum() == pytest.approx(1.0)


def test_longest_monologues_and_busiest_event(utterances: pl.DataFrame, events: pl.DataFrame) -> None:
    mono = kc.longest_monologues(utterances, events, n=3)
    assert rows(mono, "utterance_id", "n_words", "speaker") == [
        ("e1.u1", 100, "Vladimir Putin"), ("e1.u3", 80, "Vladimir Putin"), ("e3.u2", 70, "Vladimir Putin")]
    assert kc.busiest_event(events) == "e1"
    assert kc.busiest_event(events, "kazakhstan") == "e2"
    assert kc.busiest_event(events, "no such title") == "e1"
    assert kc.busiest_event(events.clear()) is None


def test_dialogue_rhythm(utterances: pl.DataFrame) -> None:
    rhythm = kc.dialogue_rhythm(utterances, "e1")
    assert rows(rhythm, "seq", "speaker", "words_before") == [
        (1, "Vladimir Putin", 0), (2, "Question", 100), (3, "Vladimir Putin", 120), (4, "Tatyana Remezova", 200),
        (5, "Remark", 210), (6, "Vladimir Putin", 215)]


# ---------------------------------------------------------------- 02 claims


def test_claims_per_1000_words_leaves_out_years_and_thin_periods(claims: pl.DataFrame, events: pl.DataFrame) -> None:
    rate = kc.claims_per_1000_words(claims, events, "1y", min_words=0)
    assert rows(rate, "period", "n_claims", "n_words") == [(dt.date(2019, 1, 1), 6, 365), (dt.date(2020, 1, 1), 3, 100)]
    assert rate["per_1000"].to_list() == pytest.approx([6000 / 365, 30.0])
    assert kc.claims_per_1000_words(claims, events, "1y", min_words=200)["period"].to_list() == [dt.date(2019, 1, 1)]
    by_kind = kc.claims_per_1000_words(claims, events, "1y", by="kind", min_words=0)
    assert rows(by_kind.filter(pl.col("kind") == "money"), "period", "n_claims") == [
        (dt.date(2019, 1, 1), 3), (dt.date(2020, 1, 1), 1)]


def test_claims_per_speaker(claims: pl.DataFrame, utterances: pl.DataFrame) -> None:
    rate = kc.claims_per_speaker(claims, utterances, min_words=30, n=3)
    # the year claim is not counted; the vague one is
    assert rows(rate, "speaker", "n_words", "n_claims") == [
        ("Anton Siluanov", 30, 1), ("Kassym-Jomart Tokayev", 40, 1), ("Vladimir Putin", 360, 7)]


def test_money_percent_bounds_largest(claims: pl.DataFrame) -> None:
    money = kc.money_claims(claims, n_currencies=1)
    assert set(money["currency"]) == {"USD"} and money.height == 3
    assert rows(kc.percent_changes(claims), "year", "change", "n_claims") == [(2019, "down", 1), (2019, "none", 1),
                                                                              (2019, "up", 1)]
    bounds = kc.bounds_by_kind(claims)
    assert bounds.group_by("kind").agg(pl.col("share").sum())["share"].to_list() == pytest.approx([1.0] * 5)
    assert rows(bounds.filter(pl.col("kind") == "money"), "bound", "n") == [("=", 2), (">", 1), ("~", 1)]
    assert kc.largest_claims(claims, "money", n=2)["value"].to_list() == [5e12, 17e9]
    assert kc.largest_claims(claims, "money", unit="USD", n=5)["value"].to_list() == [17e9, 17e9, 4e9]


def test_money_chart_samples_beyond_altair_row_limit(claims: pl.DataFrame) -> None:
    many = pl.concat([kc.money_claims(claims)] * 2000)
    spec = kc.money_chart(many).to_dict()
    assert "a random 5,000 of 8,000" in str(spec["title"])  # 4 money claims, 2,000 times
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 5000


def test_repeated_figures(claims: pl.DataFrame) -> None:
    everything = kc.repeated_figures(claims, min_events=1, min_value=0, min_digits=1)["figure"].to_list()
    assert everything[:2] == ["34.4 percent (percent)", "US$17 billion (money, USD)"]  # two events each
    assert "seven (count, region)" in everything and "2018 (year)" not in everything
    assert kc.repeated_figures(claims, min_events=2, min_digits=1)["figure"].to_list() == everything[:2]
    assert kc.repeated_figures(claims, min_events=1, min_digits=1)["figure"].to_list() == [
        "34.4 percent (percent)", "US$17 billion (money, USD)", "5 trillion roubles (money, RUB)",
        "US$4 billion (money, USD)"]
    # by default only figures of three or more significant digits: 34.4, not 17 billion or 5 trillion
    assert kc.repeated_figures(claims, min_events=1)["figure"].to_list() == ["34.4 percent (percent)"]


# ---------------------------------------------------------------- 03 topics


def test_site_topic_share_by_year(topic_frames: dict[str, pl.DataFrame], events: pl.DataFrame) -> None:
    shares = kc.site_topic_share_by_year(topic_frames["event_tags"], events, n=2, min_events=1)
    assert rows(shares, "year", "tag", "n_events", "year_events") == [
        (2019, "Economy and finance", 1, 2), (2019, "Foreign policy", 1, 2), (2020, "Economy and finance", 1, 1)]
    assert kc.site_topic_share_by_year(topic_frames["event_tags"], events, min_events=2)["year"].unique().to_list() \
        == [2019]


def test_learned_topics_by_year_and_speaker(topic_frames: dict[str, pl.DataFrame], utterances: pl.DataFrame,
                                            events: pl.DataFrame) -> None:
    ut, topics = topic_frames["utterance_topics"], topic_frames["topics"]
    years = kc.learned_topic_share_by_year(ut, topics, utterances, events, min_words=0)
    assert rows(years, "year", "label", "words") == [
        (2019, "budget, taxes", 155.0), (2019, "trade, partners", 125.0), (2020, "budget, taxes", 65.0),
        (2020, "trade, partners", 35.0)]
    assert years.group_by("year").agg(pl.col("share").sum())["share"].to_list() == pytest.approx([1.0, 1.0])
    by_speaker = kc.topics_by_speaker(ut, topics, utterances, n_speakers=1)
    assert rows(by_speaker, "speaker", "label", "words") == [
        ("Vladimir Putin", "budget, taxes", 190.0), ("Vladimir Putin", "trade, partners", 120.0)]


def test_event_site_topics(topic_frames: dict[str, pl.DataFrame], utterances: pl.DataFrame) -> None:
    timeline = kc.event_site_topics(topic_frames["utterance_site_topics"], utterances, "e1")
    assert rows(timeline, "seq", "topic") == [(1, "Economy and finance"), (1, "Social services"),
                                              (3, "Social services"), (6, "Economy and finance")]


# ---------------------------------------------------------------- empties, helpers, charts


def test_every_derived_table_copes_with_empty_tables(claims: pl.DataFrame, topic_frames: dict[str, pl.DataFrame],
                                                     utterances: pl.DataFrame, events: pl.DataFrame) -> None:
    ev, ut, cl = events.clear(), utterances.clear(), claims.clear()
    t = {k: v.clear() for k, v in topic_frames.items()}
    derived = [kc.words_per_speaker(ut, ev), kc.president_share_by_month(ut, ev), kc.share_by_turn_type(ut),
               kc.share_by_role(ut), kc.longest_monologues(ut, ev), kc.dialogue_rhythm(ut, "e1"),
               kc.claims_per_1000_words(cl, ev), kc.claims_per_1000_words(cl, ev, by="kind"),
               kc.claims_per_speaker(cl, ut), kc.money_claims(cl), kc.percent_changes(cl), kc.bounds_by_kind(cl),
               kc.largest_claims(cl), kc.repeated_figures(cl), kc.site_topic_share_by_year(t["event_tags"], ev),
               kc.learned_topic_share_by_year(t["utterance_topics"], t["topics"], ut, ev),
               kc.topics_by_speaker(t["utterance_topics"], t["topics"], ut),
               kc.event_site_topics(t["utterance_site_topics"], ut, "e1")]
    assert all(d.is_empty() for d in derived)


def test_too_small_and_chart_or_reason(capsys: pytest.CaptureFixture[str], utterances: pl.DataFrame) -> None:
    assert kc.chart_or_reason(utterances.head(1), 2, "turns", kc.rhythm_chart) is None
    assert capsys.readouterr().out == ("Not enough data for this chart (turns: 1, at least 2 needed). "
                                       "Build the whole archive to see it.\n")
    rhythm = kc.dialogue_rhythm(utterances, "e1")
    assert isinstance(kc.chart_or_reason(rhythm, 2, "turns", lambda r: kc.rhythm_chart(r, "t")), alt.Chart)
    assert capsys.readouterr().out == ""


def test_load_optional(tmp_path: Path, events: pl.DataFrame) -> None:
    missing = kc.load_optional("utterance_topics", tmp_path)
    assert missing.is_empty() and missing.columns == list(UTTERANCE_TOPICS.columns)
    events.write_parquet(tmp_path / "events.parquet")
    assert kc.load_optional("events", tmp_path).equals(events)


def all_charts(utterances: pl.DataFrame, events: pl.DataFrame, claims: pl.DataFrame,
               t: dict[str, pl.DataFrame]) -> dict[str, alt.TopLevelMixin]:
    ut_topics = (t["utterance_topics"], t["topics"], utterances)
    return {
        "event_speakers": kc.event_speakers_chart(kc.words_per_speaker(utterances, events)),
        "president": kc.president_share_chart(kc.president_share_by_month(utterances, events, min_words=0)),
        "turn_types": kc.share_bars_chart(kc.share_by_turn_type(utterances), "turn_type", "t"),
        "roles": kc.share_bars_chart(kc.share_by_role(utterances), "role", "t"),
        "monologues": kc.monologues_chart(kc.longest_monologues(utterances, events)),
        "rhythm": kc.rhythm_chart(kc.dialogue_rhythm(utterances, "e1"), "t"),
        "rate": kc.claims_rate_chart(kc.claims_per_1000_words(claims, events, min_words=0)),
        "rate_kind": kc.claims_rate_chart(kc.claims_per_1000_words(claims, events, by="kind", min_words=0), "kind"),
        "speakers": kc.speaker_rate_chart(kc.claims_per_speaker(claims, utterances, min_words=0)),
        "money": kc.money_chart(kc.money_claims(claims)),
        "percent": kc.percent_change_chart(kc.percent_changes(claims)),
        "bounds": kc.bounds_chart(kc.bounds_by_kind(claims)),
        "repeated": kc.repeated_chart(kc.repeated_figures(claims)),
        "site_topics": kc.site_topics_chart(kc.site_topic_share_by_year(t["event_tags"], events, min_events=1)),
        "learned": kc.learned_topics_chart(kc.learned_topic_share_by_year(*ut_topics, events, min_words=0)),
        "by_speaker": kc.speaker_topics_chart(kc.topics_by_speaker(*ut_topics)),
        "timeline": kc.event_topics_chart(kc.event_site_topics(t["utterance_site_topics"], utterances, "e1"), "t"),
    }


def test_every_chart_is_valid_vega_lite_with_title_and_tooltips(
        utterances: pl.DataFrame, events: pl.DataFrame, claims: pl.DataFrame,
        topic_frames: dict[str, pl.DataFrame]) -> None:
    import vl_convert as vlc

    for name, chart in all_charts(utterances, events, claims, topic_frames).items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        text = str(spec)
        assert "'title'" in text and "'tooltip'" in text, name
        assert vlc.vegalite_to_svg(spec).count("<path") > 3, name


# ---------------------------------------------------------------- PNG export


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decompressed pixel rows (blank: very few)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def test_png_facts_sees_a_blank_image() -> None:
    import vl_convert as vlc

    blank = vlc.vegalite_to_png({"width": 300, "height": 200, "mark": "point", "data": {"values": []}})
    assert png_facts(blank)[2] < 8


@pytest.fixture(scope="module")
def synthetic_build(tmp_path_factory: pytest.TempPathFactory, utterances: pl.DataFrame, events: pl.DataFrame,
                    claims: pl.DataFrame, topic_frames: dict[str, pl.DataFrame]) -> Path:
    """A build folder whose tables pass every export threshold: many months, thousands of words."""
    out = tmp_path_factory.mktemp("synthetic-build")
    months = [dt.date(2016 + i // 12, 1 + i % 12, 15) for i in range(36)]
    ev = pl.concat([events.with_columns(event_id=pl.col("event_id") + f"-{i}", date=pl.lit(d),
                                        n_words=pl.col("n_words") * 100) for i, d in enumerate(months)])
    ut = pl.concat([utterances.with_columns(event_id=pl.col("event_id") + f"-{i}",
                                            utterance_id=pl.col("event_id") + f"-{i}." + pl.col("utterance_id")
                                            .str.split(".").list.last(),
                                            n_words=pl.col("n_words") * 100) for i in range(len(months))])
    cl = pl.concat([claims.with_columns(event_id=pl.col("event_id") + f"-{i}", date=pl.lit(d),
                                        claim_id=pl.col("claim_id") + f"-{i}") for i, d in enumerate(months)])
    tags = pl.concat([topic_frames["event_tags"].with_columns(event_id=pl.col("event_id") + f"-{i}")
                      for i in range(len(months))])
    uto = pl.concat([topic_frames["utterance_topics"].with_columns(
        utterance_id=pl.col("utterance_id").str.replace(r"\.", f"-{i}.")) for i in range(len(months))])
    for name, df in {"events": ev, "utterances": ut, "claims": cl, "event_tags": tags, "topics": topic_frames["topics"],
                     "utterance_topics": uto}.items():
        pq.write_table(df.to_arrow(), out / f"{name}.parquet")
    return out


def test_export_charts_writes_non_trivial_pngs(synthetic_build: Path, tmp_path: Path) -> None:
    written = kc.export_charts(synthetic_build, tmp_path / "charts", scale=1.0)
    assert [p.name for p in written] == [
        "speaking_share_events.png", "president_share_by_month.png", "claims_per_1000_words.png", "money_claims.png",
        "site_topics_by_year.png", "learned_topics_by_year.png"]
    for png in written:
        width, height, distinct = png_facts(png.read_bytes())
        assert width >= 300 and height >= 100, png.name
        assert png.stat().st_size > 5_000 and distinct > 30, png.name


def test_export_skips_what_a_small_build_lacks(sample_build: Path, tmp_path: Path) -> None:
    written = kc.export_charts(sample_build, tmp_path)
    assert [p.name for p in written] == ["speaking_share_events.png"]


def test_cli_charts_calls_export(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls = []

    def fake_export(data: str | None, out: str) -> list[Path]:
        calls.append((data, out))
        return [Path(out) / "a.png", Path(out) / "b.png"]

    monkeypatch.setattr(kc, "export_charts", fake_export)
    assert cli_main(["charts", "--data", "build-dir", "--out", "pngs"]) == 0
    assert cli_main(["charts"]) == 0
    assert calls == [("build-dir", "pngs"), (None, "docs/charts")]
    assert capsys.readouterr().out.startswith("2 charts written to pngs: a.png, b.png")
