"""kremlin-data: typed Arrow/Parquet tables of en.kremlin.ru transcripts.

>>> import kremlin_data as kd
>>> callable(kd.load_events) and callable(kd.scan_utterances)
True
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

import polars as pl

from kremlin_data.load import load, scan

try:
    __version__ = version("kremlin-data")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

_Path = str | os.PathLike[str] | None


def load_events(path: _Path = None) -> pl.DataFrame:
    """Events, one row per page."""
    return load("events", path)


def load_utterances(path: _Path = None) -> pl.DataFrame:
    """Utterances, one row per speaker turn."""
    return load("utterances", path)


def load_speakers(path: _Path = None) -> pl.DataFrame:
    """Speakers, one row per named person."""
    return load("speakers", path)


def load_parse_issues(path: _Path = None) -> pl.DataFrame:
    """Parse issues, one row per input line or file that could not be placed."""
    return load("parse_issues", path)


def scan_events(path: _Path = None) -> pl.LazyFrame:
    """Events, lazily."""
    return scan("events", path)


def scan_utterances(path: _Path = None) -> pl.LazyFrame:
    """Utterances, lazily."""
    return scan("utterances", path)


def scan_speakers(path: _Path = None) -> pl.LazyFrame:
    """Speakers, lazily."""
    return scan("speakers", path)


__all__ = [
    "__version__",
    "load",
    "load_events",
    "load_parse_issues",
    "load_speakers",
    "load_utterances",
    "scan",
    "scan_events",
    "scan_speakers",
    "scan_utterances",
]
