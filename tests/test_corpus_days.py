"""All 4,174 real day files (the site's text version as captured, 1999-2020): none fails, every line is placed once,
every parse_issues row has a specific reason, and few lines end there."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DAYS_DIR, need

from kremlin_data.page import Issue, Page
from kremlin_data.sources import PAGE_END, InputError, decode_text, read_bytes, split_pages
from kremlin_data.text_file import date_from_name, read_text_file

pytestmark = pytest.mark.corpus

# Every reason a day file can give, each naming one kind of damage in the capture.
REASONS = {"no_header", "truncated", "see_also", "footer", "duplicate_fragment", "stray_marker", "empty_page"}
_REASON = re.compile(r"^(?P<code>[a-z_]+): \S.{10,}$")


@dataclass
class Corpus:
    """What the day files give, gathered once."""

    files: int = 0
    empty: list[str] = field(default_factory=list)
    lines: int = 0
    markers: int = 0
    pages: list[Page] = field(default_factory=list)
    issues: list[tuple[str, Issue]] = field(default_factory=list)
    issue_lines: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)


def _read(path: Path, corpus: Corpus) -> None:
    try:
        text = decode_text(read_bytes(path)).text
    except InputError as exc:
        corpus.empty.append(path.name)
        if exc.reason != "empty":
            corpus.errors.append(f"{path.name}: {exc}")
        return
    corpus.markers += text.count(PAGE_END)
    nonempty = {no: s for no, s in enumerate(text.split("\n"), start=1) if s.strip()}
    corpus.lines += len(nonempty)
    pieces: collections.defaultdict[int, list[str]] = collections.defaultdict(list)
    for chunk in split_pages(text):
        for no, piece in zip(chunk.line_nos, chunk.lines, strict=True):
            pieces[no].append(piece)
    # The splitter cuts lines into pieces and loses no character but spaces.
    for no, s in nonempty.items():
        if "".join(pieces.get(no, [])).replace(" ", "") != re.sub(r"\s", "", s):
            corpus.errors.append(f"{path.name}:{no}: pieces {pieces.get(no)} do not make up the line")
    read = read_text_file(text, str(path))
    placed = collections.Counter(read.issue_lines)
    for page in read.pages:
        placed.update(no for no, _ in page.line_places)
        corpus.issues.extend((path.name, i) for i in page.issues)
        for no, where in page.line_places:
            if where == "issue":
                reason = next(i.reason for i in page.issues if i.line_no == no)
                corpus.issue_lines[reason.split(":")[0]] += 1
    corpus.issues.extend((path.name, i) for i in read.issues)
    for no in read.issue_lines:
        reason = next(i.reason for i in reversed(read.issues) if i.line_no is not None and i.line_no <= no)
        corpus.issue_lines[reason.split(":")[0]] += 1
    want = collections.Counter({no: len(p) for no, p in pieces.items()})
    if placed != want:
        corpus.errors.append(f"{path.name}: pieces placed {sorted((placed - want).items())[:3]} too often, "
                             f"{sorted((want - placed).items())[:3]} not placed")
    corpus.pages.extend(read.pages)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    files = sorted(need(DAYS_DIR).glob("*.txt.gz"))
    assert len(files) == 4174
    out = Corpus(files=len(files))
    for f in files:
        _read(f, out)
    return out


def test_no_file_fails_and_every_line_is_placed_once(corpus: Corpus) -> None:
    assert corpus.errors == []
    assert corpus.lines == 313_180
    assert len(corpus.empty) == 8  # files that hold nothing at all
    # Every marker closes a page, so no file that holds text is without an event.
    assert {Path(p.source_path).name for p in corpus.pages} | set(corpus.empty) == {
        f.name for f in DAYS_DIR.glob("*.txt.gz")}
    assert len(corpus.pages) >= corpus.markers == 7280


def test_every_issue_has_a_specific_reason_and_few_lines_end_in_parse_issues(corpus: Corpus) -> None:
    for name, issue in corpus.issues:
        m = _REASON.match(issue.reason)
        assert m and m["code"] in REASONS, f"{name}:{issue.line_no}: {issue.reason}"
    assert sum(corpus.issue_lines.values()) <= 0.003 * corpus.lines, corpus.issue_lines


def test_markers_never_end_in_rows(corpus: Corpus) -> None:
    """A glued `Text version` is cut off: it never becomes a label or turn text."""
    for page in corpus.pages:
        for turn in page.turns:
            assert PAGE_END not in turn.label and not any(PAGE_END in p for p in turn.paragraphs), page.source_path
        assert not any(PAGE_END in s for s in page.narration + page.subheadings + page.photo_captions)


def test_fragments_are_dated_from_the_file_and_reported_once(corpus: Corpus) -> None:
    fragments = [p for p in corpus.pages if p.is_fragment]
    assert 100 <= len(fragments) <= 250
    no_header = collections.Counter((n, i.line_no) for n, i in corpus.issues if i.reason.startswith("no_header"))
    for page in fragments:
        assert page.title is None and page.date == date_from_name(page.source_path)
        assert sum(i.reason.startswith("no_header") for i in page.issues) == 1
        assert no_header[(Path(page.source_path).name, page.source_line)] == 1
    assert sum(no_header.values()) == len(fragments)
    # Most fragments are speech: their turns are read.
    assert sum(len(p.turns) > 0 for p in fragments) >= len(fragments) // 2
