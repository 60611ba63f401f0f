"""Hostile inputs through ``baocao extract``: wall time, peak memory, exit code, stderr.

The inputs are those of the hostile-input tests (``tests/hostile.py``) at full size: a
flate bomb (1 GiB inflated from a 1 MB PDF), a ruled table on a 14,400 pt page, 300 ruled
pages, 650,000 one-figure lines, a 9.5-million-character line, HTML nested 5,000 deep;
and the largest inputs the default limits let through (250 MiB of streams, a table page
of 2 million square points), whose cost is the most a report may take.
Each run is watched: it is killed past ``KILL_MIB`` of process-tree memory or
``KILL_SECONDS`` (recorded as such), so that measuring the old behaviour cannot take the
machine down. The targets: every run under 60 s and 1 GiB, exit 0 or 2, one stderr line,
no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _util import BAOCAO, ROOT, load_module

KILL_MIB = 3072
KILL_SECONDS = 120.0

# Watches one command: peak RSS summed over its process tree (sampled every 50 ms), wall
# time, and kills the tree past the limits.
_WATCH = """
import json, subprocess, sys, time
import psutil
limit_bytes, limit_s = int(sys.argv[1]) * 2**20, float(sys.argv[2])
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
top, peak, killed = psutil.Process(proc.pid), 0, None
while proc.poll() is None:
    try:
        total = sum(p.memory_info().rss for p in [top, *top.children(recursive=True)])
    except psutil.Error:
        total = 0
    peak = max(peak, total)
    elapsed = time.perf_counter() - t0
    if killed is None and (total > limit_bytes or elapsed > limit_s):
        killed = "memory" if total > limit_bytes else "time"
        for p in [*top.children(recursive=True), top]:
            try:
                p.kill()
            except psutil.Error:
                pass
    time.sleep(0.05)
stderr = proc.stderr.read().decode("utf-8", "replace")
print(json.dumps({"seconds": round(time.perf_counter() - t0, 1), "returncode": proc.returncode,
                  "peak_mib": round(peak / 2**20), "killed": killed,
                  "stderr_lines": len(stderr.splitlines()),
                  "traceback": "Traceback" in stderr, "stderr": stderr[-300:]}))
"""


def _inputs(folder: Path) -> dict[str, Path]:
    hostile = load_module("baocao_hostile_inputs", ROOT / "tests" / "hostile.py")
    return {
        "flate_bomb_1gib": hostile.flate_bomb(folder / "bomb.pdf", 1024),
        "flate_250mib_under_limit": hostile.flate_bomb(folder / "allowed.pdf", 250),
        "giant_page_table": hostile.giant_page_table(folder / "giant.pdf"),
        "table_page_at_area_limit": hostile.giant_page_table(folder / "a2.pdf", side=1414),
        "ruled_pages_300": hostile.ruled_pages(folder / "ruled.pdf", 300),
        "figure_lines_650k": hostile.many_figure_lines(folder / "lines.txt"),
        "long_line_9_5m": hostile.one_long_line(folder / "line.txt"),
        "nested_html_5000": hostile.nested_html(folder / "nested.html"),
    }


def measure(cmd: list[str]) -> dict:
    """One watched run of ``cmd`` (see ``_WATCH``)."""
    out = subprocess.run([sys.executable, "-c", _WATCH, str(KILL_MIB), str(KILL_SECONDS), *cmd],
                         capture_output=True, text=True, check=True,
                         timeout=KILL_SECONDS + 60)
    return json.loads(out.stdout)


def run() -> dict:
    """Every hostile input once; the worst time and memory are the summary."""
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, path in _inputs(folder).items():
            output = folder / f"{name}.jsonl"
            result = measure([BAOCAO, "extract", str(path), "-o", str(output)])
            result["output_mib"] = round(output.stat().st_size / 2**20, 1) if output.exists() \
                else 0
            results[name] = result
            print(f"[hostile] {name}: {json.dumps(result, ensure_ascii=False)}",
                  file=sys.stderr, flush=True)
    return {
        "worst_seconds": max(r["seconds"] for r in results.values()),
        "worst_peak_mib": max(r["peak_mib"] for r in results.values()),
        "all_exit_0_or_2": all(r["returncode"] in (0, 2) for r in results.values()),
        "any_traceback": any(r["traceback"] for r in results.values()),
        "runs": {k: {f: v[f] for f in ("seconds", "peak_mib", "returncode", "killed",
                                         "output_mib")} for k, v in results.items()},
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
