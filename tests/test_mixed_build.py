"""Day files and saved HTML pages in one build: a page read in both forms is one event, the HTML one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import DAYS_DIR, HTML_DIR, need

import kremlin_data as kd
from kremlin_data.build import build

pytestmark = pytest.mark.corpus

# Three real day files and the HTML pages of five of their eight pages (read by hand: same date, time and title).
DAYS = ("2017-09-28.txt.gz", "2018-05-18.txt.gz", "2019-11-26.txt.gz")
HTML_IDS = (55723, 57492, 57498, 62124, 62126)
TEXT_ONLY = {"Press statements following Russian-Guinean talks",
             "Joint news conference with Federal Chancellor of Germany Angela Merkel",
             "Statement for the press by Gazprom CEO Alexei Miller"}


@pytest.mark.parametrize("html_first", [True, False])
def test_a_page_in_both_forms_is_one_event_from_the_html(tmp_path: Path, html_first: bool) -> None:
    days = [need(DAYS_DIR / name) for name in DAYS]
    pages = [need(HTML_DIR / f"{site_id}.html.gz") for site_id in HTML_IDS]
    out = tmp_path / "out"
    build([*pages, *days] if html_first else [*days, *pages], out, workers=1, progress=False,
          log=lambda _msg: None, claims=False, topics=False)
    events = kd.load_events(out)
    assert events.height == len(HTML_IDS) + len(TEXT_ONLY)
    assert sorted(events["site_id"].drop_nulls().to_list()) == list(HTML_IDS)
    assert set(events.filter(pl.col("site_id").is_null())["title"]) == TEXT_ONLY
    assert all(p.endswith(".html.gz") for p in events.filter(pl.col("site_id").is_not_null())["source_path"])
    dups = kd.load_parse_issues(out).filter(pl.col("reason").str.starts_with("duplicate_page"))
    assert dups.height == len(HTML_IDS)
    assert {Path(p).name for p in dups["source_path"]} == set(DAYS)
    assert all(".html.gz:1 " in r for r in dups["reason"])
    # The kept events' turns are the HTML ones, and none of the text copies' turns is left.
    turns = kd.load_utterances(out)
    assert set(turns["event_id"]) <= set(events["event_id"])
    assert turns.filter(pl.col("event_id") == "kremlin-en-62126").height > 0
