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
