"""The built book in a real browser: every chapter opens, every chart loads, nothing errors.

Serves ``_build/html`` on 127.0.0.1 and drives Debian's chromium through Playwright (no
``playwright install``: ``scripts/system-deps.sh`` installs chromium). Full-page
screenshots land in ``_build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_book import CHARTS, PAGES, build_book

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
SHOTS = Path(__file__).resolve().parents[1] / "_build" / "screenshots"
#: the one console error the Jupyter Book 1 theme always logs (thebe's script declares
#: THEBE_JS_URL twice); anything else fails the test
HARMLESS = ("THEBE_JS_URL",)


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


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(site: str, browser, name: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on(
        "requestfailed", lambda req: failed.append(req.url) if req.url.startswith(site) else None
    )
    try:
        response = page.goto(f"{site}/{name}.html", wait_until="load")
        assert response is not None and response.ok, name
        page.wait_for_load_state("networkidle")
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
        real_errors = [e for e in errors if not any(h in e for h in HARMLESS)]
        assert real_errors == [], f"{name}: console errors {real_errors}"
        assert failed == [], f"{name}: failed requests {failed}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        if page.locator("details.sd-dropdown").count():
            page.locator("details.sd-dropdown summary").first.click()
        page.screenshot(path=str(SHOTS / f"{name.replace('/', '__')}.png"), full_page=True)
    finally:
        page.close()


def test_figure_references_link_to_figures(site: str, browser) -> None:
    """A {numref} in the prose jumps to a figure that exists on the page."""
    page = browser.new_page()
    try:
        page.goto(f"{site}/notebooks/budget_revenue.html", wait_until="load")
        refs = page.locator("a.reference.internal[href^='#fig-']")
        assert refs.count() >= 5
        for href in set(refs.evaluate_all("els => els.map(e => e.getAttribute('href'))")):
            assert (
                page.locator(f"figure{href}, {href} figure, figure:has({href})").count()
                or page.locator(href).count()
            ), href
        assert "Figure 1" in refs.first.inner_text()
    finally:
        page.close()
