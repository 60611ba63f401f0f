"""Run every benchmark once and write ``benchmarks/results/latest.json`` and ``latest.md``.

``make bench`` runs this. Each benchmark measures ratios within one run (so a slower or
faster machine shifts both sides alike) and the results record the machine they came
from. ``latest.md`` is a markdown table for the book's status page. A benchmark that
cannot run yet (no book, no PDF reader) records null with its reason; one that crashes
records the error, the others still run, and the exit code is then 1.

    python benchmarks/run.py                 # everything, writes results/latest.*
    python benchmarks/run.py --only tables   # one benchmark, printed, nothing written
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_book  # noqa: E402
import bench_hostile  # noqa: E402
import bench_pdf  # noqa: E402
import bench_scaling  # noqa: E402
import bench_tables  # noqa: E402
from _util import machine_info  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

# (summary key, benchmark, comparison, target, what the target means)
TARGETS = (
    ("prose_extract_vs_pdfium_ratio", "pdf", "<=", bench_pdf.TARGET_PROSE_RATIO,
     "extracting every figure of the seed's prose pages (PDF) vs pypdfium2 dumping their text"),
    ("table_page_vs_camelot_ratio", "pdf", "<=", bench_pdf.TARGET_TABLE_PAGE_RATIO,
     "extracting the seed's appendix table page (PDF) vs camelot's lattice parser alone on it"),
    ("per_report_ratio_1000_vs_10", "scaling", "<=", 1.15,
     "time per report in a 1,000-report batch vs a 10-report batch"),
    ("jobs2_speedup", "parallel", ">=", 1.7,
     "1,000 reports: `--jobs 1` time / `--jobs 2` time"),
    ("book_warm_vs_cold", "book", "<=", 0.25,
     "warm `jupyter-book build` (nothing changed) vs cold"),
    ("peak_mem_mib_1000", "scaling", "<", 1024,
     "peak memory (MiB) of `baocao extract` on 1,000 reports"),
    ("reports_per_second", "scaling", None, None,
     "end-to-end `baocao extract` rate on 1,000 reports, one process"),
    ("worst_seconds", "hostile", "<", 60,
     "slowest hostile input through `baocao extract` (seconds; bench_hostile.py)"),
    ("worst_peak_mib", "hostile", "<", 1024,
     "largest peak memory (MiB) of a hostile input through `baocao extract`"),
)


def _benchmarks(results: dict) -> dict:
    def parallel():
        scaling = results.get("scaling", {})
        return bench_scaling.run_parallel(scaling.get("cli_seconds_1000"))

    return {
        "pdf": bench_pdf.run,
        "tables": bench_tables.run,
        "scaling": bench_scaling.run_scaling,
        "parallel": parallel,
        "book": bench_book.run,
        "hostile": bench_hostile.run,
    }


def run_all(only: list[str] | None = None) -> tuple[dict, bool]:
    results: dict = {}
    crashed = False
    names = list(_benchmarks(results))
    for name in only or names:
        if name not in names:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(names)}")
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            result = _benchmarks(results)[name]()
        except Exception as err:  # noqa: BLE001 - record it, run the others
            crashed = True
            traceback.print_exc()
            result = {"error": f"{type(err).__name__}: {err}"}
        result["benchmark_seconds"] = round(time.perf_counter() - t0, 1)
        results[name] = result
        print(f"[bench] {name}: {json.dumps(result, ensure_ascii=False)}", file=sys.stderr)
    return results, crashed


def _holds(value, op, target) -> bool | None:
    if value is None or op is None:
        return None
    return {"<=": value <= target, ">=": value >= target, "<": value < target}[op]


def summarise(results: dict, seconds: float) -> dict:
    doc: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "total_seconds": round(seconds, 1),
    }
    targets = []
    for key, bench, op, target, meaning in TARGETS:
        result = results.get(bench, {})
        value = result.get(key)
        doc[key] = value
        targets.append({
            "key": key, "benchmark": bench, "value": value,
            "target": None if op is None else f"{op} {target:g}",
            "holds": _holds(value, op, target), "meaning": meaning,
            "reason": None if value is not None else result.get("reason") or result.get("error"),
        })
    doc["targets"] = targets
    doc["benchmarks"] = results
    return doc


def to_markdown(doc: dict) -> str:
    m = doc["machine"]
    v = m["versions"]
    lines = [
        f"Measured {doc['date'][:10]} on {m['cpu_count']} CPUs ({m['cpu_model'] or 'unknown'}), "
        f"Python {m['python']}, pandas {v.get('pandas')}, pypdfium2 {v.get('pypdfium2')}, "
        f"camelot {v.get('camelot-py')}, dask {v.get('dask')}, "
        f"jupyter-book {v.get('jupyter-book')}; all benchmarks took "
        f"{doc['total_seconds']:.0f} s (`make bench`).",
        "",
        "| Measure | Value | Target | Holds |",
        "|---|---:|---:|:---:|",
    ]
    for t in doc["targets"]:
        value = "n/a" if t["value"] is None else f"{t['value']:g}"
        holds = {True: "yes", False: "**no**", None: "–"}[t["holds"]]
        if t["value"] is None and t["reason"]:
            value = f"n/a ({t['reason']})".replace("|", "/")
        lines.append(f"| {t['meaning']} | {value} | {t['target'] or '–'} | {holds} |")
    details = doc["benchmarks"]
    lines += ["", "| Benchmark | Detail | Value |", "|---|---|---:|"]
    for bench, result in details.items():
        for key, value in result.items():
            if key in {t["key"] for t in doc["targets"]} or key == "reason":
                continue
            lines.append(f"| {bench} | {key} | {str(value).replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    results, crashed = run_all(args.only)
    doc = summarise(results, time.perf_counter() - t0)
    if args.only:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _write_atomic(RESULTS / "latest.json", json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        _write_atomic(RESULTS / "latest.md", to_markdown(doc))
        print(to_markdown(doc))
        print(f"written {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
