"""datapackage.json validates with frictionless (hashes, sizes, rows, keys), the dataset card, info, partitions."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

import kremlin_data as kd
from kremlin_data.build import sample_path
from kremlin_data.cli import main
from kremlin_data.package import datapackage, facts
from kremlin_data.schema import TABLES

frictionless = pytest.importorskip("frictionless", reason="frictionless is in the test extra")


@pytest.fixture(scope="module", autouse=True)
def _plugin() -> None:
    # An editable install hides the top-level frictionless_kremlin module from frictionless's plugin discovery
    # (pkgutil.iter_modules); a regular install finds it by itself. Here it is registered by hand.
    from kremlin_data.frictionless_parquet import KremlinPlugin

    frictionless.system.register("kremlin", KremlinPlugin())


def _validate(folder: Path) -> dict[str, list[str]]:
    report = frictionless.Package(str(folder / "datapackage.json")).validate()
    return {task.name: [f"{e.type}: {e.note}" for e in task.errors] for task in report.tasks}


def test_datapackage_validates_and_its_hashes_match_the_files(sample_build: Path) -> None:
    desc = json.loads((sample_build / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert desc["version"] == kd.__version__
    assert {lic["name"] for lic in desc["licenses"]} == {"CC-BY-4.0", "MIT"}
    assert desc["sources"][0]["path"] == "http://en.kremlin.ru/"
    assert [r["name"] for r in desc["resources"]] == list(TABLES)
    for res in desc["resources"]:
        file = sample_build / res["path"]
        assert res["hash"] == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
        assert res["bytes"] == file.stat().st_size
        assert res["rows"] == pq.read_metadata(file).num_rows
        table = TABLES[res["name"]]
        assert [f["name"] for f in res["schema"]["fields"]] == list(table.columns)
        assert all(f["description"] for f in res["schema"]["fields"])
    events = desc["resources"][0]["schema"]
    assert events["primaryKey"] == ["event_id"]
    by_name = {f["name"]: f for f in events["fields"]}
    assert by_name["time"]["type"] == "string" and by_name["started_at"]["type"] == "datetime"
    assert by_name["topic_ids"] == {**by_name["topic_ids"], "type": "array", "arrayItem": {"type": "integer"}}
    assert by_name["n_words"]["unit"] == "words" and by_name["event_id"]["constraints"] == {"required": True}
    claims = next(r for r in desc["resources"] if r["name"] == "claims")["schema"]
    assert {"fields": ["event_id"], "reference": {"resource": "events", "fields": ["event_id"]}} in (
        claims["foreignKeys"])
    assert _validate(sample_build) == {name: [] for name in TABLES}


def test_frictionless_catches_a_changed_file_and_a_broken_key(sample_build: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(sample_build, folder)
    # a file rewritten with one row less: hash, size and row count no longer match
    pq.write_table(pq.read_table(folder / "speakers.parquet").slice(1), folder / "speakers.parquet")
    # an utterance pointing at an event that does not exist
    utterances = pl.read_parquet(folder / "utterances.parquet").with_columns(
        pl.when(pl.col("seq") == 1).then(pl.lit("kremlin-en-0")).otherwise(pl.col("event_id")).alias("event_id"))
    utterances.write_parquet(folder / "utterances.parquet")
    found = _validate(folder)
    assert {e.split(":")[0] for e in found["speakers"]} >= {"hash-count", "byte-count", "row-count"}
    assert any(e.startswith("foreign-key") for e in found["utterances"])


def test_card_and_info_say_the_same_facts(sample_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = (sample_build / "README.md").read_text(encoding="utf-8")
    f = facts(sample_build)
    assert f.pages_by_year == [(2022, 2, 0)] and f.files_by_form == {"text": 1}
    assert "| 2022 | 2 | 0 |" in card and "| `utterances` | 22 |" in card
    assert f.citation in card and "CC BY 4.0" in card
    assert main(["info", str(sample_build)]) == 0
    out = capsys.readouterr().out
    assert "utterances: 22 rows" in out and "2022: 2, 0" in out and f.citation in out


def test_card_lists_parse_issues_as_known_limits(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("no page here\n")
    shutil.copy(sample_path(), tmp_path / "in" / "a.txt")
    kd.build([tmp_path / "in"], tmp_path / "out", progress=False, log=lambda _m: None, topics=False)
    f = facts(tmp_path / "out")
    issues = kd.load_parse_issues(tmp_path / "out")
    expected = issues["reason"].str.split(":").list.first().value_counts()
    assert f.limits and sorted((code, n) for code, n, _ in f.limits) == sorted(expected.rows())
    assert all(source.endswith("notes.txt") for source in issues["source_path"])
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{code}`: {n} row(s)." in card for code, n, _ in f.limits)


def test_partitioned_build_reads_back_the_same_rows(sample_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "parts"
    kd.build(None, out, progress=False, log=lambda _m: None, partition_by="year")
    assert (out / "utterances" / "year=2022" / "part-0.parquet").is_file()
    assert (out / "speakers" / "part-0.parquet").is_file() and not list(out.glob("*.parquet"))
    for name, table in TABLES.items():
        key = list(table.primary_key or table.columns[:2])
        assert kd.load(name, out).sort(key).equals(kd.load(name, sample_build).sort(key)), name
    desc = datapackage(out)
    assert {r["name"] for r in desc["resources"]} >= {"events-year-2022", "utterances-year-2022", "speakers"}
    utt = next(r for r in desc["resources"] if r["name"] == "utterances-year-2022")["schema"]["foreignKeys"]
    assert {"fields": ["event_id"], "reference": {"resource": "events-year-2022", "fields": ["event_id"]}} in utt
    assert all(not errors for errors in _validate(out).values())
    # a one-file build into the same folder replaces the partitioned folders
    kd.build(None, out, progress=False, log=lambda _m: None)
    assert (out / "utterances.parquet").is_file() and not (out / "utterances").exists()


def test_partition_by_rejects_unknown_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="partition_by must be None or 'year'"):
        kd.build(None, tmp_path, partition_by="month")
