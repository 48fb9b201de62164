"""The fetch cache on disk: article files, fetch log, covered dates -> what is held and a status summary.

Articles in the site's layout, the log in `fetch_log.parquet`, the covered dates in `.fetch/state.json`.
No network: `fetch.py` does that.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data.schema import FETCH_LOG, to_table

LOG_NAME = "fetch_log.parquet"
CACHE_ENV = "KREMLIN_DATA_CACHE"
SITE_DIR = Path("en.kremlin.ru", "events", "president", "news")
STATE_DIR = ".fetch"
PERMANENT = frozenset({404, 410})


class FetchLog:
    """The rows of earlier runs (read once) and this run's rows, written out by `flush()`."""

    def __init__(self, path: Path) -> None:
        """Read the existing log; a damaged one is moved aside (with a warning) and a new one started."""
        self.path = path
        self.run_id = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        self.rows: list[dict[str, Any]] = []
        self.table = read_log(path)

    @property
    def pending(self) -> int:
        """Rows not yet written to the file."""
        return len(self.rows)

    def add(self, **row: Any) -> None:
        """Record one URL's outcome in this run."""
        row.update(fetched_at=dt.datetime.now(dt.UTC), run_id=self.run_id)
        self.rows.append(row)

    def flush(self) -> None:
        """Append the pending rows: the whole log goes to a temporary file, fsync, rename."""
        if not self.rows:
            return
        new = to_table(self.rows, FETCH_LOG)
        table = pa.concat_tables([self.table, new]) if self.table.num_rows else new
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            pq.write_table(table, tmp, compression="zstd")
            with tmp.open("rb") as f:
                os.fsync(f.fileno())
            tmp.replace(self.path)
        finally:
            tmp.unlink(missing_ok=True)
        self.table = table
        self.rows = []

    def last_listing_reason(self) -> str:
        """Why the last listing page of this run failed, as recorded."""
        reasons = [r["reason"] for r in self.rows if r["request_kind"] == "listing" and r["outcome"] == "failed"]
        return (reasons[-1] or "no reason recorded") if reasons else "no listing page failed"

    def _articles(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.table.select(["site_id", "request_kind", "http_status", "outcome",
                                                        "etag"]).to_pylist()
        return [r for r in rows + self.rows if r["request_kind"] == "article" and r["site_id"] is not None]

    def failed_articles(self, *, permanent: bool = False) -> list[int]:
        """Articles whose latest attempt failed, oldest failure first; 404/410 only when `permanent`."""
        last: dict[int, dict[str, Any]] = {}
        for r in self._articles():
            last.pop(r["site_id"], None)
            last[r["site_id"]] = r
        return [i for i, r in last.items()
                if r["outcome"] == "failed" and (permanent or r["http_status"] not in PERMANENT)]

    def last_etag(self, site_id: int) -> str | None:
        """The ETag of the article's last stored response, if the server gave one."""
        tags = [r["etag"] for r in self._articles() if r["site_id"] == site_id and r["outcome"] == "stored"]
        return tags[-1] if tags else None


def read_log(path: Path) -> pa.Table:
    """The log's rows (typed, possibly none); a file that cannot be read is moved aside, not lost."""
    if not path.is_file():
        return FETCH_LOG.schema.empty_table()
    try:
        return pq.read_table(path).select(list(FETCH_LOG.columns)).cast(FETCH_LOG.schema)
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}")
        path.replace(aside)
        print(f"warning: {path} could not be read ({exc}); moved to {aside.name}, a new log is started",
              file=sys.stderr)
        return FETCH_LOG.schema.empty_table()


def default_cache() -> Path:
    """The cache folder: `$KREMLIN_DATA_CACHE`, else the per-user data folder (platformdirs).

    >>> default_cache().name in {"kremlin-data", "cache"} or "KREMLIN_DATA_CACHE" in os.environ
    True
    """
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir("kremlin-data", appauthor=False))


def article_file(cache: Path, site_id: int) -> Path:
    """Where article `site_id` is held in the cache."""
    return cache / SITE_DIR / f"{site_id}.html.gz"


def held_ids(cache: Path) -> set[int]:
    """Site ids of the articles held in the cache (whole files under their final names only)."""
    folder = cache / SITE_DIR
    if not folder.is_dir():
        return set()
    names = (f.name for f in folder.iterdir())
    return {int(n[: -len(".html.gz")]) for n in names if n.endswith(".html.gz") and n[: -len(".html.gz")].isdigit()}


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary name, fsync and rename: never a partial file under `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


class Coverage:
    """Date intervals of a section whose listed articles are all held or recorded (`<cache>/.fetch/state.json`)."""

    def __init__(self, cache: Path, section: str) -> None:
        """Read the state file; a missing or damaged one only costs listing requests."""
        self.file = cache / STATE_DIR / "state.json"
        self.section = section
        try:
            self.state = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = {}
        raw = self.state.get("coverage", {}).get(section, [])
        self.spans: list[tuple[dt.date, dt.date]] = [
            (dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in raw]

    def span_of(self, day: dt.date | None) -> tuple[dt.date, dt.date] | None:
        """The covered interval holding `day`, if any."""
        return next((s for s in self.spans if day is not None and s[0] <= day <= s[1]), None)

    def add(self, lo: dt.date, hi: dt.date) -> None:
        """Cover `lo`..`hi` too (merged with touching intervals) and save the state atomically."""
        if lo > hi:
            return
        spans = sorted([*self.spans, (lo, hi)])
        merged = [spans[0]]
        for a, b in spans[1:]:
            if a <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self.spans = merged
        self.state.setdefault("coverage", {})[self.section] = [[a.isoformat(), b.isoformat()] for a, b in merged]
        write_atomic(self.file, json.dumps(self.state, indent=1).encode())


def fetch_status(cache: str | os.PathLike[str] | None = None) -> str:
    """A summary of the cache and its fetch log: held, new and failed articles, and the last run."""
    folder = Path(cache) if cache is not None else default_cache()
    held = held_ids(folder)
    size = sum(article_file(folder, i).stat().st_size for i in held)
    lines = [f"cache: {folder}", f"held: {len(held)} articles ({size / 1e6:.1f} MB gzipped)"]
    rows = read_log(folder / LOG_NAME).to_pylist()
    if not rows:
        lines.append("fetch log: no runs yet")
        return "\n".join(lines)
    runs = sorted({r["run_id"] for r in rows})
    last = [r for r in rows if r["run_id"] == runs[-1]]
    kinds = Counter(r["request_kind"] for r in last)
    stored = sum(r["outcome"] == "stored" for r in last)
    failed_last = sum(r["outcome"] == "failed" and r["request_kind"] == "article" for r in last)
    latest: dict[int, dict[str, object]] = {}
    for r in rows:
        if r["request_kind"] == "article" and r["site_id"] is not None:
            latest[r["site_id"]] = r
    failed = {i: r for i, r in latest.items() if r["outcome"] == "failed" and i not in held}
    lines.append(f"last run: {runs[-1]} ({len(runs)} runs in all): new {stored}, failed {failed_last}, requests "
                 + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    lines.append(f"failed, not held: {len(failed)}" + (": " + ", ".join(
        f"{i} ({r['reason']})" for i, r in sorted(failed.items())[:10]) + (" ..." if len(failed) > 10 else "")
        if failed else ""))
    return "\n".join(lines)
