"""Shared fixtures: the real-data folder, the bundled-sample build, and the --update-golden option."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (a seed derived from each test), so a run passes or
# fails the same way every time; a case they once found by chance is kept as an @example.
settings.register_profile("deterministic", derandomize=True)
settings.load_profile("deterministic")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data" / "kremlin_en"
TEXT_DIR = SHARED_DATA / "text"
HTML_DIR = (SHARED_DATA / "raw" / "iandennismiller_valdai-transcripts" / "en.kremlin.ru" / "events" / "president"
            / "news")
DAYS_DIR = REPO.parent / "shared" / "data" / "kremlin_en_days" / "content"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/**/*.expected.json")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def load_benchmark(name: str) -> ModuleType:
    """A script of benchmarks/ imported as a module (the tests score the gold sets with its code)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def need(path: Path) -> Path:
    """Skip the calling test, naming what is missing, when the real data is not beside the repo."""
    if not path.exists():
        pytest.skip(f"real data not found: {path} (the ../shared/data folder of the workplace)")
    return path


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built once per session into a temporary folder."""
    from kremlin_data.build import build

    out = tmp_path_factory.mktemp("sample-build")
    build(None, out, workers=1, progress=False, log=lambda _msg: None)
    return out


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole run (starting the JVM is the slow part)."""
    pytest.importorskip("pyspark", reason="pyspark is in the test extra")
    if _java() is None:
        pytest.skip("no Java runtime (java not on PATH, JAVA_HOME unset): Spark cannot start; .ci/run installs "
                    "Debian's openjdk-17-jre-headless where apt-get is available")
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (SparkSession.builder.master("local[1]").appName("kremlin-data-interop")
               .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.session.timeZone", "UTC")
               # a short-lived JVM: the quick JIT tier only starts faster
               .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


