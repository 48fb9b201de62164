"""One decoded text file (a page, or a day file of glued pages) -> its pages, fragments and file issues. Pure."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from kremlin_data.page import Issue, Page
from kremlin_data.sources import NAN_COUNTER, PAGE_END, TextChunk, split_pages
from kremlin_data.text_version import embedded_header, parse_lines

_DATE_NAME = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:\.|$)")
# A fragment is a repeat when this share of its paragraphs (lines long enough not to recur by chance: not
# `Topics` or `Thank you.`) was already read, in this file, in earlier pages.
DUPLICATE_SHARE = 0.9
_PARAGRAPH = 40


@dataclass(slots=True)
class TextFile:
    """The pages of one text file, and what stands outside them.

    ``issues`` are the file's own rows for parse_issues (a repeated fragment, a stray marker); ``issue_lines``
    lists the line number of every piece those rows hold, so a test can account for every line.
    """

    pages: list[Page] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    issue_lines: list[int] = field(default_factory=list)


def date_from_name(path: str) -> dt.date | None:
    """The date a day file is named after (`2017-04-19.txt.gz`); None when the name is not a date.

    >>> date_from_name("content/2017-04-19.txt.gz")
    datetime.date(2017, 4, 19)
    """
    # A Path object per file costs more than the rest of this function: it is made only where the names may differ.
    name = os.path.basename(path)  # noqa: PTH119
    m = _DATE_NAME.match(name if name not in ("", ".") else PurePath(path).name)
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def read_text_file(text: str, source_path: str) -> TextFile:
    r"""Split a decoded text file into pages and parse each; a fragment that repeats earlier pages is left out.

    >>> f = read_text_file("Body line.\nText versionEvents\nT\nAugust 1, 2020\nText version\n", "2020-08-01.txt")
    >>> [(p.is_fragment, p.date.isoformat()) for p in f.pages]
    [(True, '2020-08-01'), (False, '2020-08-01')]
    """
    out = TextFile()
    file_date = date_from_name(source_path)
    seen: set[str] = set()
    for chunk in _cut_embedded_headers(split_pages(text)):
        body = [s for s in chunk.lines if s not in (PAGE_END, NAN_COUNTER)]
        if not body:
            out.issues.append(Issue(chunk.first_line, chunk.lines[0], "stray_marker: a `Text version` marker with "
                                    "no page text before it"))
            out.issue_lines.extend(chunk.line_nos)
            continue
        page = parse_lines(chunk.lines, source_path, chunk.first_line, line_nos=chunk.line_nos, file_date=file_date)
        paragraphs = [s for s in body if len(s) >= _PARAGRAPH]
        if page.is_fragment and paragraphs and sum(s in seen for s in paragraphs) >= DUPLICATE_SHARE * len(paragraphs):
            first, last = chunk.line_nos[0], chunk.line_nos[-1]
            out.issues.append(Issue(first, body[0], f"duplicate_fragment: lines {first}-{last} ({len(body)} "
                                    "pieces) repeat a page read before in this file; not read twice"))
            out.issue_lines.extend(chunk.line_nos)
            continue
        seen.update(paragraphs)
        out.pages.append(page)
    return out


def _cut_embedded_headers(chunks: Iterable[TextChunk]) -> Iterator[TextChunk]:
    """A chunk without `Events` may hold a body that lost its end, then a page that lost its `Events` line."""
    for chunk in chunks:
        h = None if chunk.is_page else embedded_header(chunk.lines)
        if h is None:
            yield chunk
            continue
        yield TextChunk(chunk.line_nos[0], chunk.lines[:h], False, chunk.line_nos[:h])
        yield TextChunk(chunk.line_nos[h], chunk.lines[h:], False, chunk.line_nos[h:])
