"""The fast pdfium run reader and its pdfplumber fallback give the same text."""

from __future__ import annotations

import baocao.ingest.pdf_runs as pdf_runs
from baocao.ingest import read_document


def test_pdfium_is_the_default_reader(report_files):
    doc = read_document(report_files["report.pdf"])
    assert doc.metadata["char_reader"] == "pdfium"


def test_fallback_reader_gives_the_same_text(report_files, monkeypatch):
    fast = read_document(report_files["report.pdf"])

    def broken(*args, **kwargs):  # fails when the first page is asked for, as pdfium does
        raise RuntimeError("pdfium cannot read this file")
        yield  # pragma: no cover - makes this a generator

    monkeypatch.setattr(pdf_runs, "pdfium_pages", broken)
    slow = read_document(report_files["report.pdf"])
    assert slow.metadata["char_reader"] == "pdfplumber"
    assert slow.text == fast.text
    assert [(p.number, p.start, p.end) for p in slow.pages] == [
        (p.number, p.start, p.end) for p in fast.pages
    ]
