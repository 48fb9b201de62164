"""How build time grows with the input: 1k, 2k, 4k and all day files, and the saved HTML archive.

Usage: python benchmarks/bench_growth.py [1000 2000 4000 all html ...] [--workers N]

For each input set, three builds into one fresh folder, each in its own process (so peak memory is that
build's): the first build of all files but the last (it fits and saves the topic models), a rebuild after
adding the last file (the cache gives the others' rows; the saved models are applied), and a clean build of
all files with the saved models (`clean=True`: every file parsed again). Prints, per build, the seconds of
each stretch (parse pass, speakers, topics: see `BuildSummary.timings`; the topic step runs beside the speakers
step, and its own wall time follows as "own"), the rest, wall and CPU seconds (user + sys, this process and
its workers) and peak RSS; then, per step, seconds per 1,000 files of the clean builds, which stays flat
when a step grows linearly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DAYS = ROOT / "kremlin_en_days" / "content"
HTML = (ROOT / "kremlin_en" / "raw" / "iandennismiller_valdai-transcripts" / "en.kremlin.ru" / "events" / "president"
        / "news")
STEPS = ("parse", "speakers", "topics")


def _one(files_list: Path, out: Path, clean: bool, workers: int) -> None:
    """Run one build (in a child process) and print its figures as JSON."""
    import kremlin_data as kd

    files = files_list.read_text(encoding="utf-8").splitlines()
    start = time.perf_counter()
    summary = kd.build(files, out, workers=workers, progress=False, log=lambda _m: None, clean=clean)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall": wall, "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_mb": max(own.ru_maxrss, kids.ru_maxrss) / 1024, "timings": summary.timings,
        "files": summary.files, "cached": summary.cached_files, "events": summary.events,
        "utterances": summary.utterances,
    }))


def _run(files: list[Path], out: Path, clean: bool, workers: int, tmp: Path) -> dict[str, object]:
    listing = tmp / "files.txt"
    listing.write_text("\n".join(str(f) for f in files), encoding="utf-8")
    cmd = [sys.executable, __file__, "--one", str(listing), str(out), "--workers", str(workers)]
    if clean:
        cmd.append("--clean")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _line(label: str, r: dict[str, object]) -> str:
    t = r["timings"]
    assert isinstance(t, dict)
    wall = float(str(r["wall"]))
    rest = wall - sum(t.get(s, 0.0) for s in STEPS)
    steps = "  ".join(f"{s} {t.get(s, 0.0):6.2f}" for s in STEPS)
    own = f"(own {t['topic_step']:5.2f})" if "topic_step" in t else ""
    return (f"  {label:<28} {steps} {own}  rest {rest:5.2f}  | wall {wall:6.2f} s  cpu {float(str(r['cpu'])):6.2f} s  "
            f"peak {float(str(r['peak_mb'])):5.0f} MB  ({r['files']} files, {r['cached']} from cache, "
            f"{r['events']} events, {r['utterances']} turns)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=["1000", "2000", "4000", "all", "html"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", nargs=2, metavar=("FILES", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--clean", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(Path(args.one[0]), Path(args.one[1]), args.clean, args.workers)
        return 0
    load = Path("/proc/loadavg")
    if load.is_file():
        print(f"load average at start: {load.read_text(encoding='ascii').split()[0]} (2 cores)")
    per_1000: dict[str, list[tuple[int, float]]] = {s: [] for s in STEPS}
    for name in args.sets:
        folder = HTML if name == "html" else DAYS
        if not folder.is_dir():
            print(f"{name}: {folder} not found (the workplace's ../shared/data); skipped", file=sys.stderr)
            continue
        files = sorted(p for p in folder.iterdir() if p.is_file())
        if name not in ("all", "html"):
            files = files[:int(name)]
        print(f"{name}: {len(files)} files")
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            out = tmp / "out"
            first = _run(files[:-1], out, False, args.workers, tmp)
            print(_line("first build (fits models)", first))
            added = _run(files, out, False, args.workers, tmp)
            print(_line("rebuild, one file added", added))
            clean = _run(files, out, True, args.workers, tmp)
            print(_line("clean build, saved models", clean))
        t = clean["timings"]
        assert isinstance(t, dict)
        if name != "html":
            for s in STEPS:
                per_1000[s].append((len(files), 1000 * t.get(s, 0.0) / len(files)))
    if any(per_1000.values()):
        print("clean builds of day files, seconds per 1,000 files (flat = linear growth):")
        for s, points in per_1000.items():
            print(f"  {s:<9} " + "  ".join(f"{n} files: {v:.2f}" for n, v in points))
    return 0


if __name__ == "__main__":
    sys.exit(main())
