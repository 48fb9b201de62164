"""What a rebuild may skip: each input file's fingerprint and the rows parsed from it; a damaged cache is ignored.

The cache lives in `<out>/.cache/`: `files.parquet` (one row per input file: path, size, SHA-256 of its bytes,
the parser version, how it ended, and how many rows it gave each per-file table) and one Parquet file per
per-file table (`schema.PER_FILE_TABLES`) holding those rows, file after file in the order of `files.parquet`.
All are written with the tables and renamed into place with them; `files.parquet` carries a build id that
each table file must repeat, so a cache cut short, copied from elsewhere, or written by another version of
the package is noticed and ignored (with a message), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data._version import __version__
from kremlin_data.schema import PER_FILE_TABLES

CACHE_DIR = ".cache"
MANIFEST = "files"
FORMAT = 1
_META_KEY = b"kremlin_data_cache"
_FLUSH_FILES = 256


def _parser_version() -> str:
    """The package version plus a digest of the package's Python sources.

    Cached rows are reused only when the code that made them is the code that runs now: between releases
    the version number stays while the rules change, and a rule change must reparse every file.
    """
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


PARSER_VERSION = _parser_version()
_COMPRESSION = "lz4"
"""The cache is rewritten by every build and read by the next: fast compression rather than small files."""


def fingerprint(path: Path) -> tuple[int, str]:
    """Size in bytes and SHA-256 (hex) of a file's content; (-1, "") when it cannot be read (the parse says why)."""
    try:
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256")
        return path.stat().st_size, digest.hexdigest()
    except OSError:
        return -1, ""


@dataclass(slots=True)
class FileRows:
    """The rows one input file gave each per-file table, and how its parse ended."""

    tables: dict[str, pa.Table]
    claims_per_event: list[int]
    outcome: str
    """`ok`, `failed` (the file could not be read) or `not_article`."""


def _manifest_schema() -> pa.Schema:
    fields = [pa.field("source_path", pa.string(), nullable=False), pa.field("size", pa.int64(), nullable=False),
              pa.field("sha256", pa.string(), nullable=False), pa.field("parser_version", pa.string(), nullable=False),
              pa.field("outcome", pa.string(), nullable=False),
              pa.field("claims_per_event", pa.list_(pa.int32()), nullable=False)]
    fields += [pa.field(f"n_{t.name}", pa.int64(), nullable=False) for t in PER_FILE_TABLES]
    return pa.schema(fields)


@dataclass(slots=True)
class Cache:
    """A cache read back: fingerprints by path, and the cached rows of each table."""

    entries: dict[str, tuple[int, str, int]]
    """path -> (size, sha256, row of the manifest)."""
    manifest: pa.Table
    tables: dict[str, pa.Table]
    offsets: dict[str, list[int]] = field(default_factory=dict)
    topic_models: dict[str, str] | None = None
    """Digests of the topic models the last build's topic tables were made with (None: no topics)."""

    def lookup(self, path: str, size: int, sha256: str) -> int | None:
        """The manifest row of an unchanged file, or None (always for a file whose bytes could not be read)."""
        hit = self.entries.get(path)
        return hit[2] if sha256 and hit and hit[0] == size and hit[1] == sha256 else None

    def rows(self, i: int) -> FileRows:
        """The cached rows of manifest row `i`."""
        tables = {}
        for t in PER_FILE_TABLES:
            start = self.offsets[t.name][i]
            tables[t.name] = self.tables[t.name].slice(start, self.offsets[t.name][i + 1] - start)
        return FileRows(tables, self.manifest.column("claims_per_event")[i].as_py(),
                        self.manifest.column("outcome")[i].as_py())


def _options_json(options: dict[str, object]) -> str:
    return json.dumps(options, sort_keys=True)


def load(out: Path, options: dict[str, object], log: Callable[[str], None]) -> Cache | None:
    """Read the cache of a build folder; None, with a message saying why, when it cannot be trusted.

    `options` are the build options that change per-file rows (claims on or off): a cache written with
    others is not used.
    """
    folder = out / CACHE_DIR
    manifest_file = folder / f"{MANIFEST}.parquet"
    if not manifest_file.is_file():
        return None
    try:
        manifest = pq.read_table(manifest_file)
        meta = json.loads((manifest.schema.metadata or {}).get(_META_KEY, b"{}"))
        if meta.get("format") != FORMAT or meta.get("version") != __version__:
            log(f"cache: {folder} was written by kremlin-data {meta.get('version')} (cache format "
                f"{meta.get('format')}); this is {__version__} (format {FORMAT}): not used, every file is parsed")
            return None
        if meta.get("options") != _options_json(options):
            log(f"cache: {folder} was built with {meta.get('options')}, this build uses {_options_json(options)}: "
                "not used, every file is parsed")
            return None
        if not manifest.schema.equals(_manifest_schema()):
            raise ValueError("files.parquet has other columns than a cache of this version")
        tables = {}
        offsets = {}
        for t in PER_FILE_TABLES:
            data = pq.read_table(folder / f"{t.name}.parquet")
            tmeta = json.loads((data.schema.metadata or {}).get(_META_KEY, b"{}"))
            if tmeta.get("build_id") != meta["build_id"]:
                raise ValueError(f"{t.name}.parquet belongs to another build than files.parquet")
            counts = manifest.column(f"n_{t.name}").to_pylist()
            if sum(counts) != data.num_rows:
                raise ValueError(f"{t.name}.parquet holds {data.num_rows} rows, files.parquet lists {sum(counts)}")
            if not data.schema.equals(t.schema, check_metadata=False):
                raise ValueError(f"{t.name}.parquet has other columns than the {t.name} table of this version")
            tables[t.name] = data
            run = [0]
            for c in counts:
                run.append(run[-1] + c)
            offsets[t.name] = run
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        log(f"cache: {folder} is damaged ({type(exc).__name__}: {exc}): not used, every file is parsed")
        return None
    entries = {p: (s, h, i) for i, (p, s, h, v) in enumerate(zip(
        *(manifest.column(c).to_pylist() for c in ("source_path", "size", "sha256", "parser_version")), strict=True))
        if v == PARSER_VERSION}
    return Cache(entries, manifest, tables, offsets, meta.get("topic_models"))


class CacheWriter:
    """Streams the rows of each input file to the new cache as the build goes (in input order).

    `reserve(name)` gives the temporary path of a file of the build folder that is renamed into place with
    the tables; the manifest is reserved last, so it is renamed last.
    """

    def __init__(self, options: dict[str, object], reserve: Callable[[str], Path]) -> None:
        """Open the cache's table files; `options` are recorded for `load` to compare."""
        self.options = options
        self.reserve = reserve
        self.build_id = uuid.uuid4().hex
        meta = {_META_KEY: json.dumps({"build_id": self.build_id}).encode()}
        self.writers = {t.name: pq.ParquetWriter(reserve(f"{CACHE_DIR}/{t.name}.parquet"),
                                                 t.schema.with_metadata(meta), compression=_COMPRESSION)
                        for t in PER_FILE_TABLES}
        self.buffer: dict[str, list[pa.Table]] = {t.name: [] for t in PER_FILE_TABLES}
        self.rows: dict[str, list[object]] = {f.name: [] for f in _manifest_schema()}

    def add(self, path: str, size: int, sha256: str, rows: FileRows) -> None:
        """Record one input file and its rows."""
        self.rows["source_path"].append(path)
        self.rows["size"].append(size)
        self.rows["sha256"].append(sha256)
        self.rows["parser_version"].append(PARSER_VERSION)
        self.rows["outcome"].append(rows.outcome)
        self.rows["claims_per_event"].append(rows.claims_per_event)
        for t in PER_FILE_TABLES:
            self.buffer[t.name].append(rows.tables[t.name])
            self.rows[f"n_{t.name}"].append(rows.tables[t.name].num_rows)
        if len(self.buffer[PER_FILE_TABLES[0].name]) >= _FLUSH_FILES:
            self._flush()

    def _flush(self) -> None:
        for t in PER_FILE_TABLES:
            parts = [p for p in self.buffer[t.name] if p.num_rows]
            if parts:
                self.writers[t.name].write_table(pa.concat_tables(parts).replace_schema_metadata(
                    self.writers[t.name].schema.metadata))
            self.buffer[t.name] = []

    def close(self, topic_models: dict[str, str] | None = None) -> None:
        """Write what is left and the manifest, with the digests of the topic models the tables were made with."""
        self._flush()
        for w in self.writers.values():
            w.close()
        meta = {_META_KEY: json.dumps({"format": FORMAT, "version": __version__, "build_id": self.build_id,
                                       "options": _options_json(self.options),
                                       "topic_models": topic_models}).encode()}
        manifest = pa.table(self.rows, schema=_manifest_schema()).replace_schema_metadata(meta)
        pq.write_table(manifest, self.reserve(f"{CACHE_DIR}/{MANIFEST}.parquet"), compression="zstd")

    def abort(self) -> None:
        """Close the writers of a build that failed (their files are removed with the other temporary files)."""
        for w in self.writers.values():
            w.close()
