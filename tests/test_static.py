"""The package passes its linters: ruff with the project's rules and mypy --strict."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    if shutil.which("ruff") is None and _run("ruff", "--version").returncode:
        pytest.skip("ruff is not installed (it comes with the `test` extra)")
    result = _run("ruff", "check", "kremlin_data", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _run("mypy", "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr
