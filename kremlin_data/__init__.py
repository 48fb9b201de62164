"""kremlin-data: typed Arrow/Parquet tables of en.kremlin.ru transcripts.

>>> import kremlin_data as kd
>>> callable(kd.load_events) and callable(kd.scan_utterances)
True
"""

from __future__ import annotations

import os

import polars as pl

from kremlin_data._version import __version__

# Bound after the submodule import, so `kd.build` is the function, not the module `kremlin_data.build`.
from kremlin_data.build import BuildSummary, build
from kremlin_data.claims import claims_frame as extract_claims
from kremlin_data.claims import claims_of
from kremlin_data.load import load, scan

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


def load_speaker_aliases(path: _Path = None) -> pl.DataFrame:
    """Printed speaker names, the speaker_id each was given and the evidence: every identity merge."""
    return load("speaker_aliases", path)


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


def load_claims(path: _Path = None) -> pl.DataFrame:
    """Numeric claims, one row per figure stated in a turn."""
    return load("claims", path)


def scan_claims(path: _Path = None) -> pl.LazyFrame:
    """Numeric claims, lazily."""
    return scan("claims", path)


def load_event_tags(path: _Path = None) -> pl.DataFrame:
    """The site's tags (topic, geography, person), one row per tag of a page."""
    return load("event_tags", path)


def load_topics(path: _Path = None) -> pl.DataFrame:
    """Learned topics, one row per topic with its top terms."""
    return load("topics", path)


def load_utterance_topics(path: _Path = None) -> pl.DataFrame:
    """The top learned topics of each turn."""
    return load("utterance_topics", path)


def load_utterance_site_topics(path: _Path = None) -> pl.DataFrame:
    """The site's topic names assigned to each turn by the classifier, with probabilities."""
    return load("utterance_site_topics", path)


def load_exchanges(path: _Path = None) -> pl.DataFrame:
    """Questions and their answers, one row per answered question."""
    return load("exchanges", path)


__all__ = [
    "BuildSummary",
    "__version__",
    "build",
    "claims_of",
    "extract_claims",
    "load",
    "load_claims",
    "load_event_tags",
    "load_events",
    "load_exchanges",
    "load_parse_issues",
    "load_speaker_aliases",
    "load_speakers",
    "load_topics",
    "load_utterance_site_topics",
    "load_utterance_topics",
    "load_utterances",
    "scan",
    "scan_claims",
    "scan_events",
    "scan_speakers",
    "scan_utterances",
]
