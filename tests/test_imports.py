"""What a start loads: `import kremlin_data` and `kremlin-data build` stay free of the libraries they do not need.

Each check runs in a fresh interpreter, since the test process has long imported everything. pandas is the costly
one (~0.5 s): pyarrow imports it, when installed, from `pyarrow.dataset` and on its first conversion of Python
objects; the build needs neither.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

needs_pandas = pytest.mark.skipif(importlib.util.find_spec("pandas") is None,
                                  reason="pandas is not installed, so nothing could import it (it comes with [test])")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


_LOADED = "print(sorted(m for m in {names!r} if m in sys.modules))"


@needs_pandas
def test_import_of_the_package_loads_no_pandas_and_no_topic_or_network_libraries() -> None:
    names = ("pandas", "pyarrow.dataset", "scipy", "sklearn", "httpx", "altair", "kremlin_data.topics")
    code = "import sys\nimport kremlin_data as kd\nassert callable(kd.build) and callable(kd.load_events)\n"
    assert _run(code + _LOADED.format(names=names)) == "[]"


@needs_pandas
def test_cli_build_imports_no_pandas(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = (f"import sys\nfrom kremlin_data.cli import main\n"
            f"assert main(['build', '--out', {str(out)!r}, '--quiet']) == 0\n" + _LOADED.format(names=("pandas",)))
    assert _run(code) == "[]"
    assert (out / "utterances.parquet").is_file()
    assert (out / "events.parquet").is_file()


@needs_pandas
def test_pandas_still_works_after_the_cli_kept_it_out_of_pyarrows_first_look() -> None:
    code = ("import sys\nimport pyarrow as pa\nfrom kremlin_data.build import skip_pandas_probe\n"
            "skip_pandas_probe()\nassert 'pandas' not in sys.modules\n"
            "frame = pa.table({'a': [1, 2]}).to_pandas()\n"
            "import pandas as pd\n"
            "assert isinstance(frame, pd.DataFrame) and frame['a'].tolist() == [1, 2]\n"
            "print(pa.array(pd.Series([3, 4])).to_pylist())")
    assert _run(code) == "[3, 4]"


@needs_pandas
def test_parse_workers_import_no_pandas_and_the_build_forks_them_before_it_does(tmp_path: Path) -> None:
    """The library's build leaves pyarrow's look for pandas as it is in the caller's process, but only after the
    parse's workers are forked; the workers skip it (`skip_pandas_probe`), so none of them imports pandas."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    sample = (REPO / "kremlin_data" / "sample" / "2022-08-19.txt").read_bytes()
    for name in ("a.txt", "b.txt", "c.txt"):
        (inputs / name).write_bytes(sample)
    seen = tmp_path / "seen.txt"
    code = """
import os, sys
import kremlin_data
build = sys.modules["kremlin_data.build"]
build.CHUNK_FILES = 1
parse, main, seen, inputs, out = build.parse_files, os.getpid(), sys.argv[1], sys.argv[2], sys.argv[3]
def spy(paths, **kw):
    with open(seen, "a") as f:
        f.write(f"{os.getpid() != main} {'pandas' in sys.modules}\\n")
    return parse(paths, **kw)
build.parse_files = spy
kremlin_data.build([inputs], out, workers=2, topics=False, progress=False, log=lambda _m: None)
print('pandas' in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code, str(seen), str(inputs), str(tmp_path / "out")], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]  # the caller's process: as it was
    assert seen.read_text().splitlines() == ["True False"] * 3  # parsed in workers, without pandas
