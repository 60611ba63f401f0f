"""Observations from the ruled appendix tables of a report ("Biểu số liệu").

A typical appendix has a label column (``Chỉ tiêu``), a unit column (``Đơn vị tính``) and
value columns whose headers say period and measure: ``Ước thực hiện tháng 8/2017`` (month,
level, estimate), ``Lũy kế 8 tháng`` (year to date, level), ``So với cùng kỳ (%)`` (a ratio
to the same period of last year: 105,3 means +5.3 %), ``% kế hoạch`` (share of the annual
plan). Headers may span two rows (``So sánh (%)`` over ``So với cùng kỳ`` and ``% kế
hoạch``). Row labels go through the indicator catalogue; sub-rows such as ``- Xuất khẩu``
are matched within their parent row's indicator. Rows the catalogue does not know, units
that do not fit the indicator, and columns whose meaning is unclear are left out: a
missing figure is better than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..ingest import Document, Table
from ..schema import FIELDS
from .catalogue import Catalogue, Indicator, Unit, family, fold, load_catalogue, tone_fold
from .lexicon import load_lexicon
from .numbers import decimals, parse_number

_LEX = load_lexicon()
LABEL_HEADER = _LEX.pattern("TableLabelHeader")
UNIT_HEADER = _LEX.pattern("TableUnitHeader")
INDEX_HEADER = _LEX.pattern("TableIndexHeader")
YOY = _LEX.pattern("TableYoyHeader")
MOM = _LEX.pattern("TableMomHeader")
PLAN = _LEX.pattern("TablePlanHeader")
CHANGE_WORDS = _LEX.pattern("TableChangeHeader")
PCT = re.compile(r"%")
YTD = _LEX.pattern("TableYtdHeader")
N_MONTHS = _LEX.pattern("TableMonthsHeader")
MONTH = _LEX.pattern("TableMonthHeader")
YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")
ESTIMATE = _LEX.pattern("TableEstimateHeader")
SUB_ROW = _LEX.pattern("TableSubRow")


@dataclass
class Column:
    """What a value column holds."""

    index: int
    header: str
    measure: str  # level | yoy_pct | plan_pct | mom_pct
    period: str
    period_type: str
    ratio: bool  # printed as 100 + change (So với cùng kỳ (%) = 105,3)
    status: str


def table_observations(
    doc: Document, report_id: str | None = None, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Observations (contract rows, ``source_kind="table"``) from ``doc.tables``."""
    cat = catalogue or load_catalogue()
    year, month = _report_year_month(doc)
    rows: list[dict] = []
    for table in doc.tables:
        rows.extend(_table_rows(table, doc, report_id, cat, year, month))
    frame = pd.DataFrame(rows, columns=list(FIELDS))
    return frame.astype(object) if len(frame) else frame


def _report_year_month(doc: Document) -> tuple[int | None, int | None]:
    from .context import report_context
    from .textmodel import build_text_model

    ctx = report_context(build_text_model(doc.text), doc.text, doc.metadata.get("period"))
    return ctx.year, ctx.month


def _header_rows(cells: list[list[str]]) -> int:
    """Number of header rows: those before the first row holding two or more numbers."""
    for i, row in enumerate(cells):
        numbers = sum(parse_number(c) is not None for c in row[1:] if c)
        if numbers >= 2:
            return i
    return len(cells)


def _column_headers(cells: list[list[str]], n_header: int) -> list[str]:
    """One header per column, spanned cells of upper header rows filled to the right."""
    width = max(len(r) for r in cells)
    grid = [list(r) + [""] * (width - len(r)) for r in cells[:n_header]]
    for r in range(len(grid) - 1):
        for j in range(1, width):
            below = any(grid[k][j] for k in range(r + 1, len(grid)))
            if not grid[r][j] and grid[r][j - 1] and below:
                grid[r][j] = grid[r][j - 1]
    return [" ".join(grid[r][j] for r in range(len(grid)) if grid[r][j]) for j in range(width)]


def _classify(
    headers: list[str], body: list[list[str]], year: int | None, month: int | None
) -> tuple[int | None, int | None, list[Column]]:
    label_col = unit_col = None
    for j, h in enumerate(headers):
        if unit_col is None and UNIT_HEADER.search(h):
            unit_col = j
        elif label_col is None and LABEL_HEADER.search(h):
            label_col = j
    if label_col is None:  # first mostly-text column that is not a running number
        for j, h in enumerate(headers):
            if j == unit_col or INDEX_HEADER.match(h.strip()):
                continue
            texts = [r[j] for r in body if j < len(r) and r[j]]
            if texts and sum(parse_number(t) is None for t in texts) > 0.7 * len(texts):
                label_col = j
                break
    table_year = next((int(m.group(1)) for h in headers for m in [YEAR.search(h)] if m), year)
    columns: list[Column] = []
    levels: list[Column] = []
    pending: list[tuple[int, str, str, bool]] = []
    for j, h in enumerate(headers):
        if j in (label_col, unit_col) or INDEX_HEADER.match(h.strip()) or not h:
            continue
        status = "estimate" if ESTIMATE.search(h) else "actual"
        if YOY.search(h) or MOM.search(h) or (PLAN.search(h) and PCT.search(h)):
            measure = "yoy_pct" if YOY.search(h) else "mom_pct" if MOM.search(h) else "plan_pct"
            ratio = measure != "plan_pct" and not CHANGE_WORDS.search(h)
            pending.append((j, h, measure, ratio))
            continue
        if PLAN.search(h):
            continue  # the plan target itself (Kế hoạch năm 2017): not a contract measure
        period = _period(h, table_year, month)
        if period is None:
            continue
        col = Column(j, h, "level", period[0], period[1], False, status)
        columns.append(col)
        levels.append(col)
    for j, h, measure, ratio in pending:
        period = _period(h, table_year, month)
        if period is None:  # comparisons without their own period follow the ytd column
            ytd = [c for c in levels if c.period_type == "ytd"]
            base = (ytd or levels or [None])[0]
            if base is None:
                continue
            period = (base.period, base.period_type)
        status = "estimate" if ESTIMATE.search(h) else "actual"
        columns.append(Column(j, h, measure, period[0], period[1], ratio, status))
    return label_col, unit_col, sorted(columns, key=lambda c: c.index)


def _period(header: str, year: int | None, month: int | None) -> tuple[str, str] | None:
    """(period, period_type) a header names, or None when it names none."""
    y = int(m.group(1)) if (m := YEAR.search(header)) else year
    n_months = N_MONTHS.search(header)
    if n_months or YTD.search(header):
        n = int(n_months.group(1)) if n_months else month
        if y and n and 1 <= n <= 12:
            return (f"{y:04d}-{n:02d}", "month") if n == 1 else (
                f"{y:04d}-01/{y:04d}-{n:02d}", "ytd"
            )
        return None
    mm = MONTH.search(header)
    if mm:
        n = int(mm.group(1))
        y = int(mm.group(2) or mm.group(3) or 0) or y
        if y and 1 <= n <= 12:
            return f"{y:04d}-{n:02d}", "month"
        return None
    return None


def _unit(text: str, cat: Catalogue) -> Unit | None:
    key = fold(" ".join(text.split())).strip("() ")
    if key in cat.units:
        return cat.units[key]
    best = None
    for phrase, unit in cat.units.items():
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key) and (
            best is None or len(phrase) > len(best[0])
        ):
            best = (phrase, unit)
    return best[1] if best else None


def _match(cat: Catalogue, label: str, parent: Indicator | None) -> Indicator | None:
    plain = SUB_ROW.sub("", label).strip()
    if parent is not None and SUB_ROW.match(label):
        for key in (parent.id, family(parent.id)):  # its components, its family's names
            if key not in cat.within_index:
                continue
            found = next(cat.within_index[key].leftmost_longest(tone_fold(plain)), None)
            if found is not None and found[0] == 0:
                ids = cat.within[key].get(found[2], [])
                if len(ids) == 1:
                    return cat.get(ids[0])
    return cat.match(plain)


def _table_rows(
    table: Table, doc: Document, report_id: str | None, cat: Catalogue,
    year: int | None, month: int | None,
) -> list[dict]:
    cells = table.cells
    if len(cells) < 2:
        return []
    n_header = _header_rows(cells)
    if n_header == 0 or n_header >= len(cells):
        return []
    headers = _column_headers(cells, n_header)
    body = cells[n_header:]
    label_col, unit_col, columns = _classify(headers, body, year, month)
    if label_col is None or not columns:
        return []
    out: list[dict] = []
    parent: Indicator | None = None
    for row in body:
        label = row[label_col].strip() if label_col < len(row) else ""
        if not label:
            continue
        indicator = _match(cat, label, parent)
        if not SUB_ROW.match(label):
            parent = indicator
        if indicator is None:
            continue
        unit_text = row[unit_col].strip() if unit_col is not None and unit_col < len(row) else ""
        unit = _unit(unit_text, cat) if unit_text else _unit(label, cat)
        quote = " | ".join(c for c in row if c)
        for col in columns:
            printed = row[col.index].strip() if col.index < len(row) else ""
            value = parse_number(printed) if printed else None
            if value is None:
                continue
            if col.measure == "level":
                if unit is None or unit.unit != indicator.unit:
                    continue
                value, out_unit = value * unit.factor, unit.unit
                as_printed = f"{printed} {unit_text}".strip()
                step = 0.5 * 10 ** -decimals(printed) * unit.factor
            else:
                if col.ratio:
                    value = value - 100.0
                out_unit, as_printed = "%", f"{printed}%"
                step = 0.5 * 10 ** -decimals(printed)
            value = round(value, decimals(printed) + 6)
            out.append({
                "report_id": report_id,
                "source": doc.source,
                "page": table.page,
                "start": None,
                "end": None,
                "quote": quote,
                "indicator": indicator.id,
                "label_vi": SUB_ROW.sub("", label).strip(),
                "period": col.period,
                "period_type": col.period_type,
                "measure": col.measure,
                "base": None,
                "value": value,
                "unit": out_unit,
                "value_as_printed": as_printed,
                "qualifier": None,
                "status": col.status,
                "derived": False,
                "flags": "",
                "footnote": None,
                "section": col.header,
                "source_kind": "table",
                "url": None,
                "method": None,
                "inputs": None,
                "value_low": value - step,
                "value_high": value + step,
                "obs_id": None,
            })
    return out
