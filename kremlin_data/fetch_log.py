"""The fetch log: one row per URL a fetch run asked for -> `<cache>/fetch_log.parquet`, appended atomically."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data.schema import FETCH_LOG, to_table

LOG_NAME = "fetch_log.parquet"
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
