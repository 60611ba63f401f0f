"""Every audit rule on hand-made frames, passing and failing (seed figures where real)."""

from __future__ import annotations

import pytest
from _frames import SEED, frame, obs

from baocao.audit import AUDIT_COLUMNS, audit, overlaps
from baocao.derive import Identity

YTD = "2017-01/2017-08"
TRADE = Identity("trade", "trade.total", ("trade.export", "trade.import"), True)
REVENUE = Identity("revenue", "budget.revenue.total",
                   ("budget.revenue.domestic", "budget.revenue.customs"), True)
SPENDING = Identity("spending", "budget.expenditure.total",
                    ("budget.expenditure.development", "budget.expenditure.recurrent"), False)
USD = {"unit": "USD mn"}


def run(*rows, identities=(TRADE, REVENUE, SPENDING), kinds=None):
    df = frame(*rows, identities=identities, kinds=kinds)
    return audit(df, identities, kinds)


def only(result, check, **where):
    rows = result[result["check"] == check]
    for col, val in where.items():
        rows = rows[rows[col] == val]
    return rows


def statuses(result, check, **where):
    return only(result, check, **where)["status"].tolist()


def test_overlaps_treats_nan_as_open():
    assert overlaps((1, 2), (2, 3)) and not overlaps((1, 2), (2.1, 3))
    assert overlaps((5, float("nan")), (4, 6)) and not overlaps((5, float("nan")), (3, 4))


def test_columns():
    assert list(run(obs("trade.total", "2017-08", "level", 380)).columns) == list(
        AUDIT_COLUMNS)


def test_identity_passes_on_the_seed_trade_and_revenue():
    result = run(
        obs("trade.total", "2017-08", "level", 380, "380 triệu USD", **USD),
        obs("trade.export", "2017-08", "level", 220, "220 triệu USD", **USD),
        obs("trade.import", "2017-08", "level", 160, "160 triệu USD", **USD),
        obs("budget.revenue.total", YTD, "level", 4020, "4.020 tỷ đồng"),
        obs("budget.revenue.domestic", YTD, "level", 1535.0, "1.535,0 tỷ đồng"),
        obs("budget.revenue.customs", YTD, "level", 2485, "2.485 tỷ đồng"),
    )
    assert statuses(result, "identity", indicator="trade.total", period="2017-08") == ["pass"]
    rev = only(result, "identity", indicator="budget.revenue.total", period=YTD).iloc[0]
    assert (rev.status, rev.expected, rev.found) == ("pass", 4020, 4020)
    assert (rev.expected_low, rev.expected_high) == (4019.45, 4020.55)  # 1.535,0 ±0.05


def test_identity_fails_beyond_rounding():
    result = run(
        obs("trade.total", "2017-08", "level", 400, "400 triệu USD", **USD),
        obs("trade.export", "2017-08", "level", 220, "220 triệu USD", **USD),
        obs("trade.import", "2017-08", "level", 160, "160 triệu USD", **USD),
    )
    row = only(result, "identity").iloc[0]
    assert row.status == "fail" and "do not add up" in row.detail


def test_non_exhaustive_identity_warns_when_parts_are_smaller():
    result = run(
        obs("budget.expenditure.total", YTD, "level", 5152.5, "5.152,5 tỷ đồng"),
        obs("budget.expenditure.development", YTD, "level", 624.8, "624,8 tỷ đồng"),
        obs("budget.expenditure.recurrent", YTD, "level", 3772, "3.772 tỷ đồng"),
    )
    row = only(result, "identity").iloc[0]
    assert row.status == "warn" and "85.3% of the total" in row.detail


def test_breakdown_of_footnote_sources_warns_when_not_exhaustive():
    # footnote 9: 933,9 + 293,3 + 195,7 + 156,202 = 1.579,102 of a total 1.608
    result = run(
        obs("investment.realised", YTD, "level", 1608, "1.608 tỷ đồng"),
        obs("investment.realised.local_budget", YTD, "level", 933.9, "933,9 tỷ đồng",
            footnote=9),
        obs("investment.realised.central_targeted", YTD, "level", 293.3, "293,3 tỷ đồng",
            footnote=9),
        obs("investment.realised.national_programmes", YTD, "level", 195.7, "195,7 tỷ đồng",
            footnote=9),
        obs("investment.realised.oda", YTD, "level", 156.202, "156,202 tỷ đồng", footnote=9),
    )
    row = only(result, "breakdown").iloc[0]
    assert row.status == "warn" and row.indicator == "investment.realised"
    assert row.expected == pytest.approx(1579.102) and row.found == 1608


def test_breakdown_passes_within_rounding_and_fails_when_parts_exceed():
    ok = run(
        obs("forestry.planted_area", YTD, "level", 9936, "9.936 ha", unit="ha"),
        obs("forestry.planted_area.concentrated", YTD, "level", 5554.4, "5.554,4 ha",
            unit="ha"),
        obs("forestry.planted_area.scattered", YTD, "level", 4381.9, "4.381,9 ha", unit="ha"),
    )
    row = only(ok, "breakdown").iloc[0]
    assert row.status == "pass" and row.expected == pytest.approx(9936.3)
    bad = run(
        obs("forestry.planted_area", YTD, "level", 9000, "9.000 ha", unit="ha"),
        obs("forestry.planted_area.concentrated", YTD, "level", 5554.4, "5.554,4 ha",
            unit="ha"),
        obs("forestry.planted_area.scattered", YTD, "level", 4381.9, "4.381,9 ha", unit="ha"),
    )
    assert statuses(bad, "breakdown") == ["fail"]


def test_month_never_exceeds_its_year_to_date():
    good = run(obs("retail.sales", "2017-08", "level", 1200),
               obs("retail.sales", YTD, "level", 11100))
    assert statuses(good, "month_le_ytd") == ["pass"]
    bad = run(obs("retail.sales", "2017-08", "level", 12000),
              obs("retail.sales", YTD, "level", 11100))
    assert statuses(bad, "month_le_ytd") == ["fail"]
    stock = run(obs("credit.loans", "2017-08", "level", 12000),
                obs("credit.loans", YTD, "level", 11100), kinds={"credit.loans": "stock"})
    assert only(stock, "month_le_ytd").empty


def test_year_to_date_grows_across_reports():
    july = "langson-ubnd-2017-07"
    good = run(obs("retail.sales", "2017-01/2017-07", "level", 9900, report_id=july),
               obs("retail.sales", YTD, "level", 11100))
    assert statuses(good, "ytd_grows") == ["pass"]
    bad = run(obs("retail.sales", "2017-01/2017-07", "level", 11900, report_id=july),
              obs("retail.sales", YTD, "level", 11100))
    row = only(bad, "ytd_grows").iloc[0]
    assert row.status == "fail" and row.report_id == SEED


def test_mom_pct_with_previous_month_from_components():
    # seed: total revenue August 462,4 vs July 179,8 + 380 = 559,8 -> -17,4 %
    rows = [
        obs("budget.revenue.total", "2017-08", "level", 462.4, "462,4 tỷ đồng"),
        obs("budget.revenue.domestic", "2017-07", "level", 179.8, "179,8 tỷ đồng"),
        obs("budget.revenue.customs", "2017-07", "level", 380, "380 tỷ đồng"),
    ]
    good = run(*rows, obs("budget.revenue.total", "2017-08", "mom_pct", -17.4, "giảm 17,4%"))
    row = only(good, "mom_pct").iloc[0]
    assert row.status == "pass" and row.expected == pytest.approx(-17.39907, abs=1e-5)
    bad = run(*rows, obs("budget.revenue.total", "2017-08", "mom_pct", -15, "giảm 15%"))
    assert statuses(bad, "mom_pct") == ["fail"]


def test_table_figure_equals_prose_figure():
    prose = obs("trade.total", YTD, "level", 3318, "3.318 triệu USD", **USD)
    good = run(prose, dict(prose, source_kind="table", start=5000))
    assert statuses(good, "table_vs_prose") == ["pass"]
    bad = run(prose, dict(prose, source_kind="table", value=3381.0,
                          value_as_printed="3.381", start=5000))
    assert statuses(bad, "table_vs_prose") == ["fail"]


def test_two_values_for_one_key_in_a_report():
    total = obs("agriculture.food_output", YTD, "level", 168000, "168 nghìn tấn", unit="t")
    sub = obs("agriculture.food_output", YTD, "level", 32047, "32.047 tấn", unit="t",
              start=900, flags="sub-item labelled like its total")
    flagged = run(total, sub)
    assert statuses(flagged, "same_key") == ["warn"]
    assert statuses(flagged, "flagged") == ["warn"]
    unflagged = run(total, dict(sub, flags=None))
    assert statuses(unflagged, "same_key") == ["fail"]


def test_cross_source_agreement():
    ref = {"report_id": "reference", "source_kind": "official", "url": "http://x",
           "report_date": "2017-08-31"}
    report = obs("trade.total", YTD, "level", 3318, "3.318 triệu USD", **USD)
    agree = run(report, obs("trade.total", YTD, "level", 3318.4, "3.318,4", **USD, **ref))
    row = only(agree, "cross_source").iloc[0]
    assert row.status == "pass" and row.report_id == SEED
    differ = run(report, obs("trade.total", YTD, "level", 3400, "3.400", **USD, **ref))
    assert statuses(differ, "cross_source") == ["fail"]
    press = dict(ref, source_kind="press")
    rounded = run(report, obs("trade.total", YTD, "level", 3400, "3.400", **USD, **press))
    assert statuses(rounded, "cross_source") == ["warn"]


def test_derived_figure_against_the_printed_one():
    rows = [
        obs("trade.export", YTD, "level", 2094, "2.094 triệu USD", **USD),
        obs("trade.import", YTD, "level", 1224, "1.224 triệu USD", **USD),
        obs("trade.export", YTD, "yoy_pct", 49.6, "tăng 49,6%"),
        obs("trade.import", YTD, "yoy_pct", 10.3, "tăng 10,3 %"),
    ]
    good = run(*rows, obs("trade.total", YTD, "yoy_pct", 32.2, "tăng 32,2%"))
    row = only(good, "derived_vs_printed", measure="yoy_pct").iloc[0]
    assert row.status == "pass" and row.expected == pytest.approx(32.2211, abs=1e-4)
    bad = run(*rows, obs("trade.total", YTD, "yoy_pct", 30, "tăng 30%"))
    assert statuses(bad, "derived_vs_printed", measure="yoy_pct") == ["fail"]


def test_previous_year_against_last_years_report_is_a_warning():
    last_year = "langson-ubnd-2016-08"
    result = run(
        obs("budget.revenue.total", YTD, "level", 4020, "4.020 tỷ đồng"),
        obs("budget.revenue.total", YTD, "yoy_pct", -6.8, "giảm 6,8%"),
        obs("budget.revenue.total", "2016-01/2016-08", "level", 4200, "4.200 tỷ đồng",
            report_id=last_year),
    )
    row = only(result, "derived_vs_printed").iloc[0]
    assert row.status == "warn" and row.report_id == last_year


def test_audit_never_changes_a_figure():
    df = frame(obs("trade.total", "2017-08", "level", 400, "400 triệu USD", **USD),
               obs("trade.export", "2017-08", "level", 220, "220 triệu USD", **USD),
               obs("trade.import", "2017-08", "level", 160, "160 triệu USD", **USD),
               identities=[TRADE])
    before = df.copy()
    audit(df, [TRADE])
    assert df.equals(before)
