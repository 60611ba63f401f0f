"""Helpers shared by the benchmarks: timing, child-process peak memory, fixtures."""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_MD = ROOT / "data" / "raw" / "langson-ubnd-2017-08.md"
BIN = Path(sys.executable).parent
BAOCAO = str(BIN / "baocao")


def median_seconds(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved_medians(
    fns: dict[str, Callable[[], object]], repeat: int = 9, warmup: int = 1
) -> dict[str, float]:
    """Median wall time of each function, timed in turn (a, b, a, b, ...) after
    ``warmup`` untimed rounds, so that a load that comes and goes weighs on all alike:
    their ratios are then steadier than from back-to-back series."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(values) for name, values in times.items()}


# A tiny parent that runs one command and reports its peak memory two ways:
# - ru_maxrss of its children: the largest single process among the command and the
#   descendants it waited for (the benchmark's own RUSAGE_CHILDREN would be the maximum
#   over *all* its children so far, so this runs in a fresh parent);
# - the largest sum of RSS over the whole process tree (command, forkserver, pool
#   workers), sampled every 100 ms with psutil: the memory the batch needs at once (an
#   upper bound: pages a forked worker shares with the forkserver count twice).
_RSS_WRAPPER = """
import json, resource, subprocess, sys, time
import psutil
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
top, tree_peak = psutil.Process(proc.pid), 0
while proc.poll() is None:
    try:
        members = [top, *top.children(recursive=True)]
        total = 0
        for p in members:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        tree_peak = max(tree_peak, total)
    except psutil.Error:
        pass
    time.sleep(0.1)
stderr = proc.stderr.read()
seconds = time.perf_counter() - t0
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"returncode": proc.returncode, "seconds": seconds, "peak_kib": peak_kib,
                  "tree_peak_bytes": tree_peak,
                  "stderr": stderr.decode("utf-8", "replace")[-2000:]}))
"""


def run_measured(cmd: Sequence[str], timeout: float = 600) -> dict:
    """Run ``cmd``; return its wall ``seconds``, ``peak_mib`` (largest single process),
    ``tree_peak_mib`` (largest simultaneous total of the process tree), ``returncode``
    and the ``stderr`` tail."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *cmd],
        capture_output=True, text=True, timeout=timeout, check=True,
    )
    result = json.loads(out.stdout)
    result["peak_mib"] = round(result.pop("peak_kib") / 1024, 1)
    result["tree_peak_mib"] = round(result.pop("tree_peak_bytes") / 2**20, 1)
    return result


def load_module(name: str, path: Path):
    """Import a module from a file that is not on ``sys.path`` (fixtures, siblings)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def render_seed_pdf(folder: Path) -> tuple[Path, str]:
    """The seed typeset as a PDF with its appendix table, by the test-fixture generator
    (``tests/fixtures/make_fixtures.py``); returns (path, how it was made)."""
    path = folder / "report.pdf"
    fixtures = ROOT / "tests" / "fixtures" / "make_fixtures.py"
    module = load_module("baocao_make_fixtures", fixtures)
    module.render_report_pdf(path)
    return path, "tests/fixtures/make_fixtures.py render_report_pdf"


def split_pdf(source: Path, pages, target: Path) -> Path:
    """A new PDF of some pages (0-based) of ``source``, copied as they are (pypdfium2)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    try:
        out.import_pages(src, list(pages))
        out.save(str(target))
    finally:
        out.close()
        src.close()
    return target


def machine_info() -> dict:
    """What the numbers were measured on."""
    import platform
    from importlib import metadata

    versions = {}
    for dist in ("baocao", "pandas", "numpy", "pypdfium2", "pdfplumber", "camelot-py",
                 "dask", "distributed", "jupyter-book", "sphinx", "reportlab"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    mem_mib = None
    try:
        import psutil

        mem_mib = round(psutil.virtual_memory().total / 2**20)
    except ImportError:
        pass
    return {
        "cpu_count": cpus,
        "cpu_model": _cpu_model(),
        "memory_mib": mem_mib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or None
