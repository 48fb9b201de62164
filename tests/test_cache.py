"""Incremental rebuilds: a rebuild from the cache equals a clean build of the same inputs, table by table."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO, need

from kremlin_data import cache as file_cache
from kremlin_data import topic_models as tm
from kremlin_data.build import BuildSummary, build, sample_path
from kremlin_data.schema import TABLES

build_module = sys.modules["kremlin_data.build"]
DAYS = REPO.parent / "shared" / "data" / "kremlin_en_days" / "content"


def _write_pages(folder: Path, numbers: range, variant: str = "") -> None:
    """Copies of the bundled sample, each page title numbered so that every file holds its own events."""
    lines = sample_path().read_text(encoding="utf-8").split("\n")
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        out = [f"{line} (part {i}{variant})" if k and lines[k - 1] == "Events" else line
               for k, line in enumerate(lines)]
        (folder / f"day-{i:03d}.txt").write_text("\n".join(out), encoding="utf-8")


def _build(inputs: Path, out: Path, messages: list[str] | None = None, **kw: bool) -> BuildSummary:
    return build([inputs], out, workers=1, progress=False, log=(messages if messages is not None else []).append,
                 **kw)


def _assert_same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        left, right = pq.read_table(a / f"{name}.parquet"), pq.read_table(b / f"{name}.parquet")
        assert left.num_rows == right.num_rows, name
        assert left.equals(right, check_metadata=True), name


def _change_inputs(inputs: Path) -> None:
    """One file added, one changed, one removed."""
    _write_pages(inputs, range(6, 7))
    _write_pages(inputs, range(2, 3), variant=" revised")
    (inputs / "day-004.txt").unlink()


@pytest.mark.parametrize("size", [0, 1, 7_000, (1 << 20) - 1, 1 << 20, (2 << 20) + 12_345])
def test_fingerprint_of_a_file_is_the_fingerprint_of_its_bytes(tmp_path: Path, size: int) -> None:
    """The cache looks files up by `fingerprint` and the parse records `fingerprint_of`: they must agree."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    assert file_cache.fingerprint(path) == file_cache.fingerprint_of(data) == (size, hashlib.sha256(data).hexdigest())


def test_fingerprint_of_what_cannot_be_read_is_unreadable(tmp_path: Path) -> None:
    assert file_cache.fingerprint(tmp_path / "missing.txt") == file_cache.UNREADABLE
    assert file_cache.fingerprint(tmp_path) == file_cache.UNREADABLE  # a folder


def test_rebuild_parses_only_new_and_changed_files_and_equals_a_clean_build(tmp_path: Path) -> None:
    inputs, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    _write_pages(inputs, range(6))
    first = _build(inputs, out)
    assert first.cached_files == 0
    assert (out / file_cache.CACHE_DIR / "files.parquet").is_file()
    _change_inputs(inputs)
    again = _build(inputs, out)
    assert again.files == 6
    assert again.cached_files == 4  # 0, 1, 3, 5 unchanged; 2 changed and 6 new are parsed; 4 is gone
    _build(inputs, clean, clean=True)
    _assert_same_tables(out, clean)
    titles = set(pq.read_table(out / "events.parquet").column("title").to_pylist())
    assert not any("(part 4)" in t for t in titles), "rows of a removed file stay"
    assert any("(part 2 revised)" in t for t in titles)
    assert not any(t.endswith("(part 2)") for t in titles), "rows of the old version of a changed file stay"


@pytest.mark.parametrize("chunk_files", [1, 2])
def test_parse_issues_come_file_by_file_whatever_the_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            chunk_files: int) -> None:
    """A file's own issue rows, then its duplicates: the same in a rebuild, whose unchanged files come back as one
    chunk, as in a clean build, and for any chunk size (a chunk's duplicates used to follow all its files' rows).
    The rebuild's files equal the clean build's byte for byte (the events were written chunk by chunk)."""
    inputs, out, clean, whole = tmp_path / "in", tmp_path / "out", tmp_path / "clean", tmp_path / "whole"
    _write_pages(inputs, range(3))
    shutil.copy(inputs / "day-000.txt", inputs / "day-001.txt")  # its pages are duplicates of day-000's
    damaged = inputs / "day-002.txt"  # an issue of its own (bad UTF-8) and a duplicate page
    damaged.write_bytes(damaged.read_bytes().replace(b"Events", b"Ev\xffents", 1))
    monkeypatch.setattr(build_module, "CHUNK_FILES", chunk_files)
    _build(inputs, out, topics=False)
    _write_pages(inputs, range(3, 4))
    assert _build(inputs, out, topics=False).cached_files == 3
    _build(inputs, clean, clean=True, topics=False)
    for name in [*(f"{t}.parquet" for t in TABLES), "datapackage.json"]:  # byte for byte, not only equal rows
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    issues = pq.read_table(out / "parse_issues.parquet")
    files = [Path(p).name for p in issues.column("source_path").to_pylist()]
    kinds = [r.split(":")[0] for r in issues.column("reason").to_pylist()]
    assert list(zip(files, kinds, strict=True)) == [
        ("day-001.txt", "duplicate_event"), ("day-001.txt", "duplicate_event"),
        ("day-002.txt", "bad_utf8"), ("day-002.txt", "duplicate_event"), ("day-003.txt", "duplicate_event")]
    monkeypatch.setattr(build_module, "CHUNK_FILES", 48)
    _build(inputs, whole, clean=True, topics=False)
    assert pq.read_table(whole / "parse_issues.parquet").equals(issues)


def test_clean_ignores_the_cache(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    _write_pages(inputs, range(3))
    _build(inputs, out)
    assert _build(inputs, out).cached_files == 3
    assert _build(inputs, out, clean=True).cached_files == 0


def test_a_damaged_cache_is_ignored_with_a_message(tmp_path: Path) -> None:
    inputs, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    _write_pages(inputs, range(3))
    _build(inputs, out)
    cached = next((out / file_cache.CACHE_DIR).glob("*.utterances.arrow"))
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 2])
    messages: list[str] = []
    assert _build(inputs, out, messages).cached_files == 0
    assert any(m.startswith("cache:") and "damaged" in m for m in messages), messages
    _build(inputs, clean, clean=True)
    _assert_same_tables(out, clean)


def test_a_cache_of_another_build_is_not_trusted(tmp_path: Path) -> None:
    inputs, out, other = tmp_path / "in", tmp_path / "out", tmp_path / "other"
    _write_pages(inputs, range(3))
    _build(inputs, out)
    _build(inputs, other)
    # The manifest of one build beside the table files of another: the build ids differ.
    shutil.copy(other / file_cache.CACHE_DIR / "files.parquet", out / file_cache.CACHE_DIR / "files.parquet")
    messages: list[str] = []
    assert _build(inputs, out, messages).cached_files == 0
    assert any("belongs to another build" in m for m in messages), messages


def test_a_cache_of_another_version_or_other_options_is_not_used(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    _write_pages(inputs, range(3))
    _build(inputs, out, claims=False)
    messages: list[str] = []
    assert _build(inputs, out, messages).cached_files == 0
    assert any('"claims": false' in m for m in messages), messages
    manifest = out / file_cache.CACHE_DIR / "files.parquet"
    table = pq.read_table(manifest)
    meta = json.loads(table.schema.metadata[b"kremlin_data_cache"])
    meta["version"] = "0.0.1"
    pq.write_table(table.replace_schema_metadata({b"kremlin_data_cache": json.dumps(meta).encode()}), manifest)
    messages = []
    assert _build(inputs, out, messages).cached_files == 0
    assert any("kremlin-data 0.0.1" in m for m in messages), messages


def test_files_parsed_by_other_code_are_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    _write_pages(inputs, range(3))
    _build(inputs, out)
    assert _build(inputs, out).cached_files == 3
    monkeypatch.setattr(file_cache, "PARSER_VERSION", file_cache.PARSER_VERSION + "-changed-rules")
    assert _build(inputs, out).cached_files == 0
    assert _build(inputs, out).cached_files == 3


def test_a_failed_build_leaves_the_cache_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    _write_pages(inputs, range(3))
    _build(inputs, out)
    before = {p.name: p.read_bytes() for p in (out / file_cache.CACHE_DIR).iterdir()}
    _write_pages(inputs, range(3, 4))

    def fail(*_args: object, **_kw: object) -> None:
        raise RuntimeError("stop")

    monkeypatch.setattr("kremlin_data.identity.speakers_table", fail)
    with pytest.raises(RuntimeError, match="stop"):
        _build(inputs, out)
    after = {p.name: p.read_bytes() for p in (out / file_cache.CACHE_DIR).iterdir()}
    assert after == before


def test_a_rebuild_writes_only_the_parsed_files_and_old_shards_are_pruned_or_compacted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    folder = out / file_cache.CACHE_DIR

    def shards() -> set[str]:
        return {p.name.split(".")[0] for p in folder.glob("*.arrow")}

    monkeypatch.setattr(file_cache, "MAX_SHARDS", 3)
    _write_pages(inputs, range(3))
    _build(inputs, out)
    first = shards()
    assert len(first) == 1
    _write_pages(inputs, range(3, 4))
    _build(inputs, out)
    second = shards()
    assert len(second) == 2 and first < second, "the rows of unchanged files were written again"
    new = next(iter(second - first))
    assert pq.read_table(folder / "files.parquet").column("shard").to_pylist() == [*[*first] * 3, new]
    _write_pages(inputs, range(4, 5))
    _build(inputs, out)
    assert len(shards()) == 3
    (inputs / "day-000.txt").unlink()
    _build(inputs, out)  # three shards in use: all rows go to one new shard, the others are removed
    assert len(shards()) == 1 and not shards() & (second | first)
    assert {p.suffix for p in folder.iterdir()} == {".arrow", ".parquet"}
    _build(inputs, clean, clean=True)
    _assert_same_tables(out, clean)
    assert _build(inputs, out).cached_files == 4


@pytest.mark.corpus
def test_real_days_rebuild_with_saved_models_equals_a_clean_build(tmp_path: Path) -> None:
    days = sorted(need(DAYS).glob("*.txt.gz"))[2000:2150]
    inputs, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    inputs.mkdir()
    for f in days[:-1]:
        shutil.copy(f, inputs / f.name)
    messages: list[str] = []
    _build(inputs, out, messages)
    assert (out / tm.LEARNED_FILE).is_file() and (out / tm.SITE_FILE).is_file(), messages
    shutil.copy(days[-1], inputs / days[-1].name)
    messages = []
    again = _build(inputs, out, messages)
    assert again.cached_files == len(days) - 1
    assert not any("fitted" in m for m in messages), "a rebuild fitted the topic models again"
    clean.mkdir()
    for name in (tm.LEARNED_FILE, tm.SITE_FILE):
        shutil.copy(out / name, clean / name)
    _build(inputs, clean, clean=True)
    _assert_same_tables(out, clean)
    assert pq.read_metadata(out / "utterance_topics.parquet").num_rows > 0
    assert pq.read_metadata(out / "utterance_site_topics.parquet").num_rows > 0
