"""The notebooks as a user sees them: JupyterLab on loopback, each notebook run in headless Chromium, charts drawn.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); Playwright's own browser download is
not used. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from playwright.sync_api import Page
from test_notebooks import archive_dir

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDGET = "application/vnd.jupyter.widget-view+json"
# Lab settings for a quiet, deterministic page: the notebook's kernel starts without asking, every cell is
# rendered (no windowing), no news or update checks.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                   "autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found: apt-get install -y chromium"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its address and token."""

    base: str
    token: str

    def notebook_url(self, name: str, workspace: str) -> str:
        # One workspace per page: it shows that notebook alone, not the tabs left open by the previous page.
        return f"{self.base}/lab/workspaces/{workspace}/tree/{name}?token={self.token}"

    def contents_url(self, name: str) -> str:
        return f"{self.base}/api/contents/{name}?token={self.token}"


@contextmanager
def running_lab(data_dir: Path, work: Path) -> Iterator[Lab]:
    """Serve copies of the notebooks (running them must not write outputs into the repo) on loopback."""
    root, settings = work / "root", work / "settings"
    root.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, root / nb.name)
    for name, values in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "KREMLIN_DATA_DIR": str(data_dir), "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
    log = (work / "lab.log").open("w")
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={work / 'workspaces'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if lab.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(work / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield Lab(base, token)
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
        log.close()


Probe = Callable[[Page], dict[str, Any]]


def run_in_browser(lab: Lab, label: str, probes: dict[str, Probe] | None = None) -> dict[str, dict[str, Any]]:
    """Open each notebook in Chromium, run all cells, wait for the charts; return what each page shows.

    `probes` (by notebook stem) act on the finished page, e.g. hover and click a chart, and add what they saw.
    """
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    seen: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            for nb in NOTEBOOKS:
                page = browser.new_page(viewport={"width": 1400, "height": 1800})
                try:
                    seen[nb.stem] = run_one(page, lab, nb.name, f"{nb.stem}-{label}")
                    if probes and nb.stem in probes:
                        seen[nb.stem].update(probes[nb.stem](page))
                finally:  # the screenshot shows a failure too
                    page.screenshot(path=str(ARTIFACTS / f"{nb.stem}-{label}.png"))
                    page.close()
        finally:
            browser.close()
    return seen


def run_one(page: Page, lab: Lab, name: str, workspace: str) -> dict[str, Any]:
    """Run all cells of one notebook; count the chart outputs the kernel sent and the charts the page drew."""
    page.goto(lab.notebook_url(name, workspace))
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('[role="menuitem"][data-command="runmenu:run-all"]').click()
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    # Every code cell numbered, none pending: the run is over.
    page.wait_for_function(
        """() => {
            const book = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
            const prompts = book ? [...book.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')] : [];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=180_000)
    # The outputs as JupyterLab saves them: one widget output per chart.
    page.get_by_role("menuitem", name="File", exact=True).click()
    page.locator('[role="menuitem"][data-command="docmanager:save"]').click()
    page.locator(".jp-mod-dirty").first.wait_for(state="detached", timeout=30_000)
    cells = page.request.get(lab.contents_url(name)).json()["content"]["cells"]
    charts = sum(WIDGET in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    # Widgets draw asynchronously: wait until as many Vega views as chart outputs are drawn.
    drawn = notebook.locator(".jp-OutputArea-output .vega-embed").filter(has=page.locator("svg, canvas"))
    deadline = time.monotonic() + 60
    while drawn.count() < charts and time.monotonic() < deadline:
        time.sleep(0.5)
    errors = notebook.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    text = notebook.inner_text()
    if drawn.count():
        drawn.first.scroll_into_view_if_needed()
    return {
        "charts": charts,
        "drawn": drawn.count(),
        "errors": [errors.nth(i).inner_text()[:300] for i in range(errors.count())]
        + [m for m in ("Error loading script", "Error displaying widget", "Traceback") if m in text],
    }


def check(seen: dict[str, dict[str, Any]]) -> None:
    for name, facts in seen.items():
        assert not facts["errors"], (name, facts)
        assert facts["drawn"] == facts["charts"], (name, facts)  # every chart output shows its chart


def probe_speaker_chart(page: Page) -> dict[str, Any]:
    """Hover a bar of the first chart (words per speaker per event) for its tooltip; click the other event's bar."""
    chart = page.locator(".vega-embed").first
    chart.scroll_into_view_if_needed()
    bar = chart.locator('path[aria-label*="Kazakhstan"]').first
    # Vega describes each axis in an aria-label that lists its values: the lower chart's y axis lists speakers.
    speakers_axis = chart.locator('g[aria-label^="Y-axis"]').last
    labels_before = speakers_axis.get_attribute("aria-label")
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=10_000)
    tooltip_text = tooltip.inner_text()
    bar.click()
    page.wait_for_timeout(1000)
    labels_after = speakers_axis.get_attribute("aria-label")
    return {"tooltip": tooltip_text, "labels_before": labels_before, "labels_after": labels_after}


def test_notebooks_render_charts_in_jupyterlab(sample_build: Path, tmp_path: Path) -> None:
    with running_lab(sample_build, tmp_path) as lab:
        seen = run_in_browser(lab, "sample", {"01_speaking_share": probe_speaker_chart})
    check(seen)
    # Live charts: a tooltip on hover, and clicking the second event's bar shows its speakers in the lower chart.
    speaking = seen["01_speaking_share"]
    assert "Share of the event's words" in speaking["tooltip"]
    assert "Kassym-Jomart Tokayev" not in speaking["labels_before"]
    assert "Kassym-Jomart Tokayev" in speaking["labels_after"]
    # The sample draws the speaking-share charts (questions and answers too, now that turns know what they reply
    # to), two claim charts and the answer lengths; the topic notebook explains instead.
    assert [seen[nb.stem]["charts"] for nb in NOTEBOOKS] == [5, 2, 0, 1]


@pytest.mark.corpus
def test_notebooks_render_charts_in_jupyterlab_on_the_archive(tmp_path_factory: pytest.TempPathFactory,
                                                              tmp_path: Path) -> None:
    with running_lab(archive_dir(tmp_path_factory), tmp_path) as lab:
        seen = run_in_browser(lab, "archive")
    check(seen)
    assert [seen[nb.stem]["charts"] for nb in NOTEBOOKS] == [6, 7, 4, 6]
