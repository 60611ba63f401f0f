"""The GitHub Actions workflow that publishes the book: it cannot run here, so it is
checked statically with actionlint (installed from the lock file, a binary wheel) and
read for what it must do: build with ``make book`` and deploy ``_build/html`` to Pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    binary = ACTIONLINT if ACTIONLINT.exists() else shutil.which("actionlint")
    assert binary, "actionlint is missing: `make install` installs it (requirements.lock)"
    return subprocess.run([str(binary), "-no-color", *map(str, paths)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The check has teeth: an undefined step output and an unknown input are errors."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ steps.missing.outputs.url }}\n"
        "      - uses: actions/checkout@v5\n        with:\n          no-such-input: 1\n",
        encoding="utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "missing" in result.stdout and "no-such-input" in result.stdout


def test_book_workflow_builds_with_make_and_deploys_to_pages() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text("utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "make book" in runs
    uses = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(step.get("uses", "").startswith("actions/deploy-pages@")
               for step in deploy["steps"])
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on:` as True
