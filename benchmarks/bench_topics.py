"""Time the topic step on the real archive and score the site-topic classifier on pages held out by page.

Usage: python benchmarks/bench_topics.py [BUILD_DIR | html | text] [--folds K]

With a build folder, reads its events and utterances; with `html` (the default) or `text`, first builds that
input set of ../shared/data into a temporary folder without topics (not timed). Then prints the seconds
`topic_tables` takes (target: under 30 s on the 7,235-page archive), the row counts, the learned topics, and
micro/macro F1 at page level over K folds, on the topics carried by 50+ pages (target: micro F1 >= 0.7).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import polars as pl

import kremlin_data as kd
from kremlin_data import topics as tp

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "kremlin_en"
SETS = {
    "text": [DATA / "text" / "pages", DATA / "text" / "other"],
    "html": [DATA / "raw" / "iandennismiller_valdai-transcripts" / "en.kremlin.ru" / "events" / "president" / "news"],
}


def bench(folder: Path, folds: int) -> None:
    events, utterances = kd.load_events(folder), kd.load_utterances(folder)
    print(f"{events.height} events, {utterances.height} turns, {os.cpu_count()} CPUs")
    messages: list[str] = []
    start = time.perf_counter()
    tables = tp.topic_tables(events, utterances, log=messages.append)
    seconds = time.perf_counter() - start
    print(f"topic step: {seconds:.1f} s (target < 30 s)")
    for m in messages:
        print(f"  log: {m}")
    print("rows: " + ", ".join(f"{k} {v.num_rows:,}" for k, v in tables.items()))
    tags = pl.from_arrow(tables["event_tags"])
    assert isinstance(tags, pl.DataFrame)
    print("event_tags by type: " + ", ".join(f"{t} {n:,}" for t, n in tags.group_by("tag_type").len().sort(
        "tag_type").iter_rows()))
    topics = pl.from_arrow(tables["topics"])
    assert isinstance(topics, pl.DataFrame)
    print("learned topics (id, turns with it first, label):")
    for topic_id, label, n in topics.select("topic_id", "label", "n_utterances").iter_rows():
        print(f"  {topic_id:>2} {n:>5}  {label}")

    start = time.perf_counter()
    scores = tp.evaluate_site_topics(events, utterances, folds=folds)
    print(f"site topics, {folds}-fold held out by page ({time.perf_counter() - start:.1f} s), "
          f"{len(scores.topics)} topics with 50+ pages:")
    print(f"  all {scores.n_pages} tagged pages: micro F1 {scores.micro_f1:.3f}, macro F1 {scores.macro_f1:.3f}")
    print(f"  {scores.n_transcripts} pages with turns: micro F1 {scores.micro_f1_transcripts:.3f}, "
          f"macro F1 {scores.macro_f1_transcripts:.3f}")
    for topic, f1 in sorted(scores.per_topic_f1.items(), key=lambda kv: -kv[1]):
        print(f"    {f1:.3f}  {topic}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default="html", help="a build folder, or `html` / `text`")
    parser.add_argument("--folds", type=int, default=tp.EVAL_FOLDS)
    args = parser.parse_args()
    if args.source not in SETS:
        bench(Path(args.source), args.folds)
        return
    with tempfile.TemporaryDirectory() as out:
        kd.build(SETS[args.source], out, progress=False, log=lambda _m: None, claims=False, topics=False)
        bench(Path(out), args.folds)


if __name__ == "__main__":
    main()
