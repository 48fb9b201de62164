"""Input discovery and decoding: paths -> input files -> decoded text -> glued text pages split apart."""

from __future__ import annotations

import contextlib
import errno
import gzip
import os
import re
import stat
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from isal import isal_zlib

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".html.gz", ".htm", ".htm.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

PAGE_START = "Events"
PAGE_END = "Text version"
# The capture's defects around the page markers: a marker glued to the text before or after it
# (`Text versionGovernor of ...`, `... Mr President.Events`), and pages flattened onto one or a few lines whose
# fields and paragraphs are separated by runs of spaces (`Text version    Events Speech at ...     March 1, 2006`).
_MARKER = re.compile(r"(Text version)")
_GAP = re.compile(r" {2,}")
# In a flattened page a field name shares its piece with the field (`Events <title>`, `Geography India`,
# `1 of 2 <caption>`, `* * * <first paragraph>`, `Publication status Published in section: ...`).
_FLAT_HEAD = re.compile(r"^(Events|Publication status|Geography|\d{1,3} of \d{1,3}|\*\s*\*\s*\*)\s*(?=\S)")
# A flattened page runs its turns together (`... relations have warmed up. President Putin: Yes, ...`): a
# label after the end of a sentence starts a turn when the file has it twice, or it is a generic one.
_LABEL_WORDS = r"(?:[A-Z][\w'’-]*\.?)(?: (?:[A-Z][\w'’-]*\.?|of|the|and|de|von))*(?: \([^()]{1,40}\))?"
_INLINE_LABEL = re.compile(rf"(?<=[.?!…»”\")])\s*(?=({_LABEL_WORDS}):(?: |$))")
_ANY_LABEL = re.compile(rf"(?:^|(?<=[.?!…»”\")]))\s*({_LABEL_WORDS}):(?: |$)", re.M)
_GENERIC_LABELS = frozenset({"Question", "Answer", "Remark", "Reply", "Response"})
# What the flattened form prints after its `Text version`: the photo slider's empty counter.
NAN_COUNTER = "NaN /"
# Non-breaking and other fixed-width spaces print as spaces; replace() is much faster than translate().
_SPACES = ("\u00a0", "\u202f", "\u2007", "\t")
# Zero-width spaces and soft hyphens (`violations of \u200b\u200blabour`, `stereotypes\u00ad –`) print as nothing.
_INVISIBLE = ("\u200b", "\u00ad")
# What a missing path, or one through a file or a link loop, gives: Path.exists() says False to these.
_NOT_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EBADF})


@dataclass(slots=True)
class Decoded:
    """A decoded input file: its text and what went wrong while decoding it."""

    text: str
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line_no, text, reason)


@dataclass(slots=True)
class TextChunk:
    """A run of pieces of a text file between page markers: one page, opening with `Events` (``is_page``) or not.

    A page may not open with `Events` where the capture lost its `Events` line or its whole header.

    ``lines`` are the pieces and ``line_nos`` their line numbers in the file: a line holds several pieces where
    the capture glued or flattened pages, and then its number repeats.
    """

    first_line: int
    lines: list[str]
    is_page: bool
    line_nos: list[int] = field(default_factory=list)


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
        try:
            mode = p.stat().st_mode  # one stat call per path: a build may name thousands of files
        except OSError as exc:
            if exc.errno not in _NOT_THERE:
                raise
            raise FileNotFoundError(f"input not found: {p}") from None
        if stat.S_ISDIR(mode):
            for f in _files_under(p):
                (found if is_input_name(f) else skipped).append(f)
        else:
            found.append(p)
    return found, skipped


def _files_under(folder: Path) -> list[Path]:
    """The files under `folder`, in the order of `sorted(folder.rglob("*"))`, bookkeeping left out.

    Like rglob, it lists links to files and does not go into linked folders or folders it may not read. It walks
    with os.scandir, whose entries know their type (no stat call per file), and makes each file's Path from its
    folder's (parsing only the name).
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    todo: list[tuple[tuple[str, ...], Path]] = [((), folder)]
    while todo:
        parts, path = todo.pop()
        try:
            entries = list(os.scandir(path))
        except PermissionError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden: bookkeeping, and so is all that is inside a hidden folder
            if entry.is_dir(follow_symlinks=False):
                todo.append(((*parts, entry.name), path / entry.name))
            elif entry.is_file() and entry.name != "fetch_log.parquet":
                found.append(((*parts, entry.name), path / entry.name))
    # Paths sort by their parts, which Windows compares in lower case.
    found.sort(key=(lambda f: tuple(part.lower() for part in f[0])) if os.name == "nt" else (lambda f: f[0]))
    return [path for _, path in found]


def is_input_name(path: Path) -> bool:
    """True when the file name ends in a suffix the loader reads."""
    return path.name.lower().endswith(SUFFIXES)


def is_html(path: str | os.PathLike[str], data: bytes) -> bool:
    """True for HTML input, by name, or by content when the name does not tell."""
    name = os.path.basename(path).lower()  # noqa: PTH119 (a string in the parse workers: no Path per file)
    if name.endswith(HTML_SUFFIXES):
        return True
    if name.endswith(TEXT_SUFFIXES):
        return False
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip (by magic number, whatever its name)."""
    return gunzip(path.read_bytes())


def gunzip(data: bytes) -> bytes:
    """A file's bytes as read, gunzipped when they are gzip (by magic number); others as they are.

    ISA-L's inflate (`isal`) takes half the time of zlib's; a file it does not read whole and clean is read again
    by the standard library's `gzip`, so that results and error messages are the standard library's.

    >>> gunzip(gzip.compress(b"text")), gunzip(b"text")
    (b'text', b'text')
    """
    if data[:2] == b"\x1f\x8b":
        # One gzip member read to its end by ISA-L; anything else (more members, bytes after the end, damage) is
        # left to the standard library, whose result and error messages stay the rule.
        with contextlib.suppress(Exception):
            inflate = isal_zlib.decompressobj(wbits=31)
            out = inflate.decompress(data)
            if inflate.eof and not inflate.unused_data:
                return out
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError("bad_gzip", f"cannot gunzip: {exc}") from exc
    return data


def decode_text(data: bytes) -> Decoded:
    r"""UTF-8 (with or without BOM) to text with LF line ends and plain spaces; zero-width spaces and soft hyphens go.

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
    for mark in _INVISIBLE:
        if mark in text:
            text = text.replace(mark, "")
    return Decoded(text, problems)


def line_pieces(line: str, flat: bool, labels: Collection[str] = ()) -> tuple[list[str], bool]:
    """The pieces of one line: the line itself, or several where markers are glued or a page is flattened.

    ``flat`` says whether the line continues a flattened page; the second value says whether the next one does.
    ``labels`` are labels the file prints more than once: a flattened line is also cut before them.

    >>> line_pieces("Thank you.Events", False)
    (['Thank you.', 'Events'], False)
    >>> line_pieces("Text version    Events Talks     March 1, 2006  Budapest", False)
    (['Text version', 'Events', 'Talks', 'March 1, 2006', 'Budapest'], True)
    """
    s = line.strip()
    has_marker = PAGE_END in s
    if s == PAGE_START or not (flat or has_marker or s.startswith(PAGE_START) or s.endswith(PAGE_START)):
        return [s], False
    flat = flat or (bool(_GAP.search(s)) and (s.startswith(PAGE_START + " ") or has_marker))
    raw = _flat_pieces(s, labels) if flat else [s]
    pieces: list[str] = []
    for piece in raw:
        for part in _MARKER.split(piece) if has_marker else [piece]:
            part = part.strip()
            if part.endswith(PAGE_START) and len(part) > len(PAGE_START) and not part[-len(PAGE_START) - 1].isspace():
                pieces.extend((part[:-len(PAGE_START)].rstrip(), PAGE_START))
            elif part:
                pieces.append(part)
    for piece in reversed(pieces):
        if piece == PAGE_END:
            flat = False
            break
        if piece == PAGE_START:
            flat = flat and pieces[-1] != PAGE_START
            break
    return pieces, flat


def _flat_pieces(s: str, known: Collection[str] = ()) -> list[str]:
    """A flattened line cut at its runs of spaces and before the labels it runs on, field names apart."""
    pieces: list[str] = []
    # A capitalised `The` opens titles (`The Arctic: Territory of Dialogue`), never a speaker's label.
    found = [(m.end(), m[1]) for m in _INLINE_LABEL.finditer(s) if "The" not in m[1].split()]
    labels = {label for _, label in found
              if label in _GENERIC_LABELS or label in known or sum(x == label for _, x in found) > 1}
    cuts = [end for end, label in found if label in labels]
    runs = [s[a:b] for a, b in zip([0, *cuts], [*cuts, len(s)], strict=True)] if cuts else [s]
    for piece in (p for run in runs for p in _GAP.split(run.strip())):
        if m := _FLAT_HEAD.match(piece):
            pieces.extend((m[1], piece[m.end():]))
        elif pieces and pieces[-1] == "Publication date:":
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif piece:
            pieces.append(piece)
    return pieces


def repeated_labels(text: str) -> set[str]:
    r"""Labels a file prints more than once, at the start of a line or after the end of a sentence.

    >>> sorted(repeated_labels("A: Hi.\nB: Yes. A: Why? Moreover: no."))
    ['A']
    """
    seen: set[str] = set()
    twice: set[str] = set()
    for m in _ANY_LABEL.finditer(text):
        (twice if m[1] in seen else seen).add(m[1])
    return twice


def split_pages(text: str) -> Iterator[TextChunk]:
    r"""Split a text file into its pages: each `Text version` marker closes a page, whatever follows it.

    A page opens with an `Events` line (``is_page``), or with whatever follows a marker or starts the file (a page
    whose `Events` line or header the capture lost). Glued and flattened markers are cut apart first
    (`line_pieces`); the flattened form's `NaN /` after a marker stays with the page it follows.

    >>> [(c.first_line, c.is_page) for c in split_pages("Events\nT\nText versionEvents\nU\nText version\n")]
    [(1, True), (3, True)]
    >>> [(c.lines, c.is_page) for c in split_pages("Events\nT\nText versionGlued body\nText version\n")]
    [(['Events', 'T', 'Text version'], True), (['Glued body', 'Text version'], False)]
    """
    lines: list[str] = []
    nos: list[int] = []
    flat = False
    closed: TextChunk | None = None
    labels: set[str] | None = None
    for line_no, raw in enumerate(text.split("\n"), start=1):
        if flat and labels is None:
            labels = repeated_labels(text)
        s = raw.strip()
        if not flat and PAGE_END not in s and not s.startswith(PAGE_START) and not s.endswith(PAGE_START) \
                and s != NAN_COUNTER:
            # The common line: one piece, neither marker nor counter (what the loop below does with it, inline).
            if s:
                if closed is not None:
                    yield closed
                    closed = None
                lines.append(s)
                nos.append(line_no)
            continue
        pieces, flat = line_pieces(raw, flat, labels or ())
        for piece in pieces:
            if not piece:
                continue
            if piece == NAN_COUNTER and not lines and closed is not None and closed.line_nos[-1] == line_no:
                closed.lines.append(piece)
                closed.line_nos.append(line_no)
                continue
            if closed is not None:
                yield closed
                closed = None
            if piece == PAGE_START and lines:
                yield TextChunk(nos[0], lines, lines[0] == PAGE_START, nos)
                lines, nos = [], []
            lines.append(piece)
            nos.append(line_no)
            if piece == PAGE_END:
                closed = TextChunk(nos[0], lines, lines[0] == PAGE_START, nos)
                lines, nos = [], []
    if closed is not None:
        yield closed
    if lines:
        yield TextChunk(nos[0], lines, lines[0] == PAGE_START, nos)
