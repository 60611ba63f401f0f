"""``scaling`` and ``parallel``: the synthetic corpus at 10, 100 and 1,000 reports.

``scaling`` runs ``baocao extract ... -o out.jsonl`` in this process (the CLI's own code
path: read, extract, gather, write JSON Lines; warm, so interpreter start-up and imports
are not counted) at each size, and reports the time per report: a batch must cost the
same per report at 1,000 as at 10 (target: within 15 %). It then runs the command as a
fresh process on 1,000 reports, for the end-to-end rate and its peak memory (target:
under 1 GiB; the larger of the biggest single process and the biggest simultaneous total
of the process tree, see ``_util.run_measured``). It also scores the extraction against
the figures the generator wrote into the 100 reports (recall, and figures with a wrong
value).

``parallel`` runs the same 1,000-report command with ``--jobs 1`` and ``--jobs 2`` (the
process pool) as fresh processes (target: ``--jobs 2`` at least 1.7× faster).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _util import BAOCAO, median_seconds, run_measured
from synthetic import write_corpus

SIZES = (10, 100, 1000)
SEED = 2017


def _cli(paths: list[str], out: Path, jobs: int = 1) -> None:
    from baocao.cli import main

    code = main(["extract", *paths, "-o", str(out), "--jobs", str(jobs)])
    if code != 0:
        raise RuntimeError(f"baocao extract exited {code} on the synthetic corpus")


def score_against_truth(out: Path, folder: Path, paths: list[str]) -> dict:
    """How many generated figures the extractor found, and how many it got wrong."""
    truth = {}
    for path in paths:
        for line in Path(path).with_suffix(".truth.jsonl").read_text("utf-8").splitlines():
            t = json.loads(line)
            key = (Path(path).name, t["indicator"], t["period"], t["measure"], t["base"] or "")
            truth.setdefault(key, set()).add(round(float(t["value"]), 6))
    found, wrong = set(), 0
    for line in out.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row.get("value") is None:
            continue
        key = (Path(row["source"]).name, row.get("indicator"), row.get("period"),
               row.get("measure"), row.get("base") or "")
        if key in truth:
            if round(float(row["value"]), 6) in truth[key]:
                found.add(key)
            else:
                wrong += 1
    return {
        "synthetic_figures": len(truth),
        "synthetic_recall": round(len(found) / len(truth), 3) if truth else None,
        "synthetic_wrong_values": wrong,
    }


def run_scaling() -> dict:
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        paths = [str(p) for p in write_corpus(folder, max(SIZES), seed=SEED)]
        out = Path(tmp) / "out.jsonl"
        _cli(paths[:10], out)  # warm-up: imports, catalogue
        per_report = {}
        for n, repeat in zip(SIZES, (5, 1, 1), strict=True):
            seconds = median_seconds(lambda n=n: _cli(paths[:n], out), repeat=repeat, warmup=0)
            per_report[n] = seconds / n
            result[f"per_report_ms_{n}"] = round(per_report[n] * 1000, 2)
            result[f"rows_{n}"] = sum(1 for _ in out.open(encoding="utf-8"))
            if n == 100:
                result.update(score_against_truth(out, folder, paths[:100]))
        result["per_report_ratio_1000_vs_10"] = round(per_report[1000] / per_report[10], 3)

        run = run_measured([BAOCAO, "extract", *paths, "-o", str(out), "--jobs", "1"])
        if run["returncode"] != 0:
            raise RuntimeError(f"baocao extract failed: {run['stderr']}")
        result["cli_seconds_1000"] = round(run["seconds"], 2)
        result["reports_per_second"] = round(1000 / run["seconds"], 1)
        result["peak_mem_mib_1000"] = max(run["peak_mib"], run["tree_peak_mib"])
        result["largest_process_mib_1000"] = run["peak_mib"]
        result["output_mib_1000"] = round(out.stat().st_size / 2**20, 1)
    return result


# A pure-Python CPU loop (~1 s): run alone, then two copies at once. On an idle machine
# with two real cores the pair takes as long as one; on shared or hyper-threaded vCPUs,
# or with other work running, longer. The ratio is the speed-up any 2-process program
# could get here at that moment, to read ``jobs2_speedup`` against.
_SPIN = "import time; t = time.perf_counter(); sum(i * i for i in range(12_000_000)); " \
    "print(time.perf_counter() - t)"


def cpu_parallel_ceiling() -> float:
    """Throughput of two concurrent CPU-bound processes relative to one (ideal: 2.0)."""
    alone = float(subprocess.run([sys.executable, "-c", _SPIN], capture_output=True,
                                 text=True, check=True).stdout)
    pair = [subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    together = max(float(p.communicate()[0]) for p in pair)
    return round(2 * alone / together, 2)


def run_parallel(reuse_jobs1_seconds: float | None = None) -> dict:
    result: dict = {"cpu_parallel_ceiling_before": cpu_parallel_ceiling()}
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        paths = [str(p) for p in write_corpus(Path(tmp) / "corpus", 1000, seed=SEED)]
        out = Path(tmp) / "out.jsonl"
        seconds = {}
        for jobs in (1, 2):
            if jobs == 1 and reuse_jobs1_seconds is not None:
                seconds[1] = reuse_jobs1_seconds  # the scaling benchmark's identical run
                continue
            run = run_measured([BAOCAO, "extract", *paths, "-o", str(out), "--jobs", str(jobs)])
            if run["returncode"] != 0:
                raise RuntimeError(f"baocao extract --jobs {jobs} failed: {run['stderr']}")
            seconds[jobs] = run["seconds"]
            result[f"peak_mem_mib_jobs{jobs}"] = max(run["peak_mib"], run["tree_peak_mib"])
        result["jobs1_seconds"] = round(seconds[1], 2)
        result["jobs2_seconds"] = round(seconds[2], 2)
        result["jobs2_speedup"] = round(seconds[1] / seconds[2], 2)
    result["cpu_parallel_ceiling_after"] = cpu_parallel_ceiling()
    ceiling = (result["cpu_parallel_ceiling_before"] + result["cpu_parallel_ceiling_after"]) / 2
    result["jobs2_efficiency_vs_ceiling"] = round(result["jobs2_speedup"] / ceiling, 2)
    return result
