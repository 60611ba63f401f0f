"""Text and markdown: every encoding a report arrives in reads as the same NFC text."""

from __future__ import annotations

import unicodedata

import pytest
from fixtures.make_fixtures import SEED

from baocao.ingest import InputError, read_document
from baocao.ingest.text import decode_bytes, legacy_font_encoding

VARIANTS = [
    "seed-bom.md",
    "seed-utf16le.txt",
    "seed-utf16be.txt",
    "seed-utf16le-nobom.txt",
    "seed-cp1258.txt",
    "seed-nfd.md",
    "seed-crlf.md",
]


@pytest.fixture(scope="module")
def clean_text():
    return read_document(SEED).text


def test_clean_seed_is_nfc_with_newlines(clean_text):
    assert clean_text == unicodedata.normalize("NFC", clean_text)
    assert "\r" not in clean_text and "\ufeff" not in clean_text
    assert "Tổng kim ngạch xuất nhập khẩu qua địa bàn tháng 8 ước đạt 380 triệu USD" in clean_text


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_reads_as_the_clean_text(report_files, clean_text, name):
    doc = read_document(report_files[name])
    assert doc.text == clean_text
    assert doc.kind == "markdown"


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_gives_the_same_figures(report_files, name):
    from baocao.api import extract

    def figures(path):
        frame = extract(path, report_id="langson-ubnd-2017-08")
        cols = ["indicator", "period", "measure", "value", "start", "end", "quote"]
        return sorted(tuple(str(v) for v in row) for row in frame[cols].itertuples(index=False))

    assert figures(report_files[name]) == figures(report_files["seed.md"])


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("seed-tcvn3.txt", "TCVN3 (ABC)"),
        ("seed-tcvn3-utf8.txt", "TCVN3 (ABC)"),
        ("seed-vni.txt", "VNI"),
        ("seed-vni-utf8.txt", "VNI"),
    ],
)
def test_legacy_font_encodings_are_refused_by_name(report_files, name, encoding):
    with pytest.raises(InputError) as err:
        read_document(report_files[name])
    assert err.value.reason == (
        f"legacy {encoding} font encoding; convert to Unicode first (e.g. with UniKey)"
    )


def test_legacy_detection_examples():
    assert legacy_font_encoding("Tæng thu ng©n s¸ch nhµ n­íc ­íc th¸ng 8 lµ 462,4 tû ®ång") == (
        "TCVN3 (ABC)"
    )
    vni = "Toång thu ngaân saùch nhaø nöôùc öôùc thaùng 8 laø 462,4 tyû ñoàng"
    assert legacy_font_encoding(vni) == "VNI"
    seed = SEED.read_text(encoding="utf-8")
    assert legacy_font_encoding(seed) is None
    assert legacy_font_encoding("Bản quyền © 2017 Cục Thống kê tỉnh Lạng Sơn ® mọi quyền") is None


def test_decode_edge_cases():
    text = "Tổng mức bán lẻ 8 tháng đạt 11.100 tỷ đồng\r\n"
    expected = "Tổng mức bán lẻ 8 tháng đạt 11.100 tỷ đồng\n"
    assert decode_bytes(text.encode("utf-16-be"), "x") == expected
    assert decode_bytes(b"\xfe\xff" + text.encode("utf-16-be"), "x") == expected
    assert decode_bytes(unicodedata.normalize("NFD", text).encode("utf-8"), "x") == expected
    with pytest.raises(InputError, match="empty file"):
        decode_bytes(b"\xef\xbb\xbf \r\n", "x")
    with pytest.raises(InputError, match="not a text file"):
        decode_bytes(bytes(range(256)) * 40, "x")


def test_utf8_with_a_stray_bad_byte_is_still_read(tmp_path):
    """A report whose UTF-8 has a couple of broken bytes (a cut download) is read, with
    U+FFFD in their place, rather than refused or misnamed as a legacy encoding."""
    from baocao.ingest import read_document

    path = tmp_path / "broken.txt"
    good = "Tổng thu ngân sách 8 tháng đạt 4.020 tỷ đồng.\n".encode()
    path.write_bytes(good * 50 + b"\xff\xfe")
    doc = read_document(path)
    assert doc.text.count("4.020 tỷ đồng") == 50
