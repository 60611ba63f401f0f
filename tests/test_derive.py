"""Derived figures and printed-precision bounds, on small hand-made frames."""

from __future__ import annotations

import math

import pytest
from _frames import SEED, frame, obs

from baocao.derive import (
    Identity,
    interval,
    load_identities,
    make_obs_id,
    printed_bounds,
    read_printed,
)
from baocao.period_math import period_end, previous_month, shift_year, ytd_period

YTD = "2017-01/2017-08"
TRADE = Identity("trade", "trade.total", ("trade.export", "trade.import"), True)
REVENUE = Identity("revenue", "budget.revenue.total",
                   ("budget.revenue.domestic", "budget.revenue.customs"), True)


def derived(df, **where):
    rows = df[df["derived"]]
    for col, val in where.items():
        rows = rows[rows[col] == val]
    return rows


# --------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("value", "printed", "qualifier", "measure", "low", "high"),
    [
        (1993.8, "1.993,8 tỷ đồng", None, "level", 1993.75, 1993.85),
        (14, "tăng 14%", None, "yoy_pct", 13.5, 14.5),
        (-6.8, "giảm 6,8%", None, "yoy_pct", -6.85, -6.75),
        (4020, "4.020 tỷ đồng", None, "level", 4019.5, 4020.5),
        (156.202, "156,202 tỷ đồng", None, "level", 156.2015, 156.2025),
        (122850, "122,85 nghìn con", None, "level", 122845, 122855),
        (3_700_000, "3,7 triệu con", None, "level", 3_650_000, 3_750_000),
        (0.3278, "327,8 triệu đồng", None, "level", 0.32775, 0.32785),
        (-1, "bằng 99%", None, "yoy_pct", -1.5, -0.5),
        (10.3, "10,3 %", None, "yoy_pct", 10.25, 10.35),
        # press pages print numbers the English way
        (2073, "US$2,073 million", None, "level", 2072.5, 2073.5),
        (1700, "1.7 billion USD", None, "level", 1650, 1750),
        (1621.2, "VND1,621.2 billion", None, "level", 1621.15, 1621.25),
        (6.16, "6,16% kế hoạch năm 2025", None, "plan_pct", 6.155, 6.165),
        # qualifiers
        (127300, "khoảng 127.300 lượt", "about", "level", 127200, 127400),
        (59, "khoảng 59 tỷ đồng", "about", "level", 58, 60),
        (360, "trên 360 tỷ đồng", "over", "level", 360, math.nan),
        (5, "dưới 5%", "under", "level", math.nan, 5),
        # nothing printed: the value's own precision
        (162.4, None, None, "level", 162.35, 162.45),
        (0, "tương đương cùng kỳ", None, "yoy_pct", -0.5, 0.5),
    ],
)
def test_printed_bounds(value, printed, qualifier, measure, low, high):
    got = printed_bounds(value, printed, qualifier, measure)
    for g, want in zip(got, (low, high), strict=True):
        if math.isnan(want):
            assert math.isnan(g)
        else:
            assert g == pytest.approx(want, abs=1e-9)


def test_read_printed_prefers_the_vietnamese_reading_at_scale_one():
    found = read_printed(1200, "1.200 tỷ đồng", "level")
    assert (found.number, found.decimals, found.scale) == (1200, 0, 1)


def test_interval_is_the_range_over_the_corners():
    assert interval(lambda a, b: a - b, (10, 11), (1, 2)) == (8, 10)
    assert interval(lambda a, b: a / b, (1, 2), (-1, 1)) == (-2, 2)
    lo, hi = interval(lambda a: a * 2, (1, math.nan))
    assert lo == 2 and math.isnan(hi)


def test_printed_rows_get_bounds_concept_and_ids():
    df = frame(obs("budget.revenue.total", YTD, "level", 4020, "4.020 tỷ đồng"))
    row = df.iloc[0]
    assert (row.value_low, row.value_high, row.concept) == (4019.5, 4020.5, "actual")
    assert len(row.obs_id) == 16 and not row.derived


# --------------------------------------------------------------------------- derivations


def test_previous_year_from_level_and_yoy():
    df = frame(
        obs("budget.revenue.total", YTD, "level", 4020, "4.020 tỷ đồng"),
        obs("budget.revenue.total", YTD, "yoy_pct", -6.8, "giảm 6,8%"),
    )
    (row,) = derived(df, concept="previous_year").itertuples()
    assert row.period == "2016-01/2016-08" and row.measure == "level"
    assert row.value == pytest.approx(4020 / 0.932)  # 4313.3047...
    assert row.value == pytest.approx(4313.304721)
    assert row.value_low == pytest.approx(4019.5 / (1 - 0.0675))  # 4310.4558
    assert row.value_high == pytest.approx(4020.5 / (1 - 0.0685))  # 4316.1567
    assert row.method == "level / (1 + yoy_pct/100)"
    printed = df[~df["derived"]]
    assert row.inputs == ";".join(printed["obs_id"])
    assert row.report_id == SEED and row.start == printed.iloc[0]["start"]


def test_plan_from_level_and_plan_pct_keeps_whose_estimate():
    df = frame(
        obs("budget.revenue.domestic", YTD, "level", 1535.0, "1.535,0 tỷ đồng"),
        obs("budget.revenue.domestic", YTD, "plan_pct", 80, "đạt 80% dự toán",
            base="provincial"),
    )
    (row,) = derived(df, concept="plan").itertuples()
    assert (row.period, row.period_type, row.measure, row.base) == (
        "2017", "year", "level", "provincial")
    assert row.value == pytest.approx(1918.75)
    assert row.value_low == pytest.approx(1534.95 / 0.805)
    assert row.value_high == pytest.approx(1535.05 / 0.795)


def test_month_from_two_consecutive_year_to_dates_of_two_reports():
    july = "langson-ubnd-2017-07"
    df = frame(
        obs("retail.sales", "2017-01/2017-07", "level", 9900, "9.900 tỷ đồng", report_id=july),
        obs("retail.sales", YTD, "level", 11100, "11.100 tỷ đồng"),
        obs("retail.sales", YTD, "level", 11100.5, "11.100,5", report_id="other-2017-06"),
    )
    rows = derived(df, period="2017-08")
    (row,) = rows.itertuples()
    assert (row.value, row.value_low, row.value_high) == (1200, 1199, 1201)
    assert row.report_id == SEED and row.method == "ytd(m) - ytd(m-1)"
    assert row.period_type == "month" and row.concept == "actual"


def test_no_month_from_ytd_for_stocks():
    df = frame(
        obs("credit.loans", "2017-01/2017-07", "level", 20, report_id="langson-ubnd-2017-07"),
        obs("credit.loans", YTD, "level", 21),
        kinds={"credit.loans": "stock"},
    )
    assert derived(df, period="2017-08").empty


def test_total_change_implied_by_components():
    df = frame(
        obs("trade.total", YTD, "level", 3318, "3.318 triệu USD", unit="USD mn"),
        obs("trade.export", YTD, "level", 2094, "2.094 triệu USD", unit="USD mn"),
        obs("trade.import", YTD, "level", 1224, "1.224 triệu USD", unit="USD mn"),
        obs("trade.export", YTD, "yoy_pct", 49.6, "tăng 49,6%"),
        obs("trade.import", YTD, "yoy_pct", 10.3, "tăng 10,3 %"),
        identities=[TRADE],
    )
    (row,) = derived(df, measure="yoy_pct").itertuples()
    previous = 2094 / 1.496 + 1224 / 1.103
    assert row.value == pytest.approx((3318 / previous - 1) * 100)  # 32.22
    assert row.value == pytest.approx(32.2211, abs=1e-4)
    assert row.value_low < 32.2 < row.value_high
    assert row.unit == "%" and row.indicator == "trade.total"
    assert len(row.inputs.split(";")) == 4


def test_total_level_from_components_when_not_printed():
    df = frame(
        obs("budget.revenue.domestic", "2017-07", "level", 179.8, "179,8 tỷ đồng"),
        obs("budget.revenue.customs", "2017-07", "level", 380, "380 tỷ đồng"),
        identities=[REVENUE],
    )
    (row,) = derived(df, indicator="budget.revenue.total").itertuples()
    assert (row.value, row.value_low, row.value_high) == (559.8, 559.25, 560.35)
    assert row.method == "sum(components)"


def test_derived_rows_carry_estimate_status_and_input_flags():
    df = frame(
        obs("agriculture.food_output", YTD, "level", 32047, "32.047 tấn", unit="t",
            status="estimate", flags="sub-item labelled like its total"),
        obs("agriculture.food_output", YTD, "yoy_pct", -1.1, "giảm 1,1%"),
    )
    (row,) = derived(df).itertuples()
    assert row.status == "estimate" and row.flags == "derived from a flagged figure"


def test_obs_id_is_stable_and_distinguishes_derived_rows():
    row = obs("trade.total", YTD, "level", 3318)
    assert make_obs_id(row) == make_obs_id(dict(row))
    assert make_obs_id(row) != make_obs_id(dict(row, derived=True, method="x"))
    assert make_obs_id(row) != make_obs_id(dict(row, period="2017-08"))


def test_identities_are_data():
    ids = {i.total: i for i in load_identities()}
    assert ids["trade.total"].components == ("trade.export", "trade.import")
    assert ids["trade.total"].exhaustive
    assert ids["budget.revenue.total"].exhaustive


# --------------------------------------------------------------------------- periods


def test_period_helpers():
    assert shift_year("2017-01/2017-08") == "2016-01/2016-08"
    assert shift_year("2016-02-29") == "2015-02-28"
    assert shift_year("2023-Q3") == "2022-Q3" and shift_year("2022-H1") == "2021-H1"
    assert shift_year("2017-07-16/2017-08-15") == "2016-07-16/2016-08-15"
    assert previous_month("2017-01") == "2016-12"
    assert ytd_period(2017, 1) == "2017-01" and ytd_period(2017, 7) == "2017-01/2017-07"
    assert period_end("2023-Q3").isoformat() == "2023-09-30"
    assert period_end("2017-01/2017-08").isoformat() == "2017-08-31"
    assert period_end("nonsense") is None
