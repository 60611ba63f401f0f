"""The book builds with warnings as errors and shows what a reader needs.

Builds the dataset (``baocao build``) when it is missing and the book
(``jupyter-book build . -W -n --keep-going``, cached execution) once per test session, then
checks the HTML: every page exists, every chart has its source line, its files (SVG, PNG,
CSV of exactly the plotted rows), its citation and the table of its figures, numbers in
the prose are the seed report's hand-checked figures, the chapters offer their notebooks,
the pages computed from the data say what the data hold, and every local link resolves.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from baocao.book.inputs import forget_stale_outputs

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
BIN = Path(sys.executable).parent

PAGES = [
    "book/intro",
    "book/data_methods",
    "book/coverage",
    "notebooks/budget_revenue",
    "notebooks/border_trade",
    "notebooks/investment_fdi",
    "notebooks/indicators",
    "notebooks/audit",
    "book/downloads",
    "book/dictionary",
    "book/citing",
    "book/run_notebooks",
    "book/status",
    "book/changelog",
]
#: page -> number of charts it must show
CHARTS = {
    "notebooks/budget_revenue": 5,
    "notebooks/border_trade": 4,
    "notebooks/investment_fdi": 3,
    "notebooks/indicators": 5,
    "notebooks/audit": 2,
    "book/coverage": 1,
}
_built: dict[str, object] = {}


def build_book() -> Path:
    """Build data (if missing) and the book once per process; return ``_build/html``.

    A file lock serialises concurrent builds (pytest-xdist workers share the checkout).
    """
    if "html" in _built:
        return _built["html"]  # type: ignore[return-value]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    (ROOT / "_build").mkdir(exist_ok=True)
    with open(ROOT / "_build" / ".book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ROOT / "data" / "processed" / "observations.parquet").is_file():
            data = subprocess.run(
                [str(BIN / "baocao"), "build"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert data.returncode == 0, data.stderr[-3000:]
        forget_stale_outputs(ROOT)
        book = subprocess.run(
            [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
    log = re.sub(r"\x1b\[[0-9;]*m", "", book.stdout + book.stderr)
    problems = [
        line
        for line in log.splitlines()
        if "WARNING" in line or "ERROR" in line
        if "IPKernelApp" not in line
    ]
    assert book.returncode == 0, "book build failed:\n" + "\n".join(problems[:40]) + log[-3000:]
    _built["html"] = HTML
    return HTML


@pytest.fixture(scope="module")
def html() -> Path:
    return build_book()


class _Page(HTMLParser):
    """Collects links, images, figures and visible text of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.text: list[str] = []
        self.figures = 0
        self.captions: list[str] = []
        self._caption_depth = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script", "link") and (a.get("src") or a.get("href")):
            self.links.append(a.get("src") or a.get("href"))
        if tag == "img":
            self.images.append(a)
        if tag == "figure":
            self.figures += 1
        if tag == "figcaption":
            self._caption_depth = 1
            self.captions.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "figcaption":
            self._caption_depth = 0

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._caption_depth:
            self.captions[-1] += data


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def text_of(html: Path, name: str) -> str:
    """Visible text of a page, whitespace collapsed (inline spans joined as the eye sees)."""
    return " ".join("".join(parse(html / f"{name}.html").text).split())


def test_every_page_is_built(html: Path) -> None:
    for name in PAGES:
        assert (html / f"{name}.html").is_file(), name
    assert (html / "index.html").is_file()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_pages_show_charts_with_sources_and_files(html: Path, name: str) -> None:
    page = parse(html / f"{name}.html")
    charts = [img for img in page.images if img.get("src", "").endswith(".svg")]
    assert len(charts) == CHARTS[name], f"{name}: {len(charts)} charts"
    for img in charts:
        assert img.get("alt", "").strip(), f"{name}: chart without alt text"
        assert (html / Path(name).parent / unquote(img["src"])).resolve().is_file()
    captions = [c for c in page.captions if c.strip()]
    assert len(captions) == CHARTS[name]
    for caption in captions:
        assert "Source:" in caption, caption
        assert re.search(r"langson-ubnd-\d{4}-\d{2}|https?://|published pages", caption)
        assert "Download: SVG · PNG (2×) · CSV of the plotted figures" in caption
    files = [unquote(h) for h in page.links if "_downloads" in h]
    for suffix in (".svg", ".png", ".csv"):
        assert sum(f.endswith(suffix) for f in files) >= CHARTS[name], suffix
    text = " ".join(page.text)
    assert text.count("Cite this chart") == CHARTS[name]
    # the plotted figures, with their sources (the audit's charts count checks)
    assert "obs_id" in text and "quote" in text
    assert "Traceback" not in text


def test_chart_csv_is_exactly_the_plotted_rows(html: Path) -> None:
    """Each chart's CSV lists the figures of the table under it, each an observation of
    the dataset with the same value."""
    obs = pd.read_parquet(ROOT / "data" / "processed" / "observations.parquet")
    page = parse(html / "notebooks" / "border_trade.html")
    csvs = [unquote(h) for h in page.links if "_downloads" in h and h.endswith(".csv")]
    assert len(csvs) == CHARTS["notebooks/border_trade"]
    for link in csvs:
        plotted = pd.read_csv((html / "notebooks" / link).resolve())
        assert plotted["obs_id"].is_unique and len(plotted)
        known = obs.set_index("obs_id").loc[plotted["obs_id"]]
        assert (known["value"].to_numpy() == plotted["value"].to_numpy()).all()
        assert plotted["source"].notna().all()


def test_notebook_markdown_has_no_book_only_syntax() -> None:
    """Read in JupyterLab, a chapter's markdown cells show no raw MyST: no glue roles, no
    directive fences, no ``:name:`` lines, no cross-reference roles (the outputs carry
    those, in their book rendition)."""
    for path in sorted((ROOT / "notebooks").glob("*.md")):
        prose = re.sub(r"```\{code-cell\}.*?```", "", path.read_text(encoding="utf-8"),
                       flags=re.S)
        prose = re.sub(r"^---.*?^---", "", prose, flags=re.S | re.M)
        for syntax in ("{glue", ":::", ":name:", "{numref}", "{doc}", "{ref}", "```{"):
            assert syntax not in prose, f"{path.name}: {syntax}"


def test_prose_numbers_are_the_seed_reports(html: Path) -> None:
    """Numbers glued into the prose are the hand-checked figures of the seed report."""
    budget = text_of(html, "notebooks/budget_revenue")
    assert "4,020 billion VND" in budget  # Jan–Aug 2017 total revenue
    assert "2,485 billion VND" in budget and "1,535 billion VND" in budget
    assert "61.8% of all revenue" in budget  # 2,485 / 4,020
    assert "-17.4%" in budget  # month-on-month change as printed
    assert "+25.1%" in budget and "-19.5%" in budget  # domestic and customs yoy
    trade = text_of(html, "notebooks/border_trade")
    assert "3,318 million USD" in trade and "870 million USD" in trade  # 2,094 - 1,224
    invest = text_of(html, "notebooks/investment_fdi")
    assert "1,608 billion VND" in invest and "304 enterprises" in invest
    indicators = text_of(html, "notebooks/indicators")
    assert "11,100 billion VND" in indicators and "+14.0%" in indicators
    assert "number" not in re.findall(r"\d number", indicators + invest)  # not "56 number"
    assert "In the first Jan" not in budget


def test_prose_has_no_hand_typed_figures() -> None:
    """Outside code cells and glue roles, notebook prose carries no figure typed by hand
    (decimals or thousands separators); years and formulas are allowed."""
    figure = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+\.\d+")
    for path in sorted((ROOT / "notebooks").glob("*.md")):
        prose = re.sub(r"```\{code-cell\}.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        prose = re.sub(r"\{glue:text\}`[^`]*`|\$[^$]*\$|^---.*?^---", "", prose, flags=re.S | re.M)
        prose = re.sub(r":(alt|name):.*", "", prose)
        found = figure.findall(prose)
        assert not found, f"{path.name}: hand-typed figures {found}"


def test_data_files_are_downloadable(html: Path) -> None:
    page = parse(html / "book" / "downloads.html")
    downloads = {Path(unquote(h)).name for h in page.links if "_downloads" in h}
    assert {
        "observations.csv",
        "observations.parquet",
        "datapackage.json",
        "audit.csv",
        "dictionary.csv",
    } <= downloads
    package = json.loads((html / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (html / resource["path"]).is_file(), resource["path"]
    dictionary = text_of(html, "book/dictionary")
    article = (html / "book" / "dictionary.html").read_text(encoding="utf-8")
    article = article[article.index('<article class="bd-article">'):]
    headings = re.findall(r"<h[1-6][^>]*>([^<]*)", article)
    assert "obs_id" in dictionary and headings.count("Data dictionary") == 1, headings
    assert "budget.revenue.total" in dictionary
    assert (html / "book" / "downloads.html").stat().st_size < 60_000  # no dictionary here


def test_citation_and_status_pages(html: Path) -> None:
    cite = text_of(html, "book/citing")
    assert "@software{baocao_0_1_0" in cite
    assert re.search(r"Customs revenue, Jan–Aug 2017, 2,485 billion VND", cite)
    status = text_of(html, "book/status")
    assert "statsmodels" in status and "jupyter-book" in status
    assert "✅" not in status and "❌" not in status and " ran " in f" {status} "
    for name in CHARTS:
        assert Path(name).name in status  # the execution table lists every notebook


def test_methods_coverage_and_changelog_follow_the_data(html: Path) -> None:
    obs = pd.read_parquet(ROOT / "data" / "processed" / "observations.parquet")
    ref = obs[~obs["source_kind"].isin(["report", "table"]) & ~obs["derived"]]
    years = ref["period"].astype(str).str[:4].astype(int)
    methods = text_of(html, "book/data_methods")
    assert f"for years from {years.min()} to {years.max()}" in methods
    assert "2016–2025" not in methods
    assert "Measured accuracy" in methods and "The observation contract" in methods
    coverage = text_of(html, "book/coverage")
    assert "langson-ubnd-2017-08" in coverage and "2026-11-26" in coverage
    assert f"{ref['url'].nunique()} pages" in coverage
    changelog = text_of(html, "book/changelog")
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(),
                        re.M).group(1)
    assert f"{version} — " in changelog and "Unreleased" in changelog


def test_chapters_offer_their_notebooks(html: Path) -> None:
    for name in (n for n in CHARTS if n.startswith("notebooks/")):
        notebook = html / "_sources" / f"{name}.ipynb"
        data = json.loads(notebook.read_text(encoding="utf-8"))
        assert data["nbformat"] == 4 and any(c.get("outputs") for c in data["cells"])
        page = parse(html / f"{name}.html")
        assert f"../_sources/{name}.ipynb" in page.links
        assert "Run this chapter" in " ".join(page.text)


def test_every_page_declares_each_script_once(html: Path) -> None:
    for name in PAGES:
        text = (html / f"{name}.html").read_text(encoding="utf-8")
        assert text.count("const THEBE_JS_URL") <= 1, name


def test_every_local_link_resolves(html: Path) -> None:
    broken = []
    for page_path in sorted(html.rglob("*.html")):
        if "_static" in page_path.relative_to(html).parts:
            continue  # theme template fragments, not pages
        for link in parse(page_path).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//", "mailto:", "javascript:", "data:")):
                continue
            target = (page_path.parent / unquote(parts.path)).resolve()
            if parts.path and not target.exists():
                broken.append(f"{page_path.relative_to(html)} -> {link}")
    assert not broken, "\n".join(broken[:30])
