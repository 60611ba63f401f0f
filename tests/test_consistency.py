"""Report-level consistency: figures that contradict the rest of their report are
flagged, and a period the reader inferred is withdrawn rather than guessed."""

from __future__ import annotations

from baocao.extract import extract_document
from baocao.extract.catalogue import load_catalogue
from baocao.extract.consistency import (
    check_report,
    components_within_totals,
    month_within_year_to_date,
    plans_agree,
    repeats_agree,
    rounding,
)
from baocao.extract.model import Row
from baocao.extract.periods import Period
from baocao.ingest import Document

CAT = load_catalogue()
MONTH_TITLE = "# Báo cáo tình hình kinh tế - xã hội tháng 8 năm 2017\n\n"


def read(text: str):
    return extract_document(Document(source="t.md", text=text, kind="markdown"))


def row(indicator: str, period: Period, value: float, printed: str, *, measure="level",
        unit="VND bn", decimals=0, printed_period=True, base=None) -> Row:
    return Row(indicator, indicator, period, measure, base, value, unit, printed, None,
               "actual", 0, 0, decimals=decimals, period_printed=printed_period)


def test_rounding_is_half_the_last_printed_digit_in_the_canonical_unit():
    assert rounding(row("budget.revenue.total", Period.month(2017, 8), 3300.0,
                        "3,3 nghìn tỷ đồng", decimals=1)) == 50.0
    assert rounding(row("budget.revenue.total", Period.month(2017, 8), 3318.0,
                        "3.318 tỷ đồng")) == 0.5


def test_a_month_above_its_year_to_date_loses_the_period_it_was_not_printed_with():
    month = row("budget.revenue.total", Period.month(2017, 8), 1500.0, "1.500 tỷ đồng",
                printed_period=False)
    ytd = row("budget.revenue.total", Period.ytd(2017, 8), 1200.0, "1.200 tỷ đồng")
    month_within_year_to_date([month, ytd], CAT)
    assert month.period is None and month.flags == ["month_above_year_to_date",
                                                    "period_missing"]
    assert ytd.period == Period.ytd(2017, 8) and ytd.flags == ["month_above_year_to_date"]


def test_a_month_within_its_year_to_date_and_rounding_are_left_alone():
    month = row("budget.revenue.total", Period.month(2017, 8), 1200.0, "1.200 tỷ đồng")
    ytd = row("budget.revenue.total", Period.ytd(2017, 8), 1200.0, "1,2 nghìn tỷ",
              decimals=1)
    month_within_year_to_date([month, ytd], CAT)
    assert month.flags == [] and ytd.flags == []


def test_a_stock_is_not_held_to_its_year_to_date():
    herd = row("livestock.cattle", Period.month(2017, 8), 50000.0, "50.000 con", unit="head")
    other = row("livestock.cattle", Period.ytd(2017, 8), 40000.0, "40.000 con", unit="head")
    month_within_year_to_date([herd, other], CAT)
    assert herd.flags == [] and herd.period is not None


def test_printed_on_both_sides_the_report_disagrees_with_itself_and_both_stay():
    exports = row("trade.export", Period.ytd(2017, 8), 900.0, "900 triệu USD", unit="USD mn")
    total = row("trade.total", Period.ytd(2017, 8), 700.0, "700 triệu USD", unit="USD mn")
    components_within_totals([exports, total], CAT)
    assert exports.flags == ["component_above_total"] == total.flags
    assert exports.period is not None and total.period is not None


def test_a_component_below_its_total_passes():
    exports = row("trade.export", Period.ytd(2017, 8), 300.0, "300 triệu USD", unit="USD mn")
    total = row("trade.total", Period.ytd(2017, 8), 700.0, "700 triệu USD", unit="USD mn")
    components_within_totals([exports, total], CAT)
    assert exports.flags == [] and total.flags == []


def test_a_repeat_agrees_within_rounding_and_a_clash_is_withdrawn_where_inferred():
    lead = row("budget.revenue.total", Period.ytd(2017, 8), 3300.0, "3,3 nghìn tỷ",
               decimals=1)
    body = row("budget.revenue.total", Period.ytd(2017, 8), 3318.0, "3.318 tỷ đồng")
    repeats_agree([lead, body])
    assert lead.flags == [] and body.flags == []
    wrong = row("budget.revenue.total", Period.ytd(2017, 8), 2100.0, "2.100 tỷ đồng",
                printed_period=False)
    repeats_agree([lead, body, wrong])
    assert wrong.period is None and "repeat_disagrees" in wrong.flags
    assert lead.period is not None and "repeat_disagrees" in lead.flags


def test_a_plan_share_whose_plan_disagrees_with_the_others_is_flagged():
    rows = [
        row("budget.revenue.total", Period.month(2017, 8), 400.0, "400 tỷ đồng"),
        row("budget.revenue.total", Period.month(2017, 8), 8.0, "8,0%", measure="plan_pct",
            unit="%", decimals=1),
        row("budget.revenue.total", Period.ytd(2017, 8), 3300.0, "3.300 tỷ đồng"),
        row("budget.revenue.total", Period.ytd(2017, 8), 66.0, "66,0%", measure="plan_pct",
            unit="%", decimals=1),
        row("budget.revenue.total", Period.ytd(2017, 7), 2900.0, "2.900 tỷ đồng"),
        row("budget.revenue.total", Period.ytd(2017, 7), 90.0, "90,0%", measure="plan_pct",
            unit="%", decimals=1),
    ]
    plans_agree(rows)
    assert [r.flags for r in rows if r.measure == "plan_pct"] == \
        [[], [], ["plan_disagrees"]]


def test_a_part_larger_than_the_total_it_continues_from_goes_out_without_a_period():
    frame = read(MONTH_TITLE + "Kim ngạch xuất nhập khẩu qua địa bàn tháng 8 đạt 420 triệu "
                 "USD. Trong đó, xuất khẩu đạt 510 triệu USD.")
    got = {(r.indicator, r.period if isinstance(r.period, str) else None, r.value, r.flags)
           for r in frame.itertuples()}
    assert got == {("trade.total", "2017-08", 420.0, "component_above_total"),
                   ("trade.export", None, 510.0, "component_above_total;period_missing")}


def test_check_report_leaves_the_seed_like_month_and_ytd_alone():
    frame = read(MONTH_TITLE + "Thu ngân sách nhà nước trên địa bàn tháng 8 ước đạt 350 "
                 "tỷ đồng; lũy kế 8 tháng đạt 2.900 tỷ đồng, tăng 12% so với cùng kỳ.")
    assert set(frame["flags"].fillna("")) == {""}
    assert len(frame[frame.period.notna()]) == 3
    rows = []
    check_report(rows, CAT)  # an empty report is consistent
    assert rows == []
