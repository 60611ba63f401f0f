"""The library behind the book (``baocao.book``, ``baocao.publish.charts``), without a
book build: sentences that follow the data, what annual series can support, chart files,
tables that fit, the two renditions of every block, the audit's words, the Sphinx fixes,
the notebook-input stamp and the command-line help."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from baocao.book import annual, audit_view, coverage, inputs, methods
from baocao.book import conclusions as words
from baocao.book.display import FigureBlock, Prose, chart_links, markdown_to_html
from baocao.book.sphinx_ext import StatusWords, drop_duplicate_scripts
from baocao.book.tables import PROVENANCE_COLUMNS, html_table, provenance_html
from baocao.publish import charts

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- sentences
def test_pace_names_who_is_ahead_and_who_behind() -> None:
    assert words.pace({"Domestic revenue": 80.0, "customs revenue": 45.2, "the total": 54.2},
                      66.7) == ("Domestic revenue (80.0%) was ahead of that pace; customs "
                                "revenue (45.2%) and the total (54.2%) were behind it.")
    assert words.pace({"exports": 97.4, "imports": 70.0}, 66.7) == (
        "Exports (97.4%) and imports (70.0%) were ahead of that pace.")
    assert words.pace({"imports": 50.0}, 66.7) == "Imports (50.0%) was behind that pace."


def test_contributions_add_up_and_name_the_direction() -> None:
    sentence = words.contributions(
        "total revenue", {"total revenue": 4020, "customs revenue": 2485, "domestic": 1535},
        {"total revenue": 4313, "customs revenue": 3087, "domestic": 1227}, "VND bn")
    assert sentence == ("Total revenue fell by 293 billion VND: customs revenue fell by 602 "
                        "billion VND while domestic rose by 308 billion VND.")
    rising = words.contributions("total", {"total": 10, "a": 6, "b": 4},
                                 {"total": 8, "a": 5, "b": 3}, "VND bn")
    assert rising == ("Total rose by 2 billion VND: a rose by 1 billion VND and b rose by 1 "
                      "billion VND.")


def test_balance_and_its_change() -> None:
    assert words.balance(2094, 1224, "USD mn") == "a surplus of 870 million USD"
    assert words.balance(100, 160, "USD mn") == "a deficit of 60 million USD"
    assert words.balance_change((1400, 1110), (2094, 1224), "USD mn") == (
        "The surplus widened from about 290 to 870 million USD: exports rose by 694 million "
        "USD and imports by 114 million USD.")
    assert words.balance_change((1400, 1110), (1300, 1200), "USD mn").startswith(
        "The surplus narrowed from about 290 to 100 million USD: exports fell by 100")
    assert words.balance_change((100, 150), (200, 150), "USD mn").startswith(
        "The balance moved from a deficit of 50 million USD to a surplus of 50")


def test_comparisons_contrast_only_opposite_moves() -> None:
    assert words.compare_rates(("imports", 10.3), ("customs revenue", -19.5)) == (
        "imports rose by 10.3% while customs revenue fell by 19.5%")
    assert words.compare_rates(("imports", 10.3), ("customs revenue", 2.0)) == (
        "imports rose by 10.3% and customs revenue rose by 2.0%")
    assert words.co_movement({"a": 1, "b": -1}) == "moved in opposite directions"
    assert words.co_movement({"a": -1, "b": -2}) == "both fell"
    assert words.larger_in_every({"x": [1, 5], "y": [2, 3]}) is None
    assert words.larger_in_every({"x": [3, 5], "y": [2, 3]}) == "x"


def test_consistency_and_month_against_year_to_date() -> None:
    assert words.consistent(7417, 7417, 7410, 7420, "VND bn").startswith("the report's")
    assert "differ from the implied total by 100 billion VND" in words.consistent(
        7517, 7417, 7410, 7420, "VND bn")
    assert words.month_vs_ytd("IIP", ("Aug 2017", 24.37), 4.6) == (
        "IIP was 24.37% above a year earlier in Aug 2017, a higher rate than the +4.6% of "
        "the year to date")


# ---------------------------------------------------------------- annual series
def _points(years: list[int], values: list[float], sites: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(y) for y in years], "value": values,
                         "status": "actual", "source_kind": "press",
                         "url": [f"https://{s}/x" for s in sites],
                         "report_id": "reference", "obs_id": [f"id{y}" for y in years]})


def test_one_figure_per_year_prefers_outturn_then_official() -> None:
    rows = pd.DataFrame({
        "period": ["2023", "2023", "2023", "2024"], "value": [1.0, 2.0, 3.0, 4.0],
        "status": ["estimate", "actual", "actual", "estimate"],
        "source_kind": ["official", "press", "official", "press"],
        "url": ["https://a.vn/1", "https://b.vn/2", "https://www.c.vn/3", "https://d.vn/4"],
        "report_id": "reference"})
    best = annual.one_per_year(rows)
    assert best["value"].tolist() == [3.0, 4.0] and best["site"].tolist() == ["c.vn", "d.vn"]


def test_a_fall_across_a_change_of_source_is_a_suspected_break() -> None:
    points = annual.one_per_year(_points([2015, 2018, 2020, 2023], [34.8, 34.59, 44.2, 59.8],
                                         ["a.vn", "b.vn", "c.vn", "c.vn"]))
    steps = annual.intervals(points)
    assert steps["suspect_break"].tolist() == [True, False, False]
    assert steps["annual_pct"].round(2).tolist() == [-0.2, 13.04, 10.6]
    assert steps["source_change"].tolist() == [True, True, False]
    assert annual.against_all_others(steps, 0)
    assert annual.trend_obstacles(points, steps) == [
        "it needs at least 8 years and the data hold 4 (2015, 2018, 2020, 2023)",
        "3 years separate two consecutive figures",
        "the series has a suspected break between sources"]


def test_a_trend_is_fitted_only_on_enough_consecutive_years() -> None:
    years = list(range(2010, 2022))
    rng = np.random.default_rng(0)
    values = [5 + 0.3 * (y - 2010) + rng.normal(0, 0.2) for y in years]
    points = annual.one_per_year(_points(years, values, ["a.vn"] * len(years)))
    assert annual.trend_obstacles(points, annual.intervals(points)) == []
    fit = annual.fit_trend(points)
    assert fit.n == 12 and fit.low < 0.3 < fit.high and fit.r2 > 0.9
    assert fit.loo_low <= fit.slope <= fit.loo_high and 1.0 < fit.durbin_watson < 3.0
    assert annual.year_list([2015, 2022, 2023, 2024, 2025]) == "2015, 2022–2025"
    assert annual.year_list([2018, 2019]) == "2018, 2019"
    assert annual.largest_gap([2015, 2022, 2023]) == 7


# ---------------------------------------------------------------- charts
def _obs_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "obs_id": ["a1", "b2"], "report_id": "langson-ubnd-2017-08",
        "indicator": ["trade.export", "trade.import"], "measure": "level",
        "period": "2017-01/2017-08", "value": [2094.0, 1224.0], "unit": "USD mn",
        "value_low": [2093.5, 1223.5], "value_high": [2094.5, 1224.5],
        "value_as_printed": ["2.094 triệu USD", "1.224 triệu USD"], "status": "estimate",
        "derived": False, "quote": ["xuất khẩu 2.094", "nhập khẩu 1.224"],
        "section": "c) Thương mại", "page": None, "footnote": None, "source_kind": "report",
        "url": None})


def test_counts_print_without_a_unit_word() -> None:
    assert charts.fmt_value(56, "count") == "56"
    assert charts.fmt_value(4020, "VND bn") == "4,020 billion VND"
    assert charts.fmt_value(-6.8, "%") == "-6.8%"
    assert charts.period_label("2017-01/2017-08") == "Jan–Aug 2017"


def test_many_reference_pages_are_named_by_site() -> None:
    rows = pd.DataFrame({"source_kind": "press", "report_id": "reference",
                         "url": [f"https://{s}/p{i}" for i, s in
                                 enumerate(["a.vn", "a.vn", "b.vn", "www.c.vn"])]})
    line = charts.source_line(rows, max_chars=None)
    assert line == ("Source: 4 published pages, read by hand: a.vn (2), b.vn, c.vn; each "
                    "point's URL is in the chart's CSV and in the table of plotted figures")
    assert "beside" not in line


def test_chart_files_are_svg_double_png_and_exact_csv(tmp_path: Path) -> None:
    rows = _obs_rows()
    chart = charts.bar_with_source(rows, label=["Exports", "Imports"], title="Trade",
                                   unit="million USD", horizontal=True)
    files = charts.save_chart(chart, tmp_path, "fig-trade")
    svg = ET.parse(files.svg).getroot()
    assert svg.tag.endswith("svg") and "Source:" in files.svg.read_text(encoding="utf-8")
    png = files.png.read_bytes()
    assert int.from_bytes(png[16:20], "big") >= 2 * 570  # 2x the column it is shown in
    table = list(csv.DictReader(io.StringIO(files.csv.read_text(encoding="utf-8"))))
    assert [r["obs_id"] for r in table] == ["a1", "b2"]
    assert [float(r["value"]) for r in table] == [2094.0, 1224.0]
    assert table[0]["quote"] == "xuất khẩu 2.094" and table[0]["where"] == "section “c) Thương mại”"
    again = charts.save_chart(chart, tmp_path / "again", "fig-trade")
    assert again.svg.read_bytes() == files.svg.read_bytes()  # deterministic files


def test_citation_names_chart_page_and_sources() -> None:
    chart = charts.bar_with_source(_obs_rows(), label="indicator", title="Trade",
                                   unit="million USD")
    text = charts.citation(chart, chapter="Border trade", book_title="Lạng Sơn in numbers",
                           version="0.1.0", year="2026", page_url="https://x.io/b.html",
                           figure_id="fig-trade")
    assert text.startswith("“Trade” (million USD). In: baocao contributors (2026), Lạng Sơn")
    assert "https://x.io/b.html#fig-trade" in text and "(langson-ubnd-2017-08)" in text
    assert "2 rows, each with its obs_id" in text


# ---------------------------------------------------------------- display and tables
def test_prose_has_a_book_and_a_notebook_rendition() -> None:
    prose = Prose("Rose **14%** ({numref}`fig-x`).", labels={"fig-x": "Retail"})
    bundle = prose._repr_mimebundle_()
    assert bundle["text/markdown"] == "Rose **14%** ({numref}`fig-x`)."
    assert bundle["text/html"] == "<p>Rose <strong>14%</strong> (the chart “Retail”).</p>"
    assert bundle["text/plain"] == str(prose) == "Rose 14% (the chart “Retail”)."
    assert markdown_to_html("see {doc}`the audit <../notebooks/audit>`") == (
        "<p>see the audit</p>")


def test_figure_block_is_a_numbered_figure_with_downloads(tmp_path: Path) -> None:
    files = {k: tmp_path / "_build" / "charts" / f"x.{k}" for k in ("svg", "png", "csv")}
    links = chart_links(files, tmp_path)
    block = FigureBlock(label="fig-x", title="T", caption="Cap.", alt="Bars: a rose.",
                        source="Source: R.", citation="cite me", links=links, svg=b"<svg/>")
    md = block._repr_mimebundle_()["text/markdown"]
    assert md.startswith(":::{figure} /_build/charts/x.svg\n:name: fig-x\n:alt: Bars: a rose.")
    assert "{download}`CSV of the plotted figures </_build/charts/x.csv>`" in md
    html = block._repr_mimebundle_()["text/html"]
    assert 'id="fig-x"' in html and "data:image/svg+xml;base64," in html
    assert block._repr_mimebundle_()["text/plain"] == "[chart] T. Source: R."


def test_tables_take_their_column_and_escape_their_cells() -> None:
    table = charts.provenance_table(_obs_rows().assign(quote=["<b>x</b>", "y"]))
    html = provenance_html(table, "“Trade”")
    assert html.startswith('<details class="bc-details bc-sources"><summary>The 2 figures '
                           "plotted in “Trade”")
    assert "table-layout:fixed;width:100%" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert html.count('data-label="quote"') == 2
    widths = [float(c.width.rstrip("%")) for c in PROVENANCE_COLUMNS]
    assert sum(widths) == 100
    assert html_table(pd.DataFrame({"a": []}), PROVENANCE_COLUMNS[:1]).count("<tr>") == 1


# ---------------------------------------------------------------- audit, coverage, methods
def test_audit_words_count_reports_without_the_reference_figures() -> None:
    audit = pd.DataFrame({"check": ["identity", "month_le_ytd", "cross_source"],
                          "report_id": ["r-2017-08", "r-2017-08", "reference"],
                          "status": ["pass", "pass", "warn"]})
    assert audit_view.summary(audit) == (
        "The dataset holds 3 checks of 3 kinds on 1 report and the published reference "
        "figures: 2 pass, 1 warn and 0 fail.")
    from baocao.audit import CHECKS

    for check in CHECKS:  # every check the audit runs has a reader's name
        assert check in audit_view.CHECK_LABELS, check
    assert audit_view.check_label("new_check") == "New check"


def test_identity_gaps_are_measured_in_rounding_allowances() -> None:
    audit = pd.DataFrame({
        "check": ["identity", "identity"], "report_id": "r", "indicator": ["t", "u"],
        "period": "2017", "status": ["pass", "warn"], "detail": ["t = a + b", "u >= a + b"],
        "expected": [100.0, 50.0], "expected_low": [99.9, 49.9], "expected_high": [100.1, 50.1],
        "found": [100.05, 60.0], "found_low": [100.0, 59.95], "found_high": [100.1, 60.05]})
    gaps = audit_view.with_gaps(audit)
    assert gaps["ratio"].round(3).tolist() == [0.333, 66.667]
    assert audit_view.exhaustive_identities(gaps)["indicator"].tolist() == ["t"]


def test_coverage_finds_missing_months() -> None:
    assert coverage.missing_months(["2017-08", "2017-11", "2017-09"]) == ["2017-10"]
    assert coverage.missing_months(["2017-08"]) == []
    assert methods.flatten({"a": {"b": 1, "c": [2, 3]}}) == [("a.b", 1), ("a.c[0]", 2),
                                                          ("a.c[1]", 3)]


# ---------------------------------------------------------------- sphinx, stamp, help
class _Script(str):
    def __new__(cls, filename, body):
        obj = super().__new__(cls, filename or "")
        obj.filename, obj.attributes = filename, {"body": body}
        return obj


def test_identical_inline_scripts_are_declared_once() -> None:
    context = {"script_files": [_Script(None, "const A = 1"), _Script("x.js", ""),
                                _Script("", "const A = 1"), _Script(None, "const B = 2")]}
    drop_duplicate_scripts(None, "p", "page.html", context, None)
    assert [(s.filename or "", s.attributes["body"]) for s in context["script_files"]] == [
        ("", "const A = 1"), ("x.js", ""), ("", "const B = 2")]


def test_execution_status_emoji_become_words() -> None:
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("test")
    document += nodes.paragraph("", "", nodes.Text("✅"), nodes.Text("x"))
    transform = StatusWords(document)
    transform.run()
    assert document.astext() == "ranx"


def test_notebook_inputs_stamp(tmp_path: Path) -> None:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "r.meta.json").write_text("{}")
    assert inputs.forget_stale_outputs(tmp_path)  # first run: nothing cached yet
    (tmp_path / "_build" / ".jupyter_cache").mkdir()
    assert not inputs.forget_stale_outputs(tmp_path)
    (tmp_path / "data" / "raw" / "r.meta.json").write_text('{"period": "2017-09"}')
    assert inputs.forget_stale_outputs(tmp_path)
    assert not (tmp_path / "_build" / ".jupyter_cache").exists()


def test_help_and_schema_point_to_the_book_not_the_developers_spec() -> None:
    out = subprocess.run([sys.executable, "-m", "baocao.cli", "extract", "--help"],
                         capture_output=True, text=True, check=True).stdout
    flat = " ".join(out.split())
    assert "shared/spec" not in flat
    assert "'The observation contract' (book/data_methods.md)" in flat
    assert "'Data dictionary' page (book/dictionary.md;" in flat
    import baocao.schema

    assert "shared/spec" not in baocao.schema.__doc__
    methods_page = (ROOT / "book" / "data_methods.md").read_text(encoding="utf-8")
    assert "\n## The observation contract\n" in methods_page
    assert (ROOT / "book" / "dictionary.md").is_file()


@pytest.mark.parametrize("page", ["book/data_methods", "book/dictionary", "book/coverage"])
def test_pages_named_in_help_are_in_the_book(page: str) -> None:
    assert f"file: {page}\n" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


def test_the_accuracy_section_is_computed_from_the_record():
    from baocao.book.methods import accuracy_frame, accuracy_sentence

    record = {"date": "2026-12-03", "sets": {
        "seed": {"shipped": True, "what": "the shipped report", "labels": 100,
                 "precision": 1.0, "recall": 1.0},
        "real": {"shipped": False, "what": "real pages", "labels": 50,
                 "precision": 0.9, "recall": 0.6}}}
    frame = accuracy_frame(record)
    assert list(frame["set"]) == ["seed", "real"]
    assert list(frame["shipped"]) == ["yes", "no (kept outside)"]
    sentence = accuracy_sentence(frame, record["date"])
    assert "precision is 1 or better and recall 1 or better" in sentence
    assert "lowest recall is on *real* (0.6): real pages" in sentence
