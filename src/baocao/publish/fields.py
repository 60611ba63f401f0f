"""One registry of the published columns: it drives the pandera checks of the build, the
Table Schema of ``datapackage.json`` and the field list of the data dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..derive import CONCEPTS
from ..schema import MEASURES, PERIOD_TYPES, QUALIFIERS, STATUSES

SOURCE_KINDS = ("report", "table", "official", "press")


@dataclass(frozen=True)
class Field:
    """A column: Table Schema type, unit, meaning and constraints."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    description: str
    unit: str | None = None
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    unique: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def dtype(self) -> str:
        """The pandas dtype the column is stored with."""
        return {"integer": "Int64", "number": "float64", "boolean": "bool"}.get(self.type,
                                                                              "object")

    def table_schema(self) -> dict:
        """This field as a Frictionless Table Schema field descriptor."""
        out: dict = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.unique:
            constraints["unique"] = True
        if constraints:
            out["constraints"] = constraints
        out.update(self.extra)
        return out


_ID = r"[a-z0-9_]+(\.[a-z0-9_]+)*"

OBSERVATION_FIELDS: tuple[Field, ...] = (
    Field("obs_id", "string", "Stable id of the observation: a hash of report_id, start, end, "
          "indicator, period, measure, base, derived and method.", required=True, unique=True,
          pattern="[0-9a-f]{16}"),
    Field("report_id", "string", "Stable id of the source report (from its sidecar), or "
          "`reference` for the figures read by hand from published pages.", required=True),
    Field("source", "string", "The input file the figure was read from, as given to the build."),
    Field("page", "integer", "1-based page of the figure (PDF reports), else empty.",
          unit="page"),
    Field("start", "integer", "Character offset where the figure starts in the document's "
          "normalised text (for reference rows: offset of its row in the CSV).",
          unit="character"),
    Field("end", "integer", "Character offset where the figure ends.", unit="character"),
    Field("quote", "string", "The sentence or footnote the figure was read from, as printed "
          "(empty for reference rows)."),
    Field("indicator", "string", "Canonical indicator id (see the indicator table).",
          required=True, pattern=_ID),
    Field("label_vi", "string", "The indicator phrase as printed."),
    Field("period", "string", "Period of the figure: `2017-08` (month), `2017-01/2017-08` "
          "(year-to-date), `2023-Q3`, `2022-H1`, `2017`, `2017-07-16/2017-08-15` (day range) "
          "or `2017-08-31` (a stock at a date).", required=True),
    Field("period_type", "string", "Kind of period.", required=True, enum=PERIOD_TYPES),
    Field("measure", "string", "What the value measures: the quantity itself (`level`) or a "
          "% change / share (`yoy_pct`, `plan_pct`, `mom_pct`, `base_pct`), or an absolute "
          "change on last year (`yoy_diff`).", required=True, enum=MEASURES),
    Field("base", "string", "For `base_pct`, the base period; for `plan_pct` (and derived "
          "plans) whose estimate: `central` or `provincial`."),
    Field("value", "number", "The figure, in `unit`.", unit="given per row in `unit`",
          required=True),
    Field("unit", "string", "Unit of `value`: `VND bn`, `USD mn`, `t`, `ha`, `head`, `kWh`, "
          "`m3`, `visits`, `persons`, `count`, `%`, ...", required=True),
    Field("value_as_printed", "string", "The number and unit exactly as printed."),
    Field("qualifier", "string", "`over` (trên), `about` (khoảng), `under` (dưới), else "
          "empty.", enum=QUALIFIERS),
    Field("status", "string", "`estimate` when the report says ước / ước đạt / ước tính / dự "
          "ước, else `actual`.", required=True, enum=STATUSES),
    Field("derived", "boolean", "False for a printed figure, true for a computed one "
          "(see `method`, `inputs`).", required=True),
    Field("concept", "string", "What the value stands for: `actual` (the period's outcome, "
          "estimated or not), `previous_year` (last year's level implied by a change), "
          "`plan` (the annual plan or budget estimate implied by a % of plan).",
          required=True, enum=CONCEPTS),
    Field("flags", "string", "Reasons the figure is uncertain, `;`-separated (empty when "
          "sure)."),
    Field("note", "string", "How the extractor resolved an ambiguity (e.g. by the report's "
          "own arithmetic)."),
    Field("footnote", "integer", "Number of the footnote the figure was read from."),
    Field("section", "string", "Heading of the report section holding the figure."),
    Field("source_kind", "string", "`report` (extracted from report text), `table` (from a "
          "table of the report), `official` / `press` (reference figures from government / "
          "newspaper pages).", required=True, enum=SOURCE_KINDS),
    Field("url", "string", "Where the source can be read, when known."),
    Field("method", "string", "Formula of a derived figure, e.g. `level / (1 + "
          "yoy_pct/100)`."),
    Field("inputs", "string", "obs_ids of the figures a derived figure was computed from, "
          "`;`-separated."),
    Field("value_low", "number", "Lower bound of `value` allowed by the printed precision "
          "(propagated through formulas for derived rows); empty = no lower bound.",
          unit="given per row in `unit`"),
    Field("value_high", "number", "Upper bound of `value`; empty = no upper bound.",
          unit="given per row in `unit`"),
    Field("report_period", "string", "Period the source report covers (its sidecar `period`; "
          "for reference rows the period of the page in sources.csv)."),
    Field("report_date", "date", "Vintage of the figure: the last day of the report's period "
          "(used to pick the newest vintage)."),
)

AUDIT_FIELDS: tuple[Field, ...] = (
    Field("check", "string", "Name of the check (see the audit section of the dictionary).",
          required=True),
    Field("report_id", "string", "Report whose figures are checked.", required=True),
    Field("indicator", "string", "Indicator checked (empty for a figure the extractor could "
          "not attach to one)."),
    Field("period", "string", "Period checked."),
    Field("measure", "string", "Measure of the figure checked."),
    Field("status", "string", "`pass`, `fail` or `warn`.", required=True,
          enum=("pass", "fail", "warn")),
    Field("expected", "number", "Value expected from the other figures.",
          unit="unit of the indicator"),
    Field("expected_low", "number", "Lower bound of the expected value.",
          unit="unit of the indicator"),
    Field("expected_high", "number", "Upper bound of the expected value.",
          unit="unit of the indicator"),
    Field("found", "number", "Value found in the report.", unit="unit of the indicator"),
    Field("found_low", "number", "Lower bound of the found value.",
          unit="unit of the indicator"),
    Field("found_high", "number", "Upper bound of the found value.",
          unit="unit of the indicator"),
    Field("detail", "string", "What was compared, in words."),
    Field("obs_ids", "string", "obs_ids of the observations involved, `;`-separated."),
)

DICTIONARY_FIELDS: tuple[Field, ...] = (
    Field("id", "string", "Canonical indicator id.", required=True, unique=True, pattern=_ID),
    Field("name_vi", "string", "Vietnamese name."),
    Field("name_en", "string", "English name."),
    Field("unit", "string", "Canonical unit of its levels."),
    Field("kind", "string", "`flow` (summed over a period), `stock` (level at a date), "
          "`index` or `rate`."),
    Field("flagship", "boolean", "One of the observation contract's flagship indicators."),
    Field("description", "string", "What the indicator covers."),
    Field("n_observations", "integer", "Number of observations of it in the dataset.",
          unit="rows"),
)


def column_names(fields: tuple[Field, ...]) -> list[str]:
    """Column order of a published table."""
    return [f.name for f in fields]


# --------------------------------------------------------------------------- pandera


def pandera_schema(fields: tuple[Field, ...] = OBSERVATION_FIELDS):
    """A pandera schema checking types, required values, enums, patterns, uniqueness, the
    period's shape against its type, and ``value_low <= value <= value_high``."""
    import pandera.pandas as pa

    from ..period_math import PERIOD_PATTERNS

    columns = {}
    for f in fields:
        checks = []
        if f.enum:
            checks.append(pa.Check.isin(list(f.enum)))
        if f.pattern:
            checks.append(pa.Check.str_matches(f"^(?:{f.pattern})$"))
        columns[f.name] = pa.Column(
            f.dtype if f.type != "date" else "object",
            checks=checks, nullable=not f.required, unique=f.unique, coerce=False,
        )

    def period_matches_type(df):
        patterns = df["period_type"].map(PERIOD_PATTERNS)
        return pd.Series(
            [isinstance(p, str) and isinstance(pat, str) and re.fullmatch(pat, p) is not None
             for p, pat in zip(df["period"], patterns, strict=True)],
            index=df.index,
        )

    def bounds_hold(df):
        low_ok = df["value_low"].isna() | (df["value_low"] <= df["value"] + 1e-9)
        high_ok = df["value_high"].isna() | (df["value_high"] >= df["value"] - 1e-9)
        return low_ok & high_ok

    def unit_is_percent_for_changes(df):
        changes = df["measure"].isin(["yoy_pct", "plan_pct", "mom_pct", "base_pct"])
        return ~changes | df["unit"].isin(["%", "pp"])

    return pa.DataFrameSchema(
        columns,
        checks=[
            pa.Check(period_matches_type, name="period matches period_type"),
            pa.Check(bounds_hold, name="value_low <= value <= value_high"),
            pa.Check(unit_is_percent_for_changes, name="% unit for % measures"),
        ],
        strict=True,
        ordered=False,
    )


def _describe_row(frame: pd.DataFrame, index: object) -> str:
    if index not in frame.index:
        return f"row {index}"
    row = frame.loc[index]
    where = f"{row.get('report_id')}:{row.get('start')}" if pd.notna(row.get("start")) else \
        f"{row.get('report_id')}"
    return f"row {index} ({where} {row.get('indicator')} {row.get('period')} " \
           f"{row.get('measure')})"


def schema_problems(frame: pd.DataFrame, fields: tuple[Field, ...] = OBSERVATION_FIELDS,
                    limit: int = 5) -> list[str]:
    """One line per schema violation, naming (up to ``limit``) offending rows; empty if
    the frame conforms."""
    import pandera.pandas as pa

    try:
        pandera_schema(fields).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.copy()
        # a frame-wide check reports each failing row once per column: one line per check
        frame_wide = cases["schema_context"] == "DataFrameSchema"
        cases.loc[frame_wide, "column"] = None
        cases.loc[frame_wide, "failure_case"] = None
        lines = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False,
                                                     sort=True):
            indices = list(dict.fromkeys(
                i for i in group["index"].tolist() if i is not None and i == i))
            rows = ", ".join(_describe_row(frame, i) for i in indices[:limit])
            more = f" and {len(indices) - limit} more" if len(indices) > limit else ""
            examples = group["failure_case"].dropna().astype(str).unique()[:3]
            found = f" (found {', '.join(examples)})" if len(examples) else ""
            what = f"column {column!r}" if isinstance(column, str) else "rows"
            target = f": {rows}{more}" if rows else ""
            lines.append(f"{what} fail {check}{found}{target}" if what == "rows"
                         else f"{what} fails {check}{found}{target}")
        return lines
    return []
