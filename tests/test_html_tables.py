"""Data tables in statistics-office HTML pages are read as tables, not as prose."""

from __future__ import annotations

import baocao

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Tình hình kinh tế - xã hội tháng 5 năm 2024</title></head>
<body><nav><a href="/">Trang chủ</a></nav><div class="content">
<h1>Tình hình kinh tế - xã hội tháng 5 năm 2024</h1>
<p>Tổng thu ngân sách tháng 5 ước đạt 500 tỷ đồng.</p>
<table><tr><th>Chỉ tiêu</th><th>Đơn vị tính</th><th>Ước thực hiện tháng 5/2024</th>
<th>Lũy kế 5 tháng</th><th>So với cùng kỳ (%)</th></tr>
<tr><td>Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng</td><td>Tỷ đồng</td>
<td>2.500,5</td><td>12.100</td><td>109,8</td></tr>
<tr><td>Kim ngạch xuất nhập khẩu</td><td>Triệu USD</td><td>520</td><td>2.300</td>
<td>125,0</td></tr></table></div></body></html>"""


def test_html_table_rows_become_observations(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    frame = baocao.extract(path)
    table = frame[frame.source_kind == "table"]
    got = {(r.indicator, r.period, r.measure, r.value) for r in table.itertuples()}
    assert got == {
        ("retail.sales", "2024-05", "level", 2500.5),
        ("retail.sales", "2024-01/2024-05", "level", 12100.0),
        ("retail.sales", "2024-01/2024-05", "yoy_pct", 9.8),
        ("trade.total", "2024-05", "level", 520.0),
        ("trade.total", "2024-01/2024-05", "level", 2300.0),
        ("trade.total", "2024-01/2024-05", "yoy_pct", 25.0),
    }
    assert table.page.isna().all()  # no pages in HTML
    prose = frame[frame.source_kind == "report"]
    assert prose.value.tolist() == [500.0]  # the table's numbers are not read twice
