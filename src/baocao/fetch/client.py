"""A polite HTTP client for report pages: standard library only (``urllib.request``).

Politeness: a clear User-Agent, at most ``rate`` requests per second to any one host
(redirect hops included), ``Retry-After`` honoured (capped), exponential backoff on 408,
429, 5xx, dropped connections and timeouts. Safety: only ``http``/``https`` URLs (redirects
included), a redirect limit and loop detection, a per-operation timeout, a size limit that
stops reading as soon as it is exceeded, and a check that the body is as long as the server
announced. The body streams into a temporary file in the destination directory, hashed on
the way; whoever calls :meth:`HttpClient.download` moves it into place or deletes it.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import os
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https")
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
CHUNK = 64 * 1024
TEMP_PREFIX = ".baocao-fetch."  # every temporary file in DEST is .baocao-fetch.*.part
TEMP_SUFFIX = ".part"


class FetchError(Exception):
    """A download that failed for good; ``str(err)`` is the one-line reason."""


class _RetryableError(FetchError):
    """A failure worth another attempt (overloaded server, dropped connection, timeout)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class _UnknownHost(FetchError):
    """DNS says the host does not exist; later URLs on that host fail without asking again."""


@dataclass(frozen=True)
class ClientSettings:
    """Knobs of :class:`HttpClient`; the CLI exposes each as an option."""

    user_agent: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    rate: float = 1.0
    max_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 10
    max_retry_after: float = 120.0


@dataclass
class Download:
    """The outcome of one successful exchange.

    ``status`` 304 means the server confirmed the copy we have (``path`` is None); otherwise
    ``path`` is a complete temporary file in the destination directory.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    etag: str | None
    last_modified: str | None
    path: Path | None
    size: int
    sha256: str
    head: bytes
    attempts: int


def check_url(url: str) -> str | None:
    """Why ``url`` may not be fetched (None when it may): only absolute http(s) URLs."""
    if not url:
        return "empty url"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        return "not an http(s) URL (no scheme)"
    if scheme not in ALLOWED_SCHEMES:
        return f"not an http(s) URL (scheme {scheme}:)"
    if not parts.hostname:
        return "not an http(s) URL (no host)"
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns None for a missing or unreadable header; a date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class HostRateLimiter:
    """At most ``rate`` requests per second per host; waits (sleeps) before each request."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` is allowed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but only to http(s), at most ``limit`` hops, never in a circle,
    and at the per-host rate."""

    def __init__(self, limit: int, limiter: HostRateLimiter) -> None:
        super().__init__()
        self.max_redirections = limit + 5  # our own checks below fire first
        self.limit = limit
        self.limiter = limiter
        self.chain: list[str] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.chain:
            self.chain.append(req.full_url)
        problem = check_url(newurl)
        if problem is not None:
            fp.close()
            raise FetchError(f"redirected to {newurl}: {problem}")
        if newurl in self.chain:
            fp.close()
            loop = " -> ".join([*self.chain[self.chain.index(newurl):], newurl])
            raise FetchError(f"redirect loop: {loop}")
        if len(self.chain) > self.limit:
            fp.close()
            raise FetchError(f"too many redirects (more than {self.limit})")
        self.chain.append(newurl)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            self.limiter.wait(urlsplit(newurl).hostname or "")
        return new


class HttpClient:
    """Downloads one URL at a time, politely; see the module docstring for the rules."""

    def __init__(
        self,
        settings: ClientSettings,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self.limiter = HostRateLimiter(settings.rate, clock=clock, sleep=sleep)
        self.waits: list[float] = []  # backoff / Retry-After sleeps, for the record
        self._unknown_hosts: dict[str, str] = {}

    def download(
        self, url: str, dest_dir: Path, headers: dict[str, str] | None = None
    ) -> Download:
        """Fetch ``url`` into a temporary file in ``dest_dir``, retrying what is worth it.

        Raises :class:`FetchError` with a one-line reason; no temporary file survives it.
        """
        problem = check_url(url)
        if problem is not None:
            raise FetchError(problem)
        s = self.settings
        host = urlsplit(url).hostname or ""
        if host in self._unknown_hosts:
            raise FetchError(self._unknown_hosts[host])
        attempts = s.retries + 1
        last: _RetryableError | None = None
        for attempt in range(attempts):
            if attempt:
                delay = self._delay(attempt, last)
                self.waits.append(delay)
                self._sleep(delay)
            self.limiter.wait(host)
            try:
                result = self._attempt(url, dest_dir, headers or {})
            except _RetryableError as err:
                last = err
                continue
            except _UnknownHost as err:
                self._unknown_hosts[host] = str(err)
                raise
            result.attempts = attempt + 1
            return result
        assert last is not None
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        raise FetchError(f"{last} (gave up after {tries})")

    def _delay(self, attempt: int, last: _RetryableError | None) -> float:
        s = self.settings
        if last is not None and last.retry_after is not None:
            return min(last.retry_after, s.max_retry_after)
        return min(s.backoff * 2 ** (attempt - 1), s.max_backoff)

    def _attempt(self, url: str, dest_dir: Path, headers: dict[str, str]) -> Download:
        s = self.settings
        guard = _RedirectGuard(s.max_redirects, self.limiter)
        opener = urllib.request.build_opener(guard)
        request = urllib.request.Request(url, method="GET")
        request.add_header("User-Agent", s.user_agent)
        request.add_header("Accept", "application/pdf, text/html;q=0.9, */*;q=0.5")
        request.add_header("Accept-Encoding", "identity")
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            response = opener.open(request, timeout=s.timeout)
        except urllib.error.HTTPError as err:
            try:
                return self._http_error(url, err)
            finally:
                err.close()
        except FetchError:
            raise
        except urllib.error.URLError as err:
            raise self._connection_error(err.reason) from err
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as err:
            raise self._connection_error(err) from err
        with response:
            return self._receive(url, response, dest_dir)

    def _http_error(self, url: str, err: urllib.error.HTTPError) -> Download:
        if err.code == 304:
            return Download(
                url=url, final_url=err.geturl() or url, status=304,
                content_type=err.headers.get("Content-Type", "") if err.headers else "",
                etag=None, last_modified=None, path=None, size=0, sha256="", head=b"",
                attempts=1,
            )
        reason = f"HTTP {err.code} {err.reason}".rstrip()
        if err.code in RETRYABLE_STATUS:
            after = parse_retry_after(err.headers.get("Retry-After") if err.headers else None)
            raise _RetryableError(reason, retry_after=after)
        raise FetchError(reason)

    @staticmethod
    def _connection_error(reason: object) -> FetchError:
        if isinstance(reason, ssl.SSLCertVerificationError):
            return FetchError(f"TLS certificate not trusted ({reason.verify_message})")
        if isinstance(reason, TimeoutError):
            return _RetryableError("timed out")
        if isinstance(reason, socket.gaierror):
            text = f"host not found ({reason.strerror or reason})"
            if reason.errno == socket.EAI_NONAME:  # the name does not exist: retrying won't help
                return _UnknownHost(text)
            return _RetryableError(text)
        if isinstance(reason, http.client.IncompleteRead):
            return _RetryableError(f"body cut short ({_incomplete(reason)})")
        if isinstance(reason, OSError) and reason.strerror:
            return _RetryableError(f"connection failed ({reason.strerror})")
        return _RetryableError(f"connection failed ({reason})")

    def _receive(self, url: str, response, dest_dir: Path) -> Download:
        s = self.settings
        announced = _content_length(response.headers.get("Content-Length"))
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if announced is not None and encoding == "identity" and announced > s.max_bytes:
            raise FetchError(
                f"too large: Content-Length {announced} bytes exceeds --max-bytes {s.max_bytes}"
            )
        decoder = _decoder(encoding)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=dest_dir)
        path = Path(tmp)
        digest = hashlib.sha256()
        received = 0  # bytes on the wire
        size = 0  # bytes after content decoding
        head = b""
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        chunk = response.read(CHUNK)
                    except TimeoutError as err:
                        raise _RetryableError("timed out while reading the body") from err
                    except http.client.IncompleteRead as err:
                        raise _RetryableError(f"body cut short ({_incomplete(err)})") from err
                    except (ConnectionError, http.client.HTTPException, OSError) as err:
                        raise self._connection_error(err) from err
                    if not chunk:
                        break
                    received += len(chunk)
                    try:
                        data = decoder(chunk) if decoder else chunk
                    except zlib.error as err:
                        raise FetchError(f"corrupt {encoding} body ({err})") from err
                    size += len(data)
                    if size > s.max_bytes:
                        raise FetchError(f"too large: more than --max-bytes {s.max_bytes} bytes")
                    if len(head) < 1024:
                        head += data[: 1024 - len(head)]
                    digest.update(data)
                    out.write(data)
            if announced is not None and received < announced:
                raise _RetryableError(
                    f"body cut short (got {received} of {announced} bytes announced "
                    "by Content-Length)"
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Download(
            url=url,
            final_url=response.geturl() or url,
            status=response.status,
            content_type=response.headers.get("Content-Type", "") or "",
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            path=path,
            size=size,
            sha256=digest.hexdigest(),
            head=head,
            attempts=1,
        )


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


def _incomplete(err: http.client.IncompleteRead) -> str:
    if err.expected is not None:
        return f"got {len(err.partial)} bytes, {err.expected} more expected"
    return f"got {len(err.partial)} bytes"


def _decoder(encoding: str) -> Callable[[bytes], bytes] | None:
    """A streaming decoder for a ``Content-Encoding`` some servers send even unasked."""
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress
    if encoding == "deflate":
        return zlib.decompressobj().decompress
    raise FetchError(f"unsupported Content-Encoding {encoding!r}")
