"""Where every plotted figure came from: source lines, provenance tables, chart citations.

Functions take rows of the observations frame (``baocao.load()``), never a bare list of
numbers, so a chart cannot be drawn without its provenance. A report figure is cited by
its publisher, title, report id and the page (or section and footnote) it was read from;
a published reference figure by the page's URL.
"""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from ...paths import repo_root
from .formats import MEASURE_LABELS, is_missing, period_label

REPORT_KINDS = ("report", "table")


@lru_cache(maxsize=4)
def _sources(root: str) -> pd.DataFrame:
    """Report and reference-source metadata, one row per report_id or URL."""
    rows = []
    for meta_path in sorted(Path(root, "data", "raw").glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        rows.append(
            {
                "key": meta.get("report_id", meta_path.name.removesuffix(".meta.json")),
                "publisher": meta.get("publisher_en") or meta.get("publisher"),
                "title": meta.get("title_vi"),
                "title_en": meta.get("title_en"),
                "url": meta.get("url"),
            }
        )
    ref = Path(root, "data", "reference", "sources.csv")
    if ref.is_file():
        for rec in pd.read_csv(ref).to_dict("records"):
            rows.append(
                {
                    "key": rec["url"],
                    "publisher": rec.get("publisher"),
                    "title": rec.get("title_vi"),
                    "title_en": None,
                    "url": rec["url"],
                }
            )
    return pd.DataFrame(rows, columns=["key", "publisher", "title", "title_en", "url"])


def sources() -> pd.DataFrame:
    """Metadata of every report (``data/raw/*.meta.json``) and reference source URL."""
    return _sources(str(repo_root()))


def source_of(row: pd.Series) -> dict:
    """Publisher, title and URL of the report or page a row was read from."""
    table = sources().drop_duplicates("key").set_index("key")
    for key in (row.get("report_id"), row.get("url"), row.get("source")):
        if isinstance(key, str) and key in table.index:
            return table.loc[key].to_dict()
    return {"publisher": None, "title": None, "title_en": None, "url": row.get("url")}


def is_report_row(row: pd.Series) -> bool:
    """Whether a row was read from a shipped report (not a published reference page)."""
    kind = row.get("source_kind")
    return is_missing(kind) or kind in REPORT_KINDS


def where(row: pd.Series) -> str:
    """Where in its source a figure was read: page, else section, and footnote."""
    parts = []
    if not is_missing(row.get("page")):
        parts.append(f"p. {int(row['page'])}")
    section = row.get("section")
    if isinstance(section, str) and section.strip() and not parts:
        parts.append(f"section “{section.strip()}”")
    footnote = row.get("footnote")
    if not is_missing(footnote) and str(footnote).strip():
        parts.append(f"footnote {int(float(footnote))}")
    return ", ".join(parts)


def _numbers(values: pd.Series) -> list[int]:
    out = set()
    for v in values.dropna():
        try:
            out.add(int(float(v)))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def where_summary(rows: pd.DataFrame) -> str:
    """Pages, else sections, then footnotes of a report's rows, each listed once:
    ``section “đ) Thu, chi ngân sách”; footnotes 12, 13``."""
    parts = []
    pages = _numbers(rows["page"]) if "page" in rows else []
    if pages:
        parts.append(("p. " if len(pages) == 1 else "pp. ") + ", ".join(map(str, pages)))
    elif "section" in rows:
        sections = [x.strip() for x in dict.fromkeys(rows["section"].dropna()) if str(x).strip()]
        parts.extend(f"section “{x}”" for x in sections)
    notes = _numbers(rows["footnote"]) if "footnote" in rows else []
    if notes:
        parts.append(
            ("footnote " if len(notes) == 1 else "footnotes ") + ", ".join(map(str, notes))
        )
    return "; ".join(parts)


def site_of(url: str) -> str:
    """The web site of a URL, without ``www.``: ``news.laodong.vn``."""
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def _report_pieces(rows: pd.DataFrame) -> list[str]:
    pieces = []
    for report_id, group in rows.groupby("report_id", sort=False, dropna=False):
        meta = source_of(group.iloc[0])
        title = meta.get("title") or str(report_id)
        text = f"{meta.get('publisher') or 'Report'}, “{title}” ({report_id})"
        located = where_summary(group)
        pieces.append(text + ("; " + located if located else ""))
    return pieces


def _reference_pieces(rows: pd.DataFrame) -> list[str]:
    urls = [u for u in dict.fromkeys(rows.get("url", pd.Series(dtype=str))) if isinstance(u, str)]
    if len(urls) <= 3:
        return urls
    sites = pd.Series([site_of(u) for u in urls]).value_counts(sort=False)
    listed = ", ".join(f"{site} ({n})" if n > 1 else site for site, n in sites.items())
    return [
        f"{len(urls)} published pages, read by hand: {listed}; each point's URL is in the "
        "chart's CSV and in the table of plotted figures"
    ]


def source_line(rows: pd.DataFrame, max_chars: int | None = 100) -> str:
    """The 'Source:' line drawn under a chart, naming each report and where in it.

    Report figures name the publisher, the report title and id, and the page (or section
    and footnote); published reference figures name their URLs, or, past three, the sites
    they are on (the CSV and the table under the chart give each URL). Wrapped at
    ``max_chars`` for drawing (never inside a word or a URL's hyphen); one line when None.
    """
    if rows.empty:
        raise ValueError("a chart needs at least one observation to cite")
    is_report = rows.apply(is_report_row, axis=1)
    pieces = _report_pieces(rows[is_report]) + _reference_pieces(rows[~is_report])
    derived = rows.get("derived", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    line = "Source: " + " | ".join(pieces)
    if derived.any():
        line += ". Derived figures computed by baocao from the printed ones."
    if max_chars is None:
        return line
    return "\n".join(textwrap.wrap(line, max_chars, subsequent_indent="  ",
                                   break_on_hyphens=False))


def describe(row: pd.Series) -> str:
    """A short English name for an observation: indicator, measure and base."""
    name = str(row["indicator"])
    measure = row.get("measure", "level")
    if isinstance(measure, str) and measure != "level":
        name += f", {MEASURE_LABELS.get(measure, measure)}"
        base = row.get("base")
        if isinstance(base, str) and base:
            name += f" ({base})"
    if not is_missing(row.get("derived")) and bool(row.get("derived")):
        name += " [derived]"
    return name


PROVENANCE_COLUMNS = (
    "obs_id",
    "figure",
    "indicator",
    "measure",
    "period",
    "period_label",
    "value",
    "unit",
    "value_low",
    "value_high",
    "as_printed",
    "status",
    "derived",
    "quote",
    "report_id",
    "source",
    "where",
    "url",
)


def _provenance_record(row: pd.Series) -> dict:
    meta = source_of(row)
    derived = not is_missing(row.get("derived")) and bool(row.get("derived"))
    quote = row.get("quote")
    if derived:
        quote = f"computed: {row.get('method')} from {row.get('inputs')}"
    title = meta.get("title") or row.get("report_id")
    url = row.get("url") if isinstance(row.get("url"), str) else meta.get("url")
    return {
        "obs_id": row.get("obs_id"),
        "figure": describe(row),
        "indicator": row.get("indicator"),
        "measure": row.get("measure"),
        "period": row["period"],
        "period_label": period_label(row["period"]),
        "value": float(row["value"]),
        "unit": row["unit"],
        "value_low": row.get("value_low"),
        "value_high": row.get("value_high"),
        "as_printed": None if derived else row.get("value_as_printed"),
        "status": row.get("status"),
        "derived": derived,
        "quote": quote if isinstance(quote, str) else None,
        "report_id": row.get("report_id"),
        "source": f"{meta.get('publisher') or ''}, {title}".strip(", "),
        "where": where(row),
        "url": url if isinstance(url, str) else None,
    }


def provenance_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The figures a chart plots, one per row, with where each was read: the chart's CSV.

    ``obs_id`` finds the row in the dataset; ``quote`` is the source sentence (the formula
    for a derived figure); ``source``, ``where`` and ``url`` locate the report or page.
    """
    records = [_provenance_record(row) for _, row in rows.iterrows()]
    return pd.DataFrame.from_records(records, columns=list(PROVENANCE_COLUMNS))


def cited_observations(obs: pd.DataFrame, obs_ids: pd.Series) -> pd.DataFrame:
    """The observations named in a column of ``;``-separated obs ids (audit checks)."""
    wanted = {i for ids in obs_ids.dropna() for i in str(ids).split(";") if i}
    return obs[obs["obs_id"].isin(wanted)]
