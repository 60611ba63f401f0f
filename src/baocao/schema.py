"""The observation contract as code.

The contract is described for users in the book: chapter "Data and methods", section
"The observation contract" (``book/data_methods.md``), with every column, type and unit
on the "Data dictionary" page (``book/dictionary.md``; ``data/processed/dictionary.csv``).

Every stage reads and writes frames with these columns. The first block is the fixed
contract; the second holds baocao's additions (allowed by the contract: "add fields
freely; do not rename or reinterpret these").
"""

from __future__ import annotations

CONTRACT_FIELDS: tuple[str, ...] = (
    "report_id",
    "source",
    "page",
    "start",
    "end",
    "quote",
    "indicator",
    "label_vi",
    "period",
    "period_type",
    "measure",
    "base",
    "value",
    "unit",
    "value_as_printed",
    "qualifier",
    "status",
    "derived",
)

EXTRA_FIELDS: tuple[str, ...] = (
    "flags",  # ";"-separated reasons a figure is uncertain (empty when sure)
    "footnote",  # footnote number the figure was read from, else null
    "section",  # heading of the report section holding the figure
    "source_kind",  # "report" (extracted), "table" (PDF table), "official"/"press" (reference)
    "url",  # where the source can be read, when known
    "method",  # formula of a derived figure
    "inputs",  # ids of the observations a derived figure was computed from
    "value_low",  # lower bound implied by the printed precision
    "value_high",  # upper bound implied by the printed precision
    "obs_id",  # stable id of the row, unique in a dataset
    "note",  # how an ambiguity was resolved (e.g. by the report's own arithmetic)
)

FIELDS: tuple[str, ...] = CONTRACT_FIELDS + EXTRA_FIELDS

MEASURES = ("level", "yoy_pct", "plan_pct", "mom_pct", "base_pct", "yoy_diff")
PERIOD_TYPES = ("month", "ytd", "quarter", "half", "year", "range", "asof")
STATUSES = ("estimate", "actual")
QUALIFIERS = ("over", "about", "under")
