"""build(): tables written, bad input reported by file and line while the rest builds, atomic writes."""

from __future__ import annotations

import gc
import gzip
import pickle
import re
import subprocess
import sys
from collections.abc import Iterable
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kremlin_data as kd
from kremlin_data.build import build, sample_path
from kremlin_data.cli import main
from kremlin_data.schema import PARSE_ISSUES, TABLES, SchemaError, to_table

# `kremlin_data.build` the attribute is the function kd.build; the module is reached through sys.modules.
build_module = sys.modules["kremlin_data.build"]
SEED = sample_path().read_bytes()
QUIET = {"progress": False, "log": lambda _msg: None}


def test_sample_build_writes_every_table_with_its_schema(sample_build: Path) -> None:
    for name, table in TABLES.items():
        file = sample_build / f"{name}.parquet"
        assert file.is_file(), name
        assert [(f.name, f.type) for f in pq.read_schema(file)] == [(f.name, f.type) for f in table.schema]
        described = {f.name: (f.metadata or {}).get(b"description") for f in pq.read_schema(file)}
        assert all(described.values()), f"{name}: a column lacks its description"
    assert kd.load_events(sample_build).height == 2


def test_bad_inputs_are_reported_and_the_rest_builds(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a_good.txt").write_bytes(SEED)
    (inputs / "b_empty.txt").write_bytes(b"")
    (inputs / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (inputs / "d_no_page.txt").write_text("Just some notes.\nNo page here.\n")
    (inputs / "e_bad_utf8.txt").write_bytes(SEED.replace(b"Sochi", b"So\xffchi", 1))
    cut = SEED.decode().split("Text versionEvents")[1].replace("Meeting with", "Cut-off meeting with", 1)
    (inputs / "f_cut_off.txt").write_text("Events" + cut[: len(cut) // 2])
    (inputs / "g_bad.txt.gz").write_bytes(gzip.compress(SEED)[:50])
    (inputs / "h_notes.md").write_text("not an input")
    out = tmp_path / "out"
    summary = build([inputs], out, **QUIET)
    issues = kd.load_parse_issues(out)
    reasons = {(Path(p).name, r.split(":")[0]) for p, r in zip(issues["source_path"], issues["reason"], strict=True)}
    assert {("b_empty.txt", "empty"), ("c_binary.txt", "binary"), ("d_no_page.txt", "no_header"),
            ("e_bad_utf8.txt", "bad_utf8"), ("f_cut_off.txt", "truncated"),
            ("g_bad.txt.gz", "bad_gzip"), ("h_notes.md", "skipped")} <= reasons
    bad_utf8 = issues.filter(pl.col("reason").str.starts_with("bad_utf8"))
    assert bad_utf8["line_no"].to_list() == [3] and "byte offset" in bad_utf8["text"][0]
    # The good file builds; e_bad_utf8 is the same two pages, so its copies are reported as duplicates.
    assert summary.failed_files == 3
    events = kd.load_events(out)
    # the sample's two pages, the cut-off page, and d_no_page's lines as a fragment without a date
    assert events.height == 4
    assert events.filter(pl.col("is_fragment"))["date"].to_list() == [None]
    assert issues.filter(pl.col("reason").str.starts_with("duplicate_event")).height == 2


def test_interrupted_build_leaves_last_good_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(None, tmp_path, **QUIET)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.parquet")}

    def boom(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.identity, "speakers_table", boom)
    with pytest.raises(KeyboardInterrupt):
        build(None, tmp_path, **QUIET)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.parquet")} == before
    assert not list(tmp_path.glob(".*tmp")), "temporary files are cleaned up"


def _dead_pid() -> int:
    """The id of a process that has ended (ids are handed out again only after many others)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_a_killed_builds_temporary_files_are_removed_by_the_next_build(tmp_path: Path) -> None:
    # A build killed by a signal runs no clean-up: its temporary files stay beside the last good tables.
    out = tmp_path / "out"
    build(None, out, **QUIET)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    kill = ("import os, signal, sys\n"
            "import kremlin_data\n"
            "sys.modules['kremlin_data.build'].identity.speakers_table = "
            "lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
            "kremlin_data.build(None, sys.argv[1], progress=False, log=lambda m: None)\n")
    died = subprocess.run([sys.executable, "-c", kill, str(out)], capture_output=True, timeout=120)
    assert died.returncode == -9, died.stderr.decode()
    left = sorted(p.relative_to(out).as_posix() for p in [*out.glob(".*.tmp"), *(out / ".cache").glob(".*.tmp")])
    assert left, "the killed build had temporary files open"
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before, "the last good tables stay"
    said: list[str] = []
    build(None, out, progress=False, log=said.append)
    assert not list(out.glob(".*.tmp")) and not list((out / ".cache").glob(".*.tmp"))
    removed = [m for m in said if m.startswith("removed ")]
    assert len(removed) == 1 and f"removed {len(left)} temporary file(s)" in removed[0], said
    assert removed[0].endswith(": " + ", ".join(left)), removed[0]
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before


def test_sweep_keeps_a_running_builds_files_and_puts_back_an_old_partition(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / ".cache").mkdir()
        (tmp_path / f".events.parquet.{dead}.tmp").write_bytes(b"x")
        (tmp_path / ".cache" / f".manifest.parquet.{dead}.tmp").write_bytes(b"x")
        (tmp_path / f".claims.{dead}.tmpdir").mkdir()
        (tmp_path / f".claims.{dead}.tmpdir" / "part-0.parquet").write_bytes(b"x")
        (tmp_path / f".topics.{dead}.old").mkdir()  # its new folder never took its place: the last good copy
        (tmp_path / f".topics.{dead}.old" / "part-0.parquet").write_bytes(b"good")
        (tmp_path / f".speakers.parquet.{alive.pid}.tmp").write_bytes(b"x")  # a build still at work
        (tmp_path / "notes.1.tmp").write_bytes(b"x")  # not a build's name: a temporary file starts with a dot
        said: list[str] = []
        build_module._sweep_leftovers(tmp_path, said.append)
        assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
            ".cache", f".speakers.parquet.{alive.pid}.tmp", "notes.1.tmp", "topics", "topics/part-0.parquet"]
        assert (tmp_path / "topics" / "part-0.parquet").read_bytes() == b"good"
        assert said == [f"put back {tmp_path / 'topics'}: the last good copy, left as .topics.{dead}.old by an "
                        f"interrupted build (process {dead})",
                        f"removed 3 temporary file(s) in {tmp_path} left by an interrupted build (process {dead}): "
                        f".cache/.manifest.parquet.{dead}.tmp, .claims.{dead}.tmpdir, .events.parquet.{dead}.tmp"]
    finally:
        alive.kill()
        alive.wait()


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    build(None, tmp_path / "a", **QUIET)
    build(None, tmp_path / "b", **QUIET)
    for name in TABLES:
        assert (tmp_path / "a" / f"{name}.parquet").read_bytes() == (tmp_path / "b" / f"{name}.parquet").read_bytes()


def test_parallel_build_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(4):
        (inputs / f"{k}.txt").write_bytes(SEED.replace(b"Sochi", f"Sochi {k}".encode()).replace(
            b"Meeting with", f"Meeting {k} with".encode()))
    monkeypatch.setattr(build_module, "CHUNK_FILES", 1)
    build([inputs], tmp_path / "serial", workers=1, **QUIET)
    build([inputs], tmp_path / "parallel", workers=2, **QUIET)
    for name in ("events", "utterances", "speakers"):
        assert kd.load(name, tmp_path / "serial").equals(kd.load(name, tmp_path / "parallel"))
    assert kd.load_events(tmp_path / "parallel").height == 8


def _built_files(out: Path, cache: bool = True) -> dict[str, object]:
    """Every table and the data package byte for byte; the cache's manifest and rows (its shard's name aside)."""
    files: dict[str, object] = {f.name: f.read_bytes() for f in sorted(out.glob("*.parquet"))}
    files["datapackage.json"] = (out / "datapackage.json").read_bytes()
    if cache:
        files["manifest"] = pq.read_table(out / ".cache" / "files.parquet").drop_columns(["shard"])
        for shard in sorted((out / ".cache").glob("*.arrow")):
            with pa.memory_map(str(shard)) as source:  # the shard's name is in its metadata: left out
                files[shard.name.split(".")[1]] = pa.ipc.open_file(source).read_all().replace_schema_metadata(None)
    return files


def test_claims_found_later_by_the_workers_equal_claims_found_during_the_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims of the last chunks, left to the pool's workers (`_LaterClaims`), give the same tables and cache as
    when the main process finds them during the parse: with a duplicate page and a failed file among the chunks
    that wait, and in a rebuild (only the files after the last unchanged one may wait)."""
    inputs = tmp_path / "in"
    inputs.mkdir()

    def page(k: int, variant: str = "") -> bytes:
        return SEED.replace(b"Sochi", f"Sochi {k}{variant}".encode()).replace(
            b"Meeting with", f"Meeting {k}{variant} with".encode())

    for k in range(6):
        (inputs / f"{k}.txt").write_bytes(page(k))
    (inputs / "6_bad.txt.gz").write_bytes(gzip.compress(SEED)[:50])
    (inputs / "7_copy.txt").write_bytes(page(1))  # its pages are duplicates, left out with their claims
    monkeypatch.setattr(build_module, "CHUNK_FILES", 1)
    waited: list[list[str]] = []
    submit = build_module._LaterClaims.submit

    def spy(self: Any, chunk: Any) -> None:
        waited.append([Path(p).name for p in chunk.events.column("source_path").to_pylist()])
        submit(self, chunk)

    monkeypatch.setattr(build_module._LaterClaims, "submit", spy)

    def build_with(share: float, out: Path, **kw: bool) -> kd.BuildSummary:
        monkeypatch.setattr(build_module, "LATER_SHARE", share)
        return build([inputs], out, workers=2, topics=False, **kw, **QUIET)

    build_with(0.0, tmp_path / "during")
    assert waited == []
    build_with(0.5, tmp_path / "later")
    assert waited == [["4.txt"] * 2, ["5.txt"] * 2, [], ["7_copy.txt"] * 2]  # 6_bad.txt.gz gives no page
    assert _built_files(tmp_path / "during") == _built_files(tmp_path / "later")
    issues = kd.load_parse_issues(tmp_path / "later")
    assert issues.filter(pl.col("reason").str.starts_with("duplicate_event")).height == 2
    assert issues.filter(pl.col("source_path").str.ends_with("6_bad.txt.gz")).height == 1
    assert kd.load("claims", tmp_path / "later").height > 0
    # This process has run polars (its pool is started): the workers found the claims above with Python's re. A
    # fresh process forks them before polars' pool starts, and they use polars: the same files again.
    assert build_module._polars_pool_started()
    script = f"""
import sys
import kremlin_data
build = sys.modules["kremlin_data.build"]
build.CHUNK_FILES, build.LATER_SHARE = 1, 0.5
finish = build._LaterClaims.finish
def spy(self, cache_out):
    print("use_polars", self.use_polars, len(self.jobs))
    return finish(self, cache_out)
build._LaterClaims.finish = spy
assert not build._polars_pool_started()
kremlin_data.build([{str(inputs)!r}], {str(tmp_path / "polars")!r}, workers=2, topics=False, progress=False,
                   log=lambda _m: None)
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["use_polars", "True", "4"]
    assert _built_files(tmp_path / "polars") == _built_files(tmp_path / "during")

    (inputs / "2.txt").write_bytes(page(2, " revised"))
    (inputs / "8.txt").write_bytes(page(8))
    waited.clear()
    rebuilt = build_with(1.0, tmp_path / "later")
    assert rebuilt.cached_files == 7 and waited == [["8.txt"] * 2]  # 2.txt comes before unchanged files
    build_with(0.0, tmp_path / "clean", clean=True)
    assert _built_files(tmp_path / "later", cache=False) == _built_files(tmp_path / "clean", cache=False)


def test_a_parsed_chunk_travels_as_arrow_streams_and_comes_back_equal(tmp_path: Path) -> None:
    """Workers send their chunk pickled as Arrow IPC streams: the tables (with their field descriptions) and the
    per-file lists come back as they were, also for a chunk with a failed file and no claims."""
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt.gz"
    good.write_bytes(SEED)
    bad.write_bytes(gzip.compress(SEED)[:40])
    chunk = build_module.parse_files([str(good), str(bad)])
    for c in (chunk, build_module.parse_files([str(bad)])):
        again = pickle.loads(ForkingPickler.dumps(c))
        reduced = c.__reduce__()
        assert reduced[0] is build_module._chunk_from_streams and all(isinstance(s, bytes) for s in reduced[1][0])
        for name in ("events", "utterances", "claims", "parse_issues"):
            assert again.table(name).equals(c.table(name), check_metadata=True), name
            assert again.table(name).schema.field(0).metadata == c.table(name).schema.field(0).metadata
        assert (again.claims_per_event, again.failed, again.not_articles, again.file_rows, again.fingerprints) == (
            c.claims_per_event, c.failed, c.not_articles, c.file_rows, c.fingerprints)
    assert chunk.utterances.num_rows > 0 and chunk.claims.num_rows > 0 and chunk.failed == 1


def test_cli_build_strict_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path), "--quiet"]) == 0
    assert "2 events, 22 utterances, 3 speakers, 0 parse issues" in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text("no page\n")
    assert main(["build", str(bad), "--out", str(tmp_path / "b"), "--strict", "--quiet"]) == 1
    assert main(["info", str(tmp_path)]) == 0
    assert "utterances: 22 rows" in capsys.readouterr().out
    assert main(["info", str(tmp_path / "nothing")]) == 1


def test_missing_table_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"events\.parquet not found: run `kremlin-data build`"):
        kd.load_events(tmp_path)


def test_cyclic_gc_is_paused_during_a_build_and_restored_after(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = build_module.identity.corpus_speakers

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.identity, "corpus_speakers", spy)
    assert gc.isenabled()
    build(None, tmp_path / "a", **QUIET)
    assert seen == [False], "the collector is paused while the build runs"
    assert gc.isenabled(), "and enabled again after it"

    def boom(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.identity, "corpus_speakers", boom)
    with pytest.raises(KeyboardInterrupt):
        build(None, tmp_path / "b", **QUIET)
    assert gc.isenabled(), "a failed build restores the collector too"
    monkeypatch.setattr(build_module.identity, "corpus_speakers", real)
    gc.disable()
    try:
        build(None, tmp_path / "c", **QUIET)
        assert not gc.isenabled(), "a caller's own choice to keep it off is left as it was"
    finally:
        gc.enable()


def test_the_summary_times_each_stretch_and_the_topic_step_within_them(tmp_path: Path) -> None:
    summary = build([sample_path()], tmp_path / "out", **QUIET)
    t = summary.timings
    assert list(t) == ["parse", "speakers", "topics", "topic_step"]
    assert all(v >= 0 for v in t.values())
    # the stretches follow one another within the build; the topic step starts where `speakers` starts and
    # ends before `topics` does
    assert t["parse"] + t["speakers"] + t["topics"] <= summary.seconds
    assert 0 < t["topic_step"] <= t["speakers"] + t["topics"]


def test_a_rebuild_reads_the_last_utterances_once_for_both_steps_that_reuse_them(
        sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    scan = build_module.scan

    def counted(table: str, folder: Path) -> pl.LazyFrame:
        reads.append(table)
        return scan(table, folder)

    monkeypatch.setattr(build_module, "scan", counted)
    last = build_module._LastTurns(sample_build)
    first = last.read()
    assert last.read() is first and reads == ["utterances"]
    assert first.equals(pl.read_parquet(sample_build / "utterances.parquet").select(first.columns))
    # A folder without the table: each caller gets the error, as its own read would have given it.
    missing = build_module._LastTurns(tmp_path)
    for _ in range(2):
        with pytest.raises((OSError, pl.exceptions.PolarsError)):
            missing.read()
    assert reads == ["utterances", "utterances"]


_ISSUE = {"source_path": "a.txt", "line_no": 3, "text": "x", "reason": "r: y"}


@pytest.mark.parametrize("rows", [[_ISSUE, {**_ISSUE, "line_no": None}], (r for r in [_ISSUE]), []])
def test_to_table_gives_the_rows_in_columns(rows: Iterable[dict[str, object]]) -> None:
    listed = list(rows) if isinstance(rows, list) else [_ISSUE]
    table = to_table(rows, PARSE_ISSUES)
    assert table.schema == PARSE_ISSUES.schema
    assert table.to_pylist() == listed


@pytest.mark.parametrize("row, message", [
    ({**_ISSUE, "extra": 1}, "parse_issues row 1: unknown keys ['extra'], missing keys []"),
    ({k: v for k, v in _ISSUE.items() if k != "text"}, "parse_issues row 1: unknown keys [], missing keys ['text']"),
])
def test_to_table_rejects_unknown_and_missing_keys(row: dict[str, object], message: str) -> None:
    with pytest.raises(SchemaError, match=re.escape(message)):
        to_table([_ISSUE, row], PARSE_ISSUES)


def test_to_table_rejects_null_in_a_required_column() -> None:
    with pytest.raises(SchemaError, match="source_path: 1 null"):
        to_table([{**_ISSUE, "source_path": None}], PARSE_ISSUES)


@pytest.mark.parametrize(("start", "after"), [(0, 10), (15, 15)])
def test_a_worker_finding_deferred_claims_yields_to_the_build(start: int, after: int) -> None:
    """`_yield_to_the_build` lowers a worker's priority to LATER_NICENESS and never raises it (run in a process of its
    own: a lowered priority cannot be taken back without privileges)."""
    code = ("import os, sys; os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[1])); "
            "import kremlin_data.build; build = sys.modules['kremlin_data.build']; "
            "assert build.LATER_NICENESS == 10; build._yield_to_the_build(); build._yield_to_the_build(); "
            "print(os.getpriority(os.PRIO_PROCESS, 0))")
    done = subprocess.run([sys.executable, "-c", code, str(start)], capture_output=True, text=True, check=True)
    assert int(done.stdout) == after


@pytest.mark.parametrize("keep, counts", [
    ([True, False, True], [2, 3, 1]),
    ([False, True, True, False], [1, 0, 2, 2]),
    ([False, False], [3, 1]),
    ([True, True, False], [0, 4, 0]),
    ([False, True, False, True, False], [1, 2, 1, 1, 1]),
])
def test_kept_rows_are_the_rows_of_the_kept_pages_in_order(keep: list[bool], counts: list[int]) -> None:
    from kremlin_data.build import _kept_rows

    table = pa.table({"row": pa.array(range(sum(counts)), pa.int64())}).replace_schema_metadata({"k": "v"})
    # split in two chunks, as a rebuild's unchanged rows and a parsed chunk come
    table = pa.concat_tables([table.slice(0, 2), table.slice(2)])
    expected = [r for flag, rows in zip(keep, _runs(counts), strict=True) if flag for r in rows]
    kept = _kept_rows(table, keep, counts)
    assert kept.column("row").to_pylist() == expected
    assert kept.schema.equals(table.schema, check_metadata=True)


def _runs(counts: list[int]) -> list[list[int]]:
    out, at = [], 0
    for n in counts:
        out.append(list(range(at, at + n)))
        at += n
    return out


def test_the_last_turns_are_read_before_the_topic_step_and_a_failed_read_reaches_the_steps(tmp_path: Path) -> None:
    from kremlin_data.build import _before_the_topic_step, _LastTurns

    missing = _LastTurns(tmp_path)  # no build here: the read fails in the thread, silently
    _before_the_topic_step(missing)
    with pytest.raises((OSError, pl.exceptions.PolarsError)):
        missing.read()  # and again, with its own error, for the step that asks
    build(None, tmp_path / "out", workers=1, progress=False, log=lambda _m: None)
    turns = _LastTurns(tmp_path / "out")
    _before_the_topic_step(turns)
    assert turns.turns is not None  # read in advance, then handed out as it is
    assert turns.read() is turns.turns
    assert turns.read().equals(kd.load_utterances(tmp_path / "out")
                               .select("utterance_id", "speaker_label", "kind", "text", "is_question"))
