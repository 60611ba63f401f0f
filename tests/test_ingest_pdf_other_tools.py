"""PDFs written by another tool (a browser's print to PDF) read as the same text: the
layout rules do not depend on the fixture generator's exact layout."""

from __future__ import annotations

import re
import shutil

import pytest
from fixtures.compare import body_and_notes, first_difference
from fixtures.make_fixtures import SEED, print_with_chromium, render_print_html

from baocao.ingest import read_document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium_doc(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (scripts/system-deps.sh installs it)")
    out = tmp_path_factory.mktemp("chromium")
    html = render_print_html(out / "report.html")
    return read_document(print_with_chromium(html, out / "report.pdf", CHROMIUM))


def test_browser_printed_pdf_reads_as_the_seed(chromium_doc):
    seed_body, seed_notes = body_and_notes(SEED.read_text(encoding="utf-8"))
    body, notes = body_and_notes(chromium_doc.text)
    assert body == seed_body, first_difference(body, seed_body)
    assert notes == seed_notes


def test_browser_header_footer_removed_and_notes_under_rules(chromium_doc):
    text = chromium_doc.text
    assert "file://" not in text and "Báo cáo tháng 8" not in text
    assert f"1/{len(chromium_doc.pages)}" not in text
    pages_with_notes = 0
    for page in chromium_doc.pages:
        paras = text[page.start : page.end].split("\n\n")
        notes_at = [i for i, p in enumerate(paras) if re.match(r"<sup>\d+</sup> ", p)]
        if notes_at:  # every page's notes sit after its own rule
            pages_with_notes += 1
            assert "---" in paras[: notes_at[0]]
    assert pages_with_notes >= 2  # the notes run over onto a second page


def test_browser_printed_pdf_reads_as_character_by_character(chromium_doc, char_by_char):
    """The bulk run reader gives what the exact per-character reader gives: here runs are
    a word and its space, or a whole line of words."""
    slow = char_by_char(chromium_doc.source)
    assert chromium_doc.text == slow.text
    assert [(p.start, p.end) for p in chromium_doc.pages] == [(p.start, p.end) for p in slow.pages]
