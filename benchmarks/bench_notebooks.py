"""Time each notebook executed headless (nbclient, kernel start included) against a build folder.

Prints wall seconds and the CPU seconds (user + sys) of the notebook's kernel, which, unlike the wall time,
hardly depend on what else the machine is doing.

Usage: python benchmarks/bench_notebooks.py DATA_DIR   (a folder built by `kremlin-data build`)
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ["KREMLIN_DATA_DIR"] = str(Path(sys.argv[1]).resolve())
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernel, reaped when the client shut it down
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        nbformat.validate(nb)
        notes = [o.text.strip() for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if o.output_type == "stream"]
        cells = sum(c.cell_type == "code" for c in nb.cells)
        print(f"{path.name}: {seconds:.1f} s wall, {cpu:.1f} s CPU, {cells} code cells, {len(notes)} printed notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
