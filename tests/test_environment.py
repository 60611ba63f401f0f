"""The three descriptions of the environment agree: pyproject.toml, environment.yml and
the exact pins of requirements.lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    return {_name(r): r.replace(" ", "") for r in reqs}


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return {_name(r): r.replace(" ", "") for r in pip if not r.startswith("-")}


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    assert _environment() == _pyproject()


def test_environment_yml_uses_the_python_of_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    assert "python=3.11" in env["dependencies"]


def test_lock_file_pins_every_dependency_exactly():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[_name(name)] = version
    missing = sorted(set(_pyproject()) - set(pins))
    assert missing == []
