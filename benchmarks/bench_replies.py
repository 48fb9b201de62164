"""Scores `utterances.reply_to` on the hand-labelled pages of tests/golden/reply_to/, overall and per page kind.

Run from the repository root, with ../shared/data beside it:

    python benchmarks/bench_replies.py            # precision and recall, overall and per page
    python benchmarks/bench_replies.py --errors   # also list each turn where the rule and the label differ

A link is a (turn, replied-to turn) pair; precision = right links / links the rules make, recall = right links /
links in the labels. Turns labelled null count only through the links the rules wrongly make for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "reply_to"
DATA = REPO.parent / "shared" / "data" / "kremlin_en"


@dataclass
class Score:
    """Link counts of one page or of a group of pages."""

    right: int = 0
    predicted: int = 0
    labelled: int = 0
    turns: int = 0

    def add(self, other: Score) -> None:
        self.right += other.right
        self.predicted += other.predicted
        self.labelled += other.labelled
        self.turns += other.turns

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def predicted_links(source: Path) -> dict[int, tuple[str, int | None]]:
    """seq -> (text, seq of the replied-to turn) as the package computes it for one text page."""
    from kremlin_data.rows import page_rows
    from kremlin_data.sources import decode_text, read_bytes, split_pages
    from kremlin_data.text_version import parse_lines

    chunk = next(c for c in split_pages(decode_text(read_bytes(source)).text) if c.is_page)
    _, rows = page_rows(parse_lines(chunk.lines, str(source), chunk.first_line))
    seq_of = {r["utterance_id"]: r["seq"] for r in rows}
    return {r["seq"]: (r["text"], seq_of[r["reply_to"]] if r["reply_to"] else None) for r in rows}


def score_page(gold: dict[str, Any], data: Path = DATA) -> tuple[Score, list[str]]:
    """The page's link counts, and one line per turn where rule and label differ."""
    predicted = predicted_links(data / gold["source"])
    score, errors = Score(), []
    for seq, _label, start, expected in gold["turns"]:
        text, got = predicted[seq]
        if not text.startswith(start):
            raise ValueError(f"{gold['page_id']} turn {seq}: the page changed (text starts {text[:40]!r}, "
                             f"labelled {start!r})")
        score.turns += 1
        score.labelled += expected is not None
        score.predicted += got is not None
        score.right += got is not None and got == expected
        if got != expected:
            errors.append(f"{gold['page_id']} turn {seq}: rule {got}, label {expected}: {text[:70]!r}")
    return score, errors


def load_gold() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.glob("*.expected.json"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the turns where rule and label differ")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} not found", file=sys.stderr)
        return 2
    total, tuned, held = Score(), Score(), Score()
    print("| page | kind | turns | links labelled | precision | recall |\n|---|---|---|---|---|---|")
    for gold in load_gold():
        score, errors = score_page(gold)
        total.add(score)
        (held if gold.get("held_out") else tuned).add(score)
        print(f"| {gold['page_id']} | {gold['kind']} | {score.turns} | {score.labelled} | {score.precision:.3f} | "
              f"{score.recall:.3f} |")
        if args.errors:
            print("\n".join(f"    {e}" for e in errors))
    print(f"| all | | {total.turns} | {total.labelled} | {total.precision:.3f} | {total.recall:.3f} |")
    for name, group in (("tuned on", tuned), ("held out", held)):
        if group.turns:
            print(f"| {name} | | {group.turns} | {group.labelled} | {group.precision:.3f} | {group.recall:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
