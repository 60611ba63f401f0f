"""The book builds with warnings as errors and shows what a reader needs.

Builds the dataset (``baocao build``) when it is missing and the book
(``jupyter-book build . -W -n --keep-going``, cached execution) once per test session, then
checks the HTML: every page exists, every notebook page has its charts with a source line
and the provenance table under each, numbers in the prose are the seed report's hand-checked
figures, the data files are downloadable, and every local link resolves.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
BIN = Path(sys.executable).parent

PAGES = [
    "book/intro",
    "book/data_methods",
    "notebooks/budget_revenue",
    "notebooks/border_trade",
    "notebooks/investment_fdi",
    "notebooks/indicators",
    "notebooks/audit",
    "book/downloads",
    "book/citing",
    "book/status",
]
#: notebook page -> number of charts it must show
CHARTS = {
    "notebooks/budget_revenue": 5,
    "notebooks/border_trade": 4,
    "notebooks/investment_fdi": 3,
    "notebooks/indicators": 4,
    "notebooks/audit": 1,
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
        forget_stale_outputs()
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


#: what the notebooks read besides their own code; jupyter-cache keys on code alone, so
#: when any of these changes the cached outputs are dropped (the Makefile does the same)
NOTEBOOK_INPUTS = (
    "data/processed/observations.parquet",
    "data/processed/audit.csv",
    "CITATION.cff",
    "benchmarks/results/latest.md",
    "src/baocao/publish/charts.py",
)


def forget_stale_outputs() -> None:
    """Drop the notebook execution cache when the data the notebooks read has changed."""
    digest = hashlib.sha256()
    for name in NOTEBOOK_INPUTS:
        path = ROOT / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    stamp = ROOT / "_build" / ".notebook-inputs.sha256"
    if not stamp.is_file() or stamp.read_text().strip() != digest.hexdigest():
        # Sphinx re-reads (so re-executes) only changed sources: drop its doctrees too
        for cached in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(ROOT / "_build" / cached, ignore_errors=True)
        stamp.write_text(digest.hexdigest() + "\n")


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
def test_notebook_pages_show_charts_with_sources(html: Path, name: str) -> None:
    page = parse(html / f"{name}.html")
    charts = [img for img in page.images if img.get("src", "").endswith(".png")]
    assert len(charts) >= CHARTS[name], f"{name}: {len(charts)} charts"
    for img in charts:
        assert img.get("alt", "").strip(), f"{name}: chart without alt text"
        assert (html / Path(name).parent / unquote(img["src"])).resolve().is_file()
    captions = [c for c in page.captions if c.strip()]
    assert len(captions) >= CHARTS[name]
    for caption in captions:
        assert "Source:" in caption, caption
        assert re.search(r"langson-ubnd-\d{4}-\d{2}|https?://|published sources", caption)
    text = " ".join(page.text)
    if name != "notebooks/audit":
        # the collapsible provenance tables, with their source sentences and obs ids
        assert text.count("Figures plotted in") >= CHARTS[name] - 0
        assert "obs_id" in text and "quote" in text
    assert "Traceback" not in text


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
    assert "obs_id" in text_of(html, "book/downloads")  # the included data dictionary


def test_citation_and_status_pages(html: Path) -> None:
    cite = text_of(html, "book/citing")
    assert "@software{baocao_0_1_0" in cite
    assert re.search(r"Customs revenue, Jan–Aug 2017, 2,485 billion VND", cite)
    status = text_of(html, "book/status")
    assert "statsmodels" in status and "jupyter-book" in status
    for name in CHARTS:
        assert Path(name).name in status  # the execution table lists every notebook


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
