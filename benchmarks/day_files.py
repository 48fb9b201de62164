"""Account for every line of the real day files (../shared/data/kremlin_en_days): where pages, fragments and
parse_issues come from.

Usage: python benchmarks/day_files.py [FOLDER]

Prints `Text version` markers, events (pages and fragments), files that give no event, parse_issues rows by
reason, and the non-empty lines that end in parse_issues (by reason, and as a share of all non-empty lines).
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from kremlin_data.sources import InputError, decode_text, read_bytes
from kremlin_data.text_file import read_text_file

DAYS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "kremlin_en_days" / "content"


def main(folder: Path) -> None:
    """Read every file as the build does and print the accounting."""
    started = time.process_time()
    files = sorted(folder.glob("*.txt*"))
    markers = lines = pages = fragments = fragment_lines = turns = 0
    no_event: list[str] = []
    rows: collections.Counter[str] = collections.Counter()
    issue_lines: collections.Counter[str] = collections.Counter()
    for f in files:
        try:
            text = decode_text(read_bytes(f)).text
        except InputError as exc:
            rows[exc.reason] += 1
            no_event.append(f"{f.name} ({exc.reason})")
            continue
        markers += text.count("Text version")
        lines += sum(1 for s in text.split("\n") if s.strip())
        read = read_text_file(text, str(f))
        if not read.pages:
            no_event.append(f.name)
        for issue in read.issues:
            rows[issue.reason.split(":")[0]] += 1
        for no in set(read.issue_lines):
            reason = next(i.reason for i in reversed(read.issues) if i.line_no is not None and i.line_no <= no)
            issue_lines[reason.split(":")[0]] += 1
        for page in read.pages:
            pages += 1
            fragments += page.is_fragment
            fragment_lines += len({no for no, _ in page.line_places}) if page.is_fragment else 0
            turns += len(page.turns)
            for issue in page.issues:
                rows[issue.reason.split(":")[0]] += 1
            for no, place in page.line_places:
                if place == "issue":
                    reason = next(i.reason for i in page.issues if i.line_no == no)
                    issue_lines[reason.split(":")[0]] += 1
    print(f"{len(files)} files, {lines:,} non-empty lines, {markers:,} `Text version` markers")
    print(f"{pages:,} events ({pages - fragments:,} pages with a header, {fragments:,} fragments), {turns:,} turns")
    print(f"non-empty lines read into fragments: {fragment_lines:,} ({100 * fragment_lines / max(lines, 1):.2f}%)")
    print(f"files with no event: {len(no_event)}: {', '.join(no_event)}")
    print("parse_issues rows by reason: " + ", ".join(f"{k} {v}" for k, v in rows.most_common()))
    total = sum(issue_lines.values())
    print(f"non-empty lines in parse_issues: {total} ({100 * total / max(lines, 1):.3f}%): "
          + ", ".join(f"{k} {v}" for k, v in issue_lines.most_common()))
    print(f"{time.process_time() - started:.1f} CPU s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DAYS)
