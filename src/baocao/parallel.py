"""Running the per-report task over many reports: serially, in a process pool, or on Dask.

The task is always :func:`baocao.api.extract_safely`, which never raises: a report that
cannot be read comes back as an :class:`~baocao.api.ExtractResult` with a one-line
``error``. Output order is always the input order, whatever finishes first, so a batch
gives the same result at any ``jobs`` and on any executor.

- ``jobs=1`` runs in this process (no start-up cost; best for a handful of reports).
- ``executor="process"`` uses :class:`concurrent.futures.ProcessPoolExecutor`. Workers
  are forked from a *forkserver* that has already imported baocao (and pandas), so each
  worker pays the import once and starts in milliseconds; on platforms without a
  forkserver, ``spawn`` is used. Reports are submitted in chunks, so tens of thousands
  of small reports do not cost one inter-process round trip each. If a worker dies (a
  hostile PDF crashing a C library, the OOM killer), the unfinished reports are re-run
  one by one so that only the culprit is reported, as
  ``worker process died while extracting``. Workers die with the process that started
  them: each watches its parent (a ``pidfd`` where Linux has one) and exits when it is
  gone, even after a SIGKILL, so no worker, forkserver or resource tracker outlives a
  killed batch holding the caller's pipes; a batch stopped by an exception (Ctrl-C,
  SIGTERM, an output error) kills its workers instead of waiting for their reports.
- ``executor="dask"`` maps the same task on a ``dask.distributed`` cluster: a
  ``LocalCluster`` of ``jobs`` single-threaded worker processes, or the cluster whose
  scheduler address is given (its workers must have baocao installed and see the paths).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from .api import ExtractResult, extract_safely

EXECUTORS = ("process", "dask")

# Modules the forkserver imports once, before forking workers: everything a worker needs.
_PRELOAD = ("baocao.api", "baocao.ingest", "baocao.extract")

WORKER_DIED = "worker process died while extracting"

Task = tuple[str, str | None]  # (path, report_id)
ReportTask = Callable[[str, str | None, str | None], ExtractResult]  # (path, password, id)


def available_cpus() -> int:
    """CPUs this process may run on (what ``jobs=0`` means)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_reports(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    password: str | None = None,
    report_ids: Sequence[str | None] | None = None,
) -> list[ExtractResult]:
    """Extract every report in ``paths``; one :class:`ExtractResult` per path, in order.

    ``jobs`` is the number of worker processes (0 or less: one per available CPU).
    ``executor`` is ``"process"`` (local process pool) or ``"dask"``; ``scheduler`` is the
    address of a running Dask scheduler (implies Dask). ``report_ids``, when given, is a
    list parallel to ``paths`` passed to the extractor as each report's id.
    """
    return list(
        iter_reports(
            paths,
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            password=password,
            report_ids=report_ids,
        )
    )


def iter_reports(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    password: str | None = None,
    report_ids: Sequence[str | None] | None = None,
) -> Iterator[ExtractResult]:
    """Like :func:`run_reports`, but yield each result (in input order) as soon as it and
    all results before it are ready, so a caller can stream output in flat memory."""
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    paths = [os.fspath(p) for p in paths]
    if report_ids is None:
        ids: list[str | None] = [None] * len(paths)
    else:
        ids = list(report_ids)
        if len(ids) != len(paths):
            raise ValueError(f"{len(ids)} report ids for {len(paths)} paths")
    tasks: list[Task] = list(zip(paths, ids, strict=True))
    if jobs <= 0:
        jobs = available_cpus()
    if not tasks:
        return
    if executor == "dask" or scheduler is not None:
        yield from _iter_dask(tasks, jobs, scheduler, password)
    elif jobs == 1 or len(tasks) == 1:
        yield from _iter_serial(tasks, password)
    else:
        yield from _iter_process_pool(tasks, min(jobs, len(tasks)), password)


# --- serial -------------------------------------------------------------------------------


def _iter_serial(tasks: Sequence[Task], password: str | None) -> Iterator[ExtractResult]:
    for path, report_id in tasks:
        yield extract_safely(path, password=password, report_id=report_id)


def extract_batch(
    tasks: Sequence[Task], password: str | None = None, task: ReportTask = extract_safely
) -> list[ExtractResult]:
    """The worker side of a chunk: ``task`` (:func:`extract_safely`) on each
    ``(path, report_id)``."""
    return [task(path, password, rid) for path, rid in tasks]


# --- local process pool -------------------------------------------------------------------


def _mp_context() -> multiprocessing.context.BaseContext:
    """A forkserver that has imported baocao once (Linux), else spawn; never plain fork,
    which is unsafe in a parent that runs threads (Dask, progress bars, notebooks)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(_PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def chunk_size(n_tasks: int, jobs: int) -> int:
    """Reports per submission: about four chunks per worker (so a slow chunk does not
    leave the others idle at the end), at most 16 reports (so results stream back)."""
    return max(1, min(16, n_tasks // (jobs * 4)))


def _die_with(parent: int) -> None:
    """Worker initializer: end this process as soon as process ``parent`` has ended.

    A worker's own parent is the forkserver, not the batch's caller, so the kernel's
    parent-death signal cannot be used; a daemon thread waits on a pidfd of the caller
    (readable when it exits), or polls where there is none.
    """
    threading.Thread(target=_watch, args=(parent,), name="baocao-parent-watch",
                     daemon=True).start()


def _watch(parent: int) -> None:
    try:
        fd = os.pidfd_open(parent)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux), or gone already
        fd = None
    if fd is not None:
        select.select([fd], [], [])
    else:
        while _alive(parent):
            time.sleep(0.5)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _pool(jobs: int, ctx: multiprocessing.context.BaseContext) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with this process (see :func:`_die_with`) and
    are killed, not waited for, when the block ends by an exception: the caller stopped
    early (an output error, Ctrl-C, SIGTERM) and their reports are no longer wanted."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_die_with,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _iter_process_pool(
    tasks: Sequence[Task], jobs: int, password: str | None, task: ReportTask = extract_safely
) -> Iterator[ExtractResult]:
    size = chunk_size(len(tasks), jobs)
    chunks = [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]
    done = 0  # chunks already yielded
    with _pool(jobs, _mp_context()) as pool:
        # A deque, popped as results are yielded, so finished results are not kept alive.
        futures = deque(pool.submit(extract_batch, chunk, password, task) for chunk in chunks)
        while futures:
            try:
                results = futures.popleft().result()
            except BrokenProcessPool:
                break
            yield from results
            done += 1
    if done < len(chunks):
        # A worker died: re-run what is left, one report per submission, to find the culprit.
        rest = [t for chunk in chunks[done:] for t in chunk]
        yield from _iter_isolating(rest, jobs, password, task)


def _iter_isolating(
    tasks: Sequence[Task], jobs: int, password: str | None, task: ReportTask
) -> Iterator[ExtractResult]:
    """One report per submission; a report whose pool broke runs alone in a fresh pool."""
    ctx = _mp_context()
    with _pool(min(jobs, len(tasks)), ctx) as pool:
        futures: list[Future] = []
        try:
            futures = [pool.submit(task, p, password, rid) for p, rid in tasks]
        except BrokenProcessPool:
            pass  # submissions after the break stay missing and run alone below
        outcomes: list[ExtractResult | None] = []
        for future in futures:
            try:
                outcomes.append(future.result())
            except BrokenProcessPool:
                outcomes.append(None)
    outcomes += [None] * (len(tasks) - len(outcomes))
    for (path, rid), outcome in zip(tasks, outcomes, strict=True):
        yield outcome if outcome is not None else _run_alone(path, rid, password, ctx, task)


def _run_alone(
    path: str,
    report_id: str | None,
    password: str | None,
    ctx: multiprocessing.context.BaseContext,
    task: ReportTask,
) -> ExtractResult:
    with _pool(1, ctx) as pool:
        try:
            return pool.submit(task, path, password, report_id).result()
        except BrokenProcessPool:
            return ExtractResult(path, None, WORKER_DIED)


# --- Dask ---------------------------------------------------------------------------------


def _iter_dask(
    tasks: Sequence[Task], jobs: int, scheduler: str | None, password: str | None
) -> Iterator[ExtractResult]:
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        cluster = None
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        paths = [path for path, _ in tasks]
        futures = deque(
            client.map(
                extract_safely,
                paths,
                [password] * len(tasks),
                [rid for _, rid in tasks],
                pure=False,
            )
        )
        for path in paths:
            future = futures.popleft()  # released once read, so workers can drop the result
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: one line, go on
                yield ExtractResult(path, None, f"{WORKER_DIED} ({type(err).__name__})")
            del future
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
