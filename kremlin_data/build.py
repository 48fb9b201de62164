"""The only writer: input files -> pages (parallel) -> Arrow tables -> Parquet, written atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import importlib.abc
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib.resources import files as package_files
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data import cache as file_cache
from kremlin_data import identity
from kremlin_data.cache import Rows
from kremlin_data.claims import claim_rows, claims_table
from kremlin_data.exchanges import askers, exchange_rows, known_askers, with_topics
from kremlin_data.load import load, scan
from kremlin_data.package import finish_package
from kremlin_data.page import Page, PageError
from kremlin_data.rows import Row, page_rows
from kremlin_data.schema import (
    CLAIMS,
    EVENTS,
    EXCHANGES,
    PARSE_ISSUES,
    PER_FILE_TABLES,
    SPEAKER_ALIASES,
    SPEAKERS,
    TABLES,
    UTTERANCES,
    Table,
    empty_table,
    to_table,
)
from kremlin_data.sources import HTML_SUFFIXES, InputError, decode_text, find_inputs, gunzip, is_html
from kremlin_data.text_file import read_text_file

if TYPE_CHECKING:
    from kremlin_data import topics as tp

CHUNK_FILES = 48
# Parsed chunks whose claims are found in one call: a claims_table call has a fixed cost of some milliseconds
# (0.8 of the archive's 2.4 CPU s in chunks of 48 files; 4 chunks a call: about half of that).
CLAIMS_CHUNKS = 4
# The share of the parse's chunks whose claims the pool's workers find once they have parsed every chunk, beside the
# corpus steps, instead of the main process during the parse (`_LaterClaims`). Measured on this 2-core machine: see
# the README's Performance section.
LATER_SHARE = 0.4
_NOT_ALNUM = re.compile(r"[\W_]+")
# Paragraphs this long are not repeated by chance from one page to another of the same day.
_LONG_PARAGRAPH = 150
_ISSUE_TEXT_MAX = 300
# A topic model fitted by the topic step: its file name in the build folder, what it is, and how to save it.
_Fitted = tuple[str, str, Callable[[Path], None]]
_T = TypeVar("_T")


def sample_path() -> Path:
    """The bundled sample (two pages of August 19, 2022; CC BY 4.0, en.kremlin.ru)."""
    return Path(str(package_files("kremlin_data") / "sample" / "2022-08-19.txt"))


@dataclass(slots=True)
class BuildSummary:
    """What a build read and wrote."""

    out: Path
    files: int = 0
    skipped_files: int = 0
    failed_files: int = 0
    not_articles: int = 0
    events: int = 0
    utterances: int = 0
    speakers: int = 0
    issues: int = 0
    cached_files: int = 0
    """Input files unchanged since the last build, whose rows came from the cache instead of a parse."""
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    """Wall seconds of the build's stretches, in order: `parse` (the parse pass), `speakers` (from its end until the
    speakers, utterances and claims tables are made), `topics` (from there until the topic step and the exchanges
    are done); they add up to the build less its last writes. `topic_step` is the topic step's own wall time: it
    starts with `speakers` and runs beside it."""

    def __str__(self) -> str:
        """One closing line for the command line."""
        cached = f", {self.cached_files} unchanged" if self.cached_files else ""
        return (f"{self.files} files ({self.skipped_files} skipped, {self.not_articles} not articles, "
                f"{self.failed_files} failed{cached}), "
                f"{self.events} events, {self.utterances} utterances, {self.speakers} speakers, "
                f"{self.issues} parse issues in {self.seconds:.1f} s -> {self.out}")


def _issue(path: str, line_no: int | None, text: str, reason: str) -> Row:
    return {"source_path": path, "line_no": line_no, "text": text[:_ISSUE_TEXT_MAX], "reason": reason}


def _parser_error(path: str, exc: Exception) -> Row:
    """The issue row of a file whose reading or parsing raised an unexpected error."""
    return _issue(path, None, repr(exc), f"parser_error: {type(exc).__name__}: {exc}")


def _pages_of_file(name: str, raw: bytes) -> tuple[list[Page], list[Row]]:
    """One input file's bytes as read into pages, and the issues that belong to the file rather than a page."""
    data = gunzip(raw)
    if is_html(name, data):
        from kremlin_data.html_page import parse_html  # imported here: only HTML input needs selectolax

        return [parse_html(data, name)], []
    decoded = decode_text(data)
    issues = [_issue(name, line, text, reason) for line, text, reason in decoded.problems]
    read = read_text_file(decoded.text, name)
    issues.extend(_issue(name, i.line_no, i.text, i.reason) for i in read.issues)
    return read.pages, issues


@dataclass(slots=True)
class ParsedChunk:
    """What a worker returns for a chunk of files: the per-page tables, claims per event, failed files."""

    events: pa.Table
    utterances: pa.Table
    claims: pa.Table
    issues: pa.Table
    claims_per_event: list[int]
    failed: int
    not_articles: int
    file_rows: list[tuple[int, int, int, int, int, str]] = field(default_factory=list)
    """Per input file: rows of events, utterances, claims, parse_issues, its pages' claims_per_event entries,
    and how its parse ended (`ok`, `failed`, `not_article`)."""
    fingerprints: list[tuple[int, str]] = field(default_factory=list)
    """Per parsed input file: size and SHA-256 of the bytes parsed (as `cache.fingerprint` gives them)."""
    pending: bool = False
    """Its claims are still being found (`_LaterClaims`): `claims` is empty until then."""
    kept: list[bool] | None = None
    """Of a pending chunk: which of its pages `_drop_duplicates` kept (None: all), for its claims when they come."""

    def __reduce__(self) -> tuple[Callable[..., ParsedChunk], tuple[object, ...]]:
        """Pickle the tables as Arrow IPC streams: a worker sends its chunk to the build this way.

        Arrow's own pickling of a table costs ten times as much on both sides (it pickles each column and the
        schema, with its descriptions, apart); a stream is read back without copying the buffers.
        """
        tables = (self.events, self.utterances, self.claims, self.issues)
        return _chunk_from_streams, (tuple(_stream(t) for t in tables), self.claims_per_event, self.failed,
                                     self.not_articles, self.file_rows, self.fingerprints)

    def table(self, name: str) -> pa.Table:
        """One of the per-file tables by name."""
        return {"events": self.events, "utterances": self.utterances, "claims": self.claims,
                "parse_issues": self.issues}[name]

    def rows(self, first: int, stop: int) -> Rows:
        """The rows of the chunk's files `first` to `stop` (not included)."""
        counts = [tuple(r[:5]) for r in self.file_rows]
        before = [sum(c[k] for c in counts[:first]) for k in range(5)]
        size = [sum(c[k] for c in counts[first:stop]) for k in range(5)]
        tables = {t.name: self.table(t.name).slice(before[k], size[k]) for k, t in enumerate(PER_FILE_TABLES)}
        return Rows(tables, self.claims_per_event[before[4]:before[4] + size[4]],
                    [str(r[5]) for r in self.file_rows[first:stop]], counts[first:stop])


def _stream(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())  # a copy the size of the stream; the buffer protocol gives it


def _chunk_from_streams(streams: tuple[bytes, bytes, bytes, bytes], claims_per_event: list[int], failed: int,
                        not_articles: int, file_rows: list[tuple[int, int, int, int, int, str]],
                        fingerprints: list[tuple[int, str]]) -> ParsedChunk:
    """The chunk that `ParsedChunk.__reduce__` pickled."""
    events, utterances, claims, issues = (pa.ipc.open_stream(s).read_all() for s in streams)
    return ParsedChunk(events, utterances, claims, issues, claims_per_event, failed, not_articles, file_rows,
                       fingerprints)


def _chunk_of(rows: Rows) -> ParsedChunk:
    """Files' rows as one chunk."""
    t = rows.tables
    return ParsedChunk(t["events"], t["utterances"], t["claims"], t["parse_issues"], rows.claims_per_event,
                       rows.outcomes.count("failed"), rows.outcomes.count("not_article"))


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)  # a Table always gives a DataFrame; this tells the type checker
    return frame


def parse_files(paths: Sequence[str], *, claims: bool = True) -> ParsedChunk:
    """Parse input files into events, utterances, claims and parse_issues tables.

    Runs in a worker process; a file that cannot be read becomes parse_issues rows, never an exception.
    """
    events: list[Row] = []
    utterances: list[Row] = []
    claim_list: list[Row] = []
    claims_per_event: list[int] = []
    issues: list[Row] = []
    failed = not_articles = 0
    file_rows: list[tuple[int, int, int, int, int, str]] = []
    fingerprints: list[tuple[int, str]] = []
    for name in paths:
        before = (len(events), len(utterances), len(claim_list), len(issues), len(claims_per_event))
        outcome = _parse_file(name, events, utterances, claim_list, claims_per_event, issues, claims, fingerprints)
        failed += outcome == "failed"
        not_articles += outcome == "not_article"
        after = (len(events), len(utterances), len(claim_list), len(issues), len(claims_per_event))
        e, u, c, i, k = (b - a for a, b in zip(before, after, strict=True))
        file_rows.append((e, u, c, i, k, outcome))
    return ParsedChunk(to_table(events, EVENTS), to_table(utterances, UTTERANCES), to_table(claim_list, CLAIMS),
                       to_table(issues, PARSE_ISSUES), claims_per_event, failed, not_articles, file_rows, fingerprints)


def _parse_file(name: str, events: list[Row], utterances: list[Row], claim_list: list[Row],
                claims_per_event: list[int], issues: list[Row], claims: bool,
                fingerprints: list[tuple[int, str]]) -> str:
    """Parse one file, appending its rows to the lists and its fingerprint; returns how it ended.

    The fingerprint is taken from the bytes parsed, so a clean build reads each file once.
    """
    try:
        with open(name, "rb") as f:  # noqa: PTH123 (a plain open of the path as given: no Path object per file)
            raw = f.read()
    except OSError as exc:
        fingerprints.append(file_cache.UNREADABLE)
        issues.append(_parser_error(name, exc))
        return "failed"
    fingerprints.append(file_cache.fingerprint_of(raw))
    try:
        pages, file_issues = _pages_of_file(name, raw)
    except (InputError, PageError) as exc:
        issues.append(_issue(name, getattr(exc, "line_no", None), exc.message, f"{exc.reason}: {exc.message}"))
        return "not_article" if exc.reason == "not_article" else "failed"
    except Exception as exc:  # one bad file must not stop the build; it is reported by name
        issues.append(_parser_error(name, exc))
        return "failed"
    issues.extend(file_issues)
    for page in pages:
        event, turns = page_rows(page)
        events.append(event)
        utterances.extend(turns)
        n_claims = len(claim_list)
        if claims:
            for turn in turns:
                claim_list.extend(claim_rows(turn, event["date"]))
        claims_per_event.append(len(claim_list) - n_claims)
        issues.extend(_issue(name, i.line_no, i.text, i.reason) for i in page.issues)
    return "ok"


# A temporary file or folder of a build, named after the process that wrote it (`_AtomicWriters`, the cache,
# `package._write_atomic`, `partition`): `.<name>.<pid>.tmp`, `.<name>.<pid>.tmpdir`, or `.<name>.<pid>.old`
# (a partitioned table's last good folder while the new one is renamed into place).
_LEFTOVER = re.compile(r"\.(.+)\.(\d+)\.(tmp|tmpdir|old)")


def _sweep_leftovers(out_dir: Path, say: Callable[[str], None]) -> None:
    """Remove the temporary files of builds into `out_dir` that were killed before they could clean up.

    A build that fails removes its own; one killed by a signal (SIGTERM, SIGKILL, the OOM killer) leaves them.
    Only those of a process that no longer runs are touched: a build running beside this one keeps its own. A
    partitioned table's old folder whose new one never took its place is put back, not removed.
    """
    found: dict[int, list[tuple[Path, str, str]]] = {}
    for folder in (out_dir, out_dir / file_cache.CACHE_DIR):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            m = _LEFTOVER.fullmatch(entry.name)
            if m:
                found.setdefault(int(m.group(2)), []).append((entry, m.group(1), m.group(3)))
    for pid, entries in sorted(found.items()):
        if _is_running(pid):  # this process too: its own are in use
            continue
        removed: list[str] = []
        for entry, name, kind in sorted(entries):
            target = entry.with_name(name)
            if kind == "old" and not target.exists():
                entry.rename(target)
                say(f"put back {target}: the last good copy, left as {entry.name} by an interrupted build "
                    f"(process {pid})")
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry.relative_to(out_dir).as_posix())
        if removed:
            say(f"removed {len(removed)} temporary file(s) in {out_dir} left by an interrupted build "
                f"(process {pid}): {', '.join(removed)}")


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class _AtomicWriters:
    """One streaming Parquet writer per table into temporary files, renamed into place only on commit.

    Whole tables (`replace`) are written by two background threads while the build goes on with the next step
    (Parquet encoding and compression release the GIL, so the writes take the second core, and at the end of a build
    both: the utterances and the claims, the longest writes, are encoded side by side); `commit` waits for them.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.tmp: dict[str, Path] = {}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}
        self.background = ThreadPoolExecutor(max_workers=2)
        self.pending: list[Future[None]] = []

    def write(self, table: Table, data: pa.Table) -> None:
        if table.name not in self.writers:
            tmp = self.out / f".{table.name}.parquet.{os.getpid()}.tmp"
            self.tmp[table.name] = tmp
            self.writers[table.name] = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            self.rows[table.name] = 0
        if data.num_rows:
            self.writers[table.name].write_table(data)
            self.rows[table.name] += data.num_rows

    def replace(self, table: Table, data: pa.Table) -> None:
        """Write a table whole (corpus-level tables), still through a temporary file."""
        if table.name in self.writers:
            self.writers.pop(table.name).close()
        tmp = self.out / f".{table.name}.parquet.{os.getpid()}.tmp"
        self.tmp[table.name] = tmp
        self.pending.append(self.background.submit(_write_parquet, data, table.schema, tmp))
        self.rows[table.name] = data.num_rows

    def _wait(self) -> None:
        """Wait for the background writes; the first that failed raises here."""
        try:
            for future in self.pending:
                future.result()
        finally:
            self.background.shutdown(wait=True, cancel_futures=True)

    def reserve(self, name: str) -> Path:
        """The temporary path of any other file of the build folder (`name` relative to it), renamed on commit."""
        final = self.out / name
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.parent / f".{final.name}.{os.getpid()}.tmp"
        self.tmp[name] = tmp
        return tmp

    def save(self, name: str, write: Callable[[Path], None]) -> None:
        """Write any other file of the build folder through a temporary file."""
        write(self.reserve(name))

    def commit(self) -> None:
        self._wait()
        for w in self.writers.values():
            w.close()
        self.writers.clear()
        # In the order written: the cache manifest comes last, so a cut-short commit leaves it stale, not wrong.
        for name, tmp in self.tmp.items():
            tmp.replace(self.out / (name if "/" in name or "." in name else f"{name}.parquet"))

    def abort(self) -> None:
        self.background.shutdown(wait=True, cancel_futures=True)
        for w in self.writers.values():
            w.close()
        for tmp in self.tmp.values():
            tmp.unlink(missing_ok=True)


def _write_parquet(data: pa.Table, schema: pa.Schema, path: Path) -> None:
    pq.write_table(data.cast(schema), path, compression="zstd")


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import finder that answers every import of pandas with ImportError, as if it were not installed."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if fullname == "pandas":
            raise ModuleNotFoundError("pandas is left out of the build's process", name=fullname)


def skip_pandas_probe() -> None:
    """Let pyarrow's first look for pandas fail, so that a build does not import pandas (~0.3 s of each start).

    On its first conversion of Python objects pyarrow imports pandas, when installed, only to ask whether the
    objects are pandas objects. A build hands it lists and Arrow data, never pandas objects. The command line
    (whose process runs no user code) and the parse's worker processes answer that one look with "no pandas" and
    take the finder away again; pyarrow keeps the answer for its checks only: code that needs pandas (`to_pandas`)
    still imports it. A build called from Python (a notebook) is left as it is in the caller's process.
    tests/test_imports.py checks that `kremlin-data build` and the workers import no pandas.
    """
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([])
    finally:
        sys.meta_path.remove(finder)


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def build(
    inputs: Iterable[str | os.PathLike[str]] | None = None,
    out: str | os.PathLike[str] = "parquet",
    *,
    workers: int | None = None,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
    claims: bool = True,
    topics: bool = True,
    clean: bool = False,
    refit_topics: bool = False,
    aliases: str | os.PathLike[str] | None = None,
    partition_by: str | None = None,
) -> BuildSummary:
    """Build the tables from input files and folders into `out/<table>.parquet`.

    With no inputs, builds the bundled sample. Files that cannot be read become parse_issues rows; the
    rest still builds. The Parquet files are replaced only when the whole build succeeded.
    `claims=False` / `topics=False` skip those steps and write their tables empty (typed).

    A rebuild into the same folder parses only the files that are new or changed since the last build (the
    cache in `out/.cache/`), and gives the same tables as a clean build; `clean=True` parses everything.
    The topic models saved in `out` by the first build are reused; `refit_topics=True` fits them again.
    `aliases` is a CSV file `alias,speaker_id` of the user's own merges and vetoes (`identity.read_aliases`).
    `partition_by="year"` writes each table as a hive-partitioned folder instead (`<out>/<table>/year=<y>/`).
    The folder also gets datapackage.json and a dataset card, README.md (kremlin_data/package.py).
    """
    # The build makes millions of small objects (rows, strings, tuples) that hold no cycles; the cyclic
    # collector would walk them again and again as they survive its generations (1-1.5 CPU s of a clean build of
    # the day files, measured). It is paused for the build, and its workers (forked, they inherit it), and
    # restored after, also when the build fails.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(inputs, out, workers=workers, progress=progress, log=log, claims=claims, topics=topics,
                      clean=clean, refit_topics=refit_topics, aliases=aliases, partition_by=partition_by)
    finally:
        if paused:
            gc.enable()


def _build(
    inputs: Iterable[str | os.PathLike[str]] | None,
    out: str | os.PathLike[str],
    *,
    workers: int | None,
    progress: bool | None,
    log: Callable[[str], None] | None,
    claims: bool,
    topics: bool,
    clean: bool,
    refit_topics: bool,
    aliases: str | os.PathLike[str] | None,
    partition_by: str | None,
) -> BuildSummary:
    """`build` with the cyclic garbage collector paused by the caller."""
    if partition_by not in (None, "year"):
        raise ValueError(f"partition_by must be None or 'year', not {partition_by!r}")
    started = time.perf_counter()
    say = log or (lambda msg: print(msg, file=sys.stderr))
    if aliases is not None:
        identity.read_aliases(aliases)  # a bad alias file fails before the long parse, not after
    paths, skipped = find_inputs([sample_path()] if inputs is None else list(inputs))
    # HTML first: of a page read in both forms, the first copy is kept, and the HTML gives more (ids, tags).
    paths.sort(key=lambda p: not p.name.lower().endswith(HTML_SUFFIXES))
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary(out=out_dir, files=len(paths), skipped_files=len(skipped))
    _sweep_leftovers(out_dir, say)
    writers = _AtomicWriters(out_dir)
    seen = _Seen()
    options: dict[str, object] = {"claims": claims}
    cache_out: file_cache.CacheWriter | None = None
    later = _LaterClaims()
    try:
        cache = None if clean else file_cache.load(out_dir, options, say)
        cache_out = file_cache.CacheWriter(options, writers.reserve)
        parts: dict[str, list[pa.Table]] = {t.name: [] for t in PER_FILE_TABLES}
        duplicates: list[pa.Table] = []
        importing = not topics
        same_code = cache is not None and cache.topic_models is not None
        last_turns = _LastTurns(out_dir)
        names = [str(p) for p in paths]  # the inputs as the parse and its parse_issues rows name them
        for chunk in _chunks_of_inputs(names, cache, cache_out, workers, progress, claims, summary, later):
            if not importing:
                # The topic step's modules (scipy.sparse: ~0.2 CPU s) load in a thread while the files are read. It
                # starts with the first chunk, when (in a clean build) the parse's workers are forked and at work:
                # started before find_inputs, the import took the GIL from it and put off the workers' start.
                threading.Thread(target=_before_the_topic_step, args=(last_turns if same_code else None,),
                                 daemon=True).start()
                importing = True
            dup_issues = _drop_duplicates(chunk, seen)
            for t in PER_FILE_TABLES:
                parts[t.name].append(chunk.table(t.name))
            duplicates.append(dup_issues)
            summary.failed_files += chunk.failed
            summary.not_articles += chunk.not_articles
        # The per-file tables are kept in memory rather than written and read back: the corpus steps need
        # them whole, and utterances and claims are written once, after the speakers step.
        per_file = {t.name: pa.concat_tables([empty_table(t), *parts.pop(t.name)]) for t in PER_FILE_TABLES}
        summary.timings["parse"] = time.perf_counter() - started
        # The skipped files' rows come first. They are made only now: the first list turned into Arrow here makes
        # pyarrow import pandas (~0.3 s), which must not hold up the fork of the parse's workers (they skip it).
        skipped_rows = [_issue(str(p), None, p.name, "skipped: not a .txt/.html input (or .gz of one)")
                        for p in skipped]
        writers.write(PARSE_ISSUES, to_table(skipped_rows, PARSE_ISSUES))
        writers.write(PARSE_ISSUES, _in_file_order(per_file["parse_issues"], duplicates, names))
        # One chunk per column before polars takes them: the events of 151 chunks of the archive took 0.3 CPU s
        # to convert (their list columns, chunk by chunk), combined 0.02 s. The file is written from the same single
        # chunk, so its bytes do not depend on the chunks the files came in (a rebuild's equal a clean build's).
        events = per_file.pop("events").combine_chunks()
        writers.replace(EVENTS, events)
        events_df = _frame(events)
        # Turns and claims (no list columns) go to polars as they are: combined first, a rebuild's unchanged turns and
        # claims were copied out of the cache once more (0.1-0.2 s, and as much again for the claims).
        turns_df = _frame(per_file.pop("utterances"))
        # The topic step reads the turns' ids and text, which the speakers step leaves as they are: it runs in a
        # thread beside the speakers step, and asker_from (Python pattern work) beside both; most of the topic
        # step is numpy and polars, which release the lock, so the second core takes it.
        with ThreadPoolExecutor(max_workers=2) as beside:
            topic_started = time.perf_counter()
            topic_step = beside.submit(_timed, partial(_corpus_tables, events_df, turns_df, say, topics, out_dir,
                                                       refit_topics, cache.topic_models if cache else None, last_turns))
            utterances_df, aliases_df, speakers_df = identity.corpus_speakers(turns_df, events_df, aliases)
            outlets = beside.submit(_askers, out_dir, utterances_df, same_code, last_turns)
            writers.replace(UTTERANCES, utterances_df.to_arrow())
            # the claims of the parse's last chunks are waited for only here (the workers found them meanwhile)
            found = pa.concat_tables([per_file.pop("claims"), *later.finish(cache_out)])
            claims_df = _unified_claims(_frame(found), utterances_df)
            # the exchanges need the topics only for two columns: their rows are made beside the topic step
            rows = beside.submit(lambda: exchange_rows(utterances_df, claims_df, outlets.result()))
            writers.replace(CLAIMS, claims_df.to_arrow())
            writers.replace(SPEAKER_ALIASES, aliases_df.to_arrow())
            writers.replace(SPEAKERS, speakers_df.to_arrow())
            summary.timings["speakers"] = time.perf_counter() - started - summary.timings["parse"]
            (corpus, used_models, fitted), topic_ended = topic_step.result()
            for name, what, save in fitted:
                writers.save(name, save)
                say(f"topics: {what} fitted and saved as {out_dir / name}; later builds reuse it (`--refit-topics` "
                    "fits it again)")
            for name, table in corpus.items():
                writers.replace(TABLES[name], table)
            writers.replace(EXCHANGES, with_topics(rows.result(), pl.DataFrame(corpus["utterance_topics"])))
        summary.timings["topics"] = time.perf_counter() - started - sum(summary.timings.values())
        summary.timings["topic_step"] = topic_ended - topic_started
        cache_out.close(out_dir, used_models)
        writers.commit()
        cache_out.prune()
    except BaseException:
        later.close()
        if cache_out is not None:
            cache_out.abort()
        writers.abort()
        raise
    summary.rows = dict(writers.rows)
    summary.events = writers.rows.get("events", 0)
    summary.utterances = writers.rows.get("utterances", 0)
    summary.speakers = writers.rows.get("speakers", 0)
    summary.issues = writers.rows.get("parse_issues", 0)
    finish_package(out_dir, partition_by)
    summary.seconds = time.perf_counter() - started
    return summary


def _chunks_of_inputs(paths: list[str], cache: file_cache.Cache | None, cache_out: file_cache.CacheWriter,
                      workers: int | None, progress: bool | None, claims: bool, summary: BuildSummary,
                      later: _LaterClaims | None = None) -> Iterator[ParsedChunk]:
    """The rows of all inputs in input order, a run of files at a time.

    Unchanged files' rows come from the cache (a run of them at once), the others are parsed (in a process
    pool, `CHUNK_FILES` files a task). Every file goes to the new cache: parsed rows are written to its new
    shard, cached ones stay in theirs (unless the cache has too many shards: then they are written again).
    Files are fingerprinted here only to look them up in the cache: a parsed file's fingerprint comes with its
    rows (the parse reads the file anyway), so a clean build starts parsing at once.
    A chunk whose claims come `later` is given whole and pending; its files go to the cache when they come.
    """
    files = [(p, *file_cache.fingerprint(p)) for p in paths] if cache is not None else []
    hits: list[int | None] = ([cache.lookup(p, size, sha) for p, size, sha in files] if cache is not None
                              else [None] * len(paths))
    summary.cached_files = sum(h is not None for h in hits)
    compact = cache is not None and len({cache.shard_of(h) for h in hits if h is not None}) >= file_cache.MAX_SHARDS
    if later is not None:
        last_hit = max((k for k, h in enumerate(hits) if h is not None), default=-1)
        later.first_file = last_hit + 1 - sum(h is not None for h in hits)
    parsed = _parse_all([p for p, h in zip(paths, hits, strict=True) if h is None], workers, progress, claims,
                        later)
    current: ParsedChunk | None = None
    at = 0
    i = 0
    while i < len(paths):
        j = i
        if hits[i] is not None and cache is not None:
            while j < len(paths) and hits[j] is not None:
                j += 1
            run = [h for h in hits[i:j] if h is not None]
            rows = cache.rows(run)
            if compact:
                cache_out.add_rows(files[i:j], rows)
            else:
                cache_out.add_cached(files[i:j], cache, run)
        else:
            if current is None or at == len(current.file_rows):
                current, at = next(parsed), 0
            while j < len(paths) and hits[j] is None and at + (j - i) < len(current.file_rows):
                j += 1
            rows = current.rows(at, at + j - i)
            parsed_files = [(p, *fp) for p, fp in zip(paths[i:j], current.fingerprints[at:at + j - i], strict=True)]
            at += j - i
            if current.pending and later is not None:
                # after the last unchanged file, so whole; `_drop_duplicates` changes it, the rows stay as parsed
                later.rows.append((parsed_files, rows))
                yield current
                i = j
                continue
            cache_out.add_rows(parsed_files, rows)
        yield _chunk_of(rows)
        i = j
    if next(parsed, None) is not None:  # also lets the pool of the parse shut down
        raise RuntimeError("the parse gave more chunks than there were new or changed files")


def _before_the_topic_step(last_turns: _LastTurns | None) -> None:
    """Load the topic step's modules and, for a rebuild that reuses the last build's rows, read its turns.

    Runs in a thread during the parse. A rebuild's parse is short (most files come from the cache), and the topic step
    waited for both at its start: the Parquet read (~0.15 s on the day files) mostly releases the GIL. A failed read is
    kept by `last_turns` and raised again to the steps that ask for the turns.
    """
    importlib.import_module("kremlin_data.topics")
    if last_turns is not None:
        with contextlib.suppress(OSError, pl.exceptions.PolarsError):
            last_turns.read()


def _timed(step: Callable[[], _T]) -> tuple[_T, float]:
    """What `step` returns, and the `time.perf_counter()` at which it returned (for a step run in a thread)."""
    result = step()
    return result, time.perf_counter()


class _LastTurns:
    """The last build's utterances, read once for the two steps that reuse its rows (topics and asker_from).

    Both run in threads beside the speakers step; the first to ask reads the table, the other waits for it.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.lock = threading.Lock()
        self.turns: pl.DataFrame | None = None
        self.error: Exception | None = None

    def read(self) -> pl.DataFrame:
        """utterance_id, speaker_label, kind, text and is_question of every turn of the last build.

        Raises the error of the read (OSError or a polars error) to each caller, as reading it alone would.
        """
        with self.lock:
            if self.turns is None and self.error is None:
                try:
                    # scan() reads either layout, so a rebuild after `--partition-by year` reuses the rows too
                    self.turns = (scan("utterances", self.out)
                                  .select("utterance_id", "speaker_label", "kind", "text", "is_question").collect())
                except (OSError, pl.exceptions.PolarsError) as exc:
                    self.error = exc
            if self.error is not None:
                raise self.error
            assert self.turns is not None  # read above, or raised
            return self.turns


def _corpus_tables(events: pl.DataFrame, utterances: pl.DataFrame, say: Callable[[str], None], topics: bool,
                   out: Path, refit: bool, last_models: dict[str, str] | None, last_turns: _LastTurns
                   ) -> tuple[dict[str, pa.Table], dict[str, str] | None, list[_Fitted]]:
    """Tables computed over the whole corpus after the per-page pass: tags and topics.

    Topic models saved in `out` are applied; missing ones (or all, with `refit`) are fitted. When the last build
    used the same models (`last_models`, digests from the cache), its rows of unchanged turns are reused. Returns
    the tables, the digests of the models used and, for each model fitted, its file name, what it is and how to
    save it (the caller saves it).
    """
    from kremlin_data import topic_models as tm  # imported here: a build without topics needs no scipy
    from kremlin_data import topics as tp

    if not topics:
        say("topics: skipped on request (topics=False); topics, utterance_topics and utterance_site_topics "
            "are empty")
        tables = {name: empty_table(TABLES[name]) for name in ("topics", "utterance_topics", "utterance_site_topics")}
        return {"event_tags": tp.event_tags(events), **tables}, None, []
    models = tp.TopicModels()
    if not refit:
        learned = tm.load_model(out / tm.LEARNED_FILE, say)
        site = tm.load_model(out / tm.SITE_FILE, say)
        models.learned = learned if isinstance(learned, tm.TopicModel) else None
        models.site = site if isinstance(site, tm.SiteTopicModel) else None
    previous = None
    if models.learned is not None and models.site is not None and last_models == {
            "learned": tm.model_digest(models.learned), "site": tm.model_digest(models.site)}:
        previous = _previous_topics(out, last_turns)
    tables = tp.topic_step(events, utterances, models, log=say, previous=previous)
    fitted: list[_Fitted] = []
    for kind in models.fitted:
        model = models.learned if kind == "learned" else models.site
        name, what = (tm.LEARNED_FILE, "learned-topic model") if kind == "learned" else (tm.SITE_FILE,
                                                                                         "site-topic classifier")
        if model is not None:
            fitted.append((name, what, partial(tm.save_model, model)))
    if models.learned is None or models.site is None:
        return tables, None, fitted
    return tables, {"learned": tm.model_digest(models.learned), "site": tm.model_digest(models.site)}, fitted


def _previous_topics(out: Path, last_turns: _LastTurns) -> tp.PreviousTopics | None:
    """The last build's turns and per-turn topic rows, when all three tables are there and readable."""
    from kremlin_data import topics as tp  # imported here: scikit-learn loads only for the topic step

    try:
        # load() reads either layout, so a rebuild after `--partition-by year` reuses the rows too
        turns = last_turns.read().select("utterance_id", "text")
        return tp.PreviousTopics(turns,
                                 load("utterance_topics", out), load("utterance_site_topics", out))
    except (OSError, pl.exceptions.PolarsError):
        return None


def _askers(out: Path, utterances: pl.DataFrame, same_code: bool, last_turns: _LastTurns) -> pl.DataFrame:
    """asker_from of the answered questions; the last build's for unchanged ones, when the same code made it."""
    known = None
    if same_code:
        try:
            turns = (last_turns.read().filter(pl.col("is_question"))
                     .select("utterance_id", "speaker_label", "kind", "text"))
            before = scan("exchanges", out).select("question_id", "asker_from").collect()
            known = known_askers(utterances, turns, before)
        except (OSError, pl.exceptions.PolarsError):
            known = None
    return askers(utterances, known)


def _parse_all(paths: list[str], workers: int | None, progress: bool | None, claims: bool,
               later: _LaterClaims | None = None) -> Iterator[ParsedChunk]:
    """Parse all files, in a process pool when there is more than one chunk; results in input order.

    With `later`, the claims of the last chunks are left to the pool's workers (see `_LaterClaims`): those chunks
    come without them (`pending`), and the pool is left open for `later` to shut down.
    """
    chunks = _chunks(paths, CHUNK_FILES)
    parse = partial(parse_files, claims=False)  # claims are added here, in the main process (_claims_of)
    n_workers = min(workers or os.cpu_count() or 1, len(chunks))
    show = progress if progress is not None else (len(paths) >= 200 and sys.stderr.isatty())
    bar = None
    if show:
        from tqdm import tqdm  # imported here: only long builds show a bar

        bar = tqdm(total=len(paths), unit="file", desc="parsing", file=sys.stderr)
    pool = None
    try:
        if n_workers <= 1:
            for result in _claims_added(map(parse, chunks), len(chunks), 1) if claims else map(parse, chunks):
                yield result
                if bar:
                    bar.update(len(result.file_rows))
            return
        # fork starts workers without re-importing anything and works from scripts without a __main__ guard.
        # The pool forks all its workers at the first submit (map submits every chunk at once), before _claims_of
        # runs polars here. The parse uses only pyarrow and pure Python; the claims left to the workers use polars'
        # regex engine only when polars' thread pool was not running here at the fork (`_polars_pool_started`):
        # a child forked after it was started inherits a pool whose threads do not exist (polars hangs there);
        # before it, the child's first polars call starts a pool of its own.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        if later is not None:
            later.use_polars = method == "spawn" or not _polars_pool_started()
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context(method),
                                   initializer=skip_pandas_probe)
        results = pool.map(parse, chunks)
        if not claims:
            parsed: Iterator[ParsedChunk] = results
        elif later is not None and later.first_chunk(len(chunks)) < len(chunks):
            later.pool, pool = pool, None  # its claims tasks outlive this generator: `later` shuts the pool down
            parsed = _claims_added(results, len(chunks), 2 * n_workers, later)
        else:
            # The last chunks get their claims one by one, so that little is left to do when the workers are done.
            parsed = _claims_added(results, len(chunks), 2 * n_workers)
        for result in parsed:
            yield result
            if bar:
                bar.update(len(result.file_rows))
    finally:
        if pool is not None:
            pool.shutdown()
        if bar:
            bar.close()


def _claims_added(results: Iterator[ParsedChunk], n_chunks: int, tail: int, later: _LaterClaims | None = None
                  ) -> Iterator[ParsedChunk]:
    """The parsed chunks with their claims, found for `CLAIMS_CHUNKS` chunks in one call; the last `tail` one by one.

    The chunks are given back as they were parsed (the build handles one at a time: its parse_issues rows keep
    their order). With `later`, its last chunks are handed to it instead, and given back pending.
    """
    first_later = later.first_chunk(n_chunks) if later is not None else n_chunks
    batch: list[ParsedChunk] = []
    for k, result in enumerate(results):
        if later is not None and k >= first_later:
            later.submit(result)
            yield result
            continue
        batch.append(result)
        if len(batch) == CLAIMS_CHUNKS or k >= n_chunks - 1 - tail or k == first_later - 1:
            yield from _claims_of(batch)
            batch = []
    yield from _claims_of(batch)


def _with_claims(chunk: ParsedChunk) -> ParsedChunk:
    """The chunk with the claims of its turns (see `_claims_of`; the claims benchmarks time it)."""
    return _claims_of([chunk])[0]


def _claims_of(chunks: list[ParsedChunk]) -> list[ParsedChunk]:
    """The chunks with the claims of their turns, found here in the main process for all their turns at once.

    Polars' regex engine finds the candidates several times faster than Python's, but the workers are forked
    while the build may run polars here, so they parse without claims and the main process adds them (all but the
    last chunks' claims: `_LaterClaims`).
    """
    if not chunks:
        return []
    # Tables are concatenated, not copied; the claims go back to each chunk by its pages' count.
    utterances = pa.concat_tables([c.utterances for c in chunks])
    events = pa.concat_tables([c.events for c in chunks])
    claims, per_event = claims_table(utterances, events)
    at_claim = at_page = 0
    for chunk in chunks:
        n_pages = len(chunk.claims_per_event)
        n_claims = sum(per_event[at_page:at_page + n_pages])
        _give_claims(chunk, claims.slice(at_claim, n_claims), per_event[at_page:at_page + n_pages])
        at_page += n_pages
        at_claim += n_claims
    return chunks


def _give_claims(chunk: ParsedChunk, claims: pa.Table, per_event: list[int]) -> None:
    """Set a chunk's claims, its claims per event, and each file's count of claims."""
    chunk.claims = claims
    chunk.claims_per_event = per_event
    file_rows, at = [], 0
    for n_events, turns, _, issues, n_cpe, outcome in chunk.file_rows:
        file_rows.append((n_events, turns, sum(per_event[at:at + n_cpe]), issues, n_cpe, outcome))
        at += n_cpe
    chunk.file_rows = file_rows


def _claims_in_worker(streams: tuple[bytes, bytes], use_polars: bool) -> tuple[bytes, list[int]]:
    """In a pool worker: the claims of a chunk's turns (as an Arrow stream) and its claims per event.

    The candidates are found by polars' regex engine when `use_polars` (see `_parse_all`), else by Python's `re`
    (the same rows, a third more CPU on the day files).
    """
    _yield_to_the_build()
    utterances, events = (pa.ipc.open_stream(s).read_all() for s in streams)
    claims, per_event = claims_table(utterances, events, use_polars=use_polars)
    return _stream(claims), per_event


LATER_NICENESS = 10
"""The niceness of a worker once it finds deferred claims: they take only what the build's own steps leave idle."""


def _yield_to_the_build() -> None:
    """Lower this worker's scheduling priority to `LATER_NICENESS` (a no-op where it is that low already).

    The claims tasks queue behind every parse task, so a worker that takes one has no parsing left: from then on
    the speakers and topic steps in the build's process come first, and the claims fill the cores they leave idle.
    The worker ends with the build's pool, so the priority goes with it.
    """
    if hasattr(os, "getpriority") and os.getpriority(os.PRIO_PROCESS, 0) < LATER_NICENESS:
        os.setpriority(os.PRIO_PROCESS, 0, LATER_NICENESS)


def _polars_pool_started() -> bool:
    """Whether polars' thread pool has been started in this process (on Linux its threads are named polars-0, ...).

    True when it cannot be told (no /proc): then the workers keep clear of polars.
    """
    prefix = os.environ.get("POLARS_THREAD_NAME", "polars") + "-"
    try:
        names = [(t / "comm").read_text().strip() for t in Path("/proc/self/task").iterdir()]
    except OSError:  # no /proc, or a thread ended while read: cannot tell
        return True
    return any(n.startswith(prefix) and n[len(prefix):].isdigit() for n in names)


class _LaterClaims:
    """The claims of the parse's last chunks, found by the pool's workers once they have parsed every chunk.

    During the parse, the main process finds the claims of each chunk as it comes back, on the two cores the
    workers parse on; after the parse, the speakers and topic steps leave one core partly idle. So the claims of
    the last `LATER_SHARE` of the chunks go back to the pool as tasks (queued behind every parse task), and
    `finish` takes them in after the speakers step. Only chunks after the build's last unchanged file may wait:
    their cache rows and claims then come last, in input order, as if they had been found during the parse.
    """

    def __init__(self) -> None:
        self.first_file = 0
        """The first parsed file (index among the parsed files) after the build's last unchanged file."""
        self.pool: ProcessPoolExecutor | None = None
        self.use_polars = False
        """Whether the workers may use polars for the claims (set by `_parse_all` when it forks them)."""
        self.jobs: list[tuple[ParsedChunk, Future[tuple[bytes, list[int]]]]] = []
        self.rows: list[tuple[list[tuple[str, int, str]], Rows]] = []
        """Per pending chunk: its files (path, size, sha256) and rows without claims, for the cache."""

    def first_chunk(self, n_chunks: int) -> int:
        """The first of the parse's `n_chunks` chunks (of `CHUNK_FILES` files) whose claims wait."""
        may_wait = n_chunks - -(-self.first_file // CHUNK_FILES)
        return n_chunks - max(0, min(may_wait, round(LATER_SHARE * n_chunks)))

    def submit(self, chunk: ParsedChunk) -> None:
        """Send the chunk's turns to the pool for their claims; the chunk is pending until `finish`."""
        assert self.pool is not None
        tables = (chunk.utterances.select(["utterance_id", "event_id", "speaker_id", "speaker_name", "text"]),
                  chunk.events.select(["n_utterances", "date"]))
        streams = (_stream(tables[0]), _stream(tables[1]))
        self.jobs.append((chunk, self.pool.submit(_claims_in_worker, streams, self.use_polars)))
        chunk.pending = True

    def finish(self, cache_out: file_cache.CacheWriter) -> list[pa.Table]:
        """Wait for the claims; give the pending chunks' rows to the cache; the claims of their kept pages, in order."""
        kept = []
        for (chunk, job), (files, rows) in zip(self.jobs, self.rows, strict=True):
            stream, per_event = job.result()
            _give_claims(chunk, pa.ipc.open_stream(stream).read_all(), per_event)
            chunk.pending = False
            rows.tables["claims"] = chunk.claims
            rows.claims_per_event = per_event
            rows.counts = [tuple(r[:5]) for r in chunk.file_rows]
            cache_out.add_rows(files, rows)
            kept.append(chunk.claims if chunk.kept is None else
                        _kept_rows(chunk.claims, chunk.kept, per_event))
        self.close()
        return kept

    def close(self) -> None:
        """Shut the pool down (a failed build: with its tasks not started cancelled)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _unified_claims(claims: pl.DataFrame, utterances: pl.DataFrame) -> pl.DataFrame:
    """Claims carry their turn's speaker_id as unified over the corpus."""
    ids = utterances.select("utterance_id", pl.col("speaker_id").alias("unified"))
    return (claims.join(ids, on="utterance_id", how="left", maintain_order="left")
            .with_columns(pl.col("unified").alias("speaker_id")).drop("unified"))


def page_key(date: dt.date | None, time: dt.time | None, title: str | None) -> tuple[object, ...] | None:
    """What identifies a page across its forms when no site id does: date, time and the title's letters and digits.

    >>> page_key(dt.date(2017, 4, 19), None, "Meeting with Sergei Shoigu.") == page_key(dt.date(2017, 4, 19), None,
    ...                                                                                   "Meeting with  Sergei Shoigu")
    True
    """
    if date is None or not title:
        return None
    return date, time, _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


@dataclass(slots=True)
class _Seen:
    """What the pages kept so far hold: event ids, page keys and (by date) long paragraphs, each with its source.

    The paragraphs of a page with a site id are hashed only when a page without one of the same date needs
    them: most builds (HTML only, or text only) never do.
    """

    first: dict[object, str] = field(default_factory=dict)
    pending: dict[object, list[tuple[str, list[str], pa.Array]]] = field(default_factory=dict)
    """date -> (source, narration, turn texts) of kept pages with a site id whose paragraphs are not hashed yet."""

    def hash_pending(self, date: object) -> None:
        """Record the long paragraphs of the pending pages of `date`, in the order the pages were kept."""
        for where, narration, texts in self.pending.get(date, []):
            for p in _paragraphs(date, narration, texts.to_pylist()):
                self.first.setdefault(p, where)
        if date in self.pending:
            self.pending[date] = []


def _paragraphs(date: object, narration: list[str], texts: list[str]) -> set[tuple[object, int]]:
    # Paragraphs are kept by their hash (in this process only): holding every text would cost memory.
    return {(date, hash(p)) for t in [*narration, *texts] for p in t.split("\n") if len(p) >= _LONG_PARAGRAPH}


def _in_file_order(issues: pa.Table, duplicates: list[pa.Table], paths: list[str]) -> pa.Table:
    """The parse_issues rows of the input files, file by file in input order, each file's duplicates after its rows.

    A file's own rows come as parsed, then the rows of its pages left out as duplicates (`_drop_duplicates`). The
    chunks that bring the files differ from build to build (a rebuild brings a run of unchanged files as one chunk,
    a clean build as many), and each chunk's duplicates come after all of its files' own rows: the order is set
    here, so that a rebuild's table equals a clean build's and does not depend on the chunk size.
    """
    rows = pa.concat_tables([issues, *duplicates])
    position = {path: i for i, path in enumerate(paths)}
    unknown = len(paths)  # a row naming no input file (none is made) would keep its place after all others
    key = [(position.get(path, unknown), 0) for path in issues.column("source_path").to_pylist()]
    key += [(position.get(path, unknown), 1) for t in duplicates for path in t.column("source_path").to_pylist()]
    order = sorted(range(len(key)), key=key.__getitem__)  # stable: rows of one file and kind keep their order
    return rows.take(pa.array(order, pa.int64())).combine_chunks()


def _drop_duplicates(chunk: ParsedChunk, seen: _Seen) -> pa.Table:
    """Keep the first copy of each event, and the form with the site's id of a page also read as text.

    The same page may come as a page file and in a day file (the same event id), or as a saved HTML page and in
    the text version. HTML files are parsed first; a text page without a site id is a copy of a page with one
    when their date, time and title agree, or (a fragment, a title spelt otherwise) when most of its long
    paragraphs are paragraphs of a page of the same date. Filters the chunk's tables in place and returns the
    parse_issues rows naming the copies left out.
    """
    events = chunk.events
    keep = []
    dups: list[Row] = []
    columns = ("event_id", "source_path", "source_line", "site_id", "date", "n_utterances")
    texts = chunk.utterances.column("text")
    at = 0
    first = seen.first
    for k, (eid, path, line, site_id, date, n_turns) in enumerate(zip(
            *(events.column(c).to_pylist() for c in columns), strict=True)):
        at += n_turns
        # A page without a site id is looked at only when a page with one of its date was kept: else neither its
        # page key nor its paragraphs can match, and only its event id can repeat. Most pages of a text-only build
        # (and all of a rebuild's unchanged text files, until such a page comes) are not, and their title, time,
        # narration and texts are not read.
        looked_at = site_id is not None or date in seen.pending
        key = page_key(date, events.column("time")[k].as_py(), events.column("title")[k].as_py()) if looked_at else None
        paragraphs: set[tuple[object, int]] = set()
        found: list[str] = []
        if site_id is None and looked_at:
            seen.hash_pending(date)
            paragraphs = _paragraphs(date, events.column("narration")[k].as_py(),
                                     texts.slice(at - n_turns, n_turns).to_pylist())
            found = [first[p] for p in paragraphs if p in first]
        if eid in first:
            dups.append(_issue(path, line, eid, f"duplicate_event: {eid} was already read from {first[eid]}; "
                                                "this copy is left out"))
        elif site_id is None and key is not None and key in first:
            dups.append(_issue(path, line, eid, f"duplicate_page: the page of the same date, time and title was "
                                                f"already read from {first[key]} (a form with the site's id; "
                                                "HTML also gives tags and person ids); this copy is left out"))
        elif site_id is None and found and len(found) * 2 > len(paragraphs):
            source = max(set(found), key=found.count)
            dups.append(_issue(path, line, eid, f"duplicate_page: {len(found)} of its {len(paragraphs)} long "
                                                f"paragraphs were already read, of the same date, from {source} "
                                                "(a form with the site's id); this copy is left out"))
        else:
            first[eid] = f"{path}:{line}"
            if site_id is not None:
                if key is not None:
                    first.setdefault(key, f"{path}:{line}")
                seen.pending.setdefault(date, []).append((f"{path}:{line}", events.column("narration")[k].as_py(),
                                                          texts.slice(at - n_turns, n_turns)))
            keep.append(True)
            continue
        keep.append(False)
    if all(keep):
        return empty_table(PARSE_ISSUES)
    # Turns and claims follow their pages in order, so each page's keep flag holds for a run of its rows.
    chunk.utterances = _kept_rows(chunk.utterances, keep, events.column("n_utterances").to_pylist())
    if chunk.pending:
        chunk.kept = keep
    else:
        chunk.claims = _kept_rows(chunk.claims, keep, chunk.claims_per_event)
    chunk.events = _kept_rows(events, keep, [1] * len(keep))
    return to_table(dups, PARSE_ISSUES)


def _kept_rows(table: pa.Table, keep: list[bool], counts: list[int]) -> pa.Table:
    """The rows of the kept pages (`counts[i]` rows of page i, in order), as slices of `table`: nothing is copied.

    A rebuild brings its unchanged files as one chunk, read in place from the cache; a filter would copy all of their
    turns and claims, only for the build to copy them again into one chunk (`_build`).
    """
    parts = []
    at = start = 0
    for flag, n in zip(keep, counts, strict=True):
        if not flag:
            if at > start:
                parts.append(table.slice(start, at - start))
            start = at + n
        at += n
    if at > start:
        parts.append(table.slice(start, at - start))
    return pa.concat_tables([table.schema.empty_table(), *parts])

