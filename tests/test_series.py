"""Series with every vintage: latest, all, one report; and finding the dataset."""

from __future__ import annotations

import pandas as pd
import pytest
from _frames import frame, obs

import baocao
from baocao.series import data_path, load, series

AUG, SEP = "langson-ubnd-2017-08", "langson-ubnd-2017-09"


@pytest.fixture()
def data() -> pd.DataFrame:
    """Retail sales: July and August ytd printed by two reports, one an estimate."""
    return frame(
        obs("retail.sales", "2017-01/2017-07", "level", 9900, "9.900", report_id=AUG,
            status="actual"),
        obs("retail.sales", "2017-01/2017-08", "level", 11100, "11.100", report_id=AUG,
            status="estimate"),
        obs("retail.sales", "2017-01/2017-08", "level", 11150, "11.150", report_id=SEP),
        obs("retail.sales", "2017-01/2017-09", "level", 12400, "12.400", report_id=SEP,
            status="estimate"),
        obs("retail.sales", "2017-01/2017-08", "level", 11000, "11.000",
            report_id="reference", source_kind="official", url="http://x",
            report_date="2017-09-30"),
        obs("cpi", "2017-08", "base_pct", 1.8, "tăng 1,8%", base="2016-12", report_id=AUG),
    )


def test_latest_prefers_actual_then_newest_report(data):
    s = series("retail.sales", data=data)
    assert s.to_dict() == {"2017-01/2017-07": 9900, "2017-01/2017-08": 11150,
                           "2017-01/2017-09": 12400}
    assert s.index.name == "period" and s.name == "retail.sales"
    assert s.attrs["report_id"]["2017-01/2017-08"] == SEP
    assert s.attrs["unit"] == "VND bn"


def test_all_vintages_as_a_frame(data):
    vintages = series("retail.sales", vintage="all", data=data)
    aug = vintages[vintages["period"] == "2017-01/2017-08"]
    assert sorted(aug["value"]) == [11000, 11100, 11150]
    assert set(aug["status"]) == {"estimate", "actual"}
    assert {"report_date", "obs_id", "value_low", "value_high"} <= set(vintages.columns)


def test_one_report_and_one_source_kind(data):
    assert series("retail.sales", vintage=AUG, data=data).to_dict() == {
        "2017-01/2017-07": 9900, "2017-01/2017-08": 11100}
    assert series("retail.sales", source_kind="official", data=data).to_dict() == {
        "2017-01/2017-08": 11000}
    with pytest.raises(KeyError, match="no report"):
        series("retail.sales", vintage="langson-ubnd-1999-01", data=data)


def test_derived_rows_fill_gaps_but_printed_ones_win(data):
    months = series("retail.sales", period_type="month", data=data)
    # Aug = 11.150 (Sep report, actual) - 9.900 (Aug report); Sep = 12.400 - 11.150
    assert months.to_dict() == {"2017-08": 1250, "2017-09": 1250}
    assert series("retail.sales", period_type="month", include_derived=False,
                  data=data).empty


def test_base_is_required_when_every_row_has_one(data):
    with pytest.raises(ValueError, match="base= one of: 2016-12"):
        series("cpi", measure="base_pct", period_type="month", data=data)
    assert series("cpi", measure="base_pct", period_type="month", base="2016-12",
                  data=data).to_dict() == {"2017-08": 1.8}


def test_load_finds_the_dataset(tmp_path, monkeypatch, data):
    target = tmp_path / "repo" / "data" / "processed" / "observations.parquet"
    target.parent.mkdir(parents=True)
    data.to_parquet(target, index=False)
    monkeypatch.delenv("BAOCAO_DATA", raising=False)
    nested = tmp_path / "repo" / "notebooks" / "deep"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert data_path() == target
    assert len(load()) == len(data)
    assert baocao.series("retail.sales").to_dict()["2017-01/2017-08"] == 11150

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BAOCAO_DATA", str(tmp_path / "repo" / "data"))
    assert data_path() == target
    monkeypatch.setenv("BAOCAO_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="BAOCAO_DATA"):
        data_path()
