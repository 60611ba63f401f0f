"""Property-based tests of the number and period parsers, and a fuzz test of the engine."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.extract import extract_document
from baocao.extract.numbers import decimals, parse_number
from baocao.extract.periods import Period, ReportContext, find_cues
from baocao.ingest import Document


def vi_format(value: int, frac: str) -> str:
    """Print an integer part with Vietnamese thousands dots and a comma decimal part."""
    groups = f"{value:,}".replace(",", ".")
    return f"{groups},{frac}" if frac else groups


@given(st.integers(min_value=0, max_value=10**11), st.text("0123456789", max_size=3))
def test_vietnamese_numbers_round_trip(integer, frac):
    printed = vi_format(integer, frac)
    expected = float(f"{integer}.{frac}") if frac else float(integer)
    assert parse_number(printed) == expected
    assert decimals(printed) == len(frac)


@given(st.integers(min_value=10**15, max_value=10**400), st.text("0123456789", max_size=3))
def test_more_than_fifteen_significant_digits_is_not_a_number(integer, frac):
    """No report prints one, a float cannot hold it, and the longest became Infinity."""
    assert parse_number(vi_format(integer, frac)) is None
    assert parse_number(str(integer)) is None


@given(st.integers(min_value=0, max_value=999), st.text("0123456789", min_size=3, max_size=3))
def test_comma_with_three_digits_is_still_a_decimal(integer, frac):
    assert parse_number(f"{integer},{frac}") == float(f"{integer}.{frac}")


@given(st.text(max_size=20))
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or isinstance(value, float)


@given(st.integers(min_value=2000, max_value=2030), st.integers(min_value=1, max_value=12))
def test_month_and_year_to_date_cues(year, month):
    ctx = ReportContext(year, month)
    cue = find_cues(f"tháng {month}/{year} đạt", ctx)[0]
    assert cue.period == Period.month(year, month)
    if month >= 2:
        ytd = [c for c in find_cues(f"lũy kế {month} tháng đầu năm đạt", ctx) if c.period][0]
        if month < 12:
            assert ytd.period.value == f"{year}-01/{year}-{month:02d}"
            assert ytd.period.type == "ytd"
        else:  # twelve months are the calendar year
            assert (ytd.period.value, ytd.period.type) == (str(year), "year")


@given(st.integers(min_value=2000, max_value=2030), st.integers(min_value=1, max_value=12),
       st.integers(min_value=1, max_value=28))
def test_as_of_and_base_dates(year, month, day):
    ctx = ReportContext(year, 12)
    cues = find_cues(f"đến {day}/{month}/{year} đạt 5 tỷ đồng, tăng 2% so với {day}/{month}/"
                     f"{year - 1}", ctx)
    asof = next(c for c in cues if c.kind == "period")
    base = next(c for c in cues if c.kind == "comparator")
    assert asof.period.value == f"{year}-{month:02d}-{day:02d}"
    assert base.base == f"{year - 1}-{month:02d}-{day:02d}"


@given(st.integers(min_value=2000, max_value=2030), st.sampled_from(["I", "II", "III", "IV"]))
def test_quarter_cue(year, roman):
    cue = find_cues(f"quý {roman} năm {year}", ReportContext(year, 12))[0]
    assert cue.period.value == f"{year}-Q{['I', 'II', 'III', 'IV'].index(roman) + 1}"


ALPHABET = st.sampled_from(
    list("0123456789.,%;:()/- \n#*<>[]supđăâêôơưáàảãạ")
    + ["tỷ đồng", "triệu USD", "tháng ", " tháng", "so với cùng kỳ", "kế hoạch", "trong đó",
       "<sup>1</sup>", "---", "\n\n", "tăng ", "giảm ", "bằng ", "đạt ", "lần lượt", "ước ",
       "so với đầu năm", "so với 31/12/2016", "so với tháng 12/2016", "so với tháng trước",
       "quý II", "6 tháng đầu năm", "đến 31/8/2017", "từ ngày 16/7 đến ngày 15/8", "(", ")",
       "- ", ":", "trong đó", "điểm phần trăm", "chiếm ", "nghìn con", "vụ", "người chết",
       "doanh thu", "vốn đăng ký", "thu nội địa", "xuất khẩu", "dự toán tỉnh giao"]
)


@pytest.fixture
def strict_engine(monkeypatch):
    """The engine without its safety net: an exception of the sentence reader is raised,
    not skipped, so that these tests can fail (hypothesis reuses the function-scoped
    fixture across examples, which is what is wanted here)."""
    import baocao.extract.discourse as engine

    monkeypatch.setattr(engine, "STRICT", True)


def test_the_strict_engine_raises_what_the_reader_raises(strict_engine, monkeypatch):
    """The switch works: a failing sentence reader fails the whole document."""
    from baocao.extract import reader

    def broken(self):
        raise IndexError("a bug in the reader")

    monkeypatch.setattr(reader.SentenceReader, "read", broken)
    with pytest.raises(IndexError, match="a bug in the reader"):
        extract_document(Document(source="x.md", text="Thu ngân sách đạt 5 tỷ đồng.",
                                  kind="text"))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_engine_never_raises_on_arbitrary_text(strict_engine, text):
    frame = extract_document(Document(source="fuzz.md", text=text, kind="markdown"))
    assert set(frame.columns) >= {"indicator", "period", "measure", "value", "unit"}
    for row in frame.itertuples():
        assert 0 <= row.start < row.end <= len(text)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_engine_never_raises_on_unicode_noise(strict_engine, text):
    extract_document(Document(source="fuzz.txt", text=text, kind="text"))


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_grammar_itself_never_raises(text):
    """The same fuzz straight at the sentence reader: every sentence must be read
    without an exception."""
    from baocao.extract.catalogue import load_catalogue
    from baocao.extract.model import Context
    from baocao.extract.reader import SentenceReader
    from baocao.extract.textmodel import build_text_model

    model = build_text_model(text)
    ctx = ReportContext(2017, 8)
    for sentence in model.sentences:
        SentenceReader(sentence, load_catalogue(), ctx).read()
    for sentences in model.footnotes.values():
        for sentence in sentences:
            SentenceReader(sentence, load_catalogue(), ctx, Context(parent="trade.total")).read()
