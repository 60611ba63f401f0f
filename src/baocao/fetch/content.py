"""What a downloaded body is (PDF, HTML page, plain text), judged from its bytes first.

Portals answer a missing PDF with a friendly HTML page and status 200, mislabel PDFs as
``application/octet-stream``, and send HTML as ``text/plain``. So the first bytes decide,
the Content-Type and the manifest only veto: a URL ending ``.pdf`` or a manifest row saying
``pdf`` must deliver a PDF, and a body labelled ``application/pdf`` must be one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .client import FetchError

EXTENSIONS = {"pdf": "pdf", "html": "html", "text": "txt"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<?xml")


def media_type(content_type: str) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return content_type.split(";", 1)[0].strip().lower()


def is_pdf(head: bytes) -> bool:
    """PDF magic within the first KiB (a few generators put junk before it)."""
    return b"%PDF-" in head[:1024]


def looks_like_html(head: bytes) -> bool:
    """An HTML document by its first bytes (after a BOM and white space)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_STARTS) or b"<html" in start[:1024]


def expects_pdf(url: str, manifest_format: str | None) -> bool:
    """The manifest says ``pdf``, or the URL's path ends in ``.pdf``."""
    if manifest_format == "pdf":
        return True
    return urlsplit(url).path.lower().endswith(".pdf")


def classify(
    head: bytes, size: int, content_type: str, url: str, manifest_format: str | None
) -> str:
    """The document format (``pdf``, ``html`` or ``text``) or :class:`FetchError` why not."""
    ctype = media_type(content_type)
    shown = ctype or "none"
    if size == 0:
        raise FetchError(f"empty response body (Content-Type {shown})")
    pdf = is_pdf(head)
    html = looks_like_html(head)
    if expects_pdf(url, manifest_format) and not pdf:
        what = "an HTML page" if html or ctype in _HTML_TYPES else "something else"
        raise FetchError(f"expected a PDF but got {what} (Content-Type {shown})")
    if ctype == "application/pdf" and not pdf:
        raise FetchError("Content-Type says application/pdf but the body is not a PDF")
    if pdf:
        if manifest_format == "html":
            raise FetchError(f"expected an HTML page but got a PDF (Content-Type {shown})")
        return "pdf"
    if html or ctype in _HTML_TYPES:
        return "html"
    if ctype == "text/plain":
        return "text"
    raise FetchError(f"unsupported content: Content-Type {shown} (expected a PDF or an HTML page)")
