"""All 1,645 real text-version pages: none fails, every line is placed, day files give the page files' rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TEXT_DIR, need

from kremlin_data.rows import page_rows
from kremlin_data.sources import decode_text, read_bytes, split_pages
from kremlin_data.text_version import parse_lines

pytestmark = pytest.mark.corpus


def _rows(files: list[Path]) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    out = {}
    for f in files:
        for chunk in split_pages(decode_text(read_bytes(f)).text):
            assert chunk.is_page, f"{f}:{chunk.first_line}: lines outside a page"
            page = parse_lines(chunk.lines, str(f), chunk.first_line)
            assert page.issues == [], f"{f}: {page.issues}"
            nonempty = [chunk.first_line + k for k, s in enumerate(chunk.lines) if s.strip()]
            assert sorted(n for n, _ in page.line_places) == nonempty, f"{f}: a line was lost or placed twice"
            event, turns = page_rows(page)
            out[event["event_id"]] = (event, turns)
    return out


@pytest.fixture(scope="module")
def page_rows_by_id() -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    files = sorted(need(TEXT_DIR / "pages").glob("*.txt")) + sorted(need(TEXT_DIR / "other").glob("*.txt"))
    assert len(files) == 1645
    return _rows(files)


def test_every_real_page_parses_and_every_line_is_placed(page_rows_by_id: dict[str, Any]) -> None:
    assert len(page_rows_by_id) == 1645
    n_turns = sum(len(t) for _, t in page_rows_by_id.values())
    assert n_turns > 14_000
    transcripts = [e for e, _ in page_rows_by_id.values() if "Transcripts" in e["published_in"]]
    assert len(transcripts) == 1395
    # A transcript without turns would mean labels were missed; the few exceptions are speeches without a label.
    assert sum(1 for e in transcripts if e["n_utterances"] == 0) <= 60


def test_day_files_give_the_same_rows_as_page_files(page_rows_by_id: dict[str, Any]) -> None:
    day_rows = _rows(sorted(need(TEXT_DIR / "by-date").glob("*.txt")))
    assert len(day_rows) == 1395
    for eid, (event, turns) in day_rows.items():
        want_event, want_turns = page_rows_by_id[eid]
        skip = {"source_path", "source_line"}
        assert {k: v for k, v in event.items() if k not in skip} == {
            k: v for k, v in want_event.items() if k not in skip}, eid
        assert turns == want_turns, eid
