"""The build: every report of ``data/raw`` plus the reference figures, derived, audited,
validated and published to ``data/processed`` in one all-or-nothing step.

1. read the manifest: each ``data/raw/*.meta.json`` sidecar names a report file and its
   sha256, which must match (a mismatch fails the build);
2. extract every report (:func:`baocao.parallel.run_reports`), stamping rows with the
   sidecar's report_id, period, date and URL;
3. add the reference figures (``data/reference/published_figures.csv``) as a second,
   marked source (``report_id`` ``reference``, ``source_kind`` official/press);
4. add printed-precision bounds, ids and derived rows (:mod:`baocao.derive`);
5. audit (:mod:`baocao.audit`), validate with pandera (a violation fails the build);
6. write observations (CSV, Parquet), audit, dictionary and ``datapackage.json`` into a
   new version folder and switch to it in one step (:mod:`.versions`): a failed build
   leaves the previous outputs untouched, and a crash never mixes two builds. CSV cells
   a spreadsheet would run as formulas are escaped (:mod:`baocao.cells`).
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import json
import math
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..audit import audit
from ..cells import escape_formulas
from ..derive import (
    REFERENCE_ID,
    assign_obs_ids,
    indicator_kinds,
    load_identities,
    with_derived,
)
from ..paths import PathEscape, id_problem, inside
from ..period_math import period_end
from ..schema import MEASURES, PERIOD_TYPES
from .fields import OBSERVATION_FIELDS, column_names, schema_problems
from .versions import PublishError, Writer, publish

SIDECAR_SUFFIX = ".meta.json"
REQUIRED_SIDECAR_FIELDS = ("report_id", "file", "sha256", "period")
OUTPUT_FILES = (
    "observations.csv", "observations.parquet", "audit.csv", "dictionary.csv",
    "dictionary.md", "datapackage.json",
)
# Words of a hand-copied figure that say it is not exact (press pages, reference rows).
_QUALIFIER_WORDS = (
    ("about", re.compile(r"\b(khoảng|xấp xỉ|about|around|approximately|nearly|gần)\b", re.I)),
    ("over", re.compile(r"\b(trên|hơn|over|more than|above)\b", re.I)),
    ("under", re.compile(r"\b(dưới|under|less than|below)\b", re.I)),
)


class BuildError(Exception):
    """A build that cannot go on; ``str()`` is the one-line ``PATH: reason``."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class SchemaViolation(BuildError):
    """The assembled observations break the published schema; one line per problem."""

    def __init__(self, path: str, problems: list[str]):
        super().__init__(path, f"{len(problems)} schema violation(s)")
        self.problems = problems


@dataclass
class Sidecar:
    """A report of the manifest: its file and its provenance."""

    path: Path
    report: Path
    meta: dict

    @property
    def report_id(self) -> str:
        return str(self.meta["report_id"])


@dataclass
class BuildResult:
    """What a build produced (also printed as the command's summary)."""

    out_dir: Path
    observations: pd.DataFrame
    audit: pd.DataFrame
    reports: list[Sidecar] = field(default_factory=list)
    unresolved: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: counts of observations and audit results."""
        obs = self.observations
        derived = int(obs["derived"].sum())
        reference = int((obs["report_id"] == REFERENCE_ID).sum())
        printed = len(obs) - derived - int(
            ((obs["report_id"] == REFERENCE_ID) & ~obs["derived"]).sum())
        counts = self.audit["status"].value_counts()
        return (
            f"baocao build: {len(obs)} observations ({printed} printed in "
            f"{len(self.reports)} report(s), {reference} reference, {derived} derived; "
            f"{self.unresolved} unresolved figure(s) left out, listed in the audit); "
            f"audit {counts.get('pass', 0)} pass, {counts.get('warn', 0)} warn, "
            f"{counts.get('fail', 0)} fail; written to {self.out_dir} in {self.seconds:.1f} s"
        )


# --------------------------------------------------------------------------- manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sidecar(path: Path) -> Sidecar:
    """Parse and check one sidecar: required fields, safe names (a report id and a file
    that stay in the raw folder), the file it names, its size and sha256."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BuildError(str(path), f"unreadable sidecar ({err})") from None
    if not isinstance(meta, dict):
        raise BuildError(str(path), "sidecar is not a JSON object")
    missing = [f for f in REQUIRED_SIDECAR_FIELDS if not meta.get(f)]
    if missing:
        raise BuildError(str(path), f"sidecar lacks {', '.join(missing)}")
    problem = _field_problem(meta)
    if problem is not None:
        raise BuildError(str(path), problem)
    try:
        report = inside(path.parent, str(meta["file"]), "sidecar file")
    except PathEscape as err:
        raise BuildError(str(path), str(err)) from None
    if not report.is_file():
        raise BuildError(str(report), "report named by its sidecar is missing")
    actual = sha256_of(report)
    if actual != str(meta["sha256"]).lower():
        raise BuildError(
            str(report),
            f"sha256 mismatch: sidecar says {meta['sha256']}, file is {actual}",
        )
    if meta.get("size") is not None and int(meta["size"]) != report.stat().st_size:
        raise BuildError(str(report), f"size mismatch: sidecar says {meta['size']} bytes, "
                                      f"file has {report.stat().st_size}")
    return Sidecar(path, report, meta)


def _field_problem(meta: dict) -> str | None:
    """Why a sidecar's fields are unusable: the report id becomes part of ids and names,
    the period must be one, the size a number of bytes, the sha256 64 hex digits."""
    problem = id_problem(meta["report_id"])
    if problem is not None:
        return problem
    if not isinstance(meta["period"], str) or period_end(meta["period"]) is None:
        return f"sidecar period {meta['period']!r} is not a period (e.g. 2017-08, 2023-Q3)"
    if not re.fullmatch(r"[0-9a-fA-F]{64}", str(meta["sha256"])):
        return f"sidecar sha256 {meta['sha256']!r} is not 64 hex digits"
    size = meta.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        return f"sidecar size {size!r} is not a number of bytes"
    return None


def read_manifest(raw_dir: Path) -> list[Sidecar]:
    """Every report of ``raw_dir`` by its sidecar; of several versions of one report_id
    (``<stem>.v2026-11-26.pdf``) the most recently accessed is used."""
    if not raw_dir.is_dir():
        raise BuildError(str(raw_dir), "no such directory of raw reports")
    chosen: dict[str, Sidecar] = {}
    for path in sorted(raw_dir.glob(f"*{SIDECAR_SUFFIX}")):
        sidecar = read_sidecar(path)
        rank = (str(sidecar.meta.get("date_accessed") or ""), sidecar.report.name)
        held = chosen.get(sidecar.report_id)
        if held is None or rank > (str(held.meta.get("date_accessed") or ""),
                                   held.report.name):
            chosen[sidecar.report_id] = sidecar
    return sorted(chosen.values(), key=lambda s: s.report_id)


# --------------------------------------------------------------------------- extraction


def _run(paths: list[str], report_ids: list[str], jobs: int, executor: str,
         scheduler: str | None) -> list:
    from ..parallel import run_reports

    kwargs: dict = {"jobs": jobs, "executor": executor, "scheduler": scheduler}
    if "report_ids" in inspect.signature(run_reports).parameters:
        kwargs["report_ids"] = report_ids
    return run_reports(paths, **kwargs)


def _report_date(period: object) -> str | None:
    end = period_end(period) if isinstance(period, str) else None
    return end.isoformat() if end else None


def extract_reports(
    sidecars: Sequence[Sidecar], jobs: int = 1, executor: str = "process",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Observations of every report, stamped with its sidecar's provenance."""
    if not sidecars:
        return pd.DataFrame(columns=column_names(OBSERVATION_FIELDS))
    paths = [str(s.report) for s in sidecars]
    results = _run(paths, [s.report_id for s in sidecars], jobs, executor, scheduler)
    frames = []
    for sidecar, result in zip(sidecars, results, strict=True):
        if result.error is not None:
            raise BuildError(result.source, result.error)
        frame = result.frame
        if frame is None or not len(frame):
            continue
        frame = frame.copy()
        frame["report_id"] = sidecar.report_id
        frame["source"] = str(sidecar.report)
        frame["report_period"] = str(sidecar.meta["period"])
        frame["report_date"] = _report_date(sidecar.meta["period"])
        url = sidecar.meta.get("url")
        if "url" not in frame:
            frame["url"] = None
        frame["url"] = frame["url"].where(frame["url"].notna(), url)
        if "source_kind" not in frame:
            frame["source_kind"] = None
        frame["source_kind"] = frame["source_kind"].fillna("report")
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=column_names(OBSERVATION_FIELDS))
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- reference


def _qualifier_of(printed: str) -> str | None:
    for name, pattern in _QUALIFIER_WORDS:
        if pattern.search(printed or ""):
            return name
    return None


def reference_frame(path: Path, sources_path: Path | None = None) -> pd.DataFrame:
    """The hand-read figures of published pages as observations of report ``reference``.

    ``start``/``end`` are the character offsets of each row in the CSV (so every row has a
    stable id); the report date is the period of the page in ``sources.csv`` when listed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BuildError(str(path), f"unreadable reference figures ({err})") from None
    periods: dict[str, str] = {}
    if sources_path is not None and sources_path.is_file():
        with sources_path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("url") and row.get("period") and period_end(row["period"]):
                    periods[row["url"]] = row["period"]
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    reader = csv.DictReader(lines)
    expected = {"indicator", "period", "period_type", "measure", "base", "value", "unit",
                "value_as_printed", "status", "source_kind", "url"}
    if not expected <= set(reader.fieldnames or ()):
        missing = ", ".join(sorted(expected - set(reader.fieldnames or ())))
        raise BuildError(str(path), f"reference figures lack column(s) {missing}")
    rows = []
    for row in reader:
        start, end = offsets[reader.line_num - 1]
        try:
            value = float(row["value"])
        except ValueError:
            raise BuildError(str(path), f"line {reader.line_num}: value {row['value']!r} "
                                        "is not a number") from None
        report_period = periods.get(row["url"]) or row["period"]
        rows.append({
            "report_id": REFERENCE_ID, "source": str(path), "page": None,
            "start": start, "end": end, "quote": None, "indicator": row["indicator"],
            "label_vi": None, "period": row["period"], "period_type": row["period_type"],
            "measure": row["measure"], "base": row["base"] or None, "value": value,
            "unit": row["unit"], "value_as_printed": row["value_as_printed"] or None,
            "qualifier": _qualifier_of(row["value_as_printed"]), "status": row["status"],
            "derived": False, "source_kind": row["source_kind"], "url": row["url"] or None,
            "report_period": report_period, "report_date": _report_date(report_period),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- assembly


def _none_if_blank(x: object) -> object:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return None
    if isinstance(x, str) and not x.strip():
        return None
    return x


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Published columns in order, with their dtypes (blank text is null)."""
    out = frame.copy()
    for f in OBSERVATION_FIELDS:
        if f.name not in out:
            out[f.name] = None
    for f in OBSERVATION_FIELDS:
        col = out[f.name]
        if f.type == "integer":
            out[f.name] = pd.to_numeric(col, errors="coerce").round().astype("Int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif f.type == "boolean":
            out[f.name] = col.map(lambda x: bool(x) if _none_if_blank(x) is not None
                                  else False).astype(bool)
        else:
            texts = [_none_if_blank(x) for x in col.tolist()]
            out[f.name] = pd.Series([x if x is None else str(x) for x in texts],
                                    index=out.index, dtype=object)
    return out[column_names(OBSERVATION_FIELDS)].reset_index(drop=True)


def split_unresolved(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(publishable, unresolved)``: a figure the extractor could not attach to an
    indicator, a period or a contract measure is not an observation; it is kept aside and
    reported by the audit (check ``unresolved``) instead of being dropped silently."""
    if not len(frame):
        return frame, frame
    complete = (
        frame["indicator"].notna() & frame["period"].notna()
        & frame["period_type"].isin(PERIOD_TYPES) & frame["measure"].isin(MEASURES)
        & frame["unit"].notna() & pd.to_numeric(frame["value"], errors="coerce").notna()
    )
    return frame[complete].reset_index(drop=True), frame[~complete].reset_index(drop=True)


def assemble(
    extracted: pd.DataFrame, reference: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(observations, unresolved)``: printed rows of every source with bounds, ids and
    their derived rows; and the extracted figures that are not observations (reference
    rows are never set aside: a bad one fails the schema check)."""
    publishable, unresolved = split_unresolved(normalise(extracted))
    # reference rows are hand-checked data: a bad one is a schema violation, not set aside
    parts = [f for f in (publishable, reference) if f is not None and len(f)]
    printed = normalise(pd.concat(parts, ignore_index=True) if parts else publishable)
    full = with_derived(printed, load_identities(), indicator_kinds())
    return normalise(full), assign_obs_ids(unresolved)


# --------------------------------------------------------------------------- writing


def write_outputs(out_dir: Path, writers: dict[str, Writer]) -> None:
    """Publish every output as one unit (:mod:`baocao.publish.versions`): written into a
    new version folder, then switched to at once; if any writer fails nothing readers
    see in ``out_dir`` changes."""
    try:
        publish(out_dir, writers)
    except PublishError as err:
        raise BuildError(str(out_dir), str(err)) from None


def build(
    raw_dir: str | os.PathLike[str] = "data/raw",
    reference: str | os.PathLike[str] | None = "data/reference/published_figures.csv",
    out_dir: str | os.PathLike[str] = "data/processed",
    jobs: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
) -> BuildResult:
    """Run the whole build; raises :class:`BuildError` (outputs untouched) on failure."""
    from .datapackage import datapackage
    from .dictionary import dictionary_frame, dictionary_markdown

    t0 = time.perf_counter()
    raw, out = Path(raw_dir), Path(out_dir)
    sidecars = read_manifest(raw)
    extracted = extract_reports(sidecars, jobs=jobs, executor=executor, scheduler=scheduler)
    ref_frame = None
    if reference is not None:
        ref_path = Path(reference)
        if not ref_path.is_file():
            raise BuildError(str(ref_path), "no such reference figures file")
        ref_frame = reference_frame(ref_path, ref_path.parent / "sources.csv")
    observations, unresolved = assemble(extracted, ref_frame)
    problems = schema_problems(observations)
    if problems:
        raise SchemaViolation(str(out / "observations.csv"), problems)
    checks = audit(observations, load_identities(), indicator_kinds(), unresolved=unresolved)
    dictionary = dictionary_frame(observations)
    package = datapackage(observations, sidecars, ref_frame)

    def csv_writer(frame: pd.DataFrame):
        return lambda path: escape_formulas(frame).to_csv(path, index=False, encoding="utf-8",
                                                          lineterminator="\n")

    writers = {
        "observations.csv": csv_writer(observations),
        "observations.parquet": lambda path: observations.to_parquet(path, index=False),
        "audit.csv": csv_writer(checks),
        "dictionary.csv": csv_writer(dictionary),
        "dictionary.md": lambda path: path.write_text(
            dictionary_markdown(dictionary, checks), encoding="utf-8"),
        "datapackage.json": lambda path: path.write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"),
    }
    write_outputs(out, writers)
    return BuildResult(out, observations, checks, list(sidecars), len(unresolved),
                       time.perf_counter() - t0)
