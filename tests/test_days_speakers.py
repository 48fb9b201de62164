"""The real text version (4,174 day files): clean labels, one id for the President, agreement with the HTML.

One build of all day files (no claims, no topics) serves every test here.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import HTML_DIR, SHARED_DATA, need

from kremlin_data.build import build
from kremlin_data.html_page import parse_html
from kremlin_data.rows import page_rows
from kremlin_data.speakers import label_defects

pytestmark = pytest.mark.corpus

DAYS = SHARED_DATA.parent / "kremlin_en_days" / "content"
INDEX = SHARED_DATA / "derived" / "valdai_transcripts_pages_index.jsonl"
_HYPHEN = re.compile(r"\s*-\s*")


@pytest.fixture(scope="module")
def day_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    out = tmp_path_factory.mktemp("days")
    build([need(DAYS)], out, workers=2, progress=False, log=lambda _m: None, claims=False, topics=False)
    return {name: pl.read_parquet(out / f"{name}.parquet")
            for name in ("events", "utterances", "speakers", "speaker_aliases")}


def test_no_label_holds_a_person_card_glued_words_or_a_page_marker(day_tables: dict[str, pl.DataFrame]) -> None:
    labels = day_tables["utterances"].group_by("speaker_label").agg(pl.first("event_id"))
    bad = [(label, eid, label_defects(label)) for label, eid in labels.iter_rows() if label_defects(label)]
    assert not bad, "\n".join(map(str, bad))


def test_the_president_has_one_speaker_id(day_tables: dict[str, pl.DataFrame]) -> None:
    u = day_tables["utterances"]
    # Every named turn whose label names Putin (as printed, any case, typos of the given name included) is his.
    his = u.filter((pl.col("kind") == "named") & pl.col("speaker_label").str.contains(r"(?i)\bputin\b")
                   & ~pl.col("speaker_label").str.contains(r"(?i)putin[’']s"))
    others = his.filter(pl.col("speaker_id") != "vladimir-putin")
    assert others.is_empty(), others.select("event_id", "speaker_label", "speaker_id").rows()
    assert his.height > 24_000
    speakers = day_tables["speakers"]
    assert speakers.filter(pl.col("speaker_id").str.contains(r"(?:^|-)putin$")).get_column(
        "speaker_id").to_list() == ["vladimir-putin"]
    putin = speakers.filter(pl.col("speaker_id") == "vladimir-putin").row(0, named=True)
    assert putin["speaker_name"] == "Vladimir Putin"
    assert putin["first_date"].year == 1999 and putin["last_date"].year == 2020
    # The labels that are surname-only or misspelt are all in the alias table, each with its evidence.
    aliases = day_tables["speaker_aliases"].filter(pl.col("speaker_id") == "vladimir-putin")
    assert {"page_label", "typo"} <= set(aliases["evidence"])


def _label_words(rows: list[dict[str, Any]]) -> Counter[str]:
    """Words per label; labels compared without case and without spaces at hyphens (`Editor-in- Chief`)."""
    out: Counter[str] = Counter()
    for r in rows:
        out[_HYPHEN.sub("-", " ".join(r["speaker_label"].split())).casefold()] += r["n_words"]
    return out


def agreement(day_tables: dict[str, pl.DataFrame]) -> tuple[int, int, int, int, list[tuple[int, int]]]:
    """Pages in both forms (same date and title): (pages, exact pages, words agreeing, words, worst pages).

    Words agree when the same label holds them in both forms: the sum over labels of the smaller count,
    out of the larger of the two pages' totals.
    """
    index = {}
    for line in need(INDEX).read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        index.setdefault((page["date"], " ".join(page["title"].split())), []).append(page["id"])
    events = day_tables["events"].filter(pl.col("title").is_not_null() & pl.col("date").is_not_null())
    turns = day_tables["utterances"].select("event_id", "speaker_label", "n_words")
    by_event = {eid: rows for (eid,), rows in
                ((k, g.to_dicts()) for k, g in turns.group_by("event_id"))}
    pages = exact = agree = total = 0
    worst: list[tuple[int, int]] = []
    for eid, date, title in events.select("event_id", "date", "title").iter_rows():
        ids = index.get((date.isoformat(), " ".join(title.split())), [])
        if len(ids) != 1:
            continue
        html_file = HTML_DIR / f"{ids[0]}.html.gz"
        _, html_rows = page_rows(parse_html(gzip.decompress(html_file.read_bytes()), str(html_file)))
        t, h = _label_words(by_event.get(eid, [])), _label_words(html_rows)
        if not t and not h:
            continue
        pages += 1
        same = sum(min(n, h[label]) for label, n in t.items())
        size = max(sum(t.values()), sum(h.values()))
        exact += t == h
        agree += same
        total += size
        if size - same:
            worst.append((size - same, ids[0]))
    return pages, exact, agree, total, sorted(worst, reverse=True)[:15]


def test_day_files_agree_with_the_html_pages(day_tables: dict[str, pl.DataFrame]) -> None:
    pages, exact, agree, total, worst = agreement(day_tables)
    assert pages > 1000
    # Issue 9 asks for 99.8%; measured 99.835% and 1,197 of 1,283 pages exact (README, Speaker labels and identity).
    assert agree / total >= 0.998, f"{agree / total:.4%} of words, {exact}/{pages} pages exact; worst {worst}"
    assert exact / pages >= 0.88, f"{exact}/{pages} pages exact"


def days_path() -> Path:
    """The day files (for benchmarks)."""
    return DAYS
