"""Periods, comparison bases, status and target words: the genre's cues, found in text.

A cue is a span of a sentence with what it means. The grammar walks cues and figures in
order; everything here is pure and testable on its own (hypothesis tests in
``tests/test_periods.py``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_I = re.IGNORECASE
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Period:
    """A period of the contract: ``value`` (e.g. ``2017-01/2017-08``) and ``type``."""

    value: str
    type: str

    @staticmethod
    def month(year: int, month: int) -> Period:
        return Period(f"{year:04d}-{month:02d}", "month")

    @staticmethod
    def ytd(year: int, month: int) -> Period:
        if month == 1:
            return Period.month(year, 1)
        if month == 12:  # "12 tháng", "lũy kế cả năm": the calendar year
            return Period(f"{year:04d}", "year")
        return Period(f"{year:04d}-01/{year:04d}-{month:02d}", "ytd")

    @staticmethod
    def asof(year: int, month: int, day: int) -> Period:
        return Period(f"{year:04d}-{month:02d}-{day:02d}", "asof")

    @staticmethod
    def month_end(year: int, month: int) -> Period:
        return Period.asof(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class ReportContext:
    """What a sentence may leave out: the report's year and month, and its language."""

    year: int | None
    month: int | None
    kind: str = "monthly"
    language: str = "vi"
    # the period of a cumulative report (9 months, a quarter, a year): what a flow figure
    # means when its sentence names no period. None for monthly reports, where it is unsure.
    default: Period | None = None
    province: str | None = None  # "Lạng Sơn": other places named in a clause narrow it


@dataclass(frozen=True)
class Cue:
    """A span of text that sets period, comparison base, status or target scope."""

    start: int
    end: int
    kind: str  # period | through | comparator | plan | status | target
    period: Period | None = None
    base_kind: str | None = None  # yoy | mom | qoq | base_month | base_date | base_year
    base: str | None = None
    plan_base: str | None = None  # central | provincial


def valid_date(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or year is None:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _year(text: str | None, ctx: ReportContext) -> int | None:
    return int(text) if text else ctx.year


# "so với cùng kỳ", and the shorthand "so cùng kỳ"
_SO = r"(?<!\w)so\s+(?:với\s+)?"
_COMPARATORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_SO + r"bình\s+quân\s+cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?", _I),
     "yoy_avg"),
    (re.compile(_SO + r"cùng\s+thời\s+điểm(?:\s+năm\s+(?:trước|ngoái|\d{4}))?", _I), "yoy"),
    (re.compile(_SO + r"tháng\s+cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?", _I), "yoy"),
    (re.compile(_SO + r"(?:cùng\s+kỳ|CKNT|cùng\s+vụ)(?:\s+năm\s+(?:trước|ngoái|\d{4}))?"
                r"(?:\s+tháng\s+\d{1,2})?", _I), "yoy"),
    (re.compile(_SO + r"(?:vụ\s+\w+(?:\s*-\s*\w+)?\s+)?năm\s+(?:trước|ngoái|\d{4})", _I),
     "yoy"),
    (re.compile(r"(?<!với\s)(?<!so\s)(?<!\w)cùng\s+kỳ"
                r"(?:\s+năm\s+(?:trước|ngoái|\d{4}))?", _I), "yoy"),
    (re.compile(_SO + r"tháng\s+trước(?:\s+đó)?", _I), "mom"),
    (re.compile(_SO + r"quý\s+trước(?:\s+đó)?", _I), "qoq"),
    (re.compile(_SO + r"tháng\s+(\d{1,2})\s*(?:/|-|\.|năm)\s*(\d{4})", _I), "base_month"),
    (re.compile(_SO + r"tháng\s+(\d{1,2})\s+năm\s+(?:trước|ngoái)", _I),
     "base_month_last_year"),
    (re.compile(_SO + r"tháng\s+(\d{1,2})(?![\d/-])(?!\.\d)(?!\s*(?:năm|/))", _I),
     "base_month_this_year"),
    (re.compile(_SO + r"(?:thời\s+điểm\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", _I),
     "base_date"),
    (re.compile(_SO + r"(?:thời\s+điểm\s+)?(?:cuối\s+năm\s+(?:trước|ngoái)|đầu\s+năm)", _I),
     "base_prev_year_end"),
    (re.compile(_SO + r"(?:thời\s+điểm\s+)?cuối\s+năm\s+(\d{4})", _I), "base_year_end"),
    (re.compile(_SO + r"kỳ\s+gốc(?:\s+năm)?\s+(\d{4})", _I), "base_year"),
]

_PLAN = re.compile(
    r"(?:của\s+)?(?:so\s+(?:với\s+)?)?(?:kế\s+hoạch|KH|dự\s+toán|chỉ\s+tiêu|mục\s+tiêu)"
    r"(?:\s+năm)?(?:\s+\d{4})?"
    r"(?:\s+(?:do\s+)?(?:HĐND\s+tỉnh|Hội\s+đồng\s+nhân\s+dân\s+tỉnh|Trung\s+ương|TW|tỉnh|"
    r"địa\s+phương|Thủ\s+tướng\s+Chính\s+phủ|Chính\s+phủ|Bộ\s+Tài\s+chính)(?:\s+giao)?)?"
    r"(?:\s+giao)?",
    _I,
)
_STATUS = re.compile(
    r"(?<!\w)(?:dự\s+ước|ước\s+tính|ước\s+đạt|ước\s+thực\s+hiện|ước\s+thu|ước\s+chi|ước)(?!\w)", _I
)
_TARGET = re.compile(
    r"(?<!\w)(?:phấn\s+đấu|dự\s+kiến|mục\s+tiêu\s+(?:đến|là|đạt|đón|thu|tăng)|"
    r"đặt\s+(?:ra\s+)?mục\s+tiêu|nhằm\s+đạt|kịch\s+bản\s+tăng\s+trưởng|"
    r"chỉ\s+tiêu\s+(?:là|đề\s+ra)|"
    r"kế\s+hoạch\s+(?:năm\s+\d{4}\s+)?(?:là|giao)|đề\s+ra)(?!\w)",
    _I,
)
_RANGE = re.compile(
    r"(?:tính\s+)?từ\s+(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*"
    r"(?:đến\s+(?:hết\s+)?(?:ngày\s+)?|-|–)\s*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?",
    _I,
)
_ASOF = re.compile(
    r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(\d{1,2})"
    r"(?:/|(?<=ngày\s\d)-|(?<=ngày\s\d\d)-)(\d{1,2})(?:[/-](\d{4}))?(?![\d/])",
    _I,
)
_THROUGH_MONTH = re.compile(
    r"(?:lũy\s+kế\s+|luỹ\s+kế\s+)?(?:(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?|(?<!\w)hết\s+)"
    r"tháng\s+(\d{1,2})"
    r"(?:\s*(?:/|-|\.|năm)\s*(\d{4}))?",
    _I,
)
_MONTH_WORDS = {
    "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "mười một": 11, "mười hai": 12,
}
_YTD = re.compile(
    r"(?<![\d/,.])(?:(?:lũy\s+kế|luỹ\s+kế|tính\s+chung|cộng\s+dồn|bình\s+quân|trong)\s+)?"
    r"(\d{1,2}|mười\s+một|mười\s+hai|mười|chín|tám|bảy|sáu|năm|bốn|ba|hai)\s+tháng(?!\s+(?:cuối|tới|sau|qua|trước))(?:\s+đầu)?(?:\s+năm)?"
    r"(?:\s*(?:/|năm)?\s*(\d{4}))?",
    _I,
)
_SINCE_YEAR_START = re.compile(
    r"(?:lũy\s+kế\s+|luỹ\s+kế\s+)?(?:từ\s+đầu\s+năm(?:\s+đến\s+nay)?|lũy\s+kế\s+đến\s+nay|"
    r"luỹ\s+kế\s+đến\s+nay)",
    _I,
)
_QUARTER = re.compile(r"(?<!\w)quý\s+(IV|I{1,3})(?!\w)(?:\s*(?:/|năm)\s*(\d{4}))?", _I)
_HALF = re.compile(r"6\s+tháng\s+cuối\s+năm(?:\s+(\d{4}))?", _I)
_MONTH = re.compile(
    r"(?<![\d/])(?<!\d\s)tháng\s+(\d{1,2})(?![\d/]*\s+tháng)(?:\s*(?:/|-|năm)\s*(\d{4}))?(?![\d/])",
    _I,
)
# "kế hoạch năm 2017", "dự toán năm 2017", "đầu tư công năm 2017": a year that names a
# plan or a programme, not the period of a figure.
_NOT_A_YEAR_PERIOD = re.compile(
    r"(?:kế\s+hoạch|KH|dự\s+toán|so\s+với|cùng\s+kỳ|chỉ\s+tiêu|mục\s+tiêu|nhiệm\s+vụ|"
    r"đầu\s+tư\s+công|ngân\s+sách\s+nhà\s+nước|học|vụ\s+\w+|chuẩn|giai\s+đoạn|"
    r"phấn\s+đấu|trong|của|tháng\s+\d{1,2}|giá\s+so\s+sánh|giá\s+hiện\s+hành|gốc)\s*$",
    _I,
)
# "…, lũy kế 3.328,7 nghìn lượt": the year to date of the report, when no months are named
_BARE_YTD = re.compile(
    r"(?<!\w)(?:lũy|luỹ)\s+kế(?!\s+(?:đến|từ|tới|hết|tháng|\d{1,2}\s+tháng|mười|chín|tám|bảy|sáu|"
    r"năm|bốn|ba|hai)\b)(?!\w)",
    _I,
)
# "tháng Mười", "Tháng Tư": months written as capitalised words
_MONTH_NAMES = {
    "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
    "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}
_MONTH_NAMED = re.compile(
    r"(?<!\w)[Tt]háng\s+(Mười\s+một|Mười\s+hai|Giêng|Hai|Ba|Tư|Năm|Sáu|Bảy|Tám|Chín|Mười|Chạp)"
    r"(?!\w)(?:\s*(?:/|năm)\s*(\d{4}))?"
)
_THIS_MONTH = re.compile(r"(?<!\w)(?:trong\s+tháng|tháng\s+này)(?!\s*\d)(?!\w)", _I)
_WHOLE_YEAR = re.compile(r"(?<!\w)(?:cả\s+năm|năm)\s+(\d{4})(?!\s*-)|(?<!\w)cả\s+năm(?!\w)", _I)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def find_cues(text: str, ctx: ReportContext) -> list[Cue]:
    """All cues in a sentence, non-overlapping, in text order."""
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []

    def add(cue: Cue) -> None:
        if not _overlaps((cue.start, cue.end), taken):
            cues.append(cue)
            taken.append((cue.start, cue.end))

    for pattern, pattern_kind in _COMPARATORS:
        for m in pattern.finditer(text):
            kind = pattern_kind
            base = None
            if kind == "base_month":
                month, year = int(m.group(1)), int(m.group(2))
                if not 1 <= month <= 12:
                    continue
                base = f"{year:04d}-{month:02d}"
            elif kind == "base_date":
                day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if not valid_date(year, month, day):
                    continue
                base = f"{year:04d}-{month:02d}-{day:02d}"
            elif kind == "base_prev_year_end":
                if ctx.year is None:
                    continue
                kind, base = "base_date", f"{ctx.year - 1:04d}-12-31"
            elif kind in ("base_month_this_year", "base_month_last_year"):
                month = int(m.group(1))
                if ctx.year is None or not 1 <= month <= 12:
                    continue
                # "so với tháng 7" in an August report; a later month is last year's
                last_year = kind == "base_month_last_year" or bool(ctx.month and month > ctx.month)
                year = ctx.year - 1 if last_year else ctx.year
                kind, base = "base_month", f"{year:04d}-{month:02d}"
            elif kind == "base_year_end":
                kind, base = "base_date", f"{int(m.group(1)):04d}-12-31"
            elif kind == "base_year":
                base = m.group(1)
            add(Cue(m.start(), m.end(), "comparator", base_kind=kind, base=base))
    for m in _RANGE.finditer(text):
        d1, m1, d2, m2 = int(m.group(1)), int(m.group(2)), int(m.group(4)), int(m.group(5))
        y2 = _year(m.group(6), ctx)
        y1 = int(m.group(3)) if m.group(3) else (y2 if y2 is None or m1 <= m2 else y2 - 1)
        if valid_date(y1, m1, d1) and valid_date(y2, m2, d2):
            value = f"{y1:04d}-{m1:02d}-{d1:02d}/{y2:04d}-{m2:02d}-{d2:02d}"
            add(Cue(m.start(), m.end(), "period", Period(value, "range")))
    for m in _ASOF.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else ctx.year
        if valid_date(year, month, day):
            add(Cue(m.start(), m.end(), "period", Period.asof(year, month, day)))
    for m in _THROUGH_MONTH.finditer(text):
        month, year = int(m.group(1)), _year(m.group(2), ctx)
        if year and 1 <= month <= 12:
            add(Cue(m.start(), m.end(), "through", Period.ytd(year, month)))
    for m in _SINCE_YEAR_START.finditer(text):
        if ctx.year and ctx.month:
            add(Cue(m.start(), m.end(), "through", Period.ytd(ctx.year, ctx.month)))
    for m in _HALF.finditer(text):
        year = _year(m.group(1), ctx)
        if year:
            add(Cue(m.start(), m.end(), "period", Period(f"{year:04d}-H2", "half")))
    for m in _YTD.finditer(text):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        months = int(word) if word.isdigit() else _MONTH_WORDS[word]
        year = _year(m.group(2), ctx)
        if year and 1 <= months <= 12:
            add(Cue(m.start(), m.end(), "period", Period.ytd(year, months)))
    for m in _QUARTER.finditer(text):
        year = _year(m.group(2), ctx)
        if year:
            q = ROMAN[m.group(1).upper()]
            add(Cue(m.start(), m.end(), "period", Period(f"{year:04d}-Q{q}", "quarter")))
    for m in _MONTH.finditer(text):
        month, year = int(m.group(1)), _year(m.group(2), ctx)
        if year and 1 <= month <= 12:
            add(Cue(m.start(), m.end(), "period", Period.month(year, month)))
    for m in _BARE_YTD.finditer(text):
        if ctx.year and ctx.month:
            add(Cue(m.start(), m.end(), "period", Period.ytd(ctx.year, ctx.month)))
    for m in _MONTH_NAMED.finditer(text):
        month = _MONTH_NAMES[re.sub(r"\s+", " ", m.group(1).lower())]
        year = _year(m.group(2), ctx)
        if year:
            add(Cue(m.start(), m.end(), "period", Period.month(year, month)))
    for m in _THIS_MONTH.finditer(text):
        if ctx.year and ctx.month:
            add(Cue(m.start(), m.end(), "period", Period.month(ctx.year, ctx.month)))
    for m in _WHOLE_YEAR.finditer(text):
        year = _year(m.group(1), ctx)
        if year and not _NOT_A_YEAR_PERIOD.search(text[: m.start()]):
            add(Cue(m.start(), m.end(), "period", Period(f"{year:04d}", "year")))
    # status and target words may overlap a period cue ("ước tính đến 31/8/2017")
    cues.extend(Cue(m.start(), m.end(), "status") for m in _STATUS.finditer(text))
    cues.extend(Cue(m.start(), m.end(), "target") for m in _TARGET.finditer(text))
    cues.sort(key=lambda c: c.start)
    return cues


def plan_after(text: str, pos: int) -> tuple[int, str | None] | None:
    """If a plan phrase starts at ``pos`` (after spaces), its end and base (central/provincial)."""
    m = _PLAN.match(text, pos + (len(text[pos:]) - len(text[pos:].lstrip())))
    if not m:
        return None
    phrase = m.group(0).lower()
    base = None
    if "dự toán" in phrase or "giao" in phrase:
        if ("trung ương" in phrase or " tw" in phrase or "chính phủ" in phrase
                or "bộ tài" in phrase):
            base = "central"
        elif "tỉnh" in phrase or "địa phương" in phrase:
            base = "provincial"
    return m.end(), base


_TITLE_MONTH = re.compile(r"(?<![\d/])(?<!\d\s)tháng\s+(\d{1,2})(?!\d)", _I)
_TITLE_YEAR = re.compile(r"(?:năm\s+|/|-)((?:19|20)\d{2})(?!\d)", _I)
_TITLE_YTD = re.compile(r"(\d{1,2})\s+tháng\s+(?:đầu\s+)?năm", _I)
_TITLE_QUARTER = re.compile(r"quý\s+(IV|I{1,3})(?!\w)", _I)
_TITLE_ANNUAL = re.compile(r"(?:tình hình|báo cáo)[^\n]{0,60}?năm\s+((?:19|20)\d{2})", _I)


def detect_report_context(
    title: str, headings: list[str], text: str, period_hint: str | None = None,
    language: str = "vi",
) -> ReportContext:
    """The report's year and month, from the sidecar period or else its title/headings."""
    if period_hint:
        hint = period_hint.strip()
        m = re.fullmatch(r"(\d{4})-(\d{2})", hint)
        if m:
            return ReportContext(int(m.group(1)), int(m.group(2)), "monthly", language)
        m = re.fullmatch(r"(\d{4})-01/(\d{4})-(\d{2})", hint)
        if m:
            year, month = int(m.group(2)), int(m.group(3))
            return ReportContext(year, month, "ytd", language, Period.ytd(year, month))
        m = re.fullmatch(r"(\d{4})-Q([1-4])", hint)
        if m:
            year, q = int(m.group(1)), int(m.group(2))
            return ReportContext(year, q * 3, "quarterly", language, Period(hint, "quarter"))
        m = re.fullmatch(r"(\d{4})-H([12])", hint)
        if m:
            year, h = int(m.group(1)), int(m.group(2))
            return ReportContext(year, h * 6, "half", language, Period(hint, "half"))
        m = re.fullmatch(r"(\d{4})", hint)
        if m:
            year = int(m.group(1))
            return ReportContext(year, 12, "annual", language, Period(hint, "year"))
    candidates = [title, *headings[:6], text[:1500]]
    for source in candidates:
        if not source:
            continue
        year_m = _TITLE_YEAR.search(source)
        if not year_m:
            continue
        year = int(year_m.group(1))
        month_m = _TITLE_MONTH.search(source)
        if month_m and 1 <= int(month_m.group(1)) <= 12:
            return ReportContext(year, int(month_m.group(1)), "monthly", language)
        named = _MONTH_NAMED.search(source)
        if named:
            month = _MONTH_NAMES[re.sub(r"\s+", " ", named.group(1).lower())]
            return ReportContext(year, month, "monthly", language)
        ytd_m = _TITLE_YTD.search(source)
        if ytd_m and 1 <= int(ytd_m.group(1)) <= 12:
            month = int(ytd_m.group(1))
            return ReportContext(year, month, "ytd", language, Period.ytd(year, month))
        q_m = _TITLE_QUARTER.search(source)
        if q_m:
            q = ROMAN[q_m.group(1).upper()]
            return ReportContext(year, q * 3, "quarterly", language,
                                 Period(f"{year:04d}-Q{q}", "quarter"))
        if _TITLE_ANNUAL.search(source):
            return ReportContext(year, 12, "annual", language, Period(f"{year:04d}", "year"))
    return ReportContext(None, None, "unknown", language)
