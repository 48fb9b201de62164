"""Time full builds on the real corpus and compare them with a decode-and-scan floor over the same bytes.

Usage: python benchmarks/bench_build.py [text|html|both] [--workers N]

Prints, for each input set: input MB (decompressed), seconds, MB/s, pages/s and peak RSS (this process
plus its worker processes), and the same figures for the floor (gunzip + UTF-8 decode + one regular
expression pass, single process), so the ratio to that floor shows.
"""

from __future__ import annotations

import argparse
import gzip
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import kremlin_data as kd

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "kremlin_en"
SETS = {
    "text": DATA / "text" / "pages",
    "html": DATA / "raw" / "iandennismiller_valdai-transcripts" / "en.kremlin.ru" / "events" / "president" / "news",
}
_SCAN = re.compile(r"^[A-Z][^:\n]{0,80}:", re.M)


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def floor(files: list[Path]) -> tuple[float, float]:
    """Seconds and MB for gunzip + decode + one regex pass over the files."""
    start = time.perf_counter()
    size = 0
    hits = 0
    for f in files:
        data = f.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        size += len(data)
        hits += len(_SCAN.findall(data.decode("utf-8", errors="replace")))
    return time.perf_counter() - start, size / 1e6


def run(name: str, folder: Path, workers: int | None) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    floor_s, mb = floor(files)
    workers = workers or 2
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        bare = kd.build([folder], out, workers=workers, progress=False, log=lambda _m: None, claims=False,
                        topics=False)
        bare_s = time.perf_counter() - start
        start = time.perf_counter()
        summary = kd.build([folder], out, workers=workers, progress=False, log=lambda _m: None, clean=True)
        build_s = time.perf_counter() - start
        sizes = {p.stem: p.stat().st_size / 1e6 for p in Path(out).glob("*.parquet")}
    parse_s = summary.timings["parse"]
    pages = summary.events
    print(f"{name}: {len(files)} files, {mb:.1f} MB, {pages} events, {summary.utterances} utterances, "
          f"{summary.rows.get('claims', 0)} claims, {summary.failed_files} failed files, {summary.issues} issues")
    print(f"  parse : {bare_s:6.2f} s  {mb / bare_s:6.1f} MB/s  {pages / bare_s:7.0f} pages/s  "
          f"(build without claims and topics: pages -> events, utterances, speakers)")
    print(f"  +claims: parse pass {parse_s:.2f} s, {100 * (parse_s / bare.timings['parse'] - 1):+.0f}% over the "
          f"pass without claims ({bare.timings['parse']:.2f} s)")
    print(f"  +topics: {summary.timings['topics']:.2f} s (tags, learned topics, site-topic classifier)")
    print(f"  full  : {build_s:6.2f} s  {mb / build_s:6.1f} MB/s  {pages / build_s:7.0f} pages/s  "
          f"peak RSS {_peak_rss_mb():.0f} MB  (parquet {sum(sizes.values()):.1f} MB)")
    print(f"  floor : {floor_s:6.2f} s  {mb / floor_s:6.1f} MB/s  {len(files) / floor_s:7.0f} pages/s  "
          f"(gunzip + decode + regex, 1 process); build/floor = {build_s / floor_s:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="?", default="both", choices=["text", "html", "both"])
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    for name in (["text", "html"] if args.which == "both" else [args.which]):
        if not SETS[name].is_dir():
            print(f"{name}: {SETS[name]} not found (the workplace's ../shared/data); skipped", file=sys.stderr)
            continue
        run(name, SETS[name], args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
