"""Time the speakers step (identity over the corpus) and print what it merged.

Usage: python benchmarks/bench_speakers.py [BUILD_DIR]

Without a folder, first builds the 4,174 day files of ../shared/data/kremlin_en_days without claims and topics
(not timed). Then times `identity.corpus_speakers` on the build's events and utterances (best of 3; wall and
CPU seconds; target under 1 s), and prints the speakers before (one id per printed name) and after, the merges
by evidence and the ten largest merges.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import polars as pl

import kremlin_data as kd
from kremlin_data import identity

DAYS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "kremlin_en_days" / "content"


def bench(folder: Path) -> None:
    events, utterances = kd.load_events(folder), kd.load_utterances(folder)
    print(f"{events.height} events, {utterances.height} turns")
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        resolved, aliases, speakers = identity.corpus_speakers(utterances, events)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(f"speakers step: {best_wall:.2f} s wall, {best_cpu:.2f} s CPU (best of 3; target < 1 s)")
    printed = aliases.filter(pl.col("evidence") == "name").get_column("speaker_id").n_unique()
    before = utterances.filter(pl.col("speaker_name").is_not_null()).get_column("speaker_name").unique().map_elements(
        identity.speaker_id, return_dtype=pl.String).n_unique()
    print(f"speakers: {before} printed-name ids before, {speakers.height} after ({printed} ids printed as such)")
    merges = aliases.filter(~pl.col("evidence").is_in(["name"]))
    print(merges.group_by("evidence").agg(pl.len().alias("aliases"), pl.sum("n_utterances")).sort("evidence"))
    with pl.Config(tbl_rows=10, fmt_str_lengths=40):
        print("ten largest merges (alias -> speaker_id, turns):")
        print(merges.sort("n_utterances", descending=True).head(10))
    putin = resolved.filter(pl.col("speaker_label").str.contains(r"(?i)\bputin\b")
                            & ~pl.col("speaker_label").str.contains(r"(?i)putin[’']s") & (pl.col("kind") == "named"))
    print(f"turns labelled with Putin's name: {putin.height}, ids: {putin['speaker_id'].unique().to_list()}")


def main() -> None:
    if len(sys.argv) > 1:
        bench(Path(sys.argv[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        kd.build([DAYS], tmp, workers=2, progress=False, claims=False, topics=False, log=lambda _m: None)
        bench(Path(tmp))


if __name__ == "__main__":
    main()
