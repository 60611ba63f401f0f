"""HTML pages: the article body of a statistics-office page, in the Document conventions."""

from __future__ import annotations

import pytest
from fixtures.compare import body_and_notes, first_difference
from fixtures.make_fixtures import SEED

from baocao.ingest import read_document

TITLE = "Tình hình kinh tế - xã hội tháng 8 và 8 tháng năm 2017"


@pytest.fixture(scope="module")
def html_doc(report_files):
    return read_document(report_files["report.html"])


def test_metadata_title_and_date(html_doc):
    assert html_doc.kind == "html"
    assert html_doc.metadata["title"] == TITLE
    assert html_doc.metadata["published"] == "2017-08-30T16:05"


def test_page_furniture_dropped(html_doc):
    text = html_doc.text
    for junk in ("Trang chủ", "Giới thiệu", "Bản quyền", "tracking", "9.999", "Tin mới",
                 "Chia sẻ", "Từ khóa", "CỤC THỐNG KÊ", "Thứ tư - 30/08/2017"):
        assert junk not in text


def test_body_and_notes_equal_the_seed(html_doc):
    assert html_doc.text.startswith(f"# {TITLE}\n\n")
    html_body, html_notes = body_and_notes(html_doc.text.split("\n\n", 1)[1])
    seed_body, seed_notes = body_and_notes(SEED.read_text(encoding="utf-8"))
    assert html_body == seed_body, first_difference(html_body, seed_body)
    assert html_notes == seed_notes


def test_note_anchors_and_headings(html_doc):
    text = html_doc.text
    assert "so với cùng kỳ<sup>1</sup>, trong đó" in text
    assert "[1]" not in text
    assert "\n\n---\n\n<sup>1</sup> Sản lượng một số cây trồng khác" in text
    assert "5.645 nghìn m<sup>3</sup>" in text
    headings = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any(h.endswith(" c) Thương mại, dịch vụ") for h in headings)
    assert any(h.endswith(" I. TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 8 VÀ 8 THÁNG") for h in headings)
    # the highlighted lead sentence stays a paragraph
    assert "\n\nTrong tháng 8 năm 2017, UBND tỉnh đã tập trung" in text


def test_notes_in_footnote_form_and_inline_sup(tmp_path):
    page = (
        "<html><head><title>Báo cáo - Sở KH&amp;ĐT</title></head><body>"
        "<nav><a>Tin tức</a></nav><div class='content'>"
        "<p>Thứ năm - 27/07/2023 22:26</p>"
        "<p><strong>1. Thương mại</strong></p>"
        "<p>Kim ngạch đạt 380 triệu USD<sup>1</sup>, tăng 5%[2].</p>"
        "<p>[1] Xuất khẩu 220 triệu USD.</p><p><sup>2</sup> So với tháng 7.</p>"
        "</div><footer>Liên hệ</footer></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.metadata == {"title": "Báo cáo", "published": "2023-07-27T22:26"}
    assert doc.text == (
        "# Báo cáo\n\n### 1. Thương mại\n\n"
        "Kim ngạch đạt 380 triệu USD<sup>1</sup>, tăng 5%<sup>2</sup>.\n\n---\n\n"
        "<sup>1</sup> Xuất khẩu 220 triệu USD.\n\n<sup>2</sup> So với tháng 7.\n"
    )
