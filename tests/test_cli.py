"""The command line as users meet it: a mistake gets one line naming the path or the extra, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from kremlin_data.cli import main


def cli(*args: str, block: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `kremlin-data ARGS` in a fresh process; `block` makes that module unimportable, as without its extra."""
    code = "import sys\n"
    if block:
        code += f"sys.modules[{block!r}] = None\n"
    code += "from kremlin_data.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=60)


def assert_one_line(res: subprocess.CompletedProcess[str], *words: str) -> None:
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    for word in words:
        assert word in lines[0], res.stderr


def test_build_of_a_missing_input(tmp_path: Path) -> None:
    assert_one_line(cli("build", "/nonexistent/path", "--out", str(tmp_path)), "input not found", "/nonexistent/path")


def test_build_out_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert_one_line(cli("build", "--out", str(tmp_path / "f")), str(tmp_path / "f"), "not a folder")


def test_build_out_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert_one_line(cli("build", "--out", str(tmp_path / "f" / "sub")), str(tmp_path / "f" / "sub"),
                    "cannot create the folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write to any folder")
def test_build_out_is_not_writable(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert_one_line(cli("build", "--out", str(tmp_path / "sub")), str(tmp_path / "sub"))
    finally:
        tmp_path.chmod(0o700)


def test_charts_without_the_notebooks_extra(tmp_path: Path) -> None:
    res = cli("charts", "--out", str(tmp_path), block="vl_convert")
    assert_one_line(res, 'pip install "kremlin-data[notebooks]"', "vl_convert")


def test_charts_of_a_missing_build_folder(tmp_path: Path) -> None:
    assert_one_line(cli("charts", "--data", str(tmp_path / "none"), "--out", str(tmp_path)), str(tmp_path / "none"))


def test_fetch_unknown_section(tmp_path: Path) -> None:
    assert_one_line(cli("fetch", "--cache", str(tmp_path), "--section", "speeches"), "invalid choice", "speeches")


def test_fetch_since_after_until(tmp_path: Path) -> None:
    res = cli("fetch", "--cache", str(tmp_path), "--since", "2020-08-02", "--until", "2020-08-01")
    assert_one_line(res, "--since 2020-08-02 is after --until 2020-08-01")


def test_fetch_unwritable_cache(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert_one_line(cli("fetch", "--cache", str(tmp_path / "f" / "cache")), "--cache", str(tmp_path / "f" / "cache"))


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    res = cli("--debug", "build", "/nonexistent/path", "--out", str(tmp_path))
    assert res.returncode == 1 and "Traceback" in res.stderr and "FileNotFoundError" in res.stderr


def test_a_real_bug_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr("kremlin_data.cli.build", broken)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "--debug" in err and "Traceback" not in err


def test_the_command_ends_with_the_exit_code_of_main(tmp_path: Path) -> None:
    """`kremlin-data` is `run`, which returns main's exit code after freezing the objects left for the exit."""
    import tomllib

    from kremlin_data import cli as cli_module

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, name = scripts["kremlin-data"].partition(":")
    assert (module, name) == ("kremlin_data.cli", "run") and callable(cli_module.run)
    none = subprocess.run([sys.executable, "-m", "kremlin_data.cli", "info", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert none.returncode == 1 and "no tables" in none.stderr, none.stderr
    out = tmp_path / "out"
    built = subprocess.run([sys.executable, "-m", "kremlin_data.cli", "build", "--out", str(out), "--quiet"],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "1 files" in built.stdout and (out / "utterances.parquet").is_file()
