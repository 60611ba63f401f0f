"""The built book in a real browser: every page opens without a console error, every chart
loads and offers its files, no table is wider than its column, no Python repr leaks into
the prose, and each chapter's notebook downloads.

Serves ``_build/html`` on 127.0.0.1 and drives Debian's chromium through Playwright (no
``playwright install``: ``scripts/system-deps.sh`` installs chromium). Full-page
screenshots at 1280 px and at a phone's width land in ``_build/screenshots/`` for a
person to look at.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from test_book import CHARTS, PAGES, ROOT, build_book

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "_build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: text that is a Python repr, not prose: a quoted string alone, or an object's repr
REPR = re.compile(r"^\s*'[^']*'\s*$|<[\w.]+ object at 0x[0-9a-f]+>|^\s*\"[^\"]*\"\s*$", re.M)

#: widths of every table, and of the column it sits in (the article)
TABLE_WIDTHS = """(selector) => {
  const column = document.querySelector('article.bd-article');
  const limit = column ? column.getBoundingClientRect().width : window.innerWidth;
  return Array.from(document.querySelectorAll(selector))
    .filter(t => t.offsetParent !== null)
    .map(t => ({width: t.getBoundingClientRect().width, limit: limit,
                head: (t.querySelector('th') || t).innerText.slice(0, 40)}));
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    html = build_book()
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium missing: run scripts/system-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, site: str, name: str, viewport: dict):
    """A page loaded in a fresh context, with the console errors and failed requests."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed",
            lambda req: failed.append(req.url) if req.url.startswith(site) else None)
    response = page.goto(f"{site}/{name}.html", wait_until="load")
    assert response is not None and response.ok, name
    page.wait_for_load_state("networkidle")
    return page, errors, failed


def open_all_details(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def too_wide(page, selector: str = "article table") -> list[dict]:
    """Tables (visible, matching ``selector``) wider than the article column."""
    return [t for t in page.evaluate(TABLE_WIDTHS, selector) if t["width"] > t["limit"] + 1]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(site: str, browser, name: str) -> None:
    page, errors, failed = open_page(browser, site, name, DESKTOP)
    try:
        broken = page.evaluate(
            "Array.from(document.images)"
            ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], f"{name}: images that did not load: {broken}"
        charts = page.locator("figure img").count()
        assert charts >= CHARTS.get(name, 0), f"{name}: {charts} charts"
        outputs = " ".join(page.locator(".cell_output, .output").all_inner_texts())
        assert "Traceback" not in outputs and "Error" not in outputs, outputs[:500]
        assert page.locator(".output.traceback, .output.error, .output.stderr").count() == 0
        assert page.locator(".cell_output .output.text_plain").count() == 0, (
            f"{name}: an output shown as plain text (a Python repr?)")
        prose = page.locator("article").inner_text()
        assert not REPR.search(prose), f"{name}: Python repr in the page: {REPR.search(prose)}"
        assert errors == [], f"{name}: console errors {errors}"
        assert failed == [], f"{name}: failed requests {failed}"
        open_all_details(page)
        assert too_wide(page) == [], f"{name}: tables wider than the column {too_wide(page)}"
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name.replace('/', '__')}.png"), full_page=True)
    finally:
        page.context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(site: str, browser, name: str) -> None:
    """At a phone's width nothing pushes the page sideways: the book's own tables become
    cards that fit the column; a table written in markdown scrolls inside its own box."""
    page, errors, _ = open_page(browser, site, name, PHONE)
    try:
        open_all_details(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name}: page {overflow}px wider than a phone"
        wide = too_wide(page, "article table.bc-table")
        assert wide == [], f"{name}: tables wider than the column {wide}"
        assert errors == [], f"{name}: console errors {errors}"
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        page.screenshot(path=str(SHOTS / f"{name.replace('/', '__')}.phone.png"),
                        full_page=True)
    finally:
        page.context.close()


def _download(page, link) -> bytes:
    """What a download link serves: the link is marked for download, and its URL (as the
    browser resolves it) answers with the file."""
    assert link.get_attribute("download") is not None
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok, response.url
    return response.body()


def test_chart_downloads(site: str, browser) -> None:
    """Under each chart: the SVG, a PNG at twice the width it is shown at, and a CSV of
    exactly the plotted figures, each with an obs_id found in the dataset."""
    page, _, _ = open_page(browser, site, "notebooks/budget_revenue", DESKTOP)
    obs = pd.read_parquet(ROOT / "data" / "processed" / "observations.parquet")
    try:
        figures = page.locator("figure.bc-chart")
        assert figures.count() == CHARTS["notebooks/budget_revenue"]
        for i in range(figures.count()):
            figure = figures.nth(i)
            shown = figure.locator("img").evaluate("i => i.getBoundingClientRect().width")
            links = {a.inner_text().split()[0]: a for a in figure.locator("a.download").all()}
            assert set(links) == {"SVG", "PNG", "CSV"}, links.keys()
            svg = _download(page, links["SVG"])
            assert b"<svg" in svg[:2000] and b"Source:" in svg  # the source in its metadata
            png = _download(page, links["PNG"])
            width = int.from_bytes(png[16:20], "big")  # IHDR width
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and width >= 2 * shown, (width, shown)
            rows = list(csv.DictReader(io.StringIO(_download(page, links["CSV"]).decode())))
            listed = figure.locator("xpath=following::details[contains(@class,"
                                    "'bc-sources')][1]//tbody/tr").count()
            assert len(rows) == listed > 0
            found = obs.set_index("obs_id").loc[[r["obs_id"] for r in rows]]
            for row, (_, ob) in zip(rows, found.iterrows(), strict=True):
                assert float(row["value"]) == pytest.approx(ob["value"])
                assert row["source"] and (row["quote"] or row["url"])
        cite = page.locator("details.bc-cite").first
        cite.locator("summary").click()
        assert "baocao" in cite.inner_text() and "#fig-revenue-parts" in cite.inner_text()
    finally:
        page.context.close()


@pytest.mark.parametrize("name", sorted(n for n in CHARTS if n.startswith("notebooks/")))
def test_chapter_notebook_downloads(site: str, browser, name: str) -> None:
    """The "Run this chapter" note downloads the chapter's executed notebook, charts and
    all; the page's download menu offers it too."""
    page, _, _ = open_page(browser, site, name, DESKTOP)
    try:
        note = page.locator(".bc-run")
        assert "Run this chapter" in note.inner_text()
        notebook = json.loads(_download(page, note.locator("a.bc-ipynb")))
        assert notebook["nbformat"] == 4
        figures = [o for c in notebook["cells"] for o in c.get("outputs", [])
                   if "data:image/svg+xml" in "".join(o.get("data", {}).get("text/html", ""))]
        assert len(figures) >= CHARTS[name]
        assert page.locator(".dropdown-download-buttons a[href$='.ipynb']").count() == 1
    finally:
        page.context.close()


def test_audit_page_layout(site: str, browser) -> None:
    """The audit reads as prose and fits: no Python string, no code ids for checks, the
    reference figures not counted as a report, every table inside the column."""
    page, _, _ = open_page(browser, site, "notebooks/audit", DESKTOP)
    try:
        text = page.locator("article").inner_text()
        assert "'No check failed.'" not in text and "report(s)" not in text
        for check_id in ("month_le_ytd", "ytd_grows", "derived_vs_printed", "cross_source"):
            assert check_id not in text, check_id
        assert re.search(r"on 1 report and the published reference figures", text)
        open_all_details(page)
        assert page.locator("table.bc-audit").count() >= 1
        assert too_wide(page) == []
        cells = page.locator("table.bc-audit td").evaluate_all(
            "tds => tds.filter(td => td.scrollWidth > td.clientWidth + 1).length")
        assert cells == 0, "audit cells cut off"
    finally:
        page.context.close()


def test_figure_references_link_to_figures(site: str, browser) -> None:
    """A {numref} in the prose jumps to a figure that exists on the page."""
    page, _, _ = open_page(browser, site, "notebooks/budget_revenue", DESKTOP)
    try:
        refs = page.locator("a.reference.internal[href^='#fig-']")
        assert refs.count() >= 5
        for href in set(refs.evaluate_all("els => els.map(e => e.getAttribute('href'))")):
            assert page.locator(f"figure{href}").count() == 1, href
        assert "Figure 1" in refs.first.inner_text()
    finally:
        page.context.close()
