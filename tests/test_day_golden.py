"""Golden day files: real files of ../shared/data/kremlin_en_days, one per page-boundary quirk of the capture.

Each `tests/golden/days/<quirk>.expected.json` holds the file's own parse_issues rows and, per page, the fields
`golden_util.page_summary` pins down plus where the page starts and whether it is a fragment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DAYS_DIR, GOLDEN, need
from golden_util import dump, expected_json, page_summary

from kremlin_data.sources import InputError, decode_text, read_bytes
from kremlin_data.text_file import read_text_file

pytestmark = pytest.mark.corpus


def _repeat_fragment(text: str) -> str:
    """No real file repeats a glued body: this one gets its own (lines 49-65) again, glued to its last marker."""
    lines = text.rstrip("\n").split("\n")
    assert lines[-1] == "Text version" and lines[48].startswith("Text version")
    return "\n".join([*lines[:-1], lines[48], *lines[49:65], "Text version"])


# quirk -> (day file, the lines where the pages pinned down start (None: all), a change made to its text or None)
GOLDEN_DAYS: dict[str, tuple[str, set[int] | None, Callable[[str], str] | None]] = {
    "glued_marker_one_line_fragment": ("2017-04-19.txt.gz", {39}, None),
    "glued_marker_time_and_place_left": ("2012-09-08.txt.gz", {37}, None),
    "glued_marker_page_without_events_line": ("2012-06-21.txt.gz", {212}, None),
    "flattened_page_after_marker": ("2006-03-01.txt.gz", {110}, None),
    "flattened_page_then_page": ("2003-02-11.txt.gz", None, None),
    "flattened_over_several_lines": ("2016-12-30.txt.gz", None, None),
    "fragment_at_file_start": ("2000-01-21.txt.gz", {1}, None),
    "fragment_then_page_without_events_line": ("2013-09-13.txt.gz", {1, 19}, None),
    "lead_without_title_at_file_start": ("2017-10-20.txt.gz", None, None),
    "whole_file_fragment": ("2012-01-11.txt.gz", None, None),
    "duplicate_fragment": ("2013-07-16.txt.gz", {49}, _repeat_fragment),
    "empty_file": ("2003-02-14.txt.gz", None, None),
    # a flattened page whose line break cuts its label: `... Sobchak.   President of Russia` / `Vladimir Putin:`
    "flattened_label_cut_by_line_break": ("2020-02-19.txt.gz", None, None),
}


def _summary(path: Path, starts: set[int] | None, change: Callable[[str], str] | None) -> dict[str, Any]:
    try:
        text = decode_text(read_bytes(path)).text
    except InputError as exc:
        return {"file_issues": [f"None: {exc.reason}: {exc.message}"], "pages": []}
    read = read_text_file(change(text) if change else text, path.name)
    return {"file_issues": [f"{i.line_no}: {i.reason}" for i in read.issues],
            "pages": [{"source_line": p.source_line, "is_fragment": p.is_fragment, **page_summary(p)}
                      for p in read.pages if starts is None or p.source_line in starts]}


def _dump(summary: dict[str, Any]) -> str:
    pages = ",\n".join(dump(p).rstrip("\n") for p in summary["pages"])
    return (f'{{"file_issues": {json.dumps(summary["file_issues"], ensure_ascii=False)},\n"pages": [\n{pages}\n]}}\n'
            if pages else f'{{"file_issues": {json.dumps(summary["file_issues"], ensure_ascii=False)}, "pages": []}}\n')


@pytest.mark.parametrize("quirk", sorted(GOLDEN_DAYS))
def test_golden_day_file(quirk: str, update_golden: bool) -> None:
    name, starts, change = GOLDEN_DAYS[quirk]
    summary = _summary(need(DAYS_DIR / name), starts, change)
    expected_file = GOLDEN / "days" / f"{quirk}.expected.json"
    expected = expected_json(expected_file, _dump(summary), update_golden)
    assert summary["file_issues"] == expected["file_issues"]
    assert len(summary["pages"]) == len(expected["pages"])
    for got, want in zip(summary["pages"], expected["pages"], strict=True):
        assert got == want
