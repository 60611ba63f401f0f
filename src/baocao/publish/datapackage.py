"""``datapackage.json``: the dataset described as a Frictionless Data Package.

Table Schemas come from the one field registry (:mod:`baocao.publish.fields`); sources
list every report of the manifest (with URL and checksum) and the reference pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .. import __version__
from ..cells import escape_cell
from .fields import AUDIT_FIELDS, DICTIONARY_FIELDS, OBSERVATION_FIELDS, Field

if TYPE_CHECKING:
    from .build import Sidecar

DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
CODE_LICENCE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/license/mit"}


def table_schema(fields: Sequence[Field], primary_key: str | None = None) -> dict:
    """A Table Schema: every field's type, unit, description and constraints."""
    schema: dict = {"fields": [f.table_schema() for f in fields], "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = [primary_key]
    return schema


def _csv_resource(name: str, path: str, title: str, description: str, schema: dict) -> dict:
    return {
        "name": name, "path": path, "title": title, "description": description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "schema": schema,
    }


def _sources(sidecars: Sequence[Sidecar], reference: pd.DataFrame | None) -> list[dict]:
    out = []
    for s in sidecars:
        meta = s.meta
        entry = {
            "title": meta.get("title_vi") or meta["report_id"],
            "path": meta.get("url") or f"data/raw/{meta['file']}",
            "publisher": meta.get("publisher"),
            "report_id": meta["report_id"],
            "period": meta.get("period"),
            "file": meta["file"],
            "sha256": meta["sha256"],
            "date_accessed": meta.get("date_accessed"),
        }
        # sidecar text is data from outside: a title "=cmd|…" must not reach a spreadsheet
        out.append({k: escape_cell(v) for k, v in entry.items() if v is not None})
    if reference is not None and len(reference):
        pages = reference.drop_duplicates("url")
        for _, row in pages.iterrows():
            if row.get("url"):
                out.append({
                    "title": f"Reference page ({row['source_kind']}, {row['report_period']})",
                    "path": row["url"],
                    "report_id": "reference",
                })
    return out


def datapackage(
    observations: pd.DataFrame,
    sidecars: Sequence[Sidecar],
    reference: pd.DataFrame | None = None,
) -> dict:
    """The package descriptor for ``data/processed``."""
    n_reports = len(sidecars)
    return {
        "profile": "tabular-data-package",
        "name": "baocao-langson",
        "title": "Lạng Sơn socio-economic report figures (baocao)",
        "description": (
            "Every figure of the Lạng Sơn provincial socio-economic reports "
            f"({n_reports} report(s) in this build) as citable observations, with the "
            "figures read by hand from published report pages as a second, marked source "
            "(report_id `reference`), derived figures (derived=true, with method and "
            "inputs), printed-precision bounds, and an audit of each report's own "
            "arithmetic. Figures are facts from public government reports; this "
            "compilation is licensed CC-BY-4.0, the baocao code MIT."
        ),
        "version": __version__,
        "keywords": ["Vietnam", "Lạng Sơn", "socio-economic report", "time series"],
        "licenses": [DATA_LICENCE],
        "code_licenses": [CODE_LICENCE],
        "contributors": [{"title": "baocao contributors", "role": "author"}],
        "sources": _sources(sidecars, reference),
        "resources": [
            _csv_resource(
                "observations", "observations.csv", "Observations",
                f"{len(observations)} figures, one per row (also as observations.parquet).",
                table_schema(OBSERVATION_FIELDS, "obs_id"),
            ),
            _csv_resource(
                "audit", "audit.csv", "Audit of the reports' arithmetic",
                "One row per check: pass, warn or fail, with expected and found intervals.",
                table_schema(AUDIT_FIELDS),
            ),
            _csv_resource(
                "dictionary", "dictionary.csv", "Indicator dictionary",
                "Every indicator: names, unit, kind and number of observations.",
                table_schema(DICTIONARY_FIELDS, "id"),
            ),
        ],
    }
