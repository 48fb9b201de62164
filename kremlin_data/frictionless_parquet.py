"""A frictionless plugin: the Parquet files of a kremlin-data package -> rows that frictionless checks.

frictionless 5 reads Parquet through pandas, which turns list columns into numpy arrays and nulls in integer
columns into NaN floats (both then fail the Table Schema types), and it never opens the file through its
byte loader, so it cannot count the bytes or hash them. This parser reads the file through frictionless's own
loader (so frictionless measures `bytes` and `hash` itself) and hands each row over as plain Python values
(lists, None, zoned datetimes) from Arrow. It is found by frictionless through the top-level module
`frictionless_kremlin` and takes only resources with the registered Parquet media type
(`application/vnd.apache.parquet`), which datapackage.json declares; other Parquet files keep the stock parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from frictionless import Parser, Plugin, Resource

MEDIATYPE = "application/vnd.apache.parquet"
_BATCH_ROWS = 10_000


class ArrowParquetParser(Parser):
    """Reads a whole Parquet file through the loader's byte stream, then yields its rows."""

    requires_loader = True
    supported_types = ["array", "boolean", "date", "datetime", "integer", "number", "string"]  # noqa: RUF012

    def read_cell_stream_create(self) -> Iterator[list[Any]]:
        """The header (column names), then one list of cells per row."""
        stream: Any = self.loader.byte_stream  # frictionless's stats wrapper; it has read1
        parts = []
        # read1 until it returns nothing: that is when frictionless's stream wrapper records bytes and hashes
        while chunk := stream.read1(1 << 20):
            parts.append(chunk)
        table = pq.read_table(pa.BufferReader(b"".join(parts)))
        names = table.column_names
        yield names
        for batch in table.to_batches(_BATCH_ROWS):
            for row in batch.to_pylist():
                yield [row[n] for n in names]


class KremlinPlugin(Plugin):
    """Picks ArrowParquetParser for Parquet resources that declare the registered Parquet media type."""

    def create_parser(self, resource: Resource) -> Parser | None:
        """The Arrow parser for our Parquet resources, else None (frictionless asks its other plugins)."""
        if resource.format in ("parquet", "parq") and resource.mediatype == MEDIATYPE:
            return ArrowParquetParser(resource)
        return None

    def detect_resource(self, resource: Resource) -> None:
        """Parquet resources with our media type are tables."""
        if resource.mediatype == MEDIATYPE:
            resource.datatype = resource.datatype or "table"
