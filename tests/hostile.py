"""Hostile inputs, generated on demand (nothing large is committed).

Each generator writes one file and returns its path. The PDFs are written by hand (a
handful of objects and a cross-reference table) or with reportlab, so that every byte is
known: a decompression bomb, a page the size of a wall, hundreds of ruled pages, a broken
character map, and seeded random mutations of a small real report.
"""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# --------------------------------------------------------------------------- raw PDF


def raw_pdf(streams: list[bytes], *, page_size: tuple[int, int] = (595, 842),
            filters: list[str | None] | None = None, info: bytes | None = None) -> bytes:
    """A minimal valid PDF: one page whose content is ``streams`` (already encoded,
    ``filters[i]`` names each one's filter), Helvetica as ``/F1``, an optional raw
    ``/Info`` dictionary body. The cross-reference table is exact."""
    filters = filters or [None] * len(streams)
    objects: list[bytes] = []
    n_streams = len(streams)
    content_ids = " ".join(f"{5 + i} 0 R" for i in range(n_streams))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objects.append(
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_size[0]} {page_size[1]}] "
        f"/Resources << /Font << /F1 4 0 R >> >> /Contents [{content_ids}] >>".encode()
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for data, name in zip(streams, filters, strict=True):
        flt = f" /Filter /{name}" if name else ""
        objects.append(
            f"<< /Length {len(data)}{flt} >>\nstream\n".encode() + data + b"\nendstream"
        )
    if info is not None:
        objects.append(info)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info is not None:
        trailer += f" /Info {len(objects)} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def text_stream(lines: list[str], size: int = 11, top: int = 800) -> bytes:
    """A content stream drawing ``lines`` (Latin-1 only) with /F1."""
    ops = [f"BT /F1 {size} Tf 72 {top} Td {size + 3} TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) '")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def flate_bomb(path: Path, inflated_mib: int) -> Path:
    """A one-page PDF whose second content stream inflates to ``inflated_mib`` MiB of
    blanks (compressed about a thousand to one)."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [packer.compress(block) for _ in range(inflated_mib)]
    bomb = b"".join(parts) + packer.flush()
    body = text_stream(["Tong thu ngan sach dat 462,4 ty dong."] * 5)
    path.write_bytes(raw_pdf([body, bomb], filters=[None, "FlateDecode"]))
    return path


def garbled_pdf(path: Path) -> Path:
    """A text layer whose character map is broken: control codes where letters were
    (what pdfium gives for a subset font without a usable ToUnicode map)."""
    lines = []
    for i in range(30):
        lines.append(f"\x01Y BAN NH\x02N D\x02N T\x03NH L\x04NG S\x05N {i}")
        lines.append(f"T\x06ng thu ng\x07n s\x08ch \x0e\x0bt {i},4 t\x0f \x10\x11ng")
    path.write_bytes(raw_pdf([text_stream(lines, size=9)]))
    return path


def corrupt_title_pdf(path: Path) -> Path:
    """A readable page whose /Info /Title is a UTF-16 string cut in the middle of a
    character (an odd number of bytes after the byte-order mark)."""
    body = text_stream(["Tong thu ngan sach dat 462,4 ty dong."] * 5)
    info = b"<< /Title <FEFF00540069007400D8> /Author <FEFFD800> >>"
    path.write_bytes(raw_pdf([body], info=info))
    return path


# --------------------------------------------------------------------------- reportlab


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "HostileDejaVu"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / "DejaVuSans.ttf")))
    return name


def _ruled_table(c, x: float, top: float, rows: int, cols: int, w: float, h: float,
                 font: str) -> None:
    """A grid of ``rows`` x ``cols`` cells with a figure in each (top-left at x, top)."""
    for r in range(rows + 1):
        c.line(x, top - r * h, x + cols * w, top - r * h)
    for k in range(cols + 1):
        c.line(x + k * w, top, x + k * w, top - rows * h)
    c.setFont(font, 9)
    for r in range(rows):
        for k in range(cols):
            label = "Chỉ tiêu" if k == 0 else f"{r * 10 + k},5"
            c.drawString(x + k * w + 3, top - (r + 1) * h + 4, label)


def giant_page_table(path: Path, side: float = 14_400) -> Path:
    """One page ``side`` points square (14,400 pt is the PDF maximum, 5 m) holding a
    ruled table and a paragraph; small as a file, enormous once rendered."""
    from reportlab.pdfgen.canvas import Canvas

    font = _register_font()
    c = Canvas(str(path), pagesize=(side, side), pageCompression=1)
    c.setFont(font, 11)
    c.drawString(72, side - 72, "Tổng thu ngân sách trên địa bàn tháng 8 đạt 462,4 tỷ đồng.")
    _ruled_table(c, 72, side - 120, 4, 3, 120, 18, font)
    c.showPage()
    c.save()
    return path


def ruled_pages(path: Path, pages: int) -> Path:
    """``pages`` A4 pages, each with a sentence and a ruled 6 x 4 table."""
    from reportlab.pdfgen.canvas import Canvas

    font = _register_font()
    c = Canvas(str(path), pagesize=(595, 842), pageCompression=1)
    for n in range(pages):
        c.setFont(font, 11)
        c.drawString(72, 780, f"Biểu số liệu {n + 1}: thu ngân sách đạt {n},5 tỷ đồng.")
        _ruled_table(c, 72, 740, 6, 4, 100, 18, font)
        c.showPage()
    c.save()
    return path


def small_report(path: Path) -> Path:
    """A two-page report with prose and a ruled table: the parent of the mutants."""
    from reportlab.pdfgen.canvas import Canvas

    font = _register_font()
    c = Canvas(str(path), pagesize=(595, 842), pageCompression=1)
    c.setTitle("Báo cáo tình hình kinh tế - xã hội tháng 8 năm 2017")
    sentences = [
        "Tổng thu ngân sách trên địa bàn tháng 8 ước đạt 462,4 tỷ đồng.",
        "Kim ngạch xuất nhập khẩu 8 tháng đạt 3.318 triệu USD, tăng 32,2%.",
        "Vốn đầu tư phát triển toàn xã hội ước đạt 5.152,5 tỷ đồng.",
        "Tổng mức bán lẻ hàng hóa 8 tháng đạt 10.265 tỷ đồng, tăng 11,6%.",
    ]
    for page in range(2):
        c.setFont(font, 11)
        for i, sentence in enumerate(sentences * 3):
            c.drawString(72, 780 - 16 * i, sentence)
        if page == 1:
            _ruled_table(c, 72, 500, 5, 3, 120, 18, font)
        c.showPage()
    c.save()
    return path


def mutants(parent: bytes, count: int, seed: int = 12) -> list[bytes]:
    """``count`` seeded mutations of ``parent``: flipped bytes, zeroed runs, duplicated
    and deleted slices, spliced numbers; the %%EOF marker is kept so that the readers,
    not the truncation check, meet the damage."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        data = bytearray(parent[:-7])  # without the final "%%EOF\n"
        for _ in range(rng.randint(1, 12)):
            kind = rng.randrange(5)
            at = rng.randrange(len(data))
            if kind == 0:
                data[at] = rng.randrange(256)
            elif kind == 1:
                data[at : at + rng.randint(1, 64)] = bytes(rng.randint(1, 64))
            elif kind == 2:
                span = rng.randint(1, 512)
                data[at:at] = data[at : at + span]
            elif kind == 3:
                del data[at : at + rng.randint(1, 256)]
            else:
                data[at:at] = str(rng.choice([0, -1, 2**31, 10**12, 99999999])).encode()
        out.append(bytes(data) + b"%%EOF\n")
    return out


# --------------------------------------------------------------------------- text


def many_figure_lines(path: Path, lines: int = 650_000) -> Path:
    """A text file of ``lines`` short lines with one figure each (just under the
    character limit at 650,000 lines)."""
    path.write_text("Thu 5 tỷ đồng.\n" * lines, encoding="utf-8")
    return path


def one_long_line(path: Path, characters: int = 9_500_000) -> Path:
    """A single line of ``characters`` characters full of figures and no sentence end."""
    unit = "tổng thu ngân sách đạt 462,4 tỷ đồng tăng 5% "
    path.write_text((unit * (characters // len(unit) + 1))[:characters], encoding="utf-8")
    return path


def nested_html(path: Path, depth: int = 5_000) -> Path:
    """An HTML page whose article sits ``depth`` elements deep."""
    body = "<div>" * depth + "<p>Tổng thu ngân sách đạt 462,4 tỷ đồng.</p>" + "</div>" * depth
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    return path
