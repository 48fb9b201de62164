"""The notebooks: committed clean, and executed headless (nbclient) on the sample build and on the archive."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nbformat
import pytest
from conftest import HTML_DIR, need
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
TOO_SMALL = "Not enough data for this chart"


def test_the_four_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_speaking_share.ipynb", "02_numeric_claims.ipynb", "03_topics.ipynb",
                                           "04_questions.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clear_and_valid(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them before committing"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state (the charts' JavaScript); clear it"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    params = nb.cells[1].source
    assert nb.cells[1].cell_type == "code" and 'os.environ.get("KREMLIN_DATA_DIR"' in params


def execute_all(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, nbformat.NotebookNode]:
    """Run every notebook against `data_dir`, each in its own kernel, all at once; raises on a failing cell."""
    monkeypatch.setenv("KREMLIN_DATA_DIR", str(data_dir))  # the kernels inherit the environment
    books = {p.stem: nbformat.read(p, as_version=4) for p in NOTEBOOKS}
    clients = [NotebookClient(nb, timeout=300, kernel_name="python3",
                              resources={"metadata": {"path": str(NOTEBOOKS[0].parent)}}) for nb in books.values()]

    async def run() -> None:
        await asyncio.gather(*(c.async_execute() for c in clients))

    asyncio.run(run())
    for nb in books.values():
        nbformat.validate(nb)  # the chart outputs must be ones nbformat accepts
    return books


def outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in outputs(nb) if o.output_type == "stream" and o.name == "stdout")


def n_charts(nb: nbformat.NotebookNode) -> int:
    return sum(WIDGET in o.get("data", {}) for o in outputs(nb))


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Warnings or errors printed, and cells that display a bare `None` instead of a chart or a sentence."""
    return ([o.text for o in outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
            + ["displays None" for o in outputs(nb) if o.get("data", {}).get("text/plain") == "None"])


@pytest.mark.notebooks
def test_notebooks_run_on_the_sample(sample_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = execute_all(sample_build, monkeypatch)
    for name, nb in books.items():
        assert not problems(nb), (name, problems(nb))
    # The two-page sample draws what it can and says why it cannot draw the rest.
    assert n_charts(books["01_speaking_share"]) >= 3
    assert TOO_SMALL in printed(books["01_speaking_share"])
    assert "2 events and 22 speaker turns" in printed(books["01_speaking_share"])
    assert TOO_SMALL in printed(books["03_topics"])
    # The sample's one page of questions draws the answer lengths and says why the rest cannot be drawn.
    assert n_charts(books["04_questions"]) == 1
    assert TOO_SMALL in printed(books["04_questions"])
    assert "5 answered questions in 1 of 2 events" in printed(books["04_questions"])


def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 7,235 saved HTML pages built once per session (the browser test shares it)."""
    from kremlin_data.build import build

    inputs = [need(HTML_DIR)]
    out = tmp_path_factory.getbasetemp() / "archive-build"
    if not (out / "events.parquet").is_file():  # build writes its tables only when the whole build succeeded
        build(inputs, out, progress=False, log=lambda _msg: None)
    return out


@pytest.fixture(scope="session")
def archive_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_dir(tmp_path_factory)


@pytest.mark.corpus
@pytest.mark.notebooks
def test_notebooks_run_on_the_archive(archive_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    books = execute_all(archive_build, monkeypatch)
    expected_charts = {"01_speaking_share": 6, "02_numeric_claims": 7, "03_topics": 4, "04_questions": 6}
    for name, nb in books.items():
        assert not problems(nb), (name, problems(nb))
        assert TOO_SMALL not in printed(nb), (name, printed(nb))
        assert n_charts(nb) == expected_charts[name], name
