"""The seed report (UBND Lạng Sơn, August 2017) against its 97 hand-checked figures."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import baocao
from baocao.extract.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "langson-ubnd-2017-08.md"
EXPECTED = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "seed_expected.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
# Flagship figures the engine emits beyond the hand-checked list, on purpose: the
# contract's own example of yoy_diff ("giảm 05 vụ" → -5) in the seed's traffic sentence.
DELIBERATE_ADDITIONS = {
    ("traffic.accidents", "2017-01/2017-08", "yoy_diff", "", -5.0),
    ("traffic.deaths", "2017-01/2017-08", "yoy_diff", "", -5.0),
    ("traffic.injuries", "2017-01/2017-08", "yoy_diff", "", -18.0),
}


def _key(indicator, period, measure, base, value):
    base = base if isinstance(base, str) else ""
    return (indicator, period, measure, base, round(float(value), 6))


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return baocao.extract(SEED)


def test_every_hand_checked_figure_is_produced(seed):
    got = {_key(r.indicator, r.period, r.measure, r.base, r.value) for r in seed.itertuples()}
    missing = [e for e in EXPECTED
               if _key(e["indicator"], e["period"], e["measure"], e["base"], e["value"]) not in got]
    assert len(EXPECTED) == 97
    assert missing == []


def test_no_flagship_figure_contradicts_the_hand_checked_list(seed):
    flagship = {i.id for i in load_catalogue().indicators.values() if i.flagship}
    expected = {_key(e["indicator"], e["period"], e["measure"], e["base"], e["value"])
                for e in EXPECTED}
    extra = {
        _key(r.indicator, r.period, r.measure, r.base, r.value)
        for r in seed.itertuples() if r.indicator in flagship
    } - expected
    assert extra == {(i, p, m, b, round(v, 6)) for i, p, m, b, v in DELIBERATE_ADDITIONS}


def test_flagship_rows_are_unique_per_key(seed):
    flagship = seed[seed.indicator.notna()]
    keys = flagship[["indicator", "period", "measure", "base", "value"]].astype(str)
    assert not keys.duplicated().any()


def test_provenance_points_at_the_printed_figure(seed):
    """text[start:end] is where the number was printed: its digits are the printed ones."""
    text = SEED.read_text("utf-8")
    for row in seed[seed.value_as_printed.str.contains(r"\d")].itertuples():
        span = text[row.start : row.end].replace("<sup>3</sup>", "3")
        digits = re.findall(r"\d[\d.,]*", row.value_as_printed)[-1]
        assert digits in span, (row.value_as_printed, span)
        assert row.quote and digits in row.quote


def test_value_and_quote_of_a_known_figure(seed):
    row = seed[(seed.indicator == "trade.total") & (seed.period == "2017-01/2017-08")
               & (seed.measure == "level")].iloc[0]
    assert row.value == 3318.0 and row.unit == "USD mn"
    assert row.value_as_printed == "3.318 triệu USD"
    assert "lũy kế 8 tháng là 3.318 triệu USD" in row.quote
    assert row.report_id == "langson-ubnd-2017-08"
    assert row.status == "estimate"  # "ước đạt" earlier in the same sentence


def test_footnote_inherits_period_indicator_and_status(seed):
    fn12 = seed[seed.footnote == 12]
    customs = fn12[(fn12.indicator == "budget.revenue.customs") & (fn12.period == "2017-08")]
    assert customs.value.tolist() == [300.0]
    assert set(fn12.status) == {"estimate"}  # "ước tháng 8" in the citing sentence
    july = fn12[fn12.period == "2017-07"]  # "(tháng 7: …)" inside an August report
    assert sorted(july.value) == [179.8, 380.0]


def test_ambiguous_comparison_is_resolved_by_the_reports_arithmetic(seed):
    mom = seed[seed.measure == "mom_pct"]
    assert mom.indicator.tolist() == ["budget.revenue.total"]
    assert mom.value.tolist() == [-17.4]
    assert "559.8" in mom.note.iloc[0]


def test_footnote_split_across_a_page_break(seed):
    rec = seed[(seed.indicator == "budget.expenditure.recurrent") & (seed.measure == "yoy_pct")]
    assert rec.value.tolist() == [39.5]
    assert rec.footnote.tolist() == [14]


def test_component_named_like_its_total_is_flagged_not_attached(seed):
    sub = seed[seed.value_as_printed == "32.047 tấn"]
    assert sub.indicator.isna().all()
    assert "component_labelled_as_total" in sub["flags"].iloc[0]


def test_task_section_yields_nothing(seed):
    text = SEED.read_text("utf-8")
    task_start = text.index("II. NHIỆM VỤ")
    footnote_free = seed[seed.footnote.isna()]
    assert (footnote_free.start < task_start).all()


def test_unknown_indicators_are_kept_with_their_phrase(seed):
    unknown = seed[seed.indicator.isna()]
    assert len(unknown) > 0
    assert unknown.label_vi.notna().all()
    dengue = seed[seed.indicator == "health.dengue.cases"]
    assert dengue.value.tolist() == [24.0]
    assert dengue.period.tolist() == ["2017-07-01/2017-08-10"]


def test_units_and_scales(seed):
    def value(printed):
        return seed[seed.value_as_printed == printed].value.iloc[0]

    assert value("3,7 triệu con") == 3_700_000
    assert value("514 triệu Kwh") == 514_000_000
    assert value("5.645 nghìn m3") == 5_645_000
    assert math.isclose(value("493,3 nghìn USD"), 0.4933)
    assert math.isclose(value("327,8 triệu đồng"), 0.3278)
    assert value("156,202 tỷ đồng") == 156.202
    assert value("576ha") == 576


def test_missing_percent_sign_and_implied_plan_share(seed):
    wood = seed[(seed.indicator == "industry.plantation_wood") & (seed.measure == "plan_pct")]
    assert wood.value.tolist() == [84.3]
    thread = seed[(seed.indicator == "industry.thread") & (seed.measure == "plan_pct")]
    assert thread.value.tolist() == [56.9]


def test_equivalent_to_last_year_is_zero_growth(seed):
    groundnut = seed[(seed.indicator == "agriculture.groundnut.output")]
    assert groundnut.set_index("measure").value.to_dict() == {"level": 1465.0, "yoy_pct": 0.0}


def test_same_number_two_units_two_indicators(seed):
    tobacco = seed[seed.indicator.fillna("").str.startswith("agriculture.tobacco")]
    levels = tobacco[tobacco.measure == "level"].set_index("indicator").value.to_dict()
    assert levels == {"agriculture.tobacco.output": 2472.0, "agriculture.tobacco.area": 2472.0}


def test_vaccination_doses_are_not_herds(seed):
    pigs = seed[seed.indicator == "livestock.pigs"]
    assert set(pigs.value) == {320130.0, -1.2}
    doses = seed[seed.indicator == "livestock.vaccinations.pigs"]
    assert doses.value.tolist() == [66107.0] and doses.unit.tolist() == ["doses"]


def test_counts_of_figures_on_the_seed(seed):
    flagship = {i.id for i in load_catalogue().indicators.values() if i.flagship}
    assert len(seed) >= 250
    assert seed.indicator.isin(flagship).sum() == 100


def _facts(frame):
    return {_key(r.indicator, r.period, r.measure, r.base, r.value) for r in frame.itertuples()}


def test_same_figures_when_a_converter_drops_the_footnote_rules(seed):
    """PDF converters draw the ``---`` rule above footnotes as a line, so the text reader
    sees no rule: footnote 14's second half must still find its footnote."""
    from baocao.extract import extract_document
    from baocao.ingest import Document

    text = SEED.read_text("utf-8")
    no_rules = "\n".join(line for line in text.splitlines() if line.strip() != "---")
    doc = Document(source="norules.md", text=no_rules, kind="markdown")
    assert _facts(extract_document(doc)) == _facts(seed)


def test_same_figures_when_a_page_break_cuts_a_footnote_with_no_body_open(seed):
    """A footnote cut mid-sentence by a page break ("… đá các" / "loại 1.664 …")."""
    from baocao.extract import extract_document
    from baocao.ingest import Document

    text = SEED.read_text("utf-8").replace("đá các loại 1.664", "đá các\n\nloại 1.664")
    doc = Document(source="cut.md", text=text, kind="markdown")
    assert _facts(extract_document(doc)) == _facts(seed)
