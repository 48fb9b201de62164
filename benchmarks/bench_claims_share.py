"""What numeric claims add to a build of the 1,395 text pages, in CPU seconds and in instructions.

Run from the repository root, with ../shared/data beside it, on a machine as quiet as you can get:

    python benchmarks/bench_claims_share.py [--runs 5] [--workers 2] [--code DIR]  # CPU seconds of builds
    python benchmarks/bench_claims_share.py --callgrind [--every 5]  # instructions of the parse and the claims

The first form runs `kremlin-data build --no-topics --clean` on the text pages, with and without
`--no-claims`, alternating, each build in its own process; it prints each build's CPU seconds (user + sys of
the build and its parse workers, from the kernel's accounting of the child) and the median of each. CPU
seconds are what to compare on a shared machine: other processes' load stretches wall time, much less the
CPU a build uses.

The second counts instructions under valgrind's callgrind in one process, on every Nth text page in the
build's chunks: `parse_files` alone, then also `_with_claims` as the build's main process runs it (polars'
threads included). Instruction counts do not depend on the machine's load.
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


def _build_cpu(out: Path, claims: bool, workers: int, code: Path | None) -> float:
    """CPU seconds (user + sys, with its workers) of one clean build without topics, with the package in `code`."""
    cmd = [sys.executable, "-m", "kremlin_data.cli", "build", str(PAGES), "--out", str(out), "--no-topics",
           "--clean", "--quiet", "--workers", str(workers)]
    if not claims:
        cmd.append("--no-claims")
    env = dict(os.environ, PYTHONPATH=str(code)) if code else None
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed ({status}): {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime


def builds(runs: int, workers: int, code: Path | None) -> None:
    """Median CPU seconds of `runs` builds with and without claims, alternating."""
    cpu: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            for claims in (False, True):
                out = Path(tmp) / f"run{i}{claims}"
                seconds = _build_cpu(out, claims, workers, code)
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
from kremlin_data.build import CHUNK_FILES, _chunks, _with_claims, parse_files
paths = sorted(str(p) for p in Path(sys.argv[1]).glob("*.txt"))[::int(sys.argv[2])]
_with_claims(parse_files(paths[:3], claims=False))  # imports and first-use caches: in every run, so they cancel
for chunk in _chunks(paths, CHUNK_FILES) if sys.argv[3] != "none" else []:
    parsed = parse_files(chunk, claims=False)
    if sys.argv[3] == "with":  # as the build does it: workers parse, the main process adds the claims
        _with_claims(parsed)
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
    """Instructions of the parse (parse_files) and of the claims (_with_claims) on every `every`th text page."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "run.py"
        script.write_text(_CALLGRIND_RUN, encoding="utf-8")
        base, without, with_claims = (_instructions(script, every, mode, Path(tmp)) for mode in ("none", "without",
                                                                                                  "with"))
    parse, claims = without - base, with_claims - without
    print(f"every {every}th text page, chunks of the build, one process, instructions (callgrind):")
    print(f"  without claims {parse / 1e9:.3f} G; claims add {claims / 1e9:.3f} G = {100 * claims / parse:.0f}%")


def main() -> int:
    """Print the figures."""
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--callgrind", action="store_true")
    args.add_argument("--every", type=int, default=5)
    args.add_argument("--code", type=Path, default=None,
                      help="a folder holding another version's kremlin_data/ to build with (e.g. a `git archive`)")
    opts = args.parse_args()
    if not PAGES.is_dir():
        print(f"{PAGES} not found (the workplace's ../shared/data)", file=sys.stderr)
        return 1
    if opts.callgrind:
        callgrind(opts.every)
    else:
        builds(opts.runs, opts.workers, opts.code)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
