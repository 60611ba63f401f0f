"""Each construction of the genre, on short sentences written for the test (not copied
from any report), including the hard negatives."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao.extract import extract_document
from baocao.ingest import Document

TITLE = "# Báo cáo tình hình kinh tế - xã hội tháng 8 năm 2017\n\n"


def read(body: str) -> pd.DataFrame:
    doc = Document(source="t.md", text=TITLE + body, kind="markdown")
    return extract_document(doc)


def facts(frame: pd.DataFrame) -> set[tuple]:
    out = set()
    for r in frame.itertuples():
        if r.indicator is None or (isinstance(r.indicator, float)):
            continue
        base = r.base if isinstance(r.base, str) else ""
        out.add((r.indicator, r.period, r.measure, base, round(r.value, 6)))
    return out


def test_month_and_year_to_date_with_plan_and_growth():
    f = facts(read("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng tháng 8 ước đạt "
                   "2.150,5 tỷ đồng; lũy kế 8 tháng đạt 16.300 tỷ đồng, bằng 65,2% kế hoạch, "
                   "tăng 9,8% so với cùng kỳ."))
    assert f == {
        ("retail.sales", "2017-08", "level", "", 2150.5),
        ("retail.sales", "2017-01/2017-08", "level", "", 16300.0),
        ("retail.sales", "2017-01/2017-08", "plan_pct", "", 65.2),
        ("retail.sales", "2017-01/2017-08", "yoy_pct", "", 9.8),
    }


def test_ratio_without_noun_is_a_change_but_with_plan_is_a_share():
    f = facts(read("Thu ngân sách 8 tháng đạt 3.900 tỷ đồng, bằng 97,5% so với cùng kỳ và "
                   "bằng 58% dự toán."))
    assert ("budget.revenue.total", "2017-01/2017-08", "yoy_pct", "", -2.5) in f
    assert ("budget.revenue.total", "2017-01/2017-08", "plan_pct", "", 58.0) in f


def test_growth_with_cung_ky_but_no_so_voi_and_spaced_percent():
    f = facts(read("Giải ngân vốn đầu tư công 8 tháng đạt 1.200 tỷ đồng, tăng 7,5 % cùng kỳ."))
    assert ("investment.disbursed", "2017-01/2017-08", "yoy_pct", "", 7.5) in f


def test_equivalent_means_zero():
    f = facts(read("Tổng đàn bò ước đạt 40,1 nghìn con, tương đương cùng kỳ."))
    assert f == {("livestock.cattle", "2017-08", "level", "", 40100.0),
                 ("livestock.cattle", "2017-08", "yoy_pct", "", 0.0)}


def test_missing_percent_sign_before_plan():
    f = facts(read("Tổng kim ngạch xuất nhập khẩu 8 tháng đạt 2.500 triệu USD, đạt 70,2 kế hoạch."))
    assert ("trade.total", "2017-01/2017-08", "plan_pct", "", 70.2) in f


def test_two_comparators_in_one_clause():
    f = facts(read("Chỉ số sản xuất công nghiệp tháng 8 ước tăng 3,15% so với tháng trước và "
                   "tăng 12,4% so với cùng kỳ."))
    assert f == {("industry.production_index", "2017-08", "mom_pct", "", 3.15),
                 ("industry.production_index", "2017-08", "yoy_pct", "", 12.4)}


def test_cpi_against_december_and_against_a_base_year():
    f = facts(read("Chỉ số giá tiêu dùng tháng 8 tăng 0,25% so với tháng trước, tăng 2,1% so "
                   "với tháng 12/2016 và tăng 9,5% so với kỳ gốc 2014."))
    assert f == {("cpi", "2017-08", "mom_pct", "", 0.25),
                 ("cpi", "2017-08", "base_pct", "2016-12", 2.1),
                 ("cpi", "2017-08", "base_pct", "2014", 9.5)}


def test_previous_month_named_by_number_is_month_on_month():
    f = facts(read("Chỉ số giá tiêu dùng tháng 8 giảm 0,3% so với tháng 7/2017."))
    assert f == {("cpi", "2017-08", "mom_pct", "", -0.3)}


def test_previous_month_without_year_is_this_years_month():
    f = facts(read("Chỉ số giá tiêu dùng tháng 8 tăng 0,4% so với tháng 7."))
    assert f == {("cpi", "2017-08", "mom_pct", "", 0.4)}


def test_period_printed_after_its_figure():
    f = facts(read("Lũy kế 8 tháng, kim ngạch xuất khẩu đạt 2.000 triệu USD; "
                   "đạt 300 triệu USD trong tháng 8."))
    assert ("trade.export", "2017-08", "level", "", 300.0) in f
    assert ("trade.export", "2017-01/2017-08", "level", "", 2000.0) in f


def test_capitalised_period_after_a_figure_starts_a_new_sentence():
    f = facts(read("Lũy kế 8 tháng, kim ngạch xuất khẩu đạt 2.000 triệu USD Trong tháng 8 "
                   "kim ngạch xuất khẩu đạt 300 triệu USD."))
    assert ("trade.export", "2017-01/2017-08", "level", "", 2000.0) in f


def test_signed_values_in_brackets():
    f = facts(read("Lũy kế 8 tháng xảy ra 30 vụ tai nạn giao thông (-6,2%) so với cùng kỳ."))
    assert ("traffic.accidents", "2017-01/2017-08", "yoy_pct", "", -6.2) in f


def test_respectively_pairs_values_in_order():
    f = facts(read("Kim ngạch xuất khẩu và nhập khẩu tháng 8 lần lượt đạt 250 và 130 triệu USD."))
    assert f == {("trade.export", "2017-08", "level", "", 250.0),
                 ("trade.import", "2017-08", "level", "", 130.0)}


def test_status_words_and_qualifiers():
    frame = read("Lượng khách du lịch tháng 8 đạt trên 150.000 lượt; 8 tháng dự ước đạt "
                 "khoảng 1,9 triệu lượt.")
    rows = frame.set_index("value")
    assert rows.loc[150000.0, "status"] == "actual" and rows.loc[150000.0, "qualifier"] == "over"
    assert rows.loc[1900000.0, "status"] == "estimate"
    assert rows.loc[1900000.0, "qualifier"] == "about"


def test_plan_base_central_and_provincial():
    frame = read("Tổng thu ngân sách 9 tháng đạt 4.100 tỷ đồng, đạt 70,1% dự toán Trung ương "
                 "giao và 65% dự toán tỉnh giao.")
    plan = frame[frame.measure == "plan_pct"].set_index("base").value.to_dict()
    assert plan == {"central": 70.1, "provincial": 65.0}


def test_stock_as_of_a_date_and_against_year_end():
    f = facts(read("Dư nợ tín dụng đến 31/8/2017 đạt 25.000 tỷ đồng, tăng 9% so với 31/12/2016."))
    assert f == {("credit.loans", "2017-08-31", "level", "", 25000.0),
                 ("credit.loans", "2017-08-31", "base_pct", "2016-12-31", 9.0)}


def test_quarter_and_half_year_periods():
    f = facts(read("Tốc độ tăng trưởng kinh tế quý II năm 2017 ước đạt 7,1%; 6 tháng đầu năm "
                   "tổng thu ngân sách đạt 3.000 tỷ đồng."))
    assert ("budget.revenue.total", "2017-01/2017-06", "level", "", 3000.0) in f


def test_absolute_change_is_yoy_diff():
    f = facts(read("Lũy kế 8 tháng xảy ra 25 vụ tai nạn giao thông, giảm 4 vụ so với cùng kỳ."))
    assert ("traffic.accidents", "2017-01/2017-08", "yoy_diff", "", -4.0) in f


def test_breakdown_with_trong_do_and_unknown_component():
    frame = read("Tổng thu ngân sách 8 tháng đạt 4.000 tỷ đồng, trong đó thu nội địa 1.800 tỷ "
                 "đồng, thu tiền sử dụng đất 250 tỷ đồng.")
    f = facts(frame)
    assert ("budget.revenue.domestic", "2017-01/2017-08", "level", "", 1800.0) in f
    land = frame[frame.value == 250.0]
    assert land.indicator.isna().all()  # never attached to the total


# ------------------------------------------------------------------ hard negatives


def test_targets_in_the_task_section_are_not_results():
    frame = read("Tổng thu ngân sách 8 tháng đạt 4.000 tỷ đồng.\n\n"
                 "## II. NHIỆM VỤ CHỦ YẾU THÁNG 9\n\n"
                 "Phấn đấu tổng thu ngân sách tháng 9 đạt 500 tỷ đồng.")
    assert frame.value.tolist() == [4000.0]


def test_target_words_inside_the_results_are_not_figures():
    frame = read("Phấn đấu thu ngân sách năm 2017 đạt 6.000 tỷ đồng.")
    assert frame.indicator.isna().all()


def test_culled_pigs_are_not_the_herd():
    frame = read("Dịch tả lợn châu Phi làm 1.500 con lợn bị tiêu hủy; tổng đàn lợn ước đạt "
                 "300 nghìn con.")
    pigs = frame[frame.indicator == "livestock.pigs"]
    assert pigs.value.tolist() == [300000.0]


def test_percentage_points_are_not_growth_rates():
    frame = read("Khu vực công nghiệp và xây dựng tăng 9,1% so với cùng kỳ, đóng góp 2,3 điểm "
                 "phần trăm vào mức tăng chung.")
    assert not ((frame.value == 2.3) & (frame.measure != "level")).any()
    assert (frame[frame.value == 2.3].unit == "pp").all()


def test_ranges_are_not_single_values():
    frame = read("Giá lợn hơi dao động từ 45.000 - 48.000 đồng/kg; 12 xã đạt từ 15 - 18 tiêu chí.")
    assert 45000.0 not in frame.value.tolist() and 15.0 not in frame.value.tolist()


def test_dates_and_fractions_are_not_figures():
    frame = read("Ngày 17/8/2017 đã kết thúc 32/61 cuộc thanh tra.")
    assert 32.0 not in frame.value.tolist() and 17.0 not in frame.value.tolist()


def test_comparator_missing_is_not_guessed():
    frame = read("Doanh thu bán lẻ hàng hóa tháng 8 tăng 1,58% do nhu cầu tăng.")
    assert frame.indicator.isna().all()
    assert "comparator_missing" in frame["flags"].iloc[0]


def test_unit_that_does_not_fit_is_not_attached():
    frame = read("Tổng thu ngân sách tháng 8 đạt 95 triệu USD.")
    assert frame.indicator.isna().all()


@pytest.mark.parametrize(
    "sentence",
    [
        "Doanh nghiệp thành lập mới 8 tháng là 300 doanh nghiệp, tổng vốn đăng ký 2.000 tỷ đồng.",
        "Toàn tỉnh có 2.600 doanh nghiệp đang hoạt động, tổng vốn đăng ký 18.000 tỷ đồng.",
    ],
)
def test_registered_capital_follows_its_count(sentence):
    frame = read(sentence)
    capital = frame[frame.unit == "VND bn"].indicator.iloc[0]
    count = frame[frame.unit == "count"].indicator.iloc[0]
    assert capital == count.replace(".count", ".capital")


def test_comparison_base_stated_before_the_verb():
    f = facts(read("So với cùng kỳ, chỉ số giá tiêu dùng tháng 8 tăng tăng 3,2%; so với tháng "
                   "trước giảm 0,4%."))
    assert f == {("cpi", "2017-08", "yoy_pct", "", 3.2), ("cpi", "2017-08", "mom_pct", "", -0.4)}


def test_growth_rate_indicator_takes_a_bare_percentage_as_its_growth():
    f = facts(read("Tổng sản phẩm trên địa bàn (GRDP) năm 2017 ước đạt 25.000 tỷ đồng, tốc độ "
                   "tăng tổng sản phẩm trên địa bàn 7,5%."))
    assert f == {("grdp.level", "2017", "level", "", 25000.0),
                 ("grdp.growth", "2017", "yoy_pct", "", 7.5)}


def test_the_change_of_a_value_is_published_as_its_growth_rate():
    f = facts(read("Năm 2017, GRDP theo giá so sánh ước đạt 25.000 tỷ đồng, tăng 7,5% so với "
                   "năm 2016; GRDP quý IV tăng trưởng 8,1%."))
    assert f == {("grdp.level", "2017", "level", "", 25000.0),
                 ("grdp.growth", "2017", "yoy_pct", "", 7.5),
                 ("grdp.growth", "2017-Q4", "yoy_pct", "", 8.1)}


def test_plan_year_is_not_the_period_of_the_figure():
    f = facts(read("Tổng thu ngân sách 8 tháng đạt 4.000 tỷ đồng, đạt 60% dự toán năm 2017."))
    assert ("budget.revenue.total", "2017-01/2017-08", "plan_pct", "", 60.0) in f


def test_unnamed_component_after_trong_do_is_not_the_total():
    frame = read("Tiếp nhận 160 đơn khiếu nại, tố cáo, trong đó 82 đơn thuộc thẩm quyền.")
    assert frame[frame.value == 82.0].indicator.isna().all()


def test_semicolon_typo_keeps_the_item_being_listed():
    frame = read("Xi măng 580 nghìn tấn, đạt 67% kế hoạch; tăng 3,4%; than sạch 342 nghìn tấn, "
                 "giảm 7,6% so với cùng kỳ.")
    growth = frame[frame.measure == "yoy_pct"].set_index("value").indicator.to_dict()
    assert growth == {3.4: "industry.cement", -7.6: "industry.coal"}


def test_cumulative_report_gives_its_period_to_figures_that_name_none():
    doc = Document(source="t.md", kind="markdown", metadata={"period": "2025-01/2025-06"},
                   text="# Kinh tế 6 tháng đầu năm\n\nToàn tỉnh thành lập mới 400 doanh nghiệp, "
                        "đạt 55% kế hoạch.")
    f = facts(extract_document(doc))
    assert f == {("enterprises.new.count", "2025-01/2025-06", "level", "", 400.0),
                 ("enterprises.new.count", "2025-01/2025-06", "plan_pct", "", 55.0)}


def test_annual_report_and_average_cpi():
    doc = Document(source="t.md", kind="markdown", metadata={"period": "2023"},
                   text="# Tình hình năm 2023\n\nThu ngân sách nhà nước đạt 7.000 tỷ đồng. Chỉ số "
                        "giá tiêu dùng tháng 12 tăng 2% so với bình quân cùng kỳ năm trước.")
    f = facts(extract_document(doc))
    assert ("budget.revenue.total", "2023", "level", "", 7000.0) in f
    assert ("cpi", "2023", "yoy_pct", "", 2.0) in f  # the average of twelve months


def test_old_style_tone_marks_match_the_catalogue():
    f = facts(read("Tổng mức bán lẻ hàng hoá tháng 8 đạt 2.000 tỷ đồng; luỹ kế 8 tháng đạt "
                   "15.000 tỷ đồng."))
    assert f == {("retail.sales", "2017-08", "level", "", 2000.0),
                 ("retail.sales", "2017-01/2017-08", "level", "", 15000.0)}


def test_grdp_sectors_contributions_and_shares():
    f = facts(read("Tốc độ tăng trưởng kinh tế 6 tháng đầu năm ước đạt 6,5%. Trong đó, khu vực "
                   "dịch vụ tăng 7,1%, đóng góp 3,2 điểm phần trăm. Khu vực dịch vụ chiếm 48%."))
    assert ("grdp.growth", "2017-01/2017-06", "yoy_pct", "", 6.5) in f
    assert ("grdp.growth.services", "2017-01/2017-06", "yoy_pct", "", 7.1) in f
    assert ("grdp.contribution.services", "2017-01/2017-06", "level", "", 3.2) in f


def test_tourists_named_by_the_unit_alone_and_a_year_after_the_figure():
    doc = Document(source="t.md", kind="markdown", metadata={"period": "2025"},
                   text="# Du lịch\n\nTỉnh đón hơn 4,1 triệu lượt khách năm 2024.")
    frame = extract_document(doc)
    row = frame.iloc[0]
    assert (row.indicator, row.period, row.value, row.qualifier) == (
        "tourism.visitors", "2024", 4_100_000.0, "over")


def test_plan_share_in_a_forestry_summary_is_year_to_date():
    f = facts(read("Trong tháng, gieo trồng vụ Xuân được 40.000 ha. Trồng rừng mới được 4.000 "
                   "ha, đạt 45% kế hoạch."))
    assert ("forestry.planted_area", "2017-01/2017-08", "level", "", 4000.0) in f


def test_amended_approvals_are_not_new_approvals():
    frame = read("Lũy kế 8 tháng cấp mới chủ trương đầu tư 4 dự án, tổng vốn đầu tư 180 tỷ "
                 "đồng; điều chỉnh chủ trương đầu tư 22 dự án.")
    counts = frame[frame.unit == "count"].set_index("value").indicator.to_dict()
    assert counts == {4.0: "investment.approved.count", 22.0: "investment.adjusted.count"}


def test_trong_do_sentence_takes_the_previous_period_and_comparison():
    f = facts(read("Lũy kế 8 tháng kim ngạch xuất nhập khẩu đạt 2.400 triệu USD, tăng 20% so với "
                   "cùng kỳ. Trong đó: xuất khẩu 1.300 triệu USD, tăng 25%; nhập khẩu 1.100 triệu "
                   "USD, tăng 14%."))
    assert ("trade.export", "2017-01/2017-08", "yoy_pct", "", 25.0) in f
    assert ("trade.import", "2017-01/2017-08", "yoy_pct", "", 14.0) in f


def test_growth_about_the_count_not_the_capital():
    f = facts(read("Lũy kế 8 tháng có 250 doanh nghiệp thành lập mới, tổng vốn đăng ký 2.100 tỷ "
                   "đồng, tăng 12% về số doanh nghiệp so với cùng kỳ."))
    assert ("enterprises.new.count", "2017-01/2017-08", "yoy_pct", "", 12.0) in f


def test_bulleted_list_items_take_the_introductions_period():
    f = facts(read("Kết quả thu ngân sách 8 tháng:\n- Thu nội địa: 1.535 tỷ đồng, đạt 80% dự "
                   "toán;\n- Thu hải quan: 2.485 tỷ đồng, đạt 45,2% dự toán."))
    assert f == {("budget.revenue.domestic", "2017-01/2017-08", "level", "", 1535.0),
                 ("budget.revenue.domestic", "2017-01/2017-08", "plan_pct", "", 80.0),
                 ("budget.revenue.customs", "2017-01/2017-08", "level", "", 2485.0),
                 ("budget.revenue.customs", "2017-01/2017-08", "plan_pct", "", 45.2)}


def test_recoveries_belong_to_the_inspections_they_follow():
    frame = read("Lũy kế 8 tháng thực hiện 170 cuộc thanh tra, kiểm tra, kiến nghị thu hồi 3,1 "
                 "tỷ đồng; tiến hành 17 cuộc thanh tra công tác phòng, chống tham nhũng, kết thúc "
                 "11 cuộc, kiến nghị thu hồi 327,8 triệu đồng.")
    money = frame[frame.unit == "VND bn"].set_index("value_as_printed").indicator.to_dict()
    assert money == {"3,1 tỷ đồng": "inspections.recovery_recommended",
                     "327,8 triệu đồng": "inspections.anticorruption.recovery_recommended"}


def test_cpi_against_december_of_last_year_in_words():
    f = facts(read("CPI tháng 8 tăng 2,3% so với tháng 12 năm trước và tăng 3,1% so với cùng kỳ; "
                   "dư nợ tín dụng đến cuối tháng 8 đạt 39.500 tỷ đồng, tăng 3,2% so với đầu năm."))
    assert f == {("cpi", "2017-08", "base_pct", "2016-12", 2.3),
                 ("cpi", "2017-08", "yoy_pct", "", 3.1),
                 ("credit.loans", "2017-08-31", "level", "", 39500.0),
                 ("credit.loans", "2017-08-31", "base_pct", "2016-12-31", 3.2)}


def test_change_with_no_base_is_yoy_only_for_cumulative_totals_and_herds():
    f = facts(read("Đàn bò 36 nghìn con, tăng 1%. Lũy kế 8 tháng tổng mức bán lẻ hàng hóa đạt "
                   "10.000 tỷ đồng, đạt 60% kế hoạch, tăng 9%. Doanh thu bán lẻ hàng hóa tháng 8 "
                   "tăng 1,5%."))
    assert ("livestock.cattle", "2017-08", "yoy_pct", "", 1.0) in f
    assert ("retail.sales", "2017-01/2017-08", "yoy_pct", "", 9.0) in f
    assert not any(k[0] == "retail.sales" and k[1] == "2017-08" for k in f)


def test_month_on_month_base_is_not_borrowed_by_a_cumulative_figure():
    f = facts(read("Chỉ số giá tiêu dùng tháng 8 tăng 0,5% so với tháng trước; bình quân 8 tháng "
                   "tăng 2,6%."))
    assert f == {("cpi", "2017-08", "mom_pct", "", 0.5),
                 ("cpi", "2017-01/2017-08", "yoy_pct", "", 2.6)}


def test_a_border_gate_or_district_subtotal_is_not_the_provincial_total():
    frame = read("Kim ngạch xuất nhập khẩu qua cửa khẩu Hữu Nghị 8 tháng đạt 1.200 triệu USD. "
                 "Thu ngân sách của thành phố Lạng Sơn 8 tháng đạt 600 tỷ đồng. Tổng kim ngạch "
                 "xuất nhập khẩu qua các cửa khẩu trên địa bàn tỉnh 8 tháng đạt 3.318 triệu USD.")
    assert facts(frame) == {("trade.total", "2017-01/2017-08", "level", "", 3318.0)}


def test_a_part_named_by_place_is_not_the_province():
    frame = read("Tháng 8, khách du lịch đến tỉnh ước đạt 500 nghìn lượt; riêng Phú Quốc ước đón "
                 "368 nghìn lượt khách. TP Lạng Sơn đã đón hơn 40 nghìn lượt khách.")
    assert facts(frame) == {("tourism.visitors", "2017-08", "level", "", 500000.0)}


def test_bare_luy_ke_is_the_year_to_date_and_makes_the_first_figure_the_month():
    f = facts(read("Số lượng khách du lịch ước đạt 422,8 nghìn lượt khách, lũy kế 3.328,7 nghìn "
                   "lượt khách."))
    assert f == {("tourism.visitors", "2017-08", "level", "", 422800.0),
                 ("tourism.visitors", "2017-01/2017-08", "level", "", 3328700.0)}


def test_targets_set_for_the_year_are_not_results():
    frame = read("Năm 2017 tỉnh đặt mục tiêu đón 3 triệu lượt khách du lịch, doanh thu 3.200 tỷ "
                 "đồng.")
    assert facts(frame) == set()


def test_words_for_months_and_base_years_of_constant_prices():
    f = facts(read("Chín tháng đầu năm, GRDP theo giá so sánh năm 2010 ước tăng 8,01% so với cùng "
                   "kỳ; thu ngân sách đạt 70% dự toán Chính phủ giao."))
    assert ("grdp.growth", "2017-01/2017-09", "yoy_pct", "", 8.01) in f
    assert ("budget.revenue.total", "2017-01/2017-09", "plan_pct", "central", 70.0) in f


def test_fdi_realised_is_not_registered_capital():
    frame = read("Lũy kế 8 tháng vốn FDI đăng ký 33,69 tỷ USD, thực hiện 23,6 tỷ USD.")
    got = frame.set_index("value").indicator.to_dict()
    assert got == {33690.0: "fdi.capital", 23600.0: "fdi.realised"}


def test_unknown_quantity_takes_its_own_growth_rate():
    frame = read("Chỉ số sản xuất công nghiệp tháng 8 tăng 12% so với cùng kỳ; một số sản phẩm "
                 "tăng: bia đóng chai ước đạt 4,8 triệu lít, tăng 24,9%; giày 5 triệu hộp, "
                 "tăng 3%.")
    assert facts(frame) == {("industry.production_index", "2017-08", "yoy_pct", "", 12.0)}


def test_comparison_base_right_before_its_verb_and_after_a_month():
    f = facts(read("CPI tháng 8 năm 2017 so với tháng trước tăng 0,62% và tăng 5,2% so với cùng "
                   "kỳ; chỉ số IIP tháng 8 tăng 0,7% so với tháng trước, tăng 46% so với tháng "
                   "cùng kỳ năm trước."))
    assert f == {("cpi", "2017-08", "mom_pct", "", 0.62), ("cpi", "2017-08", "yoy_pct", "", 5.2),
                 ("industry.production_index", "2017-08", "mom_pct", "", 0.7),
                 ("industry.production_index", "2017-08", "yoy_pct", "", 46.0)}


def test_names_printed_after_the_percentages():
    f = facts(read("Lũy kế 8 tháng xảy ra 56 vụ tai nạn giao thông, làm chết 35 người và 59 người "
                   "bị thương; so với cùng kỳ tăng 7,69% số vụ, 2,94% số người chết và 31,11% số "
                   "người bị thương. Trong đó, số vụ tai nạn rất nghiêm trọng tăng 200%."))
    growth = {k[0]: k[4] for k in f if k[2] == "yoy_pct"}
    assert growth == {"traffic.accidents": 7.69, "traffic.deaths": 2.94, "traffic.injuries": 31.11}


def test_deaths_of_an_unknown_part_are_not_the_total():
    f = facts(read("Lũy kế 8 tháng xảy ra 48 vụ tai nạn giao thông, làm chết 53 người (trong đó, "
                   "đường sắt 5 vụ và 6 người chết); số người chết giảm 7 người, số người bị "
                   "thương giảm 3 người so với cùng kỳ."))
    assert ("traffic.deaths", "2017-01/2017-08", "level", "", 6.0) not in f
    assert ("traffic.injuries", "2017-01/2017-08", "yoy_diff", "", -3.0) in f
    assert ("traffic.deaths", "2017-01/2017-08", "yoy_diff", "", -7.0) in f


def test_months_written_as_words():
    f = facts(read("Tháng Mười, tổng mức bán lẻ hàng hóa đạt 3.000 tỷ đồng."))
    assert f == {("retail.sales", "2017-10", "level", "", 3000.0)}


def test_a_run_on_text_is_read_piece_by_piece():
    """A file with no full stops (hostile or badly converted) is cut into pieces at clause
    marks, so that every figure is still read and the time stays linear."""
    body = "tổng thu ngân sách tháng 8 đạt 462,4 tỷ đồng, tăng 5% so với cùng kỳ, " * 500
    frame = read(body)
    assert len(frame) == 1000
    assert set(frame.indicator) == {"budget.revenue.total"}


def test_a_part_named_by_place_keeps_the_whole_sentence():
    f = facts(read("Lũy kế 8 tháng tỉnh đón hơn 6,1 triệu lượt khách du lịch, tổng doanh thu từ du "
                   "lịch đạt hơn 7.700 tỷ đồng. Trong đó, TP Phú Quốc đã đón hơn 4 triệu lượt "
                   "khách du lịch, tăng 154% so với cùng kỳ, tổng doanh thu đạt trên 5.100 tỷ "
                   "đồng."))
    assert f == {("tourism.visitors", "2017-01/2017-08", "level", "", 6100000.0),
                 ("tourism.revenue", "2017-01/2017-08", "level", "", 7700.0)}


def test_local_budget_revenue_is_not_state_revenue_collected():
    frame = read("Tổng thu ngân sách địa phương 8 tháng ước đạt 10.578 tỷ đồng, đạt 107% dự toán.")
    assert not any(k[0] == "budget.revenue.total" for k in facts(frame))


def test_the_same_change_in_units_after_bang():
    f = facts(read("Tính đến ngày 01/4/2017, đàn lợn trên 537.600 con, tăng 1,11%, bằng 5.900 con "
                   "so với cùng kỳ năm trước."))
    assert ("livestock.pigs", "2017-04-01", "yoy_diff", "", 5900.0) in f
    assert not any(k[2] == "level" and k[4] == 5900.0 for k in f)


def test_a_year_to_date_named_with_the_province_and_a_plain_verb():
    f = facts(read("Tổng thu ngân sách trên địa bàn ước thực hiện tháng 8 là 669,5 tỷ đồng. Lũy kế "
                   "thực hiện 8 tháng của Lạng Sơn là 6.932 tỷ đồng, đạt 85,6% so với dự toán."))
    assert ("budget.revenue.total", "2017-01/2017-08", "level", "", 6932.0) in f


def test_a_rate_named_before_its_year_is_not_the_last_indicator():
    frame = read("Thu ngân sách tăng 16,7%; tỷ lệ học sinh đạt tốt nghiệp năm 2017 là 99,08%, tăng "
                 "0,22% so với năm 2016.")
    assert not any(v == 99.08 for *_, v in facts(frame))


def test_places_other_than_the_province_do_not_take_its_tourists():
    doc = Document(source="t.md", kind="markdown", text=(
        "# Tình hình kinh tế - xã hội tỉnh Quảng Ninh tháng 1 năm 2023\n\n"
        "Tháng 1, tổng lượng khách đến tỉnh Quảng Ninh đạt 1,6 triệu lượt, tính riêng trong 7 "
        "ngày nghỉ Tết, toàn tỉnh đón gần 700.000 lượt khách. Vịnh Hạ Long đón khoảng 40.000 "
        "lượt khách; "
        "Móng Cái đón gần 10.100 lượt khách."))
    assert facts(extract_document(doc)) == {
        ("tourism.visitors", "2023-01", "level", "", 1600000.0)}


def test_shares_of_scenarios_and_plans_after_chiem_and_vuot():
    f = facts(read("Lũy kế 8 tháng thu ngân sách đạt 34.000 tỷ đồng, bằng 67% dự toán, bằng 96% "
                   "cùng kỳ, bằng 95% kịch bản; vượt 132% dự toán Trung ương giao. Giải ngân vốn "
                   "đầu tư công 8 tháng đạt 763 tỷ đồng, chiếm 13,4% kế hoạch."))
    assert ("budget.revenue.total", "2017-01/2017-08", "yoy_pct", "", -4.0) in f
    assert ("budget.revenue.total", "2017-01/2017-08", "plan_pct", "central", 132.0) in f
    assert not any(k[4] == -5.0 for k in f)
    assert ("investment.disbursed", "2017-01/2017-08", "plan_pct", "", 13.4) in f


def test_a_centrally_run_city_is_its_own_province():
    doc = Document(source="t.md", kind="markdown", text=(
        "# Tình hình kinh tế - xã hội tháng 4 năm 2024\n\nTheo Cục Thống kê TP Cần Thơ, chỉ số giá "
        "tiêu dùng (CPI) tháng 4-2024 của thành phố tăng 0,36% so với tháng trước và tăng 3,9% so "
        "với cùng kỳ năm trước."))
    assert facts(extract_document(doc)) == {("cpi", "2024-04", "mom_pct", "", 0.36),
                                            ("cpi", "2024-04", "yoy_pct", "", 3.9)}


def test_plan_share_with_hoan_thanh_and_so_du_toan():
    f = facts(read("6 tháng đầu năm, thu ngân sách ước đạt 35.440 tỷ đồng, hoàn thành 64% so dự "
                   "toán và bằng 91% so với cùng kỳ."))
    assert ("budget.revenue.total", "2017-01/2017-06", "plan_pct", "", 64.0) in f
    assert ("budget.revenue.total", "2017-01/2017-06", "yoy_pct", "", -9.0) in f


def test_a_figure_compared_with_the_previous_month_is_the_months():
    f = facts(read("- Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng ước đạt 1.145,9 tỷ "
                   "đồng, tăng 5,13% so với tháng trước, tăng 19,88% so với cùng kỳ."))
    assert f == {("retail.sales", "2017-08", "level", "", 1145.9),
                 ("retail.sales", "2017-08", "mom_pct", "", 5.13),
                 ("retail.sales", "2017-08", "yoy_pct", "", 19.88)}


def test_examples_after_nhu_are_not_the_thing_named():
    frame = read("Lũy kế 8 tháng, một số nhóm ngành góp phần tăng chung trong tổng mức bán lẻ như "
                 "gỗ và vật liệu xây dựng tăng 51,7%; đá quý tăng 34,8%.")
    assert facts(frame) == set()


def test_a_cumulative_report_implies_the_comparison_of_its_changes():
    doc = Document(source="t.md", kind="markdown", metadata={"period": "2025-Q1"},
                   text="# Kinh tế quý I\n\nDu lịch khởi sắc với 1,92 triệu lượt khách, "
                        "tăng 26,2%.")
    assert facts(extract_document(doc)) == {
        ("tourism.visitors", "2025-Q1", "level", "", 1920000.0),
        ("tourism.visitors", "2025-Q1", "yoy_pct", "", 26.2)}


def test_transport_passengers_are_not_tourists():
    f = facts(read("Vận tải hành khách tháng 8 ước đạt 520 nghìn lượt khách, luân chuyển đạt "
                   "35,2 triệu lượt khách.km; vận tải hàng hóa đạt 1.200 nghìn tấn, luân chuyển "
                   "95,3 nghìn tấn.km. Doanh thu vận tải, kho bãi và dịch vụ hỗ trợ vận tải "
                   "tháng 8 ước đạt 250,4 tỷ đồng."))
    assert f == {("transport.passengers", "2017-08", "level", "", 520000.0),
                 ("transport.passenger_km", "2017-08", "level", "", 35200000.0),
                 ("transport.freight", "2017-08", "level", "", 1200000.0),
                 ("transport.freight_tkm", "2017-08", "level", "", 95300.0),
                 ("transport.revenue", "2017-08", "level", "", 250.4)}
    assert not any(r[0].startswith("tourism") for r in f)


def test_local_goods_taking_part_in_exports_are_not_all_exports():
    f = facts(read("Lũy kế 8 tháng, giá trị hàng địa phương tham gia xuất khẩu tăng 17,9% "
                   "so với cùng kỳ."))
    assert f == {("trade.export.local", "2017-01/2017-08", "yoy_pct", "", 17.9)}


def test_doubled_percent_sign_is_a_typo_not_a_break():
    f = facts(read("Lũy kế 8 tháng, khách du lịch đạt 1,3 triệu lượt, bằng 119%% kế hoạch, "
                   "tăng 2,2 lần so với cùng kỳ."))
    assert ("tourism.visitors", "2017-01/2017-08", "plan_pct", "", 119.0) in f
    assert not any(r[2] == "yoy_pct" and r[4] == 19.0 for r in f)


def test_through_the_end_of_a_month_is_year_to_date():
    f = facts(read("Thu ngân sách nhà nước ước thực hiện hết tháng 8/2017 đạt 3.250,5 tỷ đồng."))
    assert f == {("budget.revenue.total", "2017-01/2017-08", "level", "", 3250.5)}


def test_a_flow_to_a_printed_day_keeps_that_day():
    """A flow summed to a printed day keeps the day as an as-of date, as the reference
    figures store it (phrasing.md, 1.5); a month's end printed as "đến hết tháng 8" is the
    year to date."""
    f = facts(read("Tính đến ngày 31/8/2017, tổng kim ngạch xuất nhập khẩu đạt 3.086,1 triệu USD. "
                   "Tính đến ngày 15/8/2017, tổng thu ngân sách đạt 3.086,1 tỷ đồng. "
                   "Đến 31/8/2017, dư nợ tín dụng đạt 23.086 tỷ đồng. "
                   "Lũy kế đến hết tháng 8, thu ngân sách đạt 4.020 tỷ đồng."))
    assert f == {("trade.total", "2017-08-31", "level", "", 3086.1),
                 ("budget.revenue.total", "2017-08-15", "level", "", 3086.1),
                 ("credit.loans", "2017-08-31", "level", "", 23086.0),
                 ("budget.revenue.total", "2017-01/2017-08", "level", "", 4020.0)}


def test_unit_with_its_first_letter_dropped():
    f = facts(read("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ lũy kế 8 tháng ước đạt "
                   "23.957,2 ỷ đồng, tăng 12,93% so với cùng kỳ."))
    assert f == {("retail.sales", "2017-01/2017-08", "level", "", 23957.2),
                 ("retail.sales", "2017-01/2017-08", "yoy_pct", "", 12.93)}


def test_comparison_written_without_voi():
    f = facts(read("Tổng doanh thu vận tải tháng 8 ước đạt 330,5 tỷ đồng, tăng 0,27% so tháng "
                   "trước và tăng 7,41% so cùng kỳ."))
    assert f == {("transport.revenue", "2017-08", "level", "", 330.5),
                 ("transport.revenue", "2017-08", "mom_pct", "", 0.27),
                 ("transport.revenue", "2017-08", "yoy_pct", "", 7.41)}


def test_transport_branch_in_money_is_its_revenue():
    f = facts(read("Lũy kế 8 tháng, doanh thu vận tải, kho bãi và dịch vụ hỗ trợ vận tải đạt "
                   "3.017 tỷ đồng; trong đó vận tải hành khách đạt 610 tỷ đồng, vận tải hàng hóa "
                   "đạt 2.285 tỷ đồng."))
    assert f == {("transport.revenue", "2017-01/2017-08", "level", "", 3017.0),
                 ("transport.revenue.passenger", "2017-01/2017-08", "level", "", 610.0),
                 ("transport.revenue.freight", "2017-01/2017-08", "level", "", 2285.0)}


def test_date_written_with_dashes_after_ngay():
    f = facts(read("Đến ngày 31-8-2017, dư nợ tín dụng đạt 23.086 tỷ đồng; tăng từ 10 đến 15-20 "
                   "tấn."))
    assert f == {("credit.loans", "2017-08-31", "level", "", 23086.0)}


def test_same_month_a_year_earlier_named_by_number_is_year_on_year():
    f = facts(read("Chỉ số giá tiêu dùng tháng 8/2017 tăng 0,25% so với tháng trước, tăng 2,51% "
                   "so với tháng 12/2016 và tăng 2,82% so với tháng 8/2016."))
    assert f == {("cpi", "2017-08", "mom_pct", "", 0.25),
                 ("cpi", "2017-08", "base_pct", "2016-12", 2.51),
                 ("cpi", "2017-08", "yoy_pct", "", 2.82)}


def test_visitors_named_as_sightseeing_and_tourism():
    f = facts(read("Tổng lượt khách đến tham quan, du lịch tháng 8 ước đạt 350.000 lượt, trong đó "
                   "khách quốc tế 25.000 lượt; doanh thu ước đạt 250 tỷ đồng."))
    assert f == {("tourism.visitors", "2017-08", "level", "", 350000.0),
                 ("tourism.visitors.international", "2017-08", "level", "", 25000.0),
                 ("tourism.revenue", "2017-08", "level", "", 250.0)}


def test_change_named_after_the_percentage_with_ve():
    f = facts(read("Trong tháng 8, có 45 doanh nghiệp thành lập mới với tổng vốn đăng ký 320,5 tỷ "
                   "đồng, tăng 12,5% về số doanh nghiệp và giảm 8,2% về vốn đăng ký "
                   "so với cùng kỳ."))
    assert ("enterprises.new.count", "2017-08", "yoy_pct", "", 12.5) in f
    assert ("enterprises.new.capital", "2017-08", "yoy_pct", "", -8.2) in f
