"""Shared pytest fixtures. Each block is self-contained; add new ones below."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent

# --- ingest: report files generated from the seed (tests/fixtures/make_fixtures.py) ---------


@pytest.fixture(scope="session")
def report_files(tmp_path_factory) -> dict[str, Path]:
    """Every input variant and bad file of the ingest tests, built once per session:
    the seed as PDF and HTML, re-encoded text variants, and files readers must refuse."""
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))
    from fixtures.make_fixtures import build_all

    return build_all(tmp_path_factory.mktemp("reports"))


# --- ingest: PDFs read character by character (the exact reader the fast one must match) ---


@pytest.fixture
def char_by_char(monkeypatch):
    """``read_document`` with every PDF page read character by character, as pdfium's
    per-character API gives them (the bulk run reader must give the same Document)."""
    from baocao.ingest import read_document
    from baocao.ingest.pdf_runs import RunReader

    def read(path):
        with monkeypatch.context() as patch:
            patch.setattr(RunReader, "_page_text", lambda self, count: None)
            return read_document(path)

    return read
