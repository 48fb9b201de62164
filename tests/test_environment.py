"""environment.yml mirrors pyproject.toml: the same packages with the same lower bounds."""

from __future__ import annotations

import tomllib

import yaml
from conftest import REPO


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if name != "benchmark":  # benchmark-only tools are not part of the environment
            reqs.extend(extra)
    return {r.replace(" ", "").lower() for r in reqs}


# conda-forge names some packages otherwise than PyPI.
CONDA_NAMES = {"python-isal": "isal"}


def _environment_requirements() -> set[str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    deps = [d.replace(" ", "").lower() for d in env["dependencies"] if isinstance(d, str)]
    for conda, pypi in CONDA_NAMES.items():
        deps = [pypi + d[len(conda):] if d.startswith(conda) else d for d in deps]
    return {d for d in deps if not d.startswith(("python", "pip"))}


def test_environment_mirrors_pyproject() -> None:
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_installs_the_package() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
