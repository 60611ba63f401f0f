"""``baocao build`` end to end into a temporary folder: outputs, the seed report's audit,
frictionless validity, and all-or-nothing writes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package

from baocao.cli import main
from baocao.publish.build import OUTPUT_FILES, build

REPO = Path(__file__).resolve().parents[1]
SEED = "langson-ubnd-2017-08"
YTD = "2017-01/2017-08"


def make_inputs(root: Path) -> tuple[Path, Path]:
    """A raw folder with the seed report and its sidecar, and the reference figures."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    for name in (f"{SEED}.md", f"{SEED}.meta.json"):
        shutil.copy(REPO / "data" / "raw" / name, raw / name)
    ref = root / "reference"
    ref.mkdir()
    for name in ("published_figures.csv", "sources.csv"):
        shutil.copy(REPO / "data" / "reference" / name, ref / name)
    return raw, ref / "published_figures.csv"


def argv(root: Path, raw: Path, reference: Path) -> list[str]:
    return ["build", "--raw", str(raw), "--reference", str(reference),
            "--out", str(root / "out")]


def snapshot(out: Path) -> dict[str, bytes]:
    """The published files as readers see them (through their links)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    raw, reference = make_inputs(root)
    result = build(raw, reference, root / "out")
    return root, result


@pytest.fixture(scope="module")
def observations(built) -> pd.DataFrame:
    root, _ = built
    return pd.read_parquet(root / "out" / "observations.parquet")


@pytest.fixture(scope="module")
def audit_csv(built) -> pd.DataFrame:
    root, _ = built
    return pd.read_csv(root / "out" / "audit.csv", dtype={"period": str})


def test_every_output_is_written(built):
    root, _ = built
    out = root / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted([".builds", *OUTPUT_FILES])
    # every published name is a fixed link into the one current version of the build
    for name in OUTPUT_FILES:
        assert os.readlink(out / name) == f".builds/current/{name}"
        assert (out / name).is_file()
    (version,) = [p for p in (out / ".builds").iterdir() if p.name != "current"]
    assert os.readlink(out / ".builds" / "current") == version.name
    assert sorted(p.name for p in version.iterdir()) == sorted(OUTPUT_FILES)
    assert not list(root.glob(".build-*")), "staging folder left behind"


def test_datapackage_is_valid_frictionless(built):
    root, _ = built
    package_path = root / "out" / "datapackage.json"
    report = Package(str(package_path)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    obs = next(r for r in descriptor["resources"] if r["name"] == "observations")
    assert obs["schema"]["primaryKey"] == ["obs_id"]
    fields = {f["name"]: f for f in obs["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["derived"]["type"] == "boolean"
    assert all(f.get("description") for f in fields.values())
    assert any(s.get("report_id") == SEED and s.get("sha256") for s in descriptor["sources"])


def test_reference_figures_are_a_marked_second_source(observations):
    ref = observations[(observations["report_id"] == "reference") & ~observations["derived"]]
    assert len(ref) == 287
    assert set(ref["source_kind"]) == {"official", "press"}
    assert ref["url"].notna().all() and ref["quote"].isna().all()
    row = ref[(ref["indicator"] == "agriculture.food_output") & (ref["measure"] == "level")]
    assert row.iloc[0]["value"] == 154700 and row.iloc[0]["value_low"] == 154650


def test_obs_ids_are_unique_and_stable(built, observations, tmp_path):
    root, _ = built
    assert observations["obs_id"].is_unique
    again = build(root / "raw", root / "reference" / "published_figures.csv", tmp_path / "o")
    assert set(again.observations["obs_id"]) == set(observations["obs_id"])


def test_every_row_has_bounds_around_its_value(observations):
    closed = observations.dropna(subset=["value_low", "value_high"])
    assert (closed["value_low"] <= closed["value"]).all()
    assert (closed["value"] <= closed["value_high"]).all()
    derived = observations[observations["derived"]]
    assert derived["method"].notna().all() and derived["inputs"].notna().all()


def test_dictionary_covers_catalogue_and_data(built, observations):
    root, _ = built
    dictionary = pd.read_csv(root / "out" / "dictionary.csv")
    trade = dictionary.set_index("id").loc["trade.total"]
    assert trade["name_vi"] and trade["name_en"] and trade["unit"] == "USD mn"
    assert trade["n_observations"] == (observations["indicator"] == "trade.total").sum()
    assert set(observations["indicator"]) <= set(dictionary["id"])
    text = (root / "out" / "dictionary.md").read_text(encoding="utf-8")
    assert text.startswith("# Data dictionary") and "`previous_year`" in text


# ---------------------------------------------------------------- the seed report's rows
# These need the extractor (stage 2) to emit the seed report's figures.


def test_seed_rows_carry_their_sidecar(observations):
    seed = observations[observations["report_id"] == SEED]
    assert len(seed) >= 97
    assert set(seed["report_period"]) == {"2017-08"}
    assert set(seed["report_date"].astype(str)) == {"2017-08-31"}
    assert set(seed.loc[~seed["derived"], "source_kind"]) <= {"report", "table"}


def test_seed_report_arithmetic_is_audited(audit_csv):
    seed = audit_csv[audit_csv["report_id"] == SEED]

    def status(check, indicator, period):
        rows = seed[(seed["check"] == check) & (seed["indicator"] == indicator)
                    & (seed["period"] == period)]
        return sorted(set(rows["status"]))

    for period in ("2017-08", YTD):
        assert status("identity", "trade.total", period) == ["pass"]
        assert status("identity", "budget.revenue.total", period) == ["pass"]
    # August revenue 462,4 vs July 179,8 + 380 = 559,8: -17,4 %
    assert status("mom_pct", "budget.revenue.total", "2017-08") == ["pass"]
    # footnote 9: 933,9 + 293,3 + 195,7 + 156,202 = 1.579,1 of 1.608 (not exhaustive)
    assert status("breakdown", "investment.realised", YTD) == ["warn"]
    # footnote 3: 5.554,4 + 4.381,9 = 9.936,3 vs 9.936, within rounding
    assert status("breakdown", "forestry.planted_area", YTD) == ["pass"]
    assert "fail" not in set(seed.loc[seed["check"] == "identity", "status"])
    # the food-output sub-item labelled like its total is surfaced, never published
    sub_item = seed[seed["detail"].str.contains("32.047 tấn", regex=False)]
    assert len(sub_item) >= 1 and set(sub_item["status"]) == {"warn"}


def test_seed_derived_figures(observations):
    seed = observations[(observations["report_id"] == SEED) & observations["derived"]]

    def value(indicator, period, concept, measure="level"):
        rows = seed[(seed["indicator"] == indicator) & (seed["period"] == period)
                    & (seed["concept"] == concept) & (seed["measure"] == measure)]
        assert len(rows) == 1, rows
        return rows.iloc[0]

    prev = value("budget.revenue.total", "2016-01/2016-08", "previous_year")
    assert prev["value"] == pytest.approx(4313.304721)  # 4.020 / (1 - 6,8%)
    assert prev["value_low"] < 4313.3 < prev["value_high"]
    plan = value("trade.total", "2017", "plan")
    assert plan["value"] == pytest.approx(3318 / 0.809)  # 80,9% of plan
    july = value("budget.revenue.total", "2017-07", "actual")
    assert july["value"] == pytest.approx(559.8)  # 179,8 + 380
    implied = value("trade.total", YTD, "actual", "yoy_pct")
    assert implied["value"] == pytest.approx(32.2211, abs=1e-4)


# ---------------------------------------------------------------- all or nothing


@pytest.fixture()
def previous(tmp_path):
    """A finished build in tmp_path/out, and its bytes."""
    raw, reference = make_inputs(tmp_path)
    assert main(argv(tmp_path, raw, reference)) == 0
    return raw, reference, snapshot(tmp_path / "out")


def assert_one_clean_failure(capsys, expected: str) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("baocao: ") for line in lines)
    assert expected in err
    return lines


def test_sha256_mismatch_fails_and_keeps_previous_outputs(tmp_path, previous, capsys):
    raw, reference, before = previous
    capsys.readouterr()
    report = raw / f"{SEED}.md"
    report.write_text(report.read_text(encoding="utf-8") + "\nthêm\n", encoding="utf-8")
    assert main(argv(tmp_path, raw, reference)) == 2
    (line,) = assert_one_clean_failure(capsys, "sha256 mismatch")
    assert str(report) in line
    assert snapshot(tmp_path / "out") == before


def test_corrupt_sidecar_fails_and_keeps_previous_outputs(tmp_path, previous, capsys):
    raw, reference, before = previous
    capsys.readouterr()
    (raw / f"{SEED}.meta.json").write_text("{not json", encoding="utf-8")
    assert main(argv(tmp_path, raw, reference)) == 2
    assert_one_clean_failure(capsys, "unreadable sidecar")
    assert snapshot(tmp_path / "out") == before


def test_schema_violation_names_the_rows(tmp_path, previous, capsys):
    raw, reference, before = previous
    capsys.readouterr()
    lines = reference.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",level,", ",levels,", 1)
    reference.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(argv(tmp_path, raw, reference)) == 2
    (line,) = assert_one_clean_failure(capsys, "column 'measure' fails isin")
    assert "(reference:93 agriculture.food_output 2019-01/2019-09 levels)" in line
    assert snapshot(tmp_path / "out") == before


def test_failure_while_writing_keeps_previous_outputs(tmp_path, previous, capsys,
                                                      monkeypatch):
    raw, reference, before = previous
    capsys.readouterr()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("baocao.publish.dictionary.dictionary_markdown", disk_full)
    assert main(argv(tmp_path, raw, reference)) == 2
    assert_one_clean_failure(capsys, "No space left on device")
    assert snapshot(tmp_path / "out") == before
    assert not list(tmp_path.glob(".build-*"))


def test_missing_raw_folder_is_one_line(tmp_path, capsys):
    assert main(["build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert_one_clean_failure(capsys, "no such directory")
    assert not (tmp_path / "o").exists()


def test_schema_problems_are_one_line_per_problem_naming_rows():
    from _frames import frame, obs

    from baocao.publish.build import normalise
    from baocao.publish.fields import schema_problems

    good = obs("trade.total", "2017-08", "level", 380, "380 triệu USD")
    assert schema_problems(normalise(frame(good))) == []
    df = normalise(frame(
        good,
        obs("trade.total", "2017-13", "level", 380, "380 triệu USD", period_type="month"),
        obs("trade.total", "2017-08", "yoy_pct", 3, "3", unit="VND bn"),
    ))
    df.loc[0, "value_low"] = 400.0
    df.loc[1, "status"] = "guess"
    problems = schema_problems(df)
    assert problems == [
        "column 'status' fails isin(['estimate', 'actual']) (found guess): "
        "row 1 (langson-ubnd-2017-08:200 trade.total 2017-13 level)",
        "rows fail % unit for % measures: row 2 (langson-ubnd-2017-08:300 trade.total "
        "2017-08 yoy_pct)",
        "rows fail period matches period_type: row 1 (langson-ubnd-2017-08:200 trade.total "
        "2017-13 level)",
        "rows fail value_low <= value <= value_high: row 0 (langson-ubnd-2017-08:100 "
        "trade.total 2017-08 level)",
    ]


def test_manifest_uses_the_newest_version_of_a_report(tmp_path):
    from baocao.publish.build import read_manifest, sha256_of

    raw, _ = make_inputs(tmp_path)
    newer = raw / f"{SEED}.v2026-12-01.md"
    newer.write_text("# Báo cáo\n\nTổng kim ngạch xuất nhập khẩu 8 tháng đạt 3.318 triệu USD.\n",
                     encoding="utf-8")
    meta = json.loads((raw / f"{SEED}.meta.json").read_text(encoding="utf-8"))
    meta.update(file=newer.name, sha256=sha256_of(newer), size=newer.stat().st_size,
                date_accessed="2026-12-01")
    (raw / f"{SEED}.v2026-12-01.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (only,) = read_manifest(raw)
    assert only.report == newer and only.report_id == SEED
