"""The README stays true: its set-up commands are what CI runs, and its data dictionary is the schema's."""

from __future__ import annotations

import re

from conftest import REPO

from kremlin_data.schema import data_dictionary

START, END = "<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->"


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", _readme(), re.S)
    assert block, "the README must open with a bash block of set-up commands"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_starts_with_two_setup_commands() -> None:
    install_and_build, install_and_test = _setup_commands()
    assert install_and_build.endswith("kremlin-data build")
    assert "pytest" in install_and_test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _setup_commands()[1] in ci.splitlines()


def test_data_dictionary_matches_schema(update_golden: bool) -> None:
    text = _readme()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    fresh = f"{head}{START}\n{data_dictionary()}{END}{tail}"
    if update_golden:
        (REPO / "README.md").write_text(fresh, encoding="utf-8")
    assert text == fresh, "README data dictionary is stale: run pytest tests/test_readme.py --update-golden"
