"""kremlin_data.charts: the helpers the notebooks share, every chart validates on a small table, PNG export."""

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
               is_fragment=False,
               n_utterances=n_utterances, n_words=n_words, n_omissions=0, content_sha256="0", parser_version="t")
    return row


def turn(event_id: str, seq: int, who: tuple[str, str] | None, n_words: int, role: str | None = None,
         kind: str = "named") -> dict[str, Any]:
    name, speaker_id = who if who else (None, None)
    label = " ".join(x for x in (role, name or kind.capitalize()) if x)
    return {"utterance_id": f"{event_id}.u{seq}", "event_id": event_id, "seq": seq, "speaker_label": label,
            "label_note": None, "speaker_name": name, "speaker_role": role, "speaker_id": speaker_id,
            "person_card": None, "person_id": None, "kind": kind, "subheading": None, "text": f"words of turn {seq}",
            "n_words": n_words, "n_paragraphs": 1, "follows_omission": False, "reply_to": None,
            "is_question": kind == "question"}


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


# ---------------------------------------------------------------- helpers the notebooks share


def test_one_name_per_person(utterances: pl.DataFrame) -> None:
    shouted = utterances.with_columns(speaker_name=pl.when(pl.col("utterance_id") == "e1.u3")
                                      .then(pl.lit("Vladimir PUTIN")).otherwise(pl.col("speaker_name")))
    named = kc.with_speaker(shouted)
    assert set(named.filter(pl.col("speaker_id") == "vladimir-putin")["speaker"]) == {"Vladimir Putin"}
    assert named.filter(pl.col("speaker_id").is_null())["speaker"].to_list() == ["Question", "Remark"]


def test_busiest_event(events: pl.DataFrame) -> None:
    assert kc.busiest_event(events) == "e1"
    assert kc.busiest_event(events, "kazakhstan") == "e2"
    assert kc.busiest_event(events, "no such title") == "e1"
    assert kc.busiest_event(events.clear()) is None


def test_event_label_excerpt_and_top_or_others(utterances: pl.DataFrame, events: pl.DataFrame) -> None:
    long_title = events.with_columns(title=pl.lit("x" * 80))
    assert events.select(kc.event_label())["event"][0] == "2019-01-10 Direct Line with Vladimir Putin"
    assert long_title.select(kc.event_label())["event"][0] == "2019-01-10 " + "x" * 57 + "..."
    assert utterances.head(1).select(kc.excerpt(chars=10))["excerpt"][0] == "words o..."
    grouped = kc.top_or_others(kc.with_speaker(utterances), "speaker", "n_words", 1)
    assert set(grouped["speaker"]) == {"Vladimir Putin", kc.OTHERS}


def test_money_chart_samples_beyond_altair_row_limit() -> None:
    many = pl.DataFrame({"currency": ["USD", "RUB"] * 4000, "value": [1e9, 2e9] * 4000})
    spec = kc.money_chart(many).to_dict()
    assert "a random 5,000 of 8,000" in str(spec["title"])
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 5000


# ---------------------------------------------------------------- empties, helpers, charts


def test_too_small_and_chart_or_reason(capsys: pytest.CaptureFixture[str], utterances: pl.DataFrame) -> None:
    assert kc.chart_or_reason(utterances.head(1), 2, "turns", lambda r: kc.rhythm_chart(r, "t")) is None
    assert capsys.readouterr().out == ("Not enough data for this chart (turns: 1, at least 2 needed). "
                                       "Build the whole archive to see it.\n")
    rhythm = kc.with_speaker(utterances).filter(pl.col("event_id") == "e1").select("seq", "speaker", "n_words",
                                                                                  kc.excerpt())
    assert isinstance(kc.chart_or_reason(rhythm, 2, "turns", lambda r: kc.rhythm_chart(r, "t")), alt.Chart)
    assert capsys.readouterr().out == ""


def test_load_optional(tmp_path: Path, events: pl.DataFrame) -> None:
    missing = kc.load_optional("utterance_topics", tmp_path)
    assert missing.is_empty() and missing.columns == list(UTTERANCE_TOPICS.columns)
    events.write_parquet(tmp_path / "events.parquet")
    assert kc.load_optional("events", tmp_path).equals(events)


def all_charts(utterances: pl.DataFrame, events: pl.DataFrame) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the package, each on a small table shaped like the one its notebook cell derives."""
    spoken = kc.with_speaker(utterances)
    words = (spoken.group_by("event_id", "speaker").agg(n_turns=pl.len(), n_words=pl.col("n_words").sum())
             .with_columns(event_words=pl.col("n_words").sum().over("event_id"))
             .with_columns(share=pl.col("n_words") / pl.col("event_words"))
             .join(events.select("event_id", "date", kc.event_label()), on="event_id"))
    months = pl.DataFrame({"month": [dt.date(2019, m, 1) for m in (1, 2, 3)], "share": [0.5, 0.6, 0.4],
                           "n_words": [1000, 2000, 1500], "n_events": [1, 2, 1]})
    shares = pl.DataFrame({"role": ["President of Russia", kc.OTHERS], "share": [0.8, 0.2], "n_words": [8, 2],
                           "n_turns": [2, 1]})
    turns = spoken.join(events.select("event_id", "date", "title"), on="event_id").select(
        "speaker", "n_words", "date", "title", kc.excerpt(), "utterance_id", "seq")
    years = [dt.date(2019, 1, 1), dt.date(2020, 1, 1)]
    rates = pl.DataFrame({"period": years * 2, "kind": ["money"] * 2 + ["percent"] * 2, "per_1000": [1.0, 2, 3, 4],
                          "n_claims": [1, 2, 3, 4], "n_words": [1000] * 4})
    money = pl.DataFrame({"currency": ["USD", "RUB", "USD"], "value": [17e9, 5e12, 4e9], "surface": ["a", "b", "c"],
                          "bound": ["=", "=", ">"], "speaker": ["P", "P", "P"], "date": [years[0]] * 3,
                          "excerpt": ["x", "y", "z"]})
    heat = pl.DataFrame({"year": [2019, 2019, 2020], "tag": ["a", "b", "a"], "label": ["a", "b", "a"],
                         "speaker": ["P", "P", "Q"], "share": [0.5, 0.5, 1.0], "n_events": [1, 1, 2],
                         "year_events": [2, 2, 2], "words": [10.0, 10, 20]})
    timeline = pl.DataFrame({"seq": [1, 2, 3], "speaker": ["P", "Q", "P"], "topic": ["a", "b", "a"],
                             "probability": [0.9, 0.6, 0.7], "excerpt": ["x", "y", "z"]})
    return {
        "event_speakers": kc.event_speakers_chart(words),
        "president": kc.president_share_chart(months),
        "shares": kc.share_bars_chart(shares, "role", "t"),
        "monologues": kc.monologues_chart(turns),
        "rhythm": kc.rhythm_chart(turns.filter(pl.col("utterance_id").str.starts_with("e1.")), "t"),
        "rate": kc.claims_rate_chart(rates.filter(pl.col("kind") == "money")),
        "rate_kind": kc.claims_rate_chart(rates, "kind"),
        "speakers": kc.speaker_rate_chart(rates.with_columns(speaker=pl.col("kind"))),
        "money": kc.money_chart(money),
        "percent": kc.percent_change_chart(pl.DataFrame({"year": [2019, 2019, 2020], "change": ["up", "none", "down"],
                                                         "n_claims": [1, 2, 3]})),
        "bounds": kc.bounds_chart(pl.DataFrame({"kind": ["money", "money", "percent"], "bound": ["=", "~", "="],
                                                "n": [3, 1, 2], "share": [0.75, 0.25, 1.0]})),
        "repeated": kc.repeated_chart(pl.DataFrame({"figure": ["34.4 percent (percent)", "12,130 (money, RUB)"],
                                                    "kind": ["percent", "money"], "n_events": [3, 2],
                                                    "n_claims": [4, 2],
                                                    "first_date": years, "last_date": years})),
        "site_topics": kc.site_topics_chart(heat),
        "learned": kc.learned_topics_chart(heat),
        "by_speaker": kc.speaker_topics_chart(heat),
        "timeline": kc.event_topics_chart(timeline, "t"),
        "spread": kc.spread_chart(pl.DataFrame({"asker_type": ["journalist", "citizen"], "n": [10, 20],
                                                "low": [5.0, 1], "q1": [40.0, 10], "median": [100.0, 30],
                                                "q3": [300.0, 90], "high": [900.0, 200]}), "asker_type", "t", "x"),
    }


def test_every_chart_is_valid_vega_lite_with_title_and_tooltips(utterances: pl.DataFrame, events: pl.DataFrame
                                                                ) -> None:
    import vl_convert as vlc

    for name, chart in all_charts(utterances, events).items():
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


def test_export_charts_runs_the_notebooks_and_writes_non_trivial_pngs(synthetic_build: Path, tmp_path: Path) -> None:
    """The notebooks derive the charts' tables; the export runs them (one here, to keep the suite fast)."""
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    written = kc.export_charts(synthetic_build, tmp_path / "charts", notebooks, names=("01_speaking_share",))
    assert [p.name for p in written] == ["president_share_by_month.png", "speaking_share_events.png"]
    for png in written:
        width, height, distinct = png_facts(png.read_bytes())
        assert width >= 300 and height >= 100, png.name
        assert png.stat().st_size > 5_000 and distinct > 30, png.name


def test_exported_writes_only_a_drawn_chart_to_a_given_folder(tmp_path: Path) -> None:
    chart = kc.bounds_chart(pl.DataFrame({"kind": ["money"], "bound": ["="], "n": [1], "share": [1.0]}))
    assert kc.exported(chart, None, "bounds") is chart
    assert kc.exported(None, tmp_path, "nothing") is None
    assert kc.exported(chart, tmp_path / "pngs", "bounds") is chart
    assert [p.name for p in tmp_path.rglob("*.png")] == ["bounds.png"]
    assert png_facts((tmp_path / "pngs" / "bounds.png").read_bytes())[2] > 8


def test_export_charts_needs_the_notebooks(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no notebooks"):
        kc.export_charts(tmp_path, tmp_path / "charts", tmp_path)


def test_cli_charts_calls_export(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                 tmp_path: Path, events: pl.DataFrame) -> None:
    calls = []
    monkeypatch.chdir(tmp_path)  # the command checks that the build folders hold an events table
    for folder in ("build-dir", "parquet"):
        Path(folder).mkdir()
        events.write_parquet(Path(folder) / "events.parquet")

    def fake_export(data: str | None, out: str) -> list[Path]:
        calls.append((data, out))
        return [Path(out) / "a.png", Path(out) / "b.png"]

    monkeypatch.setattr(kc, "export_charts", fake_export)
    assert cli_main(["charts", "--data", "build-dir", "--out", "pngs"]) == 0
    assert cli_main(["charts"]) == 0
    assert calls == [("build-dir", "pngs"), (None, "docs/charts")]
    assert capsys.readouterr().out.startswith("2 charts written to pngs: a.png, b.png")
