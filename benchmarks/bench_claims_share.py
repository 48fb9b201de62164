"""What numeric claims add to a build of the 1,395 text pages, in CPU seconds and in instructions.

Run from the repository root, with ../shared/data beside it, on a machine as quiet as you can get:

    python benchmarks/bench_claims_share.py [--runs 5] [--workers 2]     # CPU seconds of whole builds
    python benchmarks/bench_claims_share.py --callgrind [--every 5]      # instructions of parse_files

The first form runs `kremlin-data build --no-topics --clean` on the text pages, with and without
`--no-claims`, alternating, each build in its own process; it prints each build's CPU seconds (user + sys of
the build and its parse workers, from the kernel's accounting of the child) and the median of each. CPU
seconds are what to compare on a shared machine: other processes' load stretches wall time, much less the
CPU a build uses.

The second counts instructions under valgrind's callgrind (one process, `parse_files` on every Nth text page
with and without claims), which does not depend on the machine's load at all.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO.parent / "shared" / "data" / "kremlin_en" / "text" / "pages"


def _build_cpu(out: Path, claims: bool, workers: int) -> float:
    """CPU seconds (user + sys, with its workers) of one clean build without topics."""
    cmd = [sys.executable, "-m", "kremlin_data.cli", "build", str(PAGES), "--out", str(out), "--no-topics",
           "--clean", "--quiet", "--workers", str(workers)]
    if not claims:
        cmd.append("--no-claims")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed ({status}): {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime


def builds(runs: int, workers: int) -> None:
    """Median CPU seconds of `runs` builds with and without claims, alternating."""
    cpu: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            for claims in (False, True):
                out = Path(tmp) / f"run{i}{claims}"
                seconds = _build_cpu(out, claims, workers)
                cpu[claims].append(seconds)
                shutil.rmtree(out)
                print(f"  run {i + 1}: {'with' if claims else 'without'} claims {seconds:.2f} CPU s", flush=True)
    without, with_claims = statistics.median(cpu[False]), statistics.median(cpu[True])
    print(f"build --no-topics of {len(list(PAGES.glob('*.txt')))} text pages, {workers} workers, median of {runs}:")
    print(f"  without claims {without:.2f} CPU s, with claims {with_claims:.2f} CPU s: claims add "
          f"{with_claims - without:.2f} s = {100 * (with_claims / without - 1):.0f}%")


_CALLGRIND_RUN = """
import sys
from pathlib import Path
from kremlin_data.build import parse_files
paths = sorted(str(p) for p in Path(sys.argv[1]).glob("*.txt"))[::int(sys.argv[2])]
parse_files(paths[:5], claims=True)  # imports and first-use caches: counted in every run, so they cancel out
if sys.argv[3] != "none":
    parse_files(paths, claims=sys.argv[3] == "with")
"""


def _instructions(script: Path, every: int, mode: str, tmp: Path) -> int:
    """Instructions of one run of the script under callgrind."""
    out = tmp / f"callgrind.{mode}"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(script),
                    str(PAGES), str(every), mode], check=True, capture_output=True)
    total = re.search(r"^(?:summary|totals): (\d+)", out.read_text(encoding="utf-8"), re.M)
    if total is None:
        raise SystemExit(f"no instruction total in {out}")
    return int(total.group(1))


def callgrind(every: int) -> None:
    """Instructions of parse_files on every `every`th text page, with and without claims."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "run.py"
        script.write_text(_CALLGRIND_RUN, encoding="utf-8")
        base, without, with_claims = (_instructions(script, every, mode, Path(tmp)) for mode in ("none", "without",
                                                                                                  "with"))
    parse, claims = without - base, with_claims - without
    print(f"parse_files on every {every}th text page, one process, instructions (callgrind):")
    print(f"  without claims {parse / 1e9:.3f} G; claims add {claims / 1e9:.3f} G = {100 * claims / parse:.0f}%")


def main() -> int:
    """Print the figures."""
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--callgrind", action="store_true")
    args.add_argument("--every", type=int, default=5)
    opts = args.parse_args()
    if not PAGES.is_dir():
        print(f"{PAGES} not found (the workplace's ../shared/data)", file=sys.stderr)
        return 1
    if opts.callgrind:
        callgrind(opts.every)
    else:
        builds(opts.runs, opts.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
