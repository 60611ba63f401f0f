"""Bad input: one line ``baocao: PATH: reason`` per file, exit 2, no traceback, no partial
output, and the good inputs of the same batch still processed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.make_fixtures import PASSWORD

from baocao.cli import main
from baocao.ingest import InputError, read_document

# file -> the reason users are told
BAD = {
    "empty.md": "empty file",
    "blank.txt": "empty file",
    "random.txt": "not a text file (binary content)",
    "random.pdf": "not a PDF (no %PDF- header; damaged or another format)",
    "truncated.pdf": "truncated or damaged PDF (no %EOF end marker)",
    "html-error.pdf": "not a PDF: it is an HTML page (an error page saved as .pdf?)",
    "encrypted.pdf": "encrypted PDF: give the password with --password",
    "scanned.pdf": (
        "no text layer (a scanned PDF?); run OCR first, e.g. `ocrmypdf -l vie IN OUT`"
    ),
    "huge.pdf": "file too large (201 MB > 200 MB limit, BAOCAO_MAX_MB)",
    "seed-tcvn3.txt": (
        "legacy TCVN3 (ABC) font encoding; convert to Unicode first (e.g. with UniKey)"
    ),
    "seed-vni.txt": "legacy VNI font encoding; convert to Unicode first (e.g. with UniKey)",
}


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "reason"), sorted(BAD.items()))
def test_reader_reason(report_files, name, reason):
    with pytest.raises(InputError) as err:
        read_document(report_files[name])
    assert err.value.reason == reason
    assert err.value.path == str(report_files[name])


def test_missing_path_and_directory(tmp_path, capsys):
    missing = tmp_path / "nope.pdf"
    code, out, err = _run(["extract", str(missing), str(tmp_path)], capsys)
    assert code == 2
    assert err.splitlines() == [
        f"baocao: {missing}: no such file",
        f"baocao: {tmp_path}: is a directory, not a report file",
    ]
    assert out == ""


def test_batch_of_bad_files_one_line_each(report_files, tmp_path, capsys):
    paths = [str(report_files[n]) for n in sorted(BAD)]
    target = tmp_path / "out.jsonl"
    code, out, err = _run(["extract", *paths, "-o", str(target)], capsys)
    assert code == 2
    assert err.splitlines() == [f"baocao: {report_files[n]}: {BAD[n]}" for n in sorted(BAD)]
    assert "Traceback" not in err
    assert not target.exists()  # everything failed: no output file
    assert list(tmp_path.iterdir()) == []  # and no temporary left behind


def test_good_inputs_still_processed(report_files, tmp_path, capsys):
    target = tmp_path / "out.jsonl"
    argv = ["extract", str(report_files["empty.md"]), str(report_files["seed.md"]),
            str(report_files["truncated.pdf"]), "-o", str(target)]
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert err.splitlines() == [
        f"baocao: {report_files['empty.md']}: empty file",
        f"baocao: {report_files['truncated.pdf']}: truncated or damaged PDF (no %EOF end marker)",
    ]
    assert target.exists()
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert {r["source"] for r in rows} <= {str(report_files["seed.md"])}


def test_encrypted_pdf_password_option(report_files, capsys):
    path = str(report_files["encrypted.pdf"])
    code, _, err = _run(["extract", path, "--password", "wrong"], capsys)
    assert (code, err) == (2, f"baocao: {path}: encrypted PDF: the password given is wrong\n")
    code, out, err = _run(["extract", path, "--password", PASSWORD], capsys)
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    trade = [r for r in rows if r["indicator"] == "trade.total" and r["measure"] == "level"
             and r["period"] == "2017-01/2017-08"]
    assert trade and {r["value"] for r in trade} == {3318}


def test_time_limit(report_files, monkeypatch, capsys):
    monkeypatch.setenv("BAOCAO_TIMEOUT", "0.000001")
    path = str(report_files["report.pdf"])
    code, out, err = _run(["extract", path], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"baocao: {path}: took longer than 1e-06 s while reading page 1 ")
    assert err.count("\n") == 1


def test_size_limit_is_configurable(report_files, monkeypatch):
    monkeypatch.setenv("BAOCAO_MAX_MB", "0.01")
    with pytest.raises(InputError, match=r"file too large \(0.0408 MB > 0.01 MB limit"):
        read_document(report_files["seed.md"])


def test_command_line_end_to_end(report_files, tmp_path):
    """The installed ``baocao`` command: bad files reported, good ones written, exit 2."""
    exe = Path(sys.executable).with_name("baocao")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "baocao"]
    target = tmp_path / "out.csv"
    paths = [report_files["html-error.pdf"], report_files["scanned.pdf"], report_files["seed.md"]]
    proc = subprocess.run(
        [*cmd, "extract", *map(str, paths), "--format", "csv", "-o", str(target)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"baocao: {paths[0]}: {BAD['html-error.pdf']}",
        f"baocao: {paths[1]}: {BAD['scanned.pdf']}",
    ]
    assert target.exists()


def test_a_text_too_long_for_one_report_is_refused(tmp_path, capsys, monkeypatch):
    """More characters than any report has (a corpus glued together, or a hostile file):
    one line, exit 2, instead of minutes of work."""
    from baocao.cli import main

    monkeypatch.setenv("BAOCAO_MAX_CHARACTERS", "1000")
    path = tmp_path / "glued.txt"
    path.write_text("Tổng thu ngân sách đạt 462,4 tỷ đồng. " * 100, encoding="utf-8")
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"baocao: {path}: too large for one report (3,800 characters; the "
                   "limit is 1,000, BAOCAO_MAX_CHARACTERS)\n")
