"""``baocao fetch``: manifest -> documents + sidecars, politely, resumably, safely.

Every HTTP exchange goes to a real server on 127.0.0.1 (port 0) started per test; it serves
fixture documents and scripted faults. No test touches the internet. Delays are configured
tiny (--backoff, --rate, --timeout) so the whole file runs in a few seconds.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import socket
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from baocao import __version__, cli
from baocao.fetch import (
    ClientSettings,
    FetchError,
    HttpClient,
    ManifestError,
    base_stem,
    fetch_rows,
    host_slug,
    parse_retry_after,
    read_manifest,
    slugify,
)
from baocao.fetch.client import HostRateLimiter
from baocao.fetch.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED_SIDECAR = ROOT / "data" / "raw" / "langson-ubnd-2017-08.meta.json"
SOURCES = ROOT / "data" / "reference" / "sources.csv"
FAST = ["--rate", "1000", "--backoff", "0.01", "--timeout", "10"]
MANIFEST_COLUMNS = ["url", "publisher", "title_vi", "period", "report_kind", "notes"]


# --------------------------------------------------------------------------- fixtures


def _make_pdf(text: str) -> bytes:
    """A small real PDF (reportlab, invariant so its bytes are stable)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


PDF = _make_pdf("Bao cao tinh hinh kinh te - xa hoi (fixture for baocao fetch tests)")
PAGE = (
    "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<title>Tình hình kinh tế - xã hội (trang thử)</title></head>\n"
    "<body><h1>Tình hình kinh tế - xã hội tháng 5</h1>"
    "<p>Trang thử nghiệm do bộ kiểm thử tạo ra.</p></body></html>\n"
).encode()
ERROR_PAGE = "<!DOCTYPE html><html><body><h1>Trang không tồn tại</h1></body></html>".encode()
LAST_MODIFIED = format_datetime(datetime(2024, 5, 2, 8, 0, tzinfo=UTC), usegmt=True)


class FixtureServer(ThreadingHTTPServer):
    """Serves fixture documents and scripted faults; records every request it sees."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.counts: Counter[str] = Counter()
        self.changing = PAGE.replace(b"th\xc3\xa1ng 5", b"th\xc3\xa1ng 6")
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request, client_address) -> None:  # clients that hang up: fine
        pass

    def paths_hit(self) -> list[str]:
        return [p for p, _ in self.hits]


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format, *args) -> None:  # keep test output clean
        pass

    def send_body(self, body: bytes, ctype: str, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def conditional(self, body: bytes, ctype: str, etag: str, last_modified: str | None) -> None:
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        extra = {"ETag": etag}
        if last_modified:
            extra["Last_Modified"] = last_modified
        self.send_body(body, ctype, **extra)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # one branch per scripted behaviour
        srv = self.server
        path = self.path
        with srv.lock:
            srv.hits.append((path, dict(self.headers.items())))
            srv.counts[path] += 1
            n = srv.counts[path]
        if path == "/docs/report.pdf":
            self.conditional(PDF, "application/pdf", '"pdf-1"', LAST_MODIFIED)
        elif path == "/docs/page.html":
            self.conditional(PAGE, "text/html; charset=utf-8", '"page-1"', None)
        elif path == "/docs/no-validators.html":
            self.send_body(PAGE, "text/html; charset=utf-8")
        elif path == "/old/page.html":
            self.redirect("/docs/moved-here.html", 301)
        elif path == "/docs/moved-here.html":
            self.send_body(PAGE, "text/html")
        elif path == "/docs/changing.html":
            body = srv.changing
            self.conditional(body, "text/html", '"' + hashlib.md5(body).hexdigest() + '"', None)
        elif path == "/missing.pdf":
            self.send_body(ERROR_PAGE, "text/html", status=404)
        elif path == "/flaky.html":
            if n == 1:
                self.send_body(b"oops", "text/plain", status=500)
            else:
                self.send_body(PAGE, "text/html")
        elif path == "/busy.html":
            if n == 1:
                self.send_body(b"slow down", "text/plain", status=429, Retry_After="1")
            else:
                self.send_body(PAGE, "text/html")
        elif path == "/down.html":
            self.send_body(b"maintenance", "text/plain", status=503)
        elif path == "/slow.html":
            srv.stopping.wait(3.0)
            self.send_body(PAGE, "text/html")
        elif path == "/truncated.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF) + 4096))
            self.end_headers()
            self.wfile.write(PDF[:300])
            self.close_connection = True
        elif path == "/error-page.pdf":
            self.send_body(ERROR_PAGE, "text/html; charset=utf-8")
        elif path == "/mislabelled":
            self.send_body(ERROR_PAGE, "application/pdf")
        elif path == "/loop-a":
            self.redirect("/loop-b")
        elif path == "/loop-b":
            self.redirect("/loop-a")
        elif path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/report.pdf")
        elif path == "/big.pdf":
            self.send_body(PDF + b"%" * 200_000, "application/pdf")
        elif path == "/big-unannounced.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            self.wfile.write(PDF)
            for _ in range(40):
                self.wfile.write(b"%" * 8192)
            self.close_connection = True
        elif path == "/gzipped.html":  # compressed although the client asked for identity
            self.send_body(gzip.compress(PAGE, mtime=0), "text/html", Content_Encoding="gzip")
        elif path == "/empty.html":
            self.send_body(b"", "text/html")
        elif path == "/image.png":
            self.send_body(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        else:
            self.send_body(ERROR_PAGE, "text/html", status=404)


@pytest.fixture
def server():
    srv = FixtureServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield srv
    finally:
        srv.stopping.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def write_manifest(path: Path, rows: list[dict[str, str]], columns=None) -> Path:
    columns = columns or MANIFEST_COLUMNS + sorted(
        {k for r in rows for k in r} - set(MANIFEST_COLUMNS)
    )
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in columns})
    return path


def row(url: str, period: str, **extra: str) -> dict[str, str]:
    return {
        "url": url,
        "publisher": "Cơ quan thử nghiệm (127.0.0.1)",
        "title_vi": f"Tình hình kinh tế - xã hội kỳ {period}",
        "period": period,
        "report_kind": "monthly",
        "notes": "",
        **extra,
    }


def fetch(manifest: Path, dest: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = cli.main(["fetch", str(manifest), "--dest", str(dest), *FAST, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def summary_counts(out: str) -> dict[str, int]:
    first = out.splitlines()[0]
    found = re.findall(r"(\d+) (fetched|unchanged|new version|failed)", first)
    return {k: int(v) for v, k in found}


def snapshot(dest: Path) -> dict[str, tuple[int, int, str]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(dest.iterdir())
    }


def sidecar(dest: Path, stem: str) -> dict:
    return json.loads((dest / f"{stem}.meta.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- happy path


def test_fetches_documents_with_sidecars(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/report.pdf"), "2018-05"),
        row(server.url("/docs/page.html"), "2019-01/2019-09", report_kind="quarterly"),
        row(server.url("/old/page.html"), "2021-Q3"),
    ])
    code, out, err = fetch(manifest, dest, capsys)
    assert code == 0, err
    assert err == ""
    assert summary_counts(out) == {"fetched": 3, "unchanged": 0, "new version": 0, "failed": 0}
    assert sorted(p.name for p in dest.iterdir()) == [
        "127-0-0-1-2018-05.meta.json", "127-0-0-1-2018-05.pdf",
        "127-0-0-1-2019-01-2019-09.html", "127-0-0-1-2019-01-2019-09.meta.json",
        "127-0-0-1-2021-q3.html", "127-0-0-1-2021-q3.meta.json",
    ]
    assert (dest / "127-0-0-1-2018-05.pdf").read_bytes() == PDF

    pdf_meta = sidecar(dest, "127-0-0-1-2018-05")
    assert pdf_meta["report_id"] == "127-0-0-1-2018-05"
    assert pdf_meta["file"] == "127-0-0-1-2018-05.pdf"
    assert pdf_meta["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert pdf_meta["size"] == len(PDF)
    assert pdf_meta["format"] == "pdf"
    assert pdf_meta["http_status"] == 200
    assert pdf_meta["content_type"] == "application/pdf"
    assert pdf_meta["etag"] == '"pdf-1"'
    assert pdf_meta["last_modified"] == LAST_MODIFIED
    assert pdf_meta["url"] == pdf_meta["final_url"] == server.url("/docs/report.pdf")
    assert pdf_meta["language"] == "vi"
    assert pdf_meta["how_obtained"] == "fetched by baocao fetch"
    assert pdf_meta["publisher"] == "Cơ quan thử nghiệm (127.0.0.1)"
    assert pdf_meta["title_vi"] == "Tình hình kinh tế - xã hội kỳ 2018-05"
    assert pdf_meta["period"] == "2018-05" and pdf_meta["report_kind"] == "monthly"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", pdf_meta["date_accessed"])

    html_meta = sidecar(dest, "127-0-0-1-2019-01-2019-09")
    assert html_meta["format"] == "html"
    assert html_meta["sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert html_meta["size"] == len(PAGE)
    assert html_meta["report_kind"] == "quarterly"

    moved = sidecar(dest, "127-0-0-1-2021-q3")
    assert moved["url"] == server.url("/old/page.html")
    assert moved["final_url"] == server.url("/docs/moved-here.html")
    assert moved["http_status"] == 200

    # Politeness: every request says who is asking.
    agents = {headers["User-Agent"] for _, headers in server.hits}
    assert agents == {f"baocao/{__version__} (+research; contact in README)"}


def test_sidecar_has_every_seed_field_so_build_picks_it_up(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/docs/page.html"), "2022-06")])
    assert fetch(manifest, dest, capsys)[0] == 0
    seed = json.loads(SEED_SIDECAR.read_text(encoding="utf-8"))
    seed_only = {"publisher_en", "province", "title_en", "original_name"}  # hand-written extras
    meta = sidecar(dest, "127-0-0-1-2022-06")
    assert set(seed) - seed_only <= set(meta)
    assert list(meta)[:13] == [k for k in seed if k not in seed_only]  # same order as the seed
    assert (dest / meta["file"]).is_file()
    assert meta["report_id"] == Path(meta["file"]).stem


# --------------------------------------------------------------------------- resumable


def test_second_run_changes_nothing(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/report.pdf"), "2018-05"),
        row(server.url("/docs/page.html"), "2019-04"),
        row(server.url("/docs/no-validators.html"), "2020-01"),
    ])
    assert fetch(manifest, dest, capsys)[0] == 0
    before = snapshot(dest)
    server.hits.clear()

    code, out, err = fetch(manifest, dest, capsys)
    assert code == 0 and err == ""
    assert summary_counts(out) == {"fetched": 0, "unchanged": 3, "new version": 0, "failed": 0}
    assert snapshot(dest) == before
    sent = dict(server.hits)
    # Conditional requests from the sidecar's validators; the server answers 304.
    assert sent["/docs/report.pdf"]["If-None-Match"] == '"pdf-1"'
    assert sent["/docs/report.pdf"]["If-Modified-Since"] == LAST_MODIFIED
    assert sent["/docs/page.html"]["If-None-Match"] == '"page-1"'
    # No validators: the body is fetched again and found identical by sha256.
    assert "If-None-Match" not in sent["/docs/no-validators.html"]


def test_changed_document_becomes_a_new_version_and_the_old_one_stays(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    url = server.url("/docs/changing.html")
    manifest = write_manifest(tmp_path / "m.csv", [row(url, "2023-07")])
    assert fetch(manifest, dest, capsys)[0] == 0
    old_file, old_meta = dest / "127-0-0-1-2023-07.html", dest / "127-0-0-1-2023-07.meta.json"
    old = snapshot(dest)
    old_body = server.changing

    server.changing = old_body.replace(b"</body>", b"<p>B\xe1\xba\xa3n s\xe1\xbb\xada.</p></body>")
    code, out, err = fetch(manifest, dest, capsys)
    assert code == 0, err
    assert summary_counts(out)["new version"] == 1
    assert old_file.read_bytes() == old_body  # untouched, bytes and mtime
    assert {k: v for k, v in snapshot(dest).items() if k in old} == old

    new = [p for p in dest.iterdir() if p.name not in old]
    assert len(new) == 2
    new_meta_path = next(p for p in new if p.name.endswith(".meta.json"))
    meta = json.loads(new_meta_path.read_text(encoding="utf-8"))
    version = f"127-0-0-1-2023-07.v{meta['date_accessed']}"
    assert new_meta_path.name == f"{version}.meta.json"
    assert meta["file"] == f"{version}.html"
    assert meta["report_id"] == "127-0-0-1-2023-07"  # the same report, a newer copy of it
    assert meta["supersedes"] == "127-0-0-1-2023-07.html"
    assert (dest / meta["file"]).read_bytes() == server.changing
    assert meta["sha256"] == hashlib.sha256(server.changing).hexdigest()
    assert "supersedes" not in json.loads(old_meta.read_text(encoding="utf-8"))

    # A third run compares with the newest version: unchanged, nothing written.
    before = snapshot(dest)
    code, out, _ = fetch(manifest, dest, capsys)
    assert code == 0 and summary_counts(out)["unchanged"] == 1
    assert snapshot(dest) == before

    # A second change on the same day: a third file, named to sort after the second.
    third_body = server.changing.replace(b"</body>", b"<p>3</p></body>")
    server.changing = third_body
    code, out, _ = fetch(manifest, dest, capsys)
    assert code == 0 and summary_counts(out)["new version"] == 1
    third = json.loads((dest / f"{version}b.meta.json").read_text(encoding="utf-8"))
    assert third["file"] == f"{version}b.html" and third["supersedes"] == f"{version}.html"
    assert (dest / third["file"]).read_bytes() == third_body
    files = sorted(p.name for p in dest.glob("*.html"))
    assert files == ["127-0-0-1-2023-07.html", f"{version}.html", f"{version}b.html"]


def test_build_reads_fetched_sidecars_and_uses_the_newest_version(server, tmp_path, capsys):
    build = pytest.importorskip("baocao.publish.build")
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/report.pdf"), "2018-05"),
        row(server.url("/docs/changing.html"), "2023-07"),
    ])
    assert fetch(manifest, dest, capsys)[0] == 0
    server.changing = server.changing.replace(b"</body>", b"<p>v2</p></body>")
    assert fetch(manifest, dest, capsys)[0] == 0
    chosen = build.read_manifest(dest)  # checks each sidecar's file, sha256 and size
    assert [(s.report_id, s.report.name.split(".v")[0], s.report.suffix) for s in chosen] == [
        ("127-0-0-1-2018-05", "127-0-0-1-2018-05.pdf", ".pdf"),
        ("127-0-0-1-2023-07", "127-0-0-1-2023-07", ".html"),
    ]
    assert chosen[1].report.read_bytes() == server.changing


def test_missing_document_is_restored_from_the_same_bytes(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/docs/page.html"), "2019-04")])
    assert fetch(manifest, dest, capsys)[0] == 0
    (dest / "127-0-0-1-2019-04.html").unlink()
    server.hits.clear()
    code, out, _ = fetch(manifest, dest, capsys)
    assert code == 0 and summary_counts(out)["fetched"] == 1
    assert "If-None-Match" not in server.hits[0][1]  # we no longer hold it: ask unconditionally
    assert (dest / "127-0-0-1-2019-04.html").read_bytes() == PAGE
    assert sorted(p.name for p in dest.iterdir()) == [
        "127-0-0-1-2019-04.html", "127-0-0-1-2019-04.meta.json"]


def test_manifest_sha256_is_verified_and_spares_requests(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    good = hashlib.sha256(PDF).hexdigest()
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/report.pdf"), "2018-05", sha256=good),
        row(server.url("/docs/page.html"), "2018-06", sha256="0" * 64),
    ])
    code, out, err = fetch(manifest, dest, capsys)
    assert code == 2
    assert err.splitlines() == [f"baocao: {server.url('/docs/page.html')}: sha256 mismatch: "
                                f"manifest expects 000000000000…, got "
                                f"{hashlib.sha256(PAGE).hexdigest()[:12]}…"]
    assert sorted(p.name for p in dest.iterdir()) == [
        "127-0-0-1-2018-05.meta.json", "127-0-0-1-2018-05.pdf"]
    server.hits.clear()
    fetch(manifest, dest, capsys)
    assert "/docs/report.pdf" not in server.paths_hit()  # pinned and held: no request at all


def test_two_urls_with_the_same_publisher_and_period_get_distinct_stems(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/report.pdf"), "2020"),
        row(server.url("/docs/page.html"), "2020"),
    ])
    code, out, _ = fetch(manifest, dest, capsys)
    assert code == 0
    metas = sorted(dest.glob("*.meta.json"))
    assert [m.name for m in metas] == [
        "127-0-0-1-2020-" + hashlib.sha1(server.url("/docs/page.html").encode()).hexdigest()[:6]
        + ".meta.json",
        "127-0-0-1-2020.meta.json",
    ]
    # Stable across runs: each URL keeps the stem it was first stored under.
    before = snapshot(dest)
    assert summary_counts(fetch(manifest, dest, capsys)[1])["unchanged"] == 2
    assert snapshot(dest) == before


def test_compressed_body_is_stored_decoded(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/gzipped.html"), "2023-02")])
    assert fetch(manifest, dest, capsys)[0] == 0
    meta = sidecar(dest, "127-0-0-1-2023-02")
    assert (dest / meta["file"]).read_bytes() == PAGE
    assert meta["sha256"] == hashlib.sha256(PAGE).hexdigest() and meta["size"] == len(PAGE)


def test_quiet_prints_failures_only(server, tmp_path, capsys):
    manifest = write_manifest(tmp_path / "m.csv", [
        row(server.url("/docs/page.html"), "2021-01"),
        row(server.url("/missing.pdf"), "2021-02"),
    ])
    code, out, err = fetch(manifest, tmp_path / "raw", capsys, "--quiet")
    assert code == 2
    assert out == ""
    assert err == f"baocao: {server.url('/missing.pdf')}: HTTP 404 Not Found\n"


def test_progress_bar_goes_to_stderr_and_failures_still_reported(server, tmp_path, capsys):
    from baocao.fetch.manifest import SourceRow

    client = HttpClient(ClientSettings(user_agent="t", rate=1000, timeout=2))
    rows = [SourceRow(line=2, url=server.url("/docs/report.pdf"), period="2018-05"),
            SourceRow(line=3, url=server.url("/missing.pdf"), period="2018-06")]
    lines: list[str] = []
    summary = fetch_rows(rows, tmp_path / "raw", client, progress=True, report=lines.append)
    out, err = capsys.readouterr()
    assert out == ""
    assert "fetch:" in err and "/2 [" in err  # the bar, on stderr
    assert [o.status for o in summary.outcomes] == ["fetched", "failed"]
    assert lines == [f"baocao: {server.url('/missing.pdf')}: HTTP 404 Not Found"]


def test_leftovers_of_a_killed_run_are_swept_but_live_ones_kept(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    dest.mkdir()
    stale = dest / ".baocao-fetch.k1ll3d.part"
    stale.write_bytes(PDF[:100])
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    live = dest / ".baocao-fetch.l1v3.part"
    live.write_bytes(PDF[:100])
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/docs/page.html"), "2021-01")])
    assert fetch(manifest, dest, capsys)[0] == 0
    assert not stale.exists()
    assert live.exists()


# --------------------------------------------------------------------------- retries


def test_server_error_then_success_is_retried(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/flaky.html"), "2021-05")])
    code, out, err = fetch(manifest, dest, capsys)
    assert code == 0 and err == ""
    assert server.paths_hit() == ["/flaky.html", "/flaky.html"]
    assert (dest / "127-0-0-1-2021-05.html").read_bytes() == PAGE


def test_429_retry_after_is_honoured(server, tmp_path):
    slept: list[float] = []
    settings = ClientSettings(user_agent="t", backoff=0.01, rate=1000, timeout=2)
    client = HttpClient(settings, sleep=slept.append)
    result = client.download(server.url("/busy.html"), tmp_path)
    try:
        assert result.status == 200 and result.attempts == 2
        assert result.path.read_bytes() == PAGE
    finally:
        result.path.unlink()
    assert client.waits == [1.0]  # Retry-After: 1, not the 0.01 s backoff
    assert list(tmp_path.iterdir()) == []


def test_429_through_the_command(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/busy.html"), "2021-04")])
    code, out, _ = fetch(manifest, dest, capsys)
    assert code == 0 and summary_counts(out)["fetched"] == 1
    assert server.paths_hit() == ["/busy.html", "/busy.html"]


def test_backoff_doubles_and_retry_after_is_capped(server, tmp_path):
    slept: list[float] = []
    settings = ClientSettings(user_agent="t", backoff=0.5, rate=1000, retries=3, timeout=2)
    client = HttpClient(settings, sleep=slept.append)
    gave_up = r"HTTP 503 Service Unavailable \(gave up after 4 attempts\)"
    with pytest.raises(FetchError, match=gave_up):
        client.download(server.url("/down.html"), tmp_path)
    assert client.waits == [0.5, 1.0, 2.0]
    assert server.paths_hit() == ["/down.html"] * 4

    capped = HttpClient(ClientSettings(user_agent="t", rate=1000, max_retry_after=0.25),
                        sleep=slept.append)
    result = capped.download(server.url("/busy.html"), tmp_path)
    result.path.unlink()
    assert capped.waits == [0.25]


# --------------------------------------------------------------------------- faults

FAULTS = [
    ("/missing.pdf", [], "HTTP 404 Not Found", 1),
    ("/down.html", ["--retries", "2"],
     "HTTP 503 Service Unavailable (gave up after 3 attempts)", 3),
    ("/slow.html", ["--timeout", "0.3", "--retries", "1"],
     "timed out (gave up after 2 attempts)", 2),
    ("/truncated.pdf", ["--retries", "1"], "body cut short", 2),
    ("/error-page.pdf", [], "expected a PDF but got an HTML page (Content-Type text/html)", 1),
    ("/mislabelled", [], "Content-Type says application/pdf but the body is not a PDF", 1),
    ("/loop-a", [], "redirect loop: ", 1),
    ("/to-ftp", [], "redirected to ftp://127.0.0.1/report.pdf: not an http(s) URL", 1),
    ("/big.pdf", ["--max-bytes", "100k"], "too large: Content-Length", 1),
    ("/big-unannounced.pdf", ["--max-bytes", "100k"], "too large: more than --max-bytes 102400", 1),
    ("/empty.html", [], "empty response body", 1),
    ("/image.png", [], "unsupported content: Content-Type image/png", 1),
]


@pytest.mark.parametrize(("path", "options", "reason", "requests"), FAULTS,
                         ids=[f[0].strip("/") for f in FAULTS])
def test_fault_is_reported_and_leaves_nothing(server, tmp_path, capsys, path, options, reason,
                                              requests):
    dest = tmp_path / "raw"
    good = server.url("/docs/page.html")
    bad = server.url(path)
    manifest = write_manifest(tmp_path / "m.csv", [row(bad, "2021-01"), row(good, "2021-02")])
    code, out, err = fetch(manifest, dest, capsys, *options)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"baocao: {bad}: ")
    assert reason in lines[0]
    assert summary_counts(out) == {"fetched": 1, "unchanged": 0, "new version": 0, "failed": 1}
    assert f"failed       {bad}: " in out and reason in out
    # The good row was still fetched; the bad one left no document, sidecar or temp file.
    assert sorted(p.name for p in dest.iterdir()) == [
        "127-0-0-1-2021-02.html", "127-0-0-1-2021-02.meta.json"]
    assert server.paths_hit().count(path) == requests


def test_redirect_loop_names_the_circle(server, tmp_path, capsys):
    manifest = write_manifest(tmp_path / "m.csv", [row(server.url("/loop-a"), "2021-01")])
    code, _, err = fetch(manifest, tmp_path / "raw", capsys)
    assert code == 2
    a, b = server.url("/loop-a"), server.url("/loop-b")
    assert err.strip() == f"baocao: {a}: redirect loop: {a} -> {b} -> {a}"


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://127.0.0.1/report.pdf", "not an http(s) URL (scheme ftp:)"),
    ("file:///etc/passwd", "not an http(s) URL (scheme file:)"),
    ("javascript:alert(1)", "not an http(s) URL (scheme javascript:)"),
    ("vanphong.langson.gov.vn/vi/node/72199", "not an http(s) URL (no scheme)"),
    ("http:///no-host", "not an http(s) URL (no host)"),
])
def test_non_http_urls_are_refused_without_a_request(server, tmp_path, capsys, url, reason):
    dest = tmp_path / "raw"
    manifest = write_manifest(tmp_path / "m.csv", [row(url, "2021-01")])
    code, out, err = fetch(manifest, dest, capsys)
    assert code == 2
    assert err == f"baocao: {url}: {reason}\n"
    assert summary_counts(out)["failed"] == 1
    assert list(dest.iterdir()) == []
    assert server.hits == []


def test_connection_refused_is_retried_then_reported(tmp_path, capsys):
    srv = FixtureServer()  # bound, then closed: nothing listens on its port any more
    url = srv.url("/docs/page.html")
    srv.server_close()
    manifest = write_manifest(tmp_path / "m.csv", [row(url, "2021-01")])
    code, _, err = fetch(manifest, tmp_path / "raw", capsys, "--retries", "1")
    assert code == 2
    assert err == (f"baocao: {url}: connection failed (Connection refused) "
                   "(gave up after 2 attempts)\n")


def test_unknown_host_fails_fast_and_once(tmp_path, capsys, monkeypatch):
    lookups: list[str] = []

    def no_such_host(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    urls = ["http://bao-cao.invalid/a.pdf", "http://bao-cao.invalid/b.pdf"]
    manifest = write_manifest(tmp_path / "m.csv", [row(u, f"2021-0{i}") for i, u in
                                                   enumerate(urls, 1)])
    code, out, err = fetch(manifest, tmp_path / "raw", capsys)
    assert code == 2
    assert err.splitlines() == [f"baocao: {u}: host not found (Name or service not known)"
                                for u in urls]
    assert lookups == ["bao-cao.invalid"]  # no retries, and not asked again for the second URL


def test_html_at_pdf_manifest_format(server, tmp_path, capsys):
    manifest = write_manifest(tmp_path / "m.csv",
                              [row(server.url("/docs/page.html"), "2021-01", format="pdf")])
    code, _, err = fetch(manifest, tmp_path / "raw", capsys)
    assert code == 2
    assert "expected a PDF but got an HTML page" in err
    assert list((tmp_path / "raw").iterdir()) == []


# --------------------------------------------------------------------------- manifest


@pytest.mark.parametrize(("content", "reason"), [
    (None, "no such file"),
    (b"", "empty manifest (no header row)"),
    (b"link,publisher\nhttp://example.org/a.pdf,X\n", "not a source manifest: no 'url' column"),
    (b"%PDF-1.4\n\x00\x01\x02binary", "not a CSV file (binary content)"),
    ("url,period\nhttp://a/b,2018\n".encode("utf-16"), "not a CSV file (binary content)"),
    (b"url,period\n\"http://a/b,2018\n", "not a CSV file (unexpected end of data)"),
    (b"url\n\xff\xfehttp://a\n", "not a UTF-8 CSV file"),
])
def test_bad_manifest_is_one_line_and_exit_2(tmp_path, capsys, content, reason):
    manifest = tmp_path / "m.csv"
    if content is not None:
        manifest.write_bytes(content)
    code = cli.main(["fetch", str(manifest), "--dest", str(tmp_path / "raw")])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith(f"baocao: {manifest}: {reason}")
    assert len(err.splitlines()) == 1


def test_row_problems_are_reported_per_row(server, tmp_path, capsys):
    manifest = write_manifest(tmp_path / "m.csv", [
        row("", "2021-01"),
        row(server.url("/docs/page.html"), "2021-02", sha256="abc"),
        row(server.url("/docs/report.pdf"), "2021-03"),
    ])
    code, out, err = fetch(manifest, tmp_path / "raw", capsys)
    assert code == 2
    assert err.splitlines() == [
        "baocao: manifest line 2: empty url",
        f"baocao: {server.url('/docs/page.html')}: sha256 column is not 64 hex digits: 'abc'",
    ]
    assert summary_counts(out) == {"fetched": 1, "unchanged": 0, "new version": 0, "failed": 2}
    assert "  failed       manifest line 2: empty url" in out.splitlines()


def test_dest_that_is_a_file_is_one_line(tmp_path, capsys):
    manifest = write_manifest(tmp_path / "m.csv", [row("http://127.0.0.1:9/x.pdf", "2021-01")])
    dest = tmp_path / "raw"
    dest.write_text("not a directory")
    code = cli.main(["fetch", str(manifest), "--dest", str(dest)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == f"baocao: {dest}: destination exists and is not a directory\n"


def test_the_shipped_manifest_reads_and_names_every_row(tmp_path):
    rows = read_manifest(SOURCES)
    with SOURCES.open(encoding="utf-8", newline="") as f:
        assert len(rows) == sum(1 for _ in csv.DictReader(f))
    by_url = {r.url: r for r in rows}
    assert base_stem(by_url["http://vanphong.langson.gov.vn/en/node/53046"]) == (
        "langson-vanphong-2018-05")
    assert base_stem(by_url["https://sokhdt.langson.gov.vn/node/28834"]) == (
        "langson-sokhdt-2022-01-2022-06")
    cuc = [r for r in rows if "cucthongkelangson" in r.url and r.period == "2025-Q1"]
    assert [base_stem(r) for r in cuc] == ["cucthongkelangson-2025-q1"]
    # Every row gets a distinct ASCII stem even where publisher and period coincide
    # (two VietnamPlus pages about other provinces in 2020).
    store = Store(tmp_path)
    stems = []
    for r in rows:
        stem = store.new_stem(base_stem(r), r.url)
        store.claim(stem)
        stems.append(stem)
    assert len(set(stems)) == len(rows)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s) for s in stems)
    assert sum(s.startswith("vietnamplus-en-2020") for s in stems) == 2


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(("text", "slug"), [
    ("Văn phòng UBND tỉnh Lạng Sơn", "van-phong-ubnd-tinh-lang-son"),
    ("Sở Kế hoạch và Đầu tư", "so-ke-hoach-va-dau-tu"),
    ("2019-01/2019-09", "2019-01-2019-09"),
    ("2025-Q1", "2025-q1"),
])
def test_slugify_is_ascii_without_diacritics(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(("url", "slug"), [
    ("http://vanphong.langson.gov.vn/en/node/53046", "langson-vanphong"),
    ("https://cucthongkelangson.gov.vn/x.html", "cucthongkelangson"),
    ("https://news.laodong.vn/a.ldo", "laodong-news"),
    ("https://www.vtcnews.vn/a.html", "vtcnews"),
    ("https://dantri.com.vn/a.htm", "dantri"),
    ("http://127.0.0.1:8000/a", "127-0-0-1"),
])
def test_host_slug(url, slug):
    assert host_slug(url) == slug


def test_retry_after_parsing():
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Thu, 26 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 26 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_rate_limiter_spaces_requests_per_host():
    clock = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock[0] += s

    limiter = HostRateLimiter(2.0, clock=lambda: clock[0], sleep=sleep)
    assert limiter.wait("a.gov.vn") == 0
    assert limiter.wait("b.gov.vn") == 0  # another host is not held up
    assert limiter.wait("a.gov.vn") == pytest.approx(0.5)
    clock[0] += 2.0
    assert limiter.wait("a.gov.vn") == 0  # idle long enough
    assert slept == [pytest.approx(0.5)]


def test_manifest_error_type():
    with pytest.raises(ManifestError, match="no such file"):
        read_manifest("/nonexistent/sources.csv")
