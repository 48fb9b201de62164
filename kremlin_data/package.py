"""A build folder -> its datapackage.json (Frictionless Data Package v2) and dataset card (README.md).

Everything is generated from `schema.TABLES` and the tables on disk, so a new table or column appears here
without further code. Foreign keys are derived: a column that is the one-column primary key of another table
refers to that table (`utterances.event_id` -> `events.event_id`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kremlin_data._version import __version__
from kremlin_data.partition import partition_by_year, remove_partitioned
from kremlin_data.schema import TABLES, Field, Table

MEDIATYPE = "application/vnd.apache.parquet"  # the registered media type; frictionless_parquet.py keys on it
SOURCE = {"title": "President of Russia, en.kremlin.ru (events, transcripts and news, English version)",
          "path": "http://en.kremlin.ru/"}
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International (the source texts, en.kremlin.ru)"}
CODE_LICENSE = {"name": "MIT", "path": "https://opensource.org/license/mit",
                "title": "MIT (the kremlin-data code that parsed the pages and built the tables)"}
CITATION = ("President of Russia (en.kremlin.ru), transcripts, licensed CC BY 4.0; typed tables built with "
            "kremlin-data {version} (pages parsed by version {parser}).")


def frictionless_type(t: pa.DataType) -> dict[str, Any]:
    """Table Schema type (and item type for lists) of an Arrow type.

    >>> frictionless_type(pa.list_(pa.int64()))
    {'type': 'array', 'arrayItem': {'type': 'integer'}}
    """
    if pa.types.is_list(t):
        return {"type": "array", "arrayItem": frictionless_type(t.value_type)}
    for check, name in ((pa.types.is_string, "string"), (pa.types.is_boolean, "boolean"),
                        (pa.types.is_integer, "integer"), (pa.types.is_floating, "number"),
                        (pa.types.is_date, "date"), (pa.types.is_timestamp, "datetime")):
        if check(t):
            return {"type": name}
    raise ValueError(f"no Table Schema type for Arrow type {t}")


def _field_descriptor(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.column, **frictionless_type(f.type), "description": f.description}
    if pa.types.is_timestamp(f.type) and getattr(f.type, "tz", None):
        out["timezone"] = f.type.tz  # custom property: the zone the site's times are given in
    if f.unit:
        out["unit"] = f.unit  # custom property (Table Schema v2 has no unit)
    if not f.nullable:
        out["constraints"] = {"required": True}
    return out


def foreign_keys(table: Table) -> list[dict[str, Any]]:
    """References to other tables: a column that is another table's one-column primary key.

    >>> [k["reference"]["resource"] for k in foreign_keys(TABLES["claims"])]
    ['utterances', 'events', 'speakers']
    """
    owners: dict[str, str] = {}
    for other in TABLES.values():
        if len(other.primary_key) == 1:
            owners.setdefault(other.primary_key[0], other.name)
    return [{"fields": [c], "reference": {"resource": owners[c], "fields": [c]}}
            for c in table.columns if owners.get(c, table.name) != table.name]


def table_schema(table: Table) -> dict[str, Any]:
    """The Table Schema of one table: fields with types, descriptions and units; primary and foreign keys."""
    out: dict[str, Any] = {"fields": [_field_descriptor(table.field(c)) for c in table.columns]}
    if table.primary_key:
        out["primaryKey"] = list(table.primary_key)
    if keys := foreign_keys(table):
        out["foreignKeys"] = keys
    return out


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def table_files(out: Path, name: str) -> list[Path]:
    """The Parquet file(s) of one table: `<name>.parquet`, or the parts of a partitioned `<name>/` folder."""
    single = out / f"{name}.parquet"
    if single.is_file():
        return [single]
    return sorted((out / name).glob("**/*.parquet")) if (out / name).is_dir() else []


def _resource(out: Path, table: Table, file: Path, name: str) -> dict[str, Any]:
    return {"name": name, "type": "table", "path": file.relative_to(out).as_posix(), "format": "parquet",
            "mediatype": MEDIATYPE, "bytes": file.stat().st_size, "hash": f"sha256:{sha256_of(file)}",
            "rows": pq.read_metadata(file).num_rows, "description": table.description,
            "schema": table_schema(table)}


def _part_suffix(out: Path, name: str, file: Path) -> str:
    """`year-2019` for `<name>/year=2019/part-0.parquet`; `` for an unpartitioned table's one file."""
    keys = [p.replace("=", "-").replace("__HIVE_DEFAULT_PARTITION__", "null").lower()
            for p in file.relative_to(out / name).parts[:-1]]
    return "-".join(keys)


def datapackage(out: str | os.PathLike[str]) -> dict[str, Any]:
    """The datapackage.json descriptor of a build folder, from the schema and the files on disk.

    A partitioned table gives one resource per file (Parquet parts cannot be concatenated byte-wise as
    frictionless reads multi-file resources), named `<table>-year-<yyyy>`; its foreign keys point at the part
    of the referenced table with the same partition, or at the referenced table's one file.
    """
    folder = Path(out)
    resources: list[dict[str, Any]] = []
    for name, table in TABLES.items():
        for file in table_files(folder, name):
            part = _part_suffix(folder, name, file) if file.parent != folder else ""
            res = _resource(folder, table, file, f"{name}-{part}" if part else name)
            res["kremlin_data:table"] = name
            resources.append(res)
    names = {r["name"] for r in resources}
    for res in resources:
        part = res["name"].removeprefix(res["kremlin_data:table"])
        keys = []
        for key in res["schema"].pop("foreignKeys", []):
            target = key["reference"]["resource"]
            # a partitioned table refers to the same partition of the referenced table, or to its one file;
            # a key to a partition with no file (no rows there) is left out
            for candidate in (target + part, target):
                if candidate in names:
                    keys.append({**key, "reference": {**key["reference"], "resource": candidate}})
                    break
        if keys:
            res["schema"]["foreignKeys"] = keys
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "kremlin-data",
        "title": "Transcripts of en.kremlin.ru as typed tables",
        "description": "Events, speaker turns, speakers, numeric claims and topics parsed from the English "
                       "transcripts of the President of Russia's website. See README.md in this folder.",
        "version": __version__,
        "licenses": [DATA_LICENSE, CODE_LICENSE],
        "sources": [SOURCE],
        "keywords": ["kremlin", "transcripts", "speeches", "russia", "parquet"],
        "resources": resources,
    }


# ---- the dataset card ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Facts:
    """What the card and `kremlin-data info` say about a build folder."""

    version: str
    parsers: list[str]
    rows: dict[str, int]
    megabytes: dict[str, float]
    pages_by_year: list[tuple[int | None, int, int]]  # (year, text pages, html pages)
    files_by_form: dict[str, int]
    limits: list[tuple[str, int, str]] = field(default_factory=list)  # (reason code, rows, an explanation)

    @property
    def citation(self) -> str:
        """How to cite the build."""
        return CITATION.format(version=self.version, parser=", ".join(self.parsers) or "none")


def _scan(files: Sequence[Path]) -> pl.LazyFrame:
    return pl.scan_parquet(list(files), hive_partitioning=False)


def _form(path: pl.Expr) -> pl.Expr:
    return pl.when(path.str.contains(r"\.html?(\.gz)?$")).then(pl.lit("html")).otherwise(pl.lit("text"))


def facts(out: str | os.PathLike[str]) -> Facts:
    """Row counts, pages by year and form, parser versions and known limits of a build folder."""
    folder = Path(out)
    files = {name: table_files(folder, name) for name in TABLES}
    files = {k: v for k, v in files.items() if v}
    rows = {k: sum(pq.read_metadata(f).num_rows for f in v) for k, v in files.items()}
    mb = {k: sum(f.stat().st_size for f in v) / 1e6 for k, v in files.items()}
    by_year: list[tuple[int | None, int, int]] = []
    parsers: list[str] = []
    paths = pl.DataFrame({"source_path": []}, schema={"source_path": pl.String})
    if "events" in files:
        events = _scan(files["events"]).select("date", "source_path", "parser_version").collect()
        counts = (events.with_columns(pl.col("date").dt.year().alias("year"),
                                      _form(pl.col("source_path")).alias("form"))
                  .group_by("year").agg((pl.col("form") == "text").sum().alias("text"),
                                        (pl.col("form") == "html").sum().alias("html"))
                  .sort("year", nulls_last=True))
        by_year = [(r["year"], r["text"], r["html"]) for r in counts.iter_rows(named=True)]
        parsers = sorted(events["parser_version"].unique().to_list())
        paths = events.select("source_path")
    limits: list[tuple[str, int, str]] = []
    if "parse_issues" in files:
        issues = _scan(files["parse_issues"]).select("source_path", "reason").collect()
        paths = pl.concat([paths, issues.select("source_path")])
        split = issues.with_columns(pl.col("reason").str.split_exact(":", 1).struct.rename_fields(["code", "why"])
                                    .alias("r")).unnest("r")
        grouped = (split.group_by("code").agg(pl.len().alias("n"), pl.col("why").first().str.strip_chars())
                   .sort(["n", "code"], descending=[True, False]))
        limits = [(r["code"], r["n"], r["why"] or "") for r in grouped.iter_rows(named=True)]
    forms = paths.unique().select(_form(pl.col("source_path")).alias("form"))["form"].value_counts()
    by_form = {r["form"]: r["count"] for r in forms.iter_rows(named=True)}
    return Facts(__version__, parsers, rows, mb, by_year, by_form, limits)


def info_text(f: Facts) -> str:
    """The facts as plain text, for `kremlin-data info`."""
    lines = [f"kremlin-data {f.version}; pages parsed by version {', '.join(f.parsers) or '-'}"]
    lines += [f"{name}: {n} rows, {f.megabytes[name]:.2f} MB" for name, n in f.rows.items()]
    lines.append("input files: " + ", ".join(f"{n} {form}" for form, n in sorted(f.files_by_form.items())))
    lines.append("pages by year (text, html): " + "; ".join(
        f"{y if y is not None else 'no date'}: {t}, {h}" for y, t, h in f.pages_by_year))
    lines.append("parse issues by reason: " + ("; ".join(f"{c} {n}" for c, n, _ in f.limits) or "none"))
    lines.append(f"cite: {f.citation}")
    return "\n".join(lines)


def card(f: Facts) -> str:
    """The dataset card (README.md of the build folder) in Markdown."""
    out = ["# kremlin-data tables\n",
           "Typed tables of the transcripts published by the President of Russia's website (en.kremlin.ru), "
           f"built by kremlin-data {f.version}. `datapackage.json` beside this file describes every column "
           "(Frictionless Data Package v2, with sizes and SHA-256 hashes).\n",
           "## Tables\n", "| table | rows | MB | what a row is |", "|---|---|---|---|"]
    out += [f"| `{name}` | {n} | {f.megabytes[name]:.2f} | {TABLES[name].description} |" for name, n in f.rows.items()]
    out += ["", "## Where the input came from\n",
            "Source: President of Russia, en.kremlin.ru, licensed CC BY 4.0. Input files by form: "
            + (", ".join(f"{n} {form}" for form, n in sorted(f.files_by_form.items())) or "none") + ".\n",
            "| year | text pages | HTML pages |", "|---|---|---|"]
    out += [f"| {y if y is not None else 'no date'} | {t} | {h} |" for y, t, h in f.pages_by_year]
    out += ["", "## Parser\n", f"Pages parsed by kremlin-data version {', '.join(f.parsers) or '-'}.\n",
            "## Known limits\n",
            "Input the parser could not place, from `parse_issues` (one row per line or file; the rest built):\n"]
    out += [f"- `{code}`: {n} row(s). {why}" for code, n, why in f.limits] or ["- none: every input line was placed."]
    out += ["", "## How to cite\n", f"{f.citation}", ""]
    return "\n".join(out)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def finish_package(out: str | os.PathLike[str], partition_by: str | None = None) -> None:
    """After the tables are in place: partition them if asked, then write datapackage.json and README.md."""
    if partition_by == "year":
        partition_by_year(out)
    else:
        remove_partitioned(out)
    write_package(out)


def write_package(out: str | os.PathLike[str]) -> None:
    """Write datapackage.json and the card README.md into a finished build folder (each atomically)."""
    folder = Path(out)
    _write_atomic(folder / "datapackage.json", json.dumps(datapackage(folder), indent=1, ensure_ascii=False) + "\n")
    _write_atomic(folder / "README.md", card(facts(folder)))
