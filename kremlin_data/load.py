"""The only reader: Parquet tables in a build folder -> polars DataFrames (eager) and LazyFrames (lazy)."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

DEFAULT_DIR = "parquet"
TABLE_NAMES = ("events", "utterances", "speakers", "speaker_aliases", "parse_issues", "claims", "event_tags",
               "topics", "utterance_topics", "utterance_site_topics", "exchanges")


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The build folder: `path`, else `$KREMLIN_DATA_DIR`, else `parquet/`."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get("KREMLIN_DATA_DIR", DEFAULT_DIR))


def table_path(table: str, path: str | os.PathLike[str] | None = None) -> Path:
    """Where `table` lives in the build folder (its file, or its folder when partitioned); a clear error if absent.

    >>> table_path("speeches", "parquet")
    Traceback (most recent call last):
    ValueError: unknown table 'speeches'; tables are events, utterances, speakers, speaker_aliases, parse_issues, \
claims, event_tags, topics, utterance_topics, utterance_site_topics, exchanges
    """
    if table not in TABLE_NAMES:
        raise ValueError(f"unknown table {table!r}; tables are {', '.join(TABLE_NAMES)}")
    folder = data_dir(path)
    file = folder / f"{table}.parquet"
    if not file.is_file() and (folder / table).is_dir():  # a partitioned build: `<table>/year=<y>/part-0.parquet`
        return folder / table
    if not file.is_file():
        raise FileNotFoundError(f"{file} not found: run `kremlin-data build` (or kd.build) to write the tables "
                                f"into {file.parent}")
    return file


def scan(table: str, path: str | os.PathLike[str] | None = None) -> pl.LazyFrame:
    """Lazily scan one table of the build folder (one file, or the parts of a partitioned table).

    A partitioned table reads with the same columns as a one-file table: the `year` of its folder names is not
    added (it is the year of the event's `date`).
    """
    where = table_path(table, path)
    if where.is_dir():
        return pl.scan_parquet(where / "**" / "*.parquet", hive_partitioning=False)
    return pl.scan_parquet(where)


def load(table: str, path: str | os.PathLike[str] | None = None) -> pl.DataFrame:
    """Read one table of the build folder into memory."""
    return scan(table, path).collect()
