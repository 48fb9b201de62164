"""Golden files: expected rows as reviewable JSON, one turn per line, rewritten by --update-golden."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kremlin_data.page import Page
from kremlin_data.rows import page_rows

EVENT_FIELDS = ("event_id", "site_id", "title", "lead", "date", "time", "place", "is_announcement",
                "photo_captions", "subheadings", "see_also", "geography", "topics", "persons", "published_in",
                "published_at", "n_utterances", "n_words", "n_omissions")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def page_summary(page: Page) -> dict[str, Any]:
    """What a golden file pins down for one page: header/footer fields, narration size, and every turn."""
    event, turns = page_rows(page)
    return {
        "event": {k: _plain(event[k]) for k in EVENT_FIELDS},
        "n_narration": len(page.narration),
        "issues": [f"{i.line_no}: {i.reason}" for i in page.issues],
        "turns": [[u["speaker_label"], u["label_note"], u["speaker_name"], u["speaker_role"], u["kind"],
                   u["subheading"], u["follows_omission"], u["n_paragraphs"], u["n_words"], u["text"][:60]]
                  for u in turns],
    }


def dump(summary: dict[str, Any]) -> str:
    """JSON with one turn per line, so a diff shows which turn changed."""
    head = {k: v for k, v in summary.items() if k != "turns"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    turns = ",\n  ".join(json.dumps(t, ensure_ascii=False) for t in summary["turns"])
    return f'{lines},\n "turns": [\n  {turns}\n ]\n}}\n'


def expected_json(expected_file: Path, text: str, update: bool) -> Any:
    """The golden file's JSON; under --update-golden `text` is written to it first."""
    if update:
        expected_file.parent.mkdir(exist_ok=True)
        expected_file.write_text(text, encoding="utf-8")
    if not expected_file.exists():
        pytest.fail(f"{expected_file} is missing: run pytest --update-golden, then read the diff")
    return json.loads(expected_file.read_text(encoding="utf-8"))


def check(summary: dict[str, Any], expected_file: Path, update: bool) -> None:
    """Compare with the golden file, or rewrite it under --update-golden."""
    expected = expected_json(expected_file, dump(summary), update)
    assert summary["event"] == expected["event"]
    assert summary["n_narration"] == expected["n_narration"]
    assert summary["issues"] == expected["issues"]
    assert len(summary["turns"]) == len(expected["turns"])
    for got, want in zip(summary["turns"], expected["turns"], strict=True):
        assert got == want
