"""The chapters run as a reader runs them in JupyterLab, outside the book build.

Each text notebook is read with jupytext and executed cell by cell in a Python kernel
(what JupyterLab does), in its own folder, with chart files going to a temporary folder.
Every chart must be *displayed* — an output with its inline SVG for JupyterLab and its
numbered figure for the book — and no output may be an error, a warning or a Python repr.
A second test changes the data and runs a chapter again: its sentences change with it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: notebook -> charts it displays (the book tests count the same on the built pages)
CHARTS = {
    "budget_revenue": 5,
    "border_trade": 4,
    "investment_fdi": 3,
    "indicators": 5,
    "audit": 2,
}


def run_notebook(name: str, env: dict[str, str]):
    """Execute ``notebooks/NAME.md`` as JupyterLab would; return the executed notebook."""
    import jupytext
    import nbclient

    path = ROOT / "notebooks" / f"{name}.md"
    notebook = jupytext.read(path)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits the environment of this process
    try:
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def outputs(notebook) -> list[dict]:
    return [out for cell in notebook.cells for out in cell.get("outputs", [])]


def glued(notebook) -> dict[str, dict]:
    """Glued outputs by name (myst-nb stores the name in the output's metadata)."""
    found = {}
    for out in outputs(notebook):
        name = out.get("metadata", {}).get("scrapbook", {}).get("name")
        if name:
            found[name] = out["data"]
    return found


@pytest.fixture(scope="module")
def data_ready() -> None:
    if not (ROOT / "data" / "processed" / "observations.parquet").is_file():
        pytest.skip("no built dataset: run `make data` (the book tests build it)")


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chapter_runs_and_displays_its_charts(name: str, tmp_path: Path, data_ready) -> None:
    notebook = run_notebook(name, {"BAOCAO_CHARTS": str(tmp_path)})
    shown = outputs(notebook)
    assert not [o for o in shown if o["output_type"] in ("error", "stream")], (
        [o.get("text") or o.get("evalue") for o in shown])
    figures = [o["data"] for o in shown if "data:image/svg+xml;base64," in
               o.get("data", {}).get("text/html", "")]
    assert len(figures) == CHARTS[name]
    for data in figures:
        assert "<figure" in data["text/html"] and "Download:" in data["text/html"]
        assert data["text/markdown"].startswith(":::{figure} ")
        assert ":name: fig-" in data["text/markdown"] and ":alt: " in data["text/markdown"]
    for out in shown:
        plain = "".join(out.get("data", {}).get("text/plain", ""))
        assert " object at 0x" not in plain and not plain.startswith("'"), plain
    written = sorted(p.suffix for p in (tmp_path / name).iterdir())
    assert written == sorted([".csv", ".png", ".svg"] * CHARTS[name])


def _copy_data(target: Path) -> Path:
    """A checkout's data (sidecars, reference, built dataset) in ``target``."""
    for folder in ("data/raw", "data/reference", "data/processed"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns("*.md", "*.txt", "*.pdf", "*.html"))
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copy2(ROOT / "CITATION.cff", target / "CITATION.cff")
    return target


def _set(obs: pd.DataFrame, report: str, indicator: str, measure: str, value: float):
    rows = ((obs["report_id"] == report) & (obs["indicator"] == indicator)
            & (obs["measure"] == measure) & ~obs["derived"].astype(bool)
            & (obs["period"] == "2017-01/2017-08"))
    assert rows.sum() >= 1, (indicator, measure)
    obs.loc[rows, ["value", "value_low", "value_high"]] = [value, value - 0.05, value + 0.05]


def test_conclusions_follow_the_data(tmp_path: Path, data_ready) -> None:
    """Customs revenue ahead of the plan's pace and rising instead of behind and falling:
    the chapter's sentences say so, with no word of the notebook changed."""
    env = {"BAOCAO_CHARTS": str(tmp_path / "charts")}
    before = glued(run_notebook("budget_revenue", env))
    root = _copy_data(tmp_path / "checkout")
    parquet = root / "data" / "processed" / "observations.parquet"
    obs = pd.read_parquet(parquet)
    _set(obs, "langson-ubnd-2017-08", "budget.revenue.customs", "plan_pct", 90.0)
    _set(obs, "langson-ubnd-2017-08", "budget.revenue.customs", "yoy_pct", 12.0)
    obs.to_parquet(parquet)
    after = glued(run_notebook("budget_revenue", {**env, "BAOCAO_ROOT": str(root)}))

    def text(outputs: dict, key: str) -> str:
        return "".join(outputs[key]["text/plain"])

    assert "customs revenue (45.2%) and the total (54.2%) were behind it" in text(
        before, "revenue_pace")
    assert "Domestic revenue (80.0%) and customs revenue (90.0%) were ahead of that pace" in (
        text(after, "revenue_pace"))
    assert "moved in opposite directions" in text(before, "revenue_growth")
    assert "both rose" in text(after, "revenue_growth")
    assert "customs revenue by +12.0%" in text(after, "revenue_growth")
    assert "(90.0%)" in "".join(after["fig_revenue_plan"]["text/markdown"])  # the alt text
