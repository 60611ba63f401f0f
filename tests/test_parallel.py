"""Batches give the same results, in input order, serially, in a process pool and on Dask.

The batch mixes the seed report, synthetic reports (``benchmarks/synthetic.py``) and bad
inputs; bad inputs must come back as one-line reasons at their own place in the batch.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from baocao import parallel
from baocao.api import ExtractResult, extract_safely
from baocao.parallel import chunk_size, run_reports

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "langson-ubnd-2017-08.md"


def _load_synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


synthetic = _load_synthetic()


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[str]:
    """Seed, four synthetic reports and four bad inputs, interleaved."""
    folder = tmp_path_factory.mktemp("batch")
    reports = [str(p) for p in synthetic.write_corpus(folder / "synthetic", 4, seed=11)]
    empty = folder / "empty.md"
    empty.write_bytes(b"")
    undecodable = folder / "latin1.txt"
    undecodable.write_bytes(b"\x81\x8d\x90\x9d T\xe0i ch\xednh \xc3\x28 \xff\xfe\xfd" * 50)
    return [
        str(SEED),
        reports[0],
        str(folder / "missing.md"),
        reports[1],
        str(folder),  # a directory
        reports[2],
        str(empty),
        str(undecodable),
        reports[3],
        str(SEED),
    ]


def assert_same_results(got: list[ExtractResult], want: list[ExtractResult]) -> None:
    assert [r.source for r in got] == [r.source for r in want]
    assert [r.error for r in got] == [r.error for r in want]
    for g, w in zip(got, want, strict=True):
        if w.frame is None:
            assert g.frame is None
        else:
            pd.testing.assert_frame_equal(g.frame, w.frame)


@pytest.fixture(scope="module")
def serial(batch) -> list[ExtractResult]:
    return run_reports(batch, jobs=1)


def test_serial_is_extract_safely_in_input_order(batch, serial):
    assert [r.source for r in serial] == batch
    for path, result in zip(batch, serial, strict=True):
        alone = extract_safely(path)
        assert result.error == alone.error
        if alone.frame is not None:
            pd.testing.assert_frame_equal(result.frame, alone.frame)


def test_bad_inputs_are_one_line_reasons_in_place(batch, serial):
    failed = [i for i, r in enumerate(serial) if r.error is not None]
    # missing, directory, empty; the undecodable file may be read by a charset fallback
    assert {2, 4, 6} <= set(failed) <= {2, 4, 6, 7}
    assert serial[2].error == "no such file"
    for i in failed:
        assert serial[i].frame is None
        assert serial[i].error.strip() and "\n" not in serial[i].error
        assert "Traceback" not in serial[i].error
    for i in (0, 1, 3, 5, 8, 9):
        assert serial[i].error is None and serial[i].frame is not None


def test_process_pool_matches_serial(batch, serial):
    assert_same_results(run_reports(batch, jobs=2), serial)


def test_process_pool_is_deterministic_with_many_chunks(batch, serial):
    # 40 reports at jobs=2 give chunks of 5: results must still come back in input order.
    many = batch * 4
    assert chunk_size(len(many), 2) == 5
    assert_same_results(run_reports(many, jobs=2), serial * 4)


def test_dask_local_cluster_matches_serial(batch, serial):
    assert_same_results(run_reports(batch, jobs=2, executor="dask"), serial)


def test_dask_existing_scheduler_matches_serial(batch, serial):
    """``--scheduler ADDRESS``: the batch runs on a cluster someone else started."""
    import logging

    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        got = run_reports(batch, scheduler=cluster.scheduler_address)
    assert_same_results(got, serial)


def test_report_ids_are_passed_to_the_extractor(batch):
    ids = [f"id-{i}" for i in range(len(batch))]
    got = run_reports(batch, jobs=2, report_ids=ids)
    want = [extract_safely(p, report_id=rid) for p, rid in zip(batch, ids, strict=True)]
    assert_same_results(got, want)


def test_argument_errors():
    with pytest.raises(ValueError, match="2 report ids for 1 paths"):
        run_reports([str(SEED)], report_ids=["a", "b"])
    with pytest.raises(ValueError, match="unknown executor"):
        run_reports([str(SEED)], executor="threads")
    assert run_reports([], jobs=2) == []


def test_chunk_size_keeps_workers_busy_and_results_streaming():
    assert chunk_size(1, 2) == 1
    assert chunk_size(10, 2) == 1
    assert chunk_size(100, 2) == 12
    assert chunk_size(10_000, 2) == 16


def crash_on_marker(path: str, password: str | None = None, report_id: str | None = None):
    """A task that kills its worker process on one file, as a hostile PDF could."""
    if path.endswith("crash.md"):
        os._exit(70)
    return extract_safely(path, password, report_id)


def test_a_dying_worker_costs_only_its_own_report(batch, serial, tmp_path):
    culprit = tmp_path / "crash.md"
    culprit.write_text("x", encoding="utf-8")
    tasks = [(p, None) for p in batch[:5]] + [(str(culprit), None)] + [(p, None) for p in batch[5:]]
    got = list(parallel._iter_process_pool(tasks, 2, None, crash_on_marker))
    assert got[5].source == str(culprit)
    assert got[5].error == parallel.WORKER_DIED and got[5].frame is None
    assert_same_results(got[:5] + got[6:], serial)


def _expected_seed_figures() -> list[dict]:
    path = ROOT / "tests" / "data" / "seed_expected.jsonl"  # the 97 hand-checked figures
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_seed_figures_come_through_the_process_pool(batch):
    """The hand-checked flagship figures of the seed, read in a worker process."""
    results = run_reports(batch, jobs=2)
    frame = results[0].frame
    got = {
        (r.indicator, r.period, r.measure, round(float(r.value), 6))
        for r in frame.itertuples()
        if r.value is not None and r.value == r.value
    }
    wanted = [
        e for e in _expected_seed_figures()
        if e["indicator"] in ("trade.total", "budget.revenue.total", "retail.sales")
    ]
    assert len(wanted) >= 10
    for e in wanted:
        assert (e["indicator"], e["period"], e["measure"], round(float(e["value"]), 6)) in got, e
    assert set(frame["report_id"]) == {"langson-ubnd-2017-08"}


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baocao", *argv], capture_output=True, text=True, timeout=120
    )


def test_cli_streams_the_same_output_at_any_jobs(batch, tmp_path):
    good = [p for p in batch if not p.endswith(("missing.md", "empty.md"))]
    good = [p for p in good if Path(p).is_file() and not p.endswith("latin1.txt")]
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.jsonl"
        proc = _cli("extract", *good, "--jobs", jobs, "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        outputs[jobs] = out.read_text("utf-8")
    assert outputs["1"] == outputs["2"]
    rows = [json.loads(line) for line in outputs["1"].splitlines()]
    # each report's rows together, reports in input order (the seed twice)
    expected = [r.source for r in run_reports(good) for _ in range(len(r.frame))]
    assert [row["source"] for row in rows] == expected
    assert expected.count(str(SEED)) == 2 * len(run_reports([str(SEED)])[0].frame) > 180


def test_cli_bad_inputs_in_a_parallel_batch(batch, tmp_path):
    out = tmp_path / "out.csv"
    proc = _cli("extract", *batch, "--jobs", "2", "--format", "csv", "-o", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines[0] == f"baocao: {batch[2]}: no such file"
    assert all(line.startswith("baocao: ") for line in lines) and "Traceback" not in proc.stderr
    assert [line.split(": ")[1] for line in lines] == [
        r.source for r in run_reports(batch) if r.error is not None
    ]
    assert pd.read_csv(out)["source"].iloc[0] == str(SEED)
    # nothing readable: no output file at all
    none = tmp_path / "none.jsonl"
    proc = _cli("extract", batch[2], batch[4], "--jobs", "2", "-o", str(none))
    assert proc.returncode == 2 and not none.exists()
    assert list(tmp_path.glob(".none.jsonl.*")) == []


def test_synthetic_corpus_is_reproducible_and_marked(tmp_path):
    a = synthetic.generate(3, seed=5)
    b = synthetic.generate(3, seed=5)
    assert [r.text for r in a] == [r.text for r in b]
    assert a[0].text != synthetic.generate(3, seed=6)[0].text
    for report in a:
        assert report.text.startswith(f"<!-- {synthetic.MARK}")
        assert 30_000 < len(report.text.encode()) < 50_000
        assert "<sup>1</sup>" in report.text and "\n---\n" in report.text
        # every level the generator states is printed in the Vietnamese format
        assert synthetic.vn_number(1775300) == "1.775.300"
        assert synthetic.vn_number(156.202, 3) == "156,202"
        assert synthetic.vn_number(4, pad=True) == "04"
