"""Hostile input, signals and tampered files: the twelve cases of the hostile-input review,
each a test that failed before the fix.

The promise under test: bad input gets one line ``baocao: PATH: reason`` and exit 2; no
traceback, no hang, no partial file, nothing written outside the destination, bounded
time and memory. The inputs are generated here (``tests/hostile.py``), small or with a
limit lowered to match; ``benchmarks/bench_hostile.py`` runs the full-size ones.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import hostile
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.cli import main
from baocao.ingest import InputError, read_document
from baocao.schema import FIELDS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "langson-ubnd-2017-08.md"
SEED_SIDECAR = ROOT / "data" / "raw" / "langson-ubnd-2017-08.meta.json"
BAOCAO = [sys.executable, "-m", "baocao"]
LINE = re.compile(r"^baocao: [^\n]+: [^\n]+$")


def cli(argv: list[str], capfd) -> tuple[int, str, str]:
    """Run the command in this process; stdout and stderr as the file descriptors saw
    them (C libraries write there directly)."""
    code = main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


def assert_one_line(err: str, path: object, reason: str) -> None:
    """Exactly one ``baocao: PATH: reason…`` line on stderr."""
    assert err.count("\n") == 1, err
    assert err.startswith(f"baocao: {path}: {reason}"), err
    assert "Traceback" not in err


# Runs one command and reports its exit code, stderr, wall time and peak RSS. It runs in
# a small parent of its own: Linux keeps a process's peak RSS across fork and exec, so a
# child forked straight from pytest would start with pytest's hundreds of MB.
_MEASURE = """
import json, resource, subprocess, sys, time
t0 = time.monotonic()
proc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                      timeout=float(sys.argv[1]))
print(json.dumps({"code": proc.returncode, "err": proc.stderr.decode("utf-8", "replace"),
                  "seconds": time.monotonic() - t0,
                  "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}))
"""


def run_measured(args: list[str], env: dict | None = None, timeout: float = 120
                 ) -> tuple[int, str, float, int]:
    """Run ``baocao ARGS`` in a child; (exit code, stderr, seconds, peak RSS in MiB)."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), *BAOCAO,
                           *map(str, args)], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})}, timeout=timeout + 30)
    result = json.loads(done.stdout)
    return result["code"], result["err"], result["seconds"], result["peak_mib"]


# =========================================================================== case 1
# "-o destroys what it names"


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "report.md"
    shutil.copy(SEED, path)
    return path


def test_o_refuses_its_own_input(report, capfd):
    before = report.read_bytes()
    code, out, err = cli(["extract", report, "-o", report], capfd)
    assert code == 2 and out == ""
    assert_one_line(err, report, "is also one of the inputs; not overwriting it")
    assert report.read_bytes() == before


def test_o_refuses_a_read_only_file_a_fifo_a_directory_and_a_device(report, tmp_path, capfd):
    locked = tmp_path / "locked.jsonl"
    locked.write_text("keep me\n")
    locked.chmod(0o444)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    to_null = tmp_path / "null.jsonl"
    to_null.symlink_to("/dev/null")
    cases = [
        (locked, "is read-only; not replacing it"),
        (fifo, "is a FIFO (named pipe), not a file; not writing output there"),
        (tmp_path, "is a directory; not writing output there"),
        ("/dev/null", "is a device, not a file; not writing output there"),
        (to_null, "is a device, not a file (through a symlink to /dev/null); not writing"),
    ]
    for target, reason in cases:
        code, out, err = cli(["extract", report, "-o", target], capfd)
        assert code == 2 and out == "", target
        assert_one_line(err, target, reason)
    assert locked.read_text() == "keep me\n" and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert to_null.is_symlink() and os.readlink(to_null) == "/dev/null"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "locked.jsonl", "null.jsonl", "pipe", "report.md"]  # no temporary file left


def test_o_writes_through_a_symlink_and_keeps_it(report, tmp_path, capfd):
    real = tmp_path / "data" / "real.jsonl"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to(real)
    code, _, err = cli(["extract", report, "-o", link], capfd)
    assert (code, err) == (0, "")
    assert link.is_symlink() and link.resolve() == real
    rows = [json.loads(line) for line in real.read_text("utf-8").splitlines()]
    assert len(rows) > 180 and rows[0]["report_id"] == "langson-ubnd-2017-08"


def test_o_files_take_the_umask_or_keep_their_mode(report, tmp_path, capfd):
    old = os.umask(0o027)
    try:
        new = tmp_path / "new.csv"
        assert cli(["extract", report, "--format", "csv", "-o", new], capfd)[0] == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o640
        kept = tmp_path / "kept.jsonl"
        kept.write_text("")
        kept.chmod(0o604)
        assert cli(["extract", report, "-o", kept], capfd)[0] == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.stat().st_size > 0
    finally:
        os.umask(old)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_o_sweeps_temporaries_of_killed_runs(report, tmp_path, capfd):
    dead = tmp_path / f".out.jsonl.baocao-{_dead_pid()}-0123abcd.tmp"
    live = tmp_path / f".out.jsonl.baocao-{os.getpid()}-4567cdef.tmp"
    dead.write_text("half")
    live.write_text("being written")
    assert cli(["extract", report, "-o", tmp_path / "out.jsonl"], capfd)[0] == 0
    assert not dead.exists()
    assert live.exists()  # its writer (this process) is alive


# =========================================================================== case 2
# "the fetcher writes outside --dest"

PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Báo cáo</title></head>"
        "<body><h1>Tình hình kinh tế - xã hội</h1><p>Trang thử.</p></body></html>").encode()
PDF_HEAD = b"%PDF-1.4\n% hostile fixture\n"


class Server(ThreadingHTTPServer):
    """Misbehaving servers on loopback, one path each."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.stop = threading.Event()
        self.auth: str | None = None  # Authorization header of the last 404

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.server_address[1]}{path}"

    def handle_error(self, request, client_address) -> None:
        pass


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format, *args) -> None:
        pass

    def head(self, ctype: str, length: int | None = None, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self) -> None:  # one branch per misbehaviour
        body = PDF_HEAD + b"x" * 200 + b"\n%%EOF\n"
        path = self.path.split("?", 1)[0]
        if path == "/page.html":
            self.head("text/html; charset=utf-8", len(PAGE))
            self.wfile.write(PAGE)
        elif path == "/drip.pdf":  # a byte every 0.25 s: 10 s for the whole body
            self.head("application/pdf", 40)
            for byte in (PDF_HEAD + b"x" * 40)[:33] + b"\n%%EOF\n":
                if self.server.stop.wait(0.25):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        elif path == "/steady.pdf":  # 4 KiB/s for ten seconds: fast enough, too long
            self.head("application/pdf")
            self.wfile.write(PDF_HEAD)
            for _ in range(40):
                if self.server.stop.wait(0.25):
                    return
                self.wfile.write(b"x" * 1024)
                self.wfile.flush()
            self.wfile.write(b"\n%%EOF\n")
            self.close_connection = True
        elif path == "/cut.pdf":  # no Content-Length, the connection drops
            self.head("application/pdf")
            self.wfile.write(body[:150])
            self.close_connection = True
        elif path == "/hang.pdf":  # half a body, then nothing for a long time
            self.head("application/pdf", len(body))
            self.wfile.write(body[:100])
            self.wfile.flush()
            self.server.stop.wait(30)
        elif path == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", self.server.url("/page.html"))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.server.auth = self.headers.get("Authorization")
            self.head("text/plain", 9, status=404)
            self.wfile.write(b"not found")


@pytest.fixture
def server():
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def manifest(path: Path, urls: list[str], header: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header or ["url", "publisher", "title_vi", "period", "report_kind"])
        for i, url in enumerate(urls, 1):
            writer.writerow([url, "Sở thử", "Báo cáo thử", f"2021-{i:02d}", "monthly"])
    return path


FAST = ["--rate", "1000", "--backoff", "0.01", "--timeout", "5"]


def test_a_sidecar_cannot_send_the_fetcher_outside_dest(server, tmp_path, capfd):
    dest = tmp_path / "deep" / "raw"
    dest.mkdir(parents=True)
    url = server.url("/page.html")
    digest = hashlib.sha256(PAGE).hexdigest()
    escape = {"report_id": "r1", "file": "../../escaped.html", "url": url, "sha256": digest,
              "size": len(PAGE), "period": "2021-01"}
    (dest / "r1.meta.json").write_text(json.dumps(escape), encoding="utf-8")
    absolute = tmp_path / "absolute"
    (dest / "held.html").write_text("an older copy", encoding="utf-8")
    other = server.url("/page.html?v=2")
    tampered = {"report_id": str(absolute), "file": "held.html", "url": other,
                "sha256": "0" * 64, "size": len("an older copy"), "period": "2021-02"}
    (dest / "r2.meta.json").write_text(json.dumps(tampered), encoding="utf-8")
    code, out, err = cli(["fetch", manifest(tmp_path / "m.csv", [url, other]), "--dest", dest,
                          *FAST], capfd)
    assert code == 0, err
    assert err.splitlines() == [
        f"baocao: {dest / 'r1.meta.json'}: sidecar ignored: file '../../escaped.html' "
        "must be a plain file name, without folders",
        f"baocao: {dest / 'r2.meta.json'}: sidecar ignored: report_id '{absolute}' must be "
        "letters, digits, '.', '_' or '-' (it becomes part of file names)",
    ]
    assert not (tmp_path / "escaped.html").exists()
    assert not list(tmp_path.glob("absolute*"))
    outside = {p for p in tmp_path.rglob("*") if dest not in p.parents and p != dest}
    assert outside == {tmp_path / "deep", tmp_path / "m.csv"}


def test_the_build_reads_no_report_outside_its_folder(tmp_path, capfd):
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = tmp_path / "secret.md"
    shutil.copy(SEED, secret)
    (raw / "langson-ubnd-2017-08.md").symlink_to(secret)
    shutil.copy(SEED_SIDECAR, raw / SEED_SIDECAR.name)
    code, _, err = cli(["build", "--raw", raw, "--reference", "none", "--out",
                        tmp_path / "out"], capfd)
    assert code == 2
    assert_one_line(err, raw / SEED_SIDECAR.name,
                    "sidecar file 'langson-ubnd-2017-08.md' leads outside")
    assert not (tmp_path / "out" / "observations.csv").exists()


# =========================================================================== case 3
# "no bound on memory or time"


def test_a_flate_bomb_is_refused_before_any_pdf_library_parses_it(tmp_path, monkeypatch):
    bomb = hostile.flate_bomb(tmp_path / "bomb.pdf", 48)
    monkeypatch.setenv("BAOCAO_MAX_STREAM_MB", "16")
    with pytest.raises(InputError) as err:
        read_document(bomb)
    assert err.value.reason == ("PDF streams inflate to more than 16 MB (a decompression "
                                "bomb?; limit BAOCAO_MAX_STREAM_MB)")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b"\n", b"\r\n", b"\r"]),
       st.integers(min_value=0, max_value=3))
def test_measuring_streams_ends_on_any_bytes(tmp_path_factory, junk, eol, copies):
    """Damaged or hostile stream bytes (random, or a real deflate stream cut or followed by
    junk): the measurement always ends, and says nothing or refuses with InputError."""
    from baocao.ingest.pdf_guard import check_streams
    from baocao.limits import Limits

    deflated = zlib.compress(b" " * 300_000)
    body = b"1 0 obj\n<< /Filter /FlateDecode >>\nstream" + eol + deflated[: len(junk)] + junk
    path = tmp_path_factory.mktemp("guard") / "s.pdf"
    path.write_bytes(b"%PDF-1.4\n" + body * (copies + 1) + b"\nendstream\n%%EOF\n")
    try:
        check_streams(str(path), Limits(max_stream_mb=0.5))
    except InputError as err:
        assert "BAOCAO_MAX_STREAM_MB" in err.reason


def test_streams_under_the_limit_are_measured_and_read(tmp_path):
    """64 MiB of inflated blanks, under the default limit: measured in full, then read
    (the page's five lines of text) in bounded time."""
    pdf = hostile.flate_bomb(tmp_path / "big-but-allowed.pdf", 64)
    t0 = time.monotonic()
    doc = read_document(pdf)
    assert time.monotonic() - t0 < 30
    assert doc.text.count("462,4") == 5


def test_a_flate_bomb_at_the_default_limits_stays_small(tmp_path):
    """300 MiB inflated from a 300 KB file: refused at the default 256 MB, in a child
    whose peak memory is measured (it took 2.2 GB for 1 GiB before)."""
    bomb = hostile.flate_bomb(tmp_path / "bomb.pdf", 300)
    code, err, seconds, peak_mib = run_measured(["extract", bomb])
    assert code == 2, err
    assert_one_line(err, bomb, "PDF streams inflate to more than 256 MB")
    assert peak_mib < 400 and seconds < 30


def test_a_page_too_large_to_render_is_refused_before_rendering(tmp_path):
    giant = hostile.giant_page_table(tmp_path / "giant.pdf")
    code, err, seconds, peak_mib = run_measured(["extract", giant])
    assert code == 2
    assert_one_line(err, giant, "page 1 (14400 x 14400 pt) is too large to render for its "
                    "table (more than 2000000 square points; limit BAOCAO_MAX_PAGE_AREA)")
    assert peak_mib < 400 and seconds < 30  # 10.5 GB when it was rendered


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: hostile.many_figure_lines(p, 650_000),
     "too large for one report (9,750,000 characters; the limit is 3,000,000"),
    (lambda p: hostile.one_long_line(p, 9_500_000),
     "too large for one report (9,500,000 characters; the limit is 3,000,000"),
    (lambda p: hostile.many_figure_lines(p, 120_000),
     "too many figures for one report (120,000 numbers in its text; the limit is 50,000"),
], ids=["650k-figure-lines", "9.5M-character-line", "120k-figures"])
def test_text_beyond_any_report_is_refused_at_once(tmp_path, capfd, make, reason):
    path = make(tmp_path / "hostile.txt")
    t0 = time.monotonic()
    code, out, err = cli(["extract", path, "-o", tmp_path / "out.jsonl"], capfd)
    assert time.monotonic() - t0 < 15  # 150 s and 9.4 GB before
    assert code == 2 and out == ""
    assert_one_line(err, path, reason)
    assert not (tmp_path / "out.jsonl").exists()


def test_the_deadline_holds_for_text_inside_the_grammar(tmp_path, capfd, monkeypatch):
    path = tmp_path / "long.md"
    sentence = "Tổng thu ngân sách tháng 8 ước đạt 462,4 tỷ đồng, tăng 5% so với cùng kỳ. "
    path.write_text("\n\n".join([sentence * 4] * 2500), encoding="utf-8")
    monkeypatch.setenv("BAOCAO_TIMEOUT", "0.5")
    t0 = time.monotonic()
    code, _, err = cli(["extract", path], capfd)
    assert time.monotonic() - t0 < 10
    assert code == 2
    assert_one_line(err, path, "took longer than 0.5 s while reading the report's sentences")


def test_the_deadline_holds_inside_the_html_walk(tmp_path, capfd, monkeypatch):
    page = hostile.nested_html(tmp_path / "deep.html", 150)
    monkeypatch.setenv("BAOCAO_TIMEOUT", "0.000001")
    code, _, err = cli(["extract", page], capfd)
    assert code == 2
    assert_one_line(err, page, "took longer than 1e-06 s while reading the HTML page")


def test_rows_and_output_size_are_limited(tmp_path, capfd, monkeypatch):
    path = tmp_path / "many.md"
    line = "Tổng thu ngân sách trên địa bàn tháng 8 ước đạt 462,4 tỷ đồng, tăng 5% so với cùng kỳ."
    path.write_text("\n\n".join([line] * 40), encoding="utf-8")
    monkeypatch.setenv("BAOCAO_MAX_OUTPUT_MB", "0.01")
    code, _, err = cli(["extract", path], capfd)
    assert code == 2
    assert_one_line(err, path, "its observations would write about")
    assert "(the limit is 0.01 MB, BAOCAO_MAX_OUTPUT_MB)" in err
    monkeypatch.delenv("BAOCAO_MAX_OUTPUT_MB")
    monkeypatch.setenv("BAOCAO_MAX_ROWS", "100")
    code, _, err = cli(["extract", path], capfd)
    assert_one_line(err, path, "too many figures for one report (120 numbers in its text; "
                    "the limit is 100 observations, BAOCAO_MAX_ROWS)")


def test_limits_reach_the_workers(tmp_path, monkeypatch):
    """``--jobs 2`` runs reports in other processes: they obey the caller's limits."""
    paths = [hostile.many_figure_lines(tmp_path / f"r{i}.txt", 2_000) for i in range(3)]
    code, err, _, _ = run_measured(["extract", *paths, "--jobs", "2"],
                                   env={"BAOCAO_MAX_ROWS": "1000"})
    assert code == 2
    assert err.splitlines() == [
        f"baocao: {p}: too many figures for one report (2,000 numbers in its text; the "
        "limit is 1,000 observations, BAOCAO_MAX_ROWS)" for p in paths]


# =========================================================================== case 4
# "the fetcher stores incomplete downloads"


def test_a_trickling_server_times_out(server, tmp_path, capfd):
    url = server.url("/drip.pdf")
    t0 = time.monotonic()
    code, _, err = cli(["fetch", manifest(tmp_path / "m.csv", [url]), "--dest", tmp_path / "raw",
                        "--rate", "1000", "--timeout", "1", "--retries", "0"], capfd)
    assert time.monotonic() - t0 < 5  # the whole body would take 10 s
    assert code == 2
    assert_one_line(err, url, "timed out: the server sent ")
    assert list((tmp_path / "raw").iterdir()) == []


def test_a_download_has_a_total_deadline(server, tmp_path, capfd):
    url = server.url("/steady.pdf")
    t0 = time.monotonic()
    code, _, err = cli(["fetch", manifest(tmp_path / "m.csv", [url]), "--dest", tmp_path / "raw",
                        *FAST, "--deadline", "1.5"], capfd)
    assert time.monotonic() - t0 < 5
    assert code == 2
    assert_one_line(err, url, "took longer than the --deadline of 1.5 s (got ")
    assert list((tmp_path / "raw").iterdir()) == []


def test_a_pdf_cut_short_without_content_length_is_not_stored(server, tmp_path, capfd):
    url = server.url("/cut.pdf")
    code, out, err = cli(["fetch", manifest(tmp_path / "m.csv", [url]), "--dest",
                          tmp_path / "raw", *FAST, "--retries", "1"], capfd)
    assert code == 2
    assert_one_line(err, url, "body cut short (a PDF of 150 bytes without its %%EOF end "
                    "marker; the connection dropped?) (gave up after 2 attempts)")
    assert list((tmp_path / "raw").iterdir()) == []


# =========================================================================== case 5
# "orphans"


def _marked(marker: str) -> list[int]:
    """Processes whose environment carries ``marker`` (the command and all it started)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def _start_batch(tmp_path: Path, marker: str) -> tuple[subprocess.Popen, Path]:
    """``baocao extract --jobs 2`` on reports that keep both workers busy for a while."""
    slow = tmp_path / "slow.md"
    sentence = "Tổng thu ngân sách tháng 8 ước đạt 462,4 tỷ đồng, tăng 5% so với cùng kỳ. "
    slow.write_text("\n\n".join([sentence * 4] * 4000), encoding="utf-8")
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    proc = subprocess.Popen([*BAOCAO, "extract", *[str(slow)] * 6, "--jobs", "2", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "BAOCAO_TEST_MARK": marker})
    deadline = time.monotonic() + 60
    while len(_marked(marker)) < 4 and time.monotonic() < deadline:  # parent, tracker,
        time.sleep(0.1)  # forkserver, workers
    time.sleep(0.5)
    return proc, out.parent


def _reap(marker: str) -> list[int]:
    """Wait up to 10 s for the marked processes to end; kill and return what is left."""
    deadline = time.monotonic() + 10
    left = _marked(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _marked(marker)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_workers_die_with_a_killed_batch(tmp_path, signum):
    marker = f"baocao-orphan-test-{uuid.uuid4().hex}"
    proc, folder = _start_batch(tmp_path, marker)
    try:
        assert len(_marked(marker)) >= 4, "the batch did not start its workers"
        proc.send_signal(signum)
        t0 = time.monotonic()
        _, err = proc.communicate(timeout=30)  # returns when nobody holds our pipes
        assert time.monotonic() - t0 < 10
        assert _reap(marker) == []  # no forkserver, resource tracker or worker (530 MB)
    finally:  # whatever failed above, leave no process of this test behind
        proc.kill()
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)
    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM
        assert err.decode() == "baocao: stopped by SIGTERM\n"
        assert list(folder.iterdir()) == []  # the temporary output was removed


def test_a_killed_fetch_leaves_no_partial_file(server, tmp_path):
    dest = tmp_path / "raw"
    listing = manifest(tmp_path / "m.csv", [server.url("/hang.pdf")])
    for signum in (signal.SIGTERM, signal.SIGKILL):
        proc = subprocess.Popen([*BAOCAO, "fetch", str(listing), "--dest", str(dest), *FAST,
                                 "--timeout", "60"], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not list(dest.glob(".baocao-fetch.*.part")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(dest.glob(".baocao-fetch.*.part")), "the download did not start"
        proc.send_signal(signum)
        proc.communicate(timeout=30)
        if signum == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM
            assert list(dest.iterdir()) == []
    # after SIGKILL the file stays until the next run, which sweeps it at once (not after
    # an hour): its writer is gone
    assert len(list(dest.glob(".baocao-fetch.*.part"))) == 1
    done = subprocess.run([*BAOCAO, "fetch", str(manifest(tmp_path / "none.csv", [])),
                           "--dest", str(dest)], capture_output=True, timeout=60)
    assert done.returncode == 0
    assert list(dest.iterdir()) == []


# =========================================================================== case 6
# "build is not atomic across its files"


def _raw_folder(root: Path, extra: str = "") -> Path:
    """The seed report and its sidecar in ``root/raw``; ``extra`` is a paragraph put
    after the title (so that the figures move, and every observation id changes)."""
    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    report = raw / "langson-ubnd-2017-08.md"
    title, rest = SEED.read_text(encoding="utf-8").split("\n", 1)
    report.write_text(f"{title}\n\n{extra}\n\n{rest}" if extra else SEED.read_text(
        encoding="utf-8"), encoding="utf-8")
    meta = json.loads(SEED_SIDECAR.read_text(encoding="utf-8"))
    meta.update(sha256=hashlib.sha256(report.read_bytes()).hexdigest(),
                size=report.stat().st_size)
    (raw / SEED_SIDECAR.name).write_text(json.dumps(meta), encoding="utf-8")
    return raw


def _published_ids(out: Path) -> tuple[set, set]:
    csv_ids = set(pd.read_csv(out / "observations.csv", dtype=str)["obs_id"])
    parquet_ids = set(pd.read_parquet(out / "observations.parquet")["obs_id"])
    return csv_ids, parquet_ids


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(raw folder of a second report version, output of the first build, output of
    the second built alone)."""
    root = tmp_path_factory.mktemp("builds")
    first, second = root / "first", root / "second"
    assert main(["build", "--raw", str(_raw_folder(root)), "--reference", "none",
                 "--out", str(first)]) == 0
    raw = _raw_folder(root, "Tổng thu ngân sách tháng 9 ước đạt 512,3 tỷ đồng.")
    assert main(["build", "--raw", str(raw), "--reference", "none", "--out", str(second)]) == 0
    return raw, first, second


@pytest.mark.parametrize("crash_at", [1, 2, 4])
def test_a_crash_while_publishing_never_mixes_two_builds(two_builds, tmp_path, capfd,
                                                         monkeypatch, crash_at):
    """The machine goes down at the n-th rename of a second build over a first one:
    readers then see the whole first build or the whole second one."""
    raw, first_out, second_out = two_builds
    first, second = _published_ids(first_out), _published_ids(second_out)
    assert first != second
    out = tmp_path / "out"
    shutil.copytree(first_out, out, symlinks=True)
    real_replace, calls = os.replace, []

    def crash(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == crash_at:
            raise OSError(5, "Input/output error (the machine went down here)")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", crash)
    cli(["build", "--raw", raw, "--reference", "none", "--out", out], capfd)
    monkeypatch.setattr(os, "replace", real_replace)
    assert _published_ids(out) in (first, second)  # whatever the build said
    assert not list(tmp_path.glob(".build-*"))
    assert not list((out / ".builds").glob(".staging-*"))


def test_a_killed_builds_staging_folder_is_swept(tmp_path, capfd):
    out = tmp_path / "out"
    argv = ["build", "--raw", _raw_folder(tmp_path), "--reference", "none", "--out", out]
    assert cli(argv, capfd)[0] == 0
    stale = out / ".builds" / f".staging-{_dead_pid()}-89abcdef"
    stale.mkdir()
    (stale / "observations.csv").write_text("half a build")
    assert cli(argv, capfd)[0] == 0
    assert not stale.exists()
    versions = [p for p in (out / ".builds").iterdir() if p.name != "current"]
    assert len(versions) == 2  # this build and the previous one


# =========================================================================== case 7
# "noise on stderr"


def test_damaged_pdfs_say_one_line_or_nothing(tmp_path):
    """Seeded mutants of a small report, in a process of their own (pytest would catch
    the libraries' log records itself): the PDF libraries' warnings and tracebacks
    (pdfminer's, playa's under camelot) stay off stderr."""
    parent = hostile.small_report(tmp_path / "parent.pdf").read_bytes()
    paths = []
    for i, data in enumerate(hostile.mutants(parent, 12, seed=12)):
        paths.append(tmp_path / f"m{i:02d}.pdf")
        paths[-1].write_bytes(data)
    code, err, _, _ = run_measured(["extract", *paths, "-o", tmp_path / "out.jsonl"])
    assert code in (0, 2)
    assert "Traceback" not in err
    for line in err.splitlines():
        assert LINE.match(line) and line.split(": ")[1] in {str(p) for p in paths}, line


def test_a_file_name_with_a_newline_is_one_line(tmp_path, capfd):
    odd = tmp_path / "bad\nname.md"
    odd.write_bytes(b"")
    code, _, err = cli(["extract", odd], capfd)
    assert code == 2
    assert err == f"baocao: {tmp_path}/bad\\nname.md: empty file\n"


# =========================================================================== case 8
# "one malformed manifest URL aborts the fetch"


def test_malformed_urls_are_failures_of_their_own_row(server, tmp_path, capfd):
    good = server.url("/page.html")
    secret = server.url("/nowhere.pdf").replace("http://", "http://reader:s3cr3t-pw@")
    urls = ["http://[::1/x.pdf", server.url("/my report.pdf"), secret, good]
    code, out, err = cli(["fetch", manifest(tmp_path / "m.csv", urls), "--dest",
                          tmp_path / "raw", *FAST], capfd)
    assert code == 2
    shown = secret.replace("s3cr3t-pw", "***")
    assert err.splitlines() == [
        "baocao: http://[::1/x.pdf: not a valid URL (Invalid IPv6 URL)",
        f"baocao: {urls[1]}: not a valid URL (it contains white space; write a space as %20)",
        f"baocao: {shown}: HTTP 404 Not Found",
    ]
    assert "s3cr3t" not in out + err
    assert "1 fetched" in out.splitlines()[0]
    assert server.auth == "Basic " + base64.b64encode(b"reader:s3cr3t-pw").decode()  # used


def test_a_repeated_url_column_is_refused(tmp_path, capfd):
    listing = tmp_path / "m.csv"
    listing.write_text("url,title_vi,url\nhttp://a.example/1.pdf,A,http://b.example/2.pdf\n")
    code, _, err = cli(["fetch", listing, "--dest", tmp_path / "raw"], capfd)
    assert code == 2
    assert_one_line(err, listing, "column 'url' appears more than once; which one is meant?")


def test_a_redirect_to_a_private_address_is_refused(server, tmp_path, capfd, monkeypatch):
    """The manifest's host is public (as a name it is made to count as one here); its
    redirect to 127.0.0.1 must not be followed."""
    import baocao.fetch.client as client

    monkeypatch.setattr(client, "_host_is_private", lambda host: False, raising=False)
    url = server.url("/to-loopback", host="localhost")
    code, _, err = cli(["fetch", manifest(tmp_path / "m.csv", [url]), "--dest",
                        tmp_path / "raw", *FAST], capfd)
    assert code == 2
    assert_one_line(err, url, f"redirected to {server.url('/page.html')}, a private "
                    "network address (127.0.0.1); refused")
    assert list((tmp_path / "raw").iterdir()) == []


# =========================================================================== case 9
# "the API raises other types than InputError"


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


API_INPUTS = {
    "nested-article.html": lambda p: p.write_text(
        "<!DOCTYPE html><html><body><h1>Báo cáo</h1>" + "<article>x" * 1500
        + "<p>Tổng thu ngân sách đạt 462,4 tỷ đồng.</p>" + "</article>" * 1500
        + "</body></html>", encoding="utf-8"),
    "corrupt-title.pdf": hostile.corrupt_title_pdf,
    "fifo.md": _fifo,
    "garbage-after-magic.pdf": lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40
                                                        + b"\n%%EOF\n"),
    "nul-in-name": None,
}


@pytest.mark.parametrize("name", sorted(API_INPUTS))
def test_the_api_raises_only_input_error(tmp_path, name):
    import baocao

    make = API_INPUTS[name]
    path: object = f"{tmp_path}/bad\x00name.md" if make is None else tmp_path / name
    if make is not None:
        make(path)
    try:
        frame = baocao.extract(path)
    except InputError as err:
        assert "\n" not in err.reason
    else:  # read after all: a frame of the contract's columns
        assert list(frame.columns) == list(FIELDS) and name.endswith((".html", ".pdf"))


# =========================================================================== case 10
# "values that are not figures"


def test_numbers_no_report_prints_are_not_figures(tmp_path, capfd):
    path = tmp_path / "numbers.md"
    path.write_text(
        "Tổng thu ngân sách đạt 1e+21 tỷ đồng.\n\n"
        f"Tổng chi ngân sách đạt {'9' * 10_000} tỷ đồng.\n\n"
        f"Vốn đầu tư đạt {'.'.join(['100'] * 120)} tỷ đồng.\n\n"
        "Tổng mức bán lẻ hàng hóa đạt 10.265 tỷ đồng.\n", encoding="utf-8")
    code, out, err = cli(["extract", path], capfd)
    assert (code, err) == (0, "")
    rows = [json.loads(line, parse_constant=pytest.fail) for line in out.splitlines()]
    assert [(r["value"], r["value_as_printed"]) for r in rows] == [(10265.0, "10.265 tỷ đồng")]


def test_formulas_are_escaped_in_csv(tmp_path, capfd):
    raw = _raw_folder(tmp_path, "=1+1 Tổng thu ngân sách tháng 9 ước đạt 512,3 tỷ đồng.")
    sidecar = raw / SEED_SIDECAR.name
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta.update(title_vi="=cmd|' /C calc'!A0", publisher="@SUM(1+1)*cmd|' /C calc'!A0",
                url="=HYPERLINK(\"http://evil.example\")")
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    out = tmp_path / "out"
    assert cli(["build", "--raw", raw, "--reference", "none", "--out", out], capfd)[0] == 0
    cells = [c for row in csv.reader((out / "observations.csv").open(encoding="utf-8"))
             for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (
        c[:1] == "-" and not re.fullmatch(r"-[\d.,]+%?", c))]
    assert "'=HYPERLINK(\"http://evil.example\")" in cells
    assert any(c.startswith("'=1+1 Tổng thu") for c in cells)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    source = package["sources"][0]
    assert (source["title"], source["publisher"]) == (
        "'=cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0")
    parquet = pd.read_parquet(out / "observations.parquet")  # not a spreadsheet: as printed
    assert parquet["quote"].str.startswith("=1+1").any()


# =========================================================================== case 11
# "garbled PDFs accepted silently"


def test_a_pdf_with_broken_character_maps_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"^garbled text layer on page 1 \(\d+% of its "
                       r"characters are control or unmapped codes"):
        read_document(hostile.garbled_pdf(tmp_path / "garbled.pdf"))


def test_a_pdf_typed_in_a_legacy_font_is_refused(tmp_path):
    lines = ["UBND TØNH L¹NG S¥N", "T\xe6ng thu ng\xa9n s\xb8ch \xae\xb9t 462,4 t\xfb \xae\xe5ng"]
    path = tmp_path / "tcvn3.pdf"
    path.write_bytes(hostile.raw_pdf([hostile.text_stream(lines * 20)]))
    with pytest.raises(InputError, match=r"^text layer typed in a legacy TCVN3 \(ABC\) font"):
        read_document(path)


def test_utf8_with_stray_bytes_is_not_called_tcvn3(tmp_path):
    data = bytearray(SEED.read_bytes())
    for at in range(1000, 40000, 800):
        data[at] = 0xFF
    path = tmp_path / "damaged.md"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as err:
        read_document(path)
    assert re.fullmatch(r"damaged UTF-8 text \(\d\d invalid byte sequences; mixed encodings\?\)",
                        err.value.reason)


# case 12 ("tests that cannot fail") is tests/test_parsers_properties.py: the engine's
# property tests run with document.STRICT, and
# test_the_strict_engine_raises_what_the_grammar_raises shows that they can fail.


def test_hostile_module_writes_valid_pdfs(tmp_path):
    """The generators themselves: a plain page from ``raw_pdf`` is read as a report."""
    body = hostile.text_stream(["Tong thu ngan sach dat 462,4 ty dong."] * 10)
    path = tmp_path / "plain.pdf"
    path.write_bytes(hostile.raw_pdf([body]))
    doc = read_document(path)
    assert doc.text.count("462,4") == 10 and doc.metadata["page_count"] == 1
