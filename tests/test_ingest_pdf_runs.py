"""The bulk run reader reads what the character-by-character reader reads.

pdfium's text is read per run (a text object's stretch between pdfium's generated breaks)
instead of per character; the layout takes runs apart only where they overlap or cross a
ruled grid. Each test reads a PDF both ways and compares: the seed fixture, and small
PDFs made to hit the cases the fast path must hand over (overprinted text, a marker
printed inside its line, gaps inside one text object, a line running into a table).
"""

from __future__ import annotations

import gc

import pytest
from fixtures.make_fixtures import FONTS, PAGE_H, PAGE_W, register_fonts

from baocao.ingest import read_document
from baocao.ingest.pdf_runs import SPACES, RunReader, pdfium_pages

FILLER = "UBND tỉnh Lạng Sơn báo cáo tình hình kinh tế - xã hội tháng 8 năm 2017."


@pytest.fixture
def split_calls(monkeypatch) -> list:
    """Records the runs the layout takes apart into characters."""
    calls: list = []
    original = RunReader.split

    def spy(self, run):
        calls.append(run.text)
        return original(self, run)

    monkeypatch.setattr(RunReader, "split", spy)
    return calls


def _same(a, b) -> None:
    assert a.text == b.text
    assert [(p.number, p.start, p.end) for p in a.pages] == [
        (p.number, p.start, p.end) for p in b.pages
    ]
    assert [t.cells for t in a.tables] == [t.cells for t in b.tables]


def _pdf(path, draw):
    """A one-page A4 PDF: a line of ordinary text, then what ``draw(canvas)`` adds."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.setFont(FONTS["normal"], 12)
    c.drawString(70, 760, FILLER)
    draw(c)
    c.showPage()
    c.save()
    return path


def test_seed_reads_as_character_by_character(report_files, char_by_char):
    fast = read_document(report_files["report.pdf"])
    _same(fast, char_by_char(report_files["report.pdf"]))
    assert "<sup>3</sup>" in fast.text and fast.metadata["ruled_pages"] == [13]


def test_runs_are_words_not_characters(report_files):
    """The reportlab seed draws word by word: a run per word, a fraction of the characters."""
    pages = list(pdfium_pages(str(report_files["report.pdf"])))
    runs = [run for page in pages for run in page.runs]
    chars = sum(run.count for run in runs)
    assert chars > 25_000
    assert len(runs) < chars / 3
    assert any(run.text == "tháng" for run in runs)


def test_overprinted_text_reads_once(tmp_path, char_by_char, split_calls):
    """Fake bold: words printed twice, shifted a little. pdfium drops an exact repeat of a
    text object itself; here the repeat is cut differently (word by word), so the layout
    finds overlapping runs and reads them character by character, dropping the doubles."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    phrase = "Tổng thu ngân sách đạt 2.345 tỷ đồng"

    def draw(c):
        c.setFont(FONTS["normal"], 12)
        c.drawString(70, 700, phrase)
        x = 70.4
        for word in phrase.split():
            c.drawString(x, 700, word)
            x += stringWidth(word + " ", FONTS["normal"], 12)

    path = _pdf(tmp_path / "overprint.pdf", draw)
    fast = read_document(path)
    assert split_calls, "the overlapping runs were not taken apart"
    assert fast.text.count(phrase) == 1
    _same(fast, char_by_char(path))


def test_marker_inside_its_line_is_taken_apart(tmp_path, char_by_char, split_calls):
    """A producer that prints a whole line, then its footnote marker over the line's
    space: the two runs overlap, so they are read character by character."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    line = "Tổng mức bán lẻ tăng 14% so với cùng kỳ , trong đó bán lẻ hàng hóa tăng 13,8%."
    before = "Tổng mức bán lẻ tăng 14% so với cùng kỳ"

    def draw(c):
        c.setFont(FONTS["normal"], 12)
        c.drawString(70, 700, line)
        c.setFont(FONTS["normal"], 7.5)
        c.drawString(70 + stringWidth(before, FONTS["normal"], 12), 704.5, "1")

    path = _pdf(tmp_path / "marker.pdf", draw)
    fast = read_document(path)
    assert split_calls, "the overlapping runs were not taken apart"
    assert "so với cùng kỳ <sup>1</sup>, trong đó" in fast.text
    _same(fast, char_by_char(path))


def test_gaps_inside_one_text_object(tmp_path, char_by_char):
    """A TJ array's wide kerning is a word space; a slight one inside a number is not."""

    def draw(c):
        text = c.beginText(70, 700)
        text.setFont("Helvetica", 12)
        text._code.append("[(San luong) -600 (dat) -15 (1.2) -15 (34) ( tan)] TJ")
        c.drawText(text)

    path = _pdf(tmp_path / "kerning.pdf", draw)
    fast = read_document(path)
    assert "San luong dat1.234 tan" in fast.text
    _same(fast, char_by_char(path))


def test_line_running_into_a_table(tmp_path, char_by_char, split_calls):
    """A run that crosses a ruled grid's edge keeps only its characters outside the grid."""

    def draw(c):
        c.setLineWidth(0.6)
        for x in (300, 400, 500):
            c.line(x, 380, x, 520)
        for y in (380, 450, 520):
            c.line(300, y, 500, y)
        c.setFont(FONTS["normal"], 10)
        c.drawString(120, 430, "Ngoài bảng: tăng 12,5% so với cùng kỳ 99,9 88,8")
        c.drawString(70, 300, FILLER)

    path = _pdf(tmp_path / "grid.pdf", draw)
    fast = read_document(path)
    assert fast.metadata["ruled_pages"] == [1]
    assert split_calls
    assert "Ngoài bảng: tăng 12,5%" in fast.text and "88,8" not in fast.text
    _same(fast, char_by_char(path))


def test_space_table_is_str_isspace():
    for code in range(0x10000):
        if not 0xD800 <= code <= 0xDFFF:
            assert SPACES[code] == chr(code).isspace(), hex(code)


def test_timings_and_collector(report_files):
    """The text layer's and the tables' seconds are reported apart; the cyclic garbage
    collector, paused while laying out, is running again afterwards (and stays paused if
    the caller had paused it)."""
    doc = read_document(report_files["report.pdf"])
    assert set(doc.metadata["seconds"]) == {"text", "tables"}
    assert min(doc.metadata["seconds"].values()) >= 0
    assert gc.isenabled()
    gc.disable()
    try:
        read_document(report_files["report.pdf"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_turned_page_and_offset_mediabox(tmp_path, char_by_char):
    """A page shown turned a quarter (/Rotate 90) whose MediaBox does not start at the
    origin: runs are placed on the displayed page as characters are."""
    import pypdfium2 as pdfium

    def draw(c):
        c.setPageRotation(90)
        c.translate(PAGE_W - 60, 60)
        c.rotate(90)  # written along the page's height, upright once the page is turned
        c.setFont(FONTS["normal"], 11)
        for i in range(8):
            c.drawString(0, 16 * i, f"Dòng {8 - i}: sản lượng lúa đạt {48 - i},5 nghìn tấn.")

    plain = _pdf(tmp_path / "turned.pdf", draw)
    pdf = pdfium.PdfDocument(str(plain))
    pdf[0].set_mediabox(10, 20, PAGE_W + 10, PAGE_H + 20)
    path = tmp_path / "turned-offset.pdf"
    pdf.save(str(path))
    pdf.close()
    fast = read_document(path)
    assert "Dòng 2: sản lượng lúa đạt 42,5 nghìn tấn. Dòng 3:" in fast.text
    _same(fast, char_by_char(path))


def test_page_of_more_runs_than_a_batch(tmp_path, char_by_char):
    """Calls go to pdfium in batches of a bounded size; a page of many short words spans
    several batches."""
    from baocao.ingest.pdf_runs import BATCH

    digits = [str(n % 10) for n in range(1, 2 * BATCH + 201)]

    def draw(c):
        c.setFont(FONTS["normal"], 5)
        for row in range(0, len(digits), 60):
            for col, digit in enumerate(digits[row : row + 60]):
                c.drawString(40.0 + 8.0 * col, 740 - 9.0 * (row // 60), digit)

    path = _pdf(tmp_path / "dense.pdf", draw)
    runs = [run for page in pdfium_pages(str(path)) for run in page.runs]
    assert len(runs) > 2 * BATCH
    fast = read_document(path)
    assert "1 2 3 4 5 6 7 8 9 0 1" in fast.text
    _same(fast, char_by_char(path))


def test_font_without_sound_metrics_is_read_by_character(report_files, monkeypatch, char_by_char):
    """For a font whose ascent equals its descent pdfium boxes each glyph on its own, so
    a run's last box does not give its line's bottom: such runs are read character by
    character (here every font is taken for one)."""
    import baocao.ingest.pdf_runs as pdf_runs

    taken_apart: list[str] = []
    split = pdf_runs.RunReader.split

    def spy(self, run):
        taken_apart.append(run.text)
        return split(self, run)

    monkeypatch.setattr(pdf_runs, "_font_facts", lambda font: ("DejaVuSerif", False))
    monkeypatch.setattr(pdf_runs.RunReader, "split", spy)
    doc = read_document(report_files["report.pdf"])
    assert len(taken_apart) > 5000
    monkeypatch.undo()
    _same(doc, char_by_char(report_files["report.pdf"]))
