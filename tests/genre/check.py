#!/usr/bin/env python3
"""Consistency check for the genre test set (stdlib only).

usage: python3 tests/genre/check.py [DIR]

DIR defaults to the folder holding this script. It must contain `labels.jsonl` and the
documents the labels name. The check fails (exit 1, one line per problem) when:

* a label lacks one of the keys `doc, indicator, period, period_type, measure, base,
  value, unit, printed`, or has any other key;
* a label names a document that does not exist, or a document has no label;
* `printed` is not an exact substring of its document;
* no number inside `printed` gives `value` (the printed number itself, its negative for
  a decrease, ×1000 / ×1 000 000 for "nghìn", "tỷ USD", "triệu lượt" and the like,
  X − 100 for a "bằng X% so với cùng kỳ" ratio, 100 + X for "vượt X% kế hoạch");
* the sign of a change disagrees with the words in `printed` (a negative value needs
  "giảm", "thấp hơn" or a minus sign; a positive change must not say "giảm" or "thấp hơn");
* two labels share (doc, indicator, period, measure, base);
* the indicator is not one of the 36 flagship ids, the period does not match its
  period_type, the base does not fit the measure, a percentage measure has a unit other
  than "%" (a yoy_diff keeps the level's unit), or `value` is not a JSON float;
* a document is not NFC-normalised or falls outside 1.500–3.500 characters.

Prints "ok: N labels in M documents" when everything holds.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

KEYS = {"doc", "indicator", "period", "period_type", "measure", "base", "value", "unit", "printed"}

FLAGSHIP = {
    "budget.revenue.total", "budget.revenue.domestic", "budget.revenue.customs",
    "budget.expenditure.total", "budget.expenditure.development",
    "budget.expenditure.recurrent", "trade.total", "trade.export", "trade.import",
    "retail.sales", "cpi", "industry.production_index", "tourism.visitors",
    "tourism.revenue", "investment.realised", "investment.disbursed",
    "enterprises.new.count", "enterprises.new.capital", "investment.approved.count",
    "investment.approved.capital", "fdi.projects.count", "fdi.capital",
    "oda.projects.count", "oda.capital", "credit.deposits", "credit.loans",
    "grdp.growth", "agriculture.food_output", "forestry.planted_area",
    "livestock.buffalo", "livestock.cattle", "livestock.pigs", "livestock.poultry",
    "traffic.accidents", "traffic.deaths", "traffic.injuries",
}

MEASURES = {"level", "yoy_pct", "plan_pct", "mom_pct", "base_pct", "yoy_diff"}

PERIOD_PATTERNS = {
    "month": r"\d{4}-(0[1-9]|1[0-2])",
    "ytd": r"(\d{4})-01/\1-(0[1-9]|1[0-2])",
    "quarter": r"\d{4}-Q[1-4]",
    "half": r"\d{4}-H[12]",
    "year": r"\d{4}",
    "asof": r"\d{4}-\d{2}-\d{2}",
    "range": r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}",
}

# Vietnamese number: "1.234.567", "5.605,1", "2,533", "04", "0,06"
NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})+(?:,\d+)?|(?<![\d,.])\d+(?:,\d+)?")
DECREASE_WORDS = ("giảm", "thấp hơn", "-")
SCALES = (1.0, 1e3, 1e6)


def parse_vietnamese_number(text: str) -> float:
    """Read a number written with "." for thousands and "," for decimals."""
    return float(text.replace(".", "").replace(",", "."))


def close(a: float, b: float) -> bool:
    """Equal up to rounding noise (the scorer's own tolerance is 0.05 %)."""
    return abs(a - b) <= max(1e-9, 5e-4 * abs(b))


def value_is_printed(label: dict) -> bool:
    """True when some number inside `printed` yields the label's value."""
    printed, value = label["printed"], float(label["value"])
    for match in NUMBER.finditer(printed):
        number = parse_vietnamese_number(match.group())
        candidates = [number * scale for scale in SCALES]
        candidates += [-c for c in candidates]
        if "bằng" in printed:
            candidates.append(number - 100.0)
        if "vượt" in printed:
            candidates.append(number + 100.0)
        if any(close(c, value) for c in candidates):
            return True
    return False


def sign_problem(label: dict) -> str | None:
    """Say what is wrong when the sign of a change contradicts the printed words."""
    if label["measure"] == "level" or "bằng" in label["printed"]:
        return None
    says_decrease = any(word in label["printed"] for word in DECREASE_WORDS)
    value = float(label["value"])
    if value < 0 and not says_decrease:
        return "negative value but printed text names no decrease"
    if value > 0 and says_decrease:
        return "positive value but printed text names a decrease"
    return None


def shape_problems(label: dict) -> list[str]:
    """Check keys, ids, period syntax, base and unit of one label."""
    problems = []
    if set(label) != KEYS:
        problems.append(f"keys {sorted(set(label) ^ KEYS)} differ from the contract")
        return problems
    if label["indicator"] not in FLAGSHIP:
        problems.append(f"indicator {label['indicator']!r} is not a flagship id")
    if label["measure"] not in MEASURES:
        problems.append(f"measure {label['measure']!r} unknown")
    pattern = PERIOD_PATTERNS.get(label["period_type"])
    if pattern is None or not re.fullmatch(pattern, label["period"]):
        problems.append(f"period {label['period']!r} does not fit {label['period_type']!r}")
    base, measure = label["base"], label["measure"]
    if measure == "base_pct" and not base:
        problems.append("base_pct without a base")
    if measure == "plan_pct" and base not in ("", "central", "provincial"):
        problems.append(f"plan_pct base {base!r} not central/provincial")
    if measure not in ("base_pct", "plan_pct") and base:
        problems.append(f"base {base!r} on measure {measure}")
    if measure not in ("level", "yoy_diff") and label["unit"] != "%":
        problems.append(f"measure {measure} with unit {label['unit']!r}")
    if not isinstance(label["value"], float):
        problems.append("value is not a JSON float")
    return problems


def check_documents(folder: Path, docs: set[str]) -> list[str]:
    """Each labelled document must exist, be NFC and have the agreed length."""
    problems = []
    for doc in sorted(docs):
        path = folder / doc
        if not path.is_file():
            problems.append(f"{doc}: document missing")
            continue
        text = path.read_text(encoding="utf-8")
        if unicodedata.normalize("NFC", text) != text:
            problems.append(f"{doc}: text is not NFC")
        if not 1500 <= len(text) <= 3500:
            problems.append(f"{doc}: {len(text)} characters, outside 1500-3500")
    for path in sorted(folder.glob("doc*.md")):
        if path.name not in docs:
            problems.append(f"{path.name}: document has no label")
    return problems


def check(folder: Path) -> list[str]:
    """Run every check and return the problems found, one line each."""
    lines = (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    labels = [json.loads(line) for line in lines if line.strip()]
    problems = check_documents(folder, {label.get("doc", "") for label in labels})
    seen: dict[tuple, int] = {}
    texts: dict[str, str] = {}
    for number, label in enumerate(labels, start=1):
        fields = (label.get(k) for k in ("doc", "indicator", "period", "measure"))
        where = f"line {number} ({' '.join(map(str, fields))})"
        problems += [f"{where}: {p}" for p in shape_problems(label)]
        if set(label) != KEYS:
            continue
        key = (label["doc"], label["indicator"], label["period"], label["measure"], label["base"])
        if key in seen:
            problems.append(f"{where}: duplicate of line {seen[key]}")
        seen.setdefault(key, number)
        path = folder / label["doc"]
        if path.is_file():
            text = texts.setdefault(label["doc"], path.read_text(encoding="utf-8"))
            if label["printed"] not in text:
                problems.append(f"{where}: printed {label['printed']!r} not in the document")
        if not value_is_printed(label):
            problems.append(f"{where}: value {label['value']} not found in {label['printed']!r}")
        sign = sign_problem(label)
        if sign:
            problems.append(f"{where}: {sign}")
    if not problems:
        print(f"ok: {len(labels)} labels in {len(texts)} documents")
    return problems


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    problems = check(folder)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
