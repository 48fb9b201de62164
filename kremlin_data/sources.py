"""Input discovery and decoding: paths -> input files -> decoded text -> glued text pages split apart."""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".html.gz", ".htm", ".htm.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

PAGE_START = "Events"
PAGE_END = "Text version"
_GLUE = re.compile(r"Text version(?=Events$)")
# Non-breaking and other fixed-width spaces print as spaces; replace() is much faster than translate().
_SPACES = ("\u00a0", "\u202f", "\u2007", "\t")


@dataclass(slots=True)
class Decoded:
    """A decoded input file: its text and what went wrong while decoding it."""

    text: str
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line_no, text, reason)


@dataclass(slots=True)
class TextChunk:
    """A run of lines of a text file: one page (``is_page``) or lines outside any page."""

    first_line: int
    lines: list[str]
    is_page: bool


class InputError(ValueError):
    """A whole file cannot be read as input (binary, empty, not gzip, ...)."""

    def __init__(self, reason: str, message: str) -> None:
        """Keep the reason code apart from the message for the parse_issues row."""
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Path]]:
    """Expand files and folders (recursively) into input files, sorted; also return files that were skipped.

    A file named directly is always an input; inside folders only `.txt`, `.html` (and `.gz` of them) count.
    Hidden files and folders (a name starting with `.`) and a fetch cache's `fetch_log.parquet` are passed
    over in silence: they are the bookkeeping of `kremlin-data fetch`, not pages.
    """
    found: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if _bookkeeping(f.relative_to(p)):
                    continue
                if f.is_file():
                    (found if is_input_name(f) else skipped).append(f)
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"input not found: {p}")
    return found, skipped


def _bookkeeping(relative: Path) -> bool:
    return relative.name == "fetch_log.parquet" or any(part.startswith(".") for part in relative.parts)


def is_input_name(path: Path) -> bool:
    """True when the file name ends in a suffix the loader reads."""
    return path.name.lower().endswith(SUFFIXES)


def is_html(path: Path, data: bytes) -> bool:
    """True for HTML input, by name, or by content when the name does not tell."""
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        return True
    if name.endswith(TEXT_SUFFIXES):
        return False
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip (by magic number, whatever its name)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError("bad_gzip", f"cannot gunzip: {exc}") from exc
    return data


def decode_text(data: bytes) -> Decoded:
    r"""UTF-8 (with or without BOM) to text with LF line ends and plain spaces.

    Undecodable bytes become U+FFFD and are reported with their byte offset and line.

    >>> decode_text(b"\xef\xbb\xbfa\xc2\xa0b\r\n").text
    'a b\n'
    """
    if not data.strip():
        raise InputError("empty", "the file is empty or holds only white space")
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError("binary", f"binary data (NUL byte at byte offset {nul})")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems: list[tuple[int | None, str, str]] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        line_no = data.count(b"\n", 0, exc.start) + 1
        problems.append((line_no, f"byte offset {exc.start}: {data[exc.start:exc.start + 4]!r}",
                         "bad_utf8: invalid UTF-8, decoded with U+FFFD replacement"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for space in _SPACES:
        if space in text:
            text = text.replace(space, " ")
    return Decoded(text, problems)


def split_pages(text: str) -> Iterator[TextChunk]:
    r"""Split a text file into pages (`Events` ... `Text version`) and the runs of lines outside pages.

    A glued `Text versionEvents` line ends one page and starts the next on the same line number.

    >>> [(c.first_line, c.is_page) for c in split_pages("Events\nT\nText versionEvents\nU\nText version\n")]
    [(1, True), (3, True)]
    """
    current: list[str] = []
    first = 1
    in_page = False
    for line_no, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        parts = _GLUE.split(line) if line.endswith(PAGE_START) else [line]
        if len(parts) == 2:
            parts[0] = PAGE_END
        for part in parts:
            if part == PAGE_START and not in_page:
                if any(current):
                    yield TextChunk(first, current, False)
                current, first, in_page = [part], line_no, True
            elif part == PAGE_END and in_page:
                current.append(part)
                yield TextChunk(first, current, True)
                current, first, in_page = [], line_no + 1, False
            else:
                if not current:
                    first = line_no
                current.append(part)
    if in_page:
        yield TextChunk(first, current, True)
    elif any(current):
        yield TextChunk(first, current, False)
