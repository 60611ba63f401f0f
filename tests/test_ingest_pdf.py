"""PDF reading: the seed typeset as a PDF reads back as the seed's text, tables as cells."""

from __future__ import annotations

import csv
import re

import pytest
from fixtures.compare import body_and_notes, first_difference
from fixtures.make_fixtures import PASSWORD, SEED, TABLE_CSV

from baocao.extract.tables import table_observations
from baocao.ingest import read_document


@pytest.fixture(scope="module")
def pdf_doc(report_files):
    return read_document(report_files["report.pdf"])


@pytest.fixture(scope="module")
def seed_doc():
    return read_document(SEED)


def _prose(doc):
    """Text before the appendix page (the seed has no appendix)."""
    return doc.text[: doc.pages[-1].start]


def test_body_words_equal_the_seed(pdf_doc, seed_doc):
    pdf_body, _ = body_and_notes(_prose(pdf_doc))
    seed_body, _ = body_and_notes(seed_doc.text)
    assert pdf_body == seed_body, first_difference(pdf_body, seed_body)


def test_footnotes_equal_the_seed(pdf_doc, seed_doc):
    _, pdf_notes = body_and_notes(_prose(pdf_doc))
    _, seed_notes = body_and_notes(seed_doc.text)
    assert sorted(pdf_notes) == list(range(1, 16))
    assert pdf_notes == seed_notes


def test_markers_are_superscripts_in_place(pdf_doc):
    text = pdf_doc.text
    assert "so với cùng kỳ<sup>1</sup>, trong đó" in text
    assert "đạt 110,4% kế hoạch<sup>3</sup>." in text
    assert "5.645 nghìn m<sup>3</sup>, đạt 72,4% kế hoạch" in text  # a unit, not a note
    for n in range(1, 16):  # every note: one anchor in the body, one note opening a paragraph
        assert len(re.findall(rf"(?m)^<sup>{n}</sup> ", text)) == 1
        assert len(re.findall(rf"\S<sup>{n}</sup>", text)) >= 1


def test_footnote_continued_on_next_page(pdf_doc):
    """Footnote 14 breaks after "tăng" and goes on below the next page's rule, as a
    paragraph without a marker (the seed's convention)."""
    text = pdf_doc.text
    note14 = text.index("<sup>14</sup> Trong đó: Chi cân đối")
    rest = text.index("39,5%); chi chương trình mục tiêu quốc gia")
    page14, page_rest = pdf_doc.page_at(note14), pdf_doc.page_at(rest)
    assert page_rest == page14 + 1
    assert text[note14:rest].split("\n\n")[0].endswith("đạt 59,7% dự toán, tăng")
    before = text[:rest].rstrip()
    assert before.endswith("---")  # first thing under the rule of its page
    anchor = text.index("tăng 30,6% so với cùng kỳ<sup>14</sup>")
    assert pdf_doc.page_at(anchor) == page14


def test_running_header_and_footer_removed(pdf_doc):
    assert "Trang " not in pdf_doc.text
    assert "UBND TỈNH LẠNG SƠN - Báo cáo" not in pdf_doc.text


def test_pages_are_ordered_char_ranges(pdf_doc):
    pages = pdf_doc.pages
    assert [p.number for p in pages] == list(range(1, pdf_doc.metadata["page_count"] + 1))
    assert len(pages) >= 8
    for a, b in zip(pages, pages[1:], strict=False):
        assert a.start <= a.end <= b.start
    assert pdf_doc.page_at(pdf_doc.text.index("BÁO CÁO")) == 1
    assert pdf_doc.page_at(pdf_doc.text.index("Lý Vinh Quang")) == len(pages) - 1


def test_headings_are_marked(pdf_doc):
    headings = [ln for ln in pdf_doc.text.splitlines() if ln.startswith("#")]
    assert "### c) Thương mại, dịch vụ" in headings
    assert any(h.endswith("4. Công tác thanh tra, tiếp công dân, giải quyết khiếu nại, tố cáo "
                          "và phòng, chống tham nhũng; quốc phòng, an ninh, đối ngoại và cải "
                          "cách thủ tục hành chính") for h in headings)


def test_table_read_from_ruled_last_page_only(pdf_doc):
    last = pdf_doc.pages[-1].number
    assert pdf_doc.metadata["ruled_pages"] == [last]
    assert len(pdf_doc.tables) == 1
    table = pdf_doc.tables[0]
    assert (table.page, table.order, table.flavor) == (last, 1, "lattice")
    assert table.accuracy >= 90 and table.whitespace <= 30
    assert table.cells[0][:5] == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Ước thực hiện tháng 8/2017", "Lũy kế 8 tháng"
    ]
    assert ["3", "- Xuất khẩu", "Triệu USD", "220", "2.094", "149,6", "97,4"] in table.cells
    # table cells are not repeated in the prose
    assert "1.775.300 |" not in pdf_doc.text and "149,6" not in pdf_doc.text


def _expected_table_rows():
    """(label, measure, period, value) the appendix prints, from the fixture's CSV."""
    from baocao.extract.numbers import parse_number

    out = []
    with TABLE_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append((row["label"], "level", "2017-08", parse_number(row["month"])))
            out.append((row["label"], "level", "2017-01/2017-08", parse_number(row["ytd"])))
            out.append((row["label"], "yoy_pct", "2017-01/2017-08",
                        round(parse_number(row["yoy_ratio"]) - 100, 2)))
            out.append((row["label"], "plan_pct", "2017-01/2017-08",
                        parse_number(row["plan_pct"])))
    return out


def test_table_observations(pdf_doc):
    frame = table_observations(pdf_doc, "langson-ubnd-2017-08")
    last = pdf_doc.pages[-1].number
    assert set(frame["page"]) == {last}
    assert set(frame["source_kind"]) == {"table"}
    assert set(frame["flags"]) == {""}
    got = {(r.indicator, r.period, r.measure): (r.value, r.unit) for r in frame.itertuples()}
    # seed figures, as the report's text states them
    assert got[("trade.total", "2017-01/2017-08", "level")] == (3318, "USD mn")
    assert got[("trade.total", "2017-08", "level")] == (380, "USD mn")
    assert got[("trade.export", "2017-01/2017-08", "level")] == (2094, "USD mn")
    assert got[("trade.import", "2017-01/2017-08", "plan_pct")] == (62.8, "%")
    assert got[("retail.sales", "2017-01/2017-08", "yoy_pct")] == (14, "%")
    assert got[("budget.revenue.total", "2017-01/2017-08", "yoy_pct")] == (-6.8, "%")
    assert got[("budget.expenditure.total", "2017-01/2017-08", "level")] == (5152.5, "VND bn")
    assert got[("tourism.visitors", "2017-01/2017-08", "level")] == (1775300, "visits")
    assert got[("tourism.revenue", "2017-01/2017-08", "yoy_pct")] == (6.23, "%")
    # every printed cell became exactly one observation
    assert len(frame) == len(_expected_table_rows())
    values = sorted(round(v, 6) for v in frame["value"])
    assert values == sorted(round(v[3], 6) for v in _expected_table_rows())
    row = frame[(frame.indicator == "trade.total") & (frame.period_type == "ytd")].iloc[0]
    assert row.quote.startswith("2 | Tổng kim ngạch xuất nhập khẩu | Triệu USD | 380 | 3.318")
    month = frame[(frame.indicator == "retail.sales") & (frame.period_type == "month")].iloc[0]
    assert (month.status, month.value_as_printed) == ("estimate", "1.200 Tỷ đồng")


def test_encrypted_pdf_reads_with_password(report_files, pdf_doc):
    doc = read_document(report_files["encrypted.pdf"], password=PASSWORD)
    assert doc.text == pdf_doc.text
    assert [t.cells for t in doc.tables] == [t.cells for t in pdf_doc.tables]


def _figure_set(frame):
    if "source_kind" in frame:
        frame = frame[frame["source_kind"].fillna("") != "table"]
    return {
        (r.indicator, r.period, r.measure, round(float(r.value), 6))
        for r in frame.itertuples()
    }


def test_pdf_yields_the_figures_of_its_text(report_files):
    """``extract(pdf)`` finds the same figures as ``extract(md)`` (table rows aside)."""
    from baocao.api import extract

    from_md = extract(SEED, report_id="langson-ubnd-2017-08")
    from_pdf = extract(report_files["report.pdf"], report_id="langson-ubnd-2017-08")
    assert _figure_set(from_pdf) == _figure_set(from_md)
    if len(from_pdf):
        pages = from_pdf[from_pdf["source_kind"].fillna("") != "table"]["page"]
        assert pages.notna().all()
