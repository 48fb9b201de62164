"""One-file tables of a build folder -> hive-partitioned datasets (`utterances/year=2019/part-0.parquet`).

A table is partitioned by the year of its event: its own `event_id`, or the `event_id` of its `utterance_id`.
Tables tied to no one event (speakers, topics, parse_issues) are written as a folder with one file,
`<table>/part-0.parquet`, so that every table of a partitioned build is a folder. Rows with no event date go to
`year=__HIVE_DEFAULT_PARTITION__`, which DuckDB, Spark and pyarrow read as a null year. Each table is written into
a temporary folder and renamed into place; its one-file form is removed only after that.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data.schema import TABLES, Table

PARTITION_KEYS = ("year",)


def _event_years(out: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    events = pl.read_parquet(out / "events.parquet", columns=["event_id", "date"])
    years = events.select("event_id", pl.col("date").dt.year().cast(pl.Int32).alias("year"))
    turns = pl.read_parquet(out / "utterances.parquet", columns=["utterance_id", "event_id"])
    return years, turns.join(years, on="event_id", how="left").select("utterance_id", "year")


def _years_of(table: Table, data: pa.Table, events: pl.DataFrame, turns: pl.DataFrame) -> pa.Array | None:
    """The partition year of each row, in row order; None for a table tied to no one event."""
    if "event_id" in table.columns:
        keys, on = events, "event_id"
    elif "utterance_id" in table.columns:
        keys, on = turns, "utterance_id"
    else:
        return None
    rows = pl.from_arrow(data.select([on]))
    assert isinstance(rows, pl.DataFrame)
    year = rows.join(keys, on=on, how="left", maintain_order="left")["year"]
    return year.to_arrow().cast(pa.int32())


def _replace_dir(tmp: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def partition_by_year(out: str | os.PathLike[str]) -> None:
    """Turn every `<out>/<table>.parquet` into the folder `<out>/<table>/` (by year where the table has one)."""
    # Imported here, not with the module: pyarrow.dataset loads pandas (~0.5 s) when pandas is installed, and
    # only a partitioned build needs it (tests/test_imports.py).
    import pyarrow.dataset as ds

    folder = Path(out)
    events, turns = _event_years(folder)
    for name, table in TABLES.items():
        single = folder / f"{name}.parquet"
        if not single.is_file():
            continue
        data = pq.read_table(single)
        tmp = folder / f".{name}.{os.getpid()}.tmpdir"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        years = _years_of(table, data, events, turns)
        if years is None or data.num_rows == 0:
            pq.write_table(data, tmp / "part-0.parquet", compression="zstd")
        else:
            ds.write_dataset(
                data.append_column("year", years), tmp, format="parquet",
                partitioning=ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive"),
                basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore",
                file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
                use_threads=False, preserve_order=True)
        _replace_dir(tmp, folder / name)
        single.unlink()


def remove_partitioned(out: str | os.PathLike[str]) -> None:
    """After a one-file build: remove `<table>/` folders a partitioned build left, so each table has one form."""
    folder = Path(out)
    for name in TABLES:
        if (folder / f"{name}.parquet").is_file() and (folder / name).is_dir():
            shutil.rmtree(folder / name)
