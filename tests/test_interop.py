"""Every table reads in DuckDB, pandas, polars (lazy, with a predicate) and Spark, one-file and partitioned.

Two builds: the bundled sample, and a sample of real pages (every 200th saved HTML page of ../shared, about three
dozen pages over the years; skipped with a message when the folder is absent). R is not tested: Debian
(bookworm) packages R but not its arrow package (`r-cran-arrow`), and CRAN is not reachable from CI.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest
from conftest import HTML_DIR, REPO, need

import kremlin_data as kd
from kremlin_data.package import table_files
from kremlin_data.schema import TABLES, is_portable

duckdb = pytest.importorskip("duckdb", reason="duckdb is in the test extra")
pd = pytest.importorskip("pandas", reason="pandas is in the test extra")

QUIET = {"progress": False, "log": lambda _msg: None}
EVERY_NTH_PAGE = 200


@pytest.fixture(scope="module")
def real_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every 200th saved HTML page, built once one file per table and once partitioned by year."""
    pages = sorted(need(HTML_DIR).glob("*.html*"))[::EVERY_NTH_PAGE]
    out = tmp_path_factory.mktemp("real-pages")
    kd.build(pages, out / "single", workers=1, **QUIET)
    kd.build(pages, out / "parts", workers=1, partition_by="year", **QUIET)
    return out / "single", out / "parts"


@pytest.fixture(scope="module")
def sample_parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample-parts")
    kd.build(None, out, partition_by="year", **QUIET)
    return out


def _rows(folder: Path, name: str) -> int:
    return sum(pq.read_metadata(f).num_rows for f in table_files(folder, name))


def _duck_source(folder: Path, name: str) -> str:
    file = folder / f"{name}.parquet"
    if file.is_file():
        return f"read_parquet('{file}')"
    return f"read_parquet('{folder / name}/**/*.parquet', hive_partitioning = true, union_by_name = true)"


def test_every_column_type_is_one_every_reader_takes() -> None:
    for table in TABLES.values():
        for f in table.schema:
            assert is_portable(f.type), f"{table.name}.{f.name}: {f.type}"


# ---- DuckDB -----------------------------------------------------------------------------------------------

def _duckdb_checks(folder: Path) -> None:
    con = duckdb.connect()
    for name in TABLES:
        n = con.sql(f"select count(*) from {_duck_source(folder, name)}").fetchall()
        assert n == [(_rows(folder, name),)], name
    u, e, c = (_duck_source(folder, t) for t in ("utterances", "events", "claims"))
    joined = con.sql(f"""
        select e.event_id, u.speaker_name, count(*) as n_claims, sum(u.n_words) as words
        from {c} c join {u} u using (utterance_id) join {e} e on e.event_id = u.event_id
        group by all""").pl()
    claims = kd.load_claims(folder).join(kd.load_utterances(folder).select("utterance_id", "n_words"),
                                         on="utterance_id")
    assert joined["n_claims"].sum() == kd.load_claims(folder).height  # every claim has its turn and event
    assert joined["words"].sum() == claims["n_words"].sum()
    times = con.sql(f"select time, started_at from {e} where time is not null").fetchall()
    assert all(len(t) == 5 and t[2] == ":" for t, _ in times)


def test_duckdb_reads_the_sample(sample_build: Path, sample_parts: Path) -> None:
    _duckdb_checks(sample_build)
    _duckdb_checks(sample_parts)
    started = duckdb.sql(f"select started_at from {_duck_source(sample_build, 'events')} order by 1").fetchall()
    assert started[0][0] == dt.datetime(2022, 8, 19, 13, 15, tzinfo=dt.UTC)


def test_duckdb_reads_real_pages(real_builds: tuple[Path, Path]) -> None:
    single, parts = real_builds
    _duckdb_checks(single)
    _duckdb_checks(parts)
    for name, table in TABLES.items():  # partitioned and one-file: the same rows
        cols = ", ".join(table.columns)
        a = duckdb.sql(f"select {cols} from {_duck_source(single, name)}").pl()
        b = duckdb.sql(f"select {cols} from {_duck_source(parts, name)}").pl()
        key = list(table.primary_key or table.columns)
        assert a.sort(key).equals(b.sort(key)), name


# ---- pandas and polars ------------------------------------------------------------------------------------

def _pandas_polars_checks(folder: Path) -> None:
    for name in TABLES:
        files = table_files(folder, name)
        frame = pd.concat([pd.read_parquet(f, dtype_backend="pyarrow") for f in files])
        assert len(frame) == _rows(folder, name), name
        assert list(frame.columns) == list(TABLES[name].columns)
    events = pd.read_parquet(table_files(folder, "events")[0])
    assert str(events["started_at"].dt.tz) == "Europe/Moscow"
    lazy = kd.scan_utterances(folder).filter(pl.col("kind") == "named").select("speaker_name", "n_words")
    named = lazy.collect()
    everything = kd.load_utterances(folder)
    assert named.height == everything.filter(pl.col("kind") == "named").height > 0
    assert "SELECTION" in lazy.explain() or "FILTER" in lazy.explain()


def test_pandas_and_polars_read_the_sample(sample_build: Path, sample_parts: Path) -> None:
    _pandas_polars_checks(sample_build)
    _pandas_polars_checks(sample_parts)
    events = pd.read_parquet(sample_build / "events.parquet")
    assert list(events["time"]) == ["16:15", "20:00"]
    assert events["started_at"].iloc[0].isoformat() == "2022-08-19T16:15:00+03:00"
    assert list(pd.read_parquet(sample_build / "speakers.parquet")["roles"].iloc[0]) != []


def test_pandas_and_polars_read_real_pages(real_builds: tuple[Path, Path]) -> None:
    for folder in real_builds:
        _pandas_polars_checks(folder)
    ranks = pd.read_parquet(real_builds[0] / "utterance_topics.parquet")["rank"]
    assert str(ranks.dtype) == "int8" and set(ranks) <= {1, 2, 3}


# ---- Spark ------------------------------------------------------------------------------------------------

def _spark_path(folder: Path, name: str) -> str:
    file = folder / f"{name}.parquet"
    return str(file if file.is_file() else folder / name)


def _spark_tables(spark: Any, folder: Path) -> dict[str, tuple[int, int]]:
    """Per table, in one Spark query: row count and an order-free fingerprint of the rows (sum of row hashes).

    The join utterances ⋈ events ⋈ claims comes back as the pseudo-table `join`.
    """
    parts = []
    for name, table in TABLES.items():
        view = f"{name}_{abs(hash(str(folder)))}"
        spark.read.parquet(_spark_path(folder, name)).createOrReplaceTempView(view)
        cols = ", ".join(table.columns)  # a partitioned read also has `year`, which the fingerprint leaves out
        parts.append(f"select '{name}' as t, count(*) as n, "
                     f"coalesce(sum(cast(xxhash64({cols}) as decimal(38, 0))), 0) as h from {view}")
    sfx = abs(hash(str(folder)))
    parts.append(f"select 'join', count(*), 0 from claims_{sfx} c join utterances_{sfx} u using (utterance_id) "
                 f"join events_{sfx} e on e.event_id = u.event_id")
    return {r[0]: (r[1], int(r[2])) for r in spark.sql(" union all ".join(parts)).collect()}


def _spark_checks(spark: Any, folder: Path) -> dict[str, tuple[int, int]]:
    found = _spark_tables(spark, folder)
    assert {name: found[name][0] for name in TABLES} == {name: _rows(folder, name) for name in TABLES}
    assert found["join"][0] == _rows(folder, "claims")  # every claim has its turn and its event
    return found


def test_spark_reads_the_sample(spark: Any, sample_build: Path) -> None:
    _spark_checks(spark, sample_build)  # the partitioned layout: test_spark_reads_real_pages_partitioned_as_one_file
    first = spark.read.parquet(_spark_path(sample_build, "events")).orderBy("started_at").first()
    assert first["time"] == "16:15" and first["started_at"] == dt.datetime(2022, 8, 19, 13, 15)  # UTC session
    ranks = spark.read.parquet(_spark_path(sample_build, "utterance_topics")).schema["rank"]
    assert ranks.dataType.simpleString() == "tinyint"
    roles = spark.read.parquet(_spark_path(sample_build, "speakers")).schema["roles"]
    assert roles.dataType.simpleString() == "array<string>"


def test_spark_reads_real_pages_partitioned_as_one_file(spark: Any, real_builds: tuple[Path, Path]) -> None:
    single, parts = real_builds
    one_file = _spark_checks(spark, single)
    assert one_file["utterances"][0] > 0 and one_file["claims"][0] > 0
    assert _spark_checks(spark, parts) == one_file  # the same rows: counts and row fingerprints


# ---- the README's snippets -------------------------------------------------------------------------------

def _readme_blocks() -> list[tuple[str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Reading the tables elsewhere", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(python|bash)\n(.*?)```", section, re.S)


def test_readme_section_has_the_snippets() -> None:
    code = "".join(body for _, body in _readme_blocks())
    for reader in ("duckdb", "pandas", "polars", "pyspark", "partition_by", "frictionless validate"):
        assert reader in code, reader


def _snippet_id(body: str) -> str:
    for name in ("pyspark", "partition_by", "duckdb", "pandas", "polars", "frictionless"):
        if name in body:
            return name
    return "other"


@pytest.mark.parametrize(("lang", "body"), [pytest.param(lang, body, id=_snippet_id(body))
                                            for lang, body in _readme_blocks()])
def test_readme_snippet_runs(lang: str, body: str, sample_build: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    shutil.copytree(sample_build, tmp_path / "parquet")
    monkeypatch.chdir(tmp_path)
    if "pyspark" in body:
        request.getfixturevalue("spark")  # skips, saying why, without Java; the snippet then reuses the session
        # Spark resolves a relative path against its JVM's working folder, which the shared session fixed earlier
        body = body.replace('"parquet/', f'"{tmp_path}/parquet/')
    if lang == "python":
        exec(compile(body, "README.md", "exec"), {})
        return
    # A regular install puts the frictionless_kremlin plugin module on the path; here PYTHONPATH does that.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for line in body.splitlines():
        command = line.split("#")[0].strip()
        if command:
            command = re.sub(r"^python ", f"{sys.executable} ", command)
            done = subprocess.run(command, shell=True, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
