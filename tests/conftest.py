"""Shared fixtures: the real-data folder, the bundled-sample build, and the --update-golden option."""

from __future__ import annotations

from pathlib import Path

import pytest

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
