"""A polite, careful HTTP client for report pages, on urllib3.

Politeness: a clear User-Agent, at most ``rate`` requests per second to any one host
(redirect hops included), ``Retry-After`` honoured (capped), exponential backoff on 408,
429, 5xx, dropped connections and timeouts; the retry policy is urllib3's
:class:`~urllib3.util.Retry`.

Safety: only ``http``/``https`` URLs (redirects included); a redirect limit and loop
detection; a redirect may not lead to a private, loopback or link-local address unless
the manifest's own host is one (checked on the address actually connected to, so a name
that resolves differently the second time cannot slip through); a timeout per connect
and per read, a total ``deadline`` per download (retries included), and a minimum rate
(a server that trickles a byte every few seconds is a timeout, not a download); a size
limit that stops reading as soon as it is exceeded; a download counts as complete only
when it is as long as the server announced and, for a PDF, ends with its ``%%EOF``
marker. Credentials in a ``user:password@`` URL are sent (as Basic authentication, to
that URL's own origin only) and never printed. The body streams into a temporary file
in the destination directory, hashed on the way; whoever calls
:meth:`HttpClient.download` moves it into place or deletes it.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import os
import secrets
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    DecodeError,
    HTTPError,
    InvalidHeader,
    LocationValueError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util import Retry, Timeout

from .urls import ALLOWED_SCHEMES, check_url, credentials, origin, private_address, redact
from .urls import host_is_private as _host_is_private

__all__ = ["ALLOWED_SCHEMES", "ClientSettings", "Download", "FetchError", "HttpClient",
           "check_url", "parse_retry_after", "redact"]

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
KNOWN_ENCODINGS = ("identity", "", "gzip", "x-gzip", "deflate")
CHUNK = 64 * 1024
MIN_RATE = 1024  # bytes per second, averaged over --timeout seconds: slower is a timeout
TEMP_PREFIX = ".baocao-fetch."  # every temporary file in DEST is .baocao-fetch.*.part
TEMP_SUFFIX = ".part"


class FetchError(Exception):
    """A download that failed for good; ``str(err)`` is the one-line reason."""


class _RetryableError(FetchError):
    """A failure worth another attempt (overloaded server, dropped connection, timeout);
    ``response`` (for its Retry-After) and ``error`` feed urllib3's retry policy."""

    def __init__(self, reason: str, response=None, error: Exception | None = None) -> None:
        super().__init__(reason)
        self.response = response
        self.error = error


class _UnknownHost(FetchError):
    """DNS says the host does not exist; later URLs on that host fail without asking again."""


class _PrivateAddress(FetchError):
    """A redirect led to an address of a private network (the message is the address)."""


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
    deadline: float = 600.0


@dataclass
class Download:
    """The outcome of one successful exchange.

    ``status`` 304 means the server confirmed the copy we have (``path`` is None); otherwise
    ``path`` is a complete temporary file in the destination directory. URLs are redacted.
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


class RetryPolicy(Retry):
    """urllib3's retry policy with baocao's backoff: ``backoff``, then doubling from the
    first retry (urllib3 waits nothing before its first), at most ``backoff_max``."""

    def get_backoff_time(self) -> float:
        errors = 0
        for entry in reversed(self.history):
            if entry.redirect_location is not None:
                break
            errors += 1
        if errors == 0:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1)))

    def delay(self, response) -> float:
        """Seconds before the next attempt: the server's Retry-After (capped), else the
        backoff."""
        if response is not None and self.respect_retry_after_header:
            try:
                after = self.get_retry_after(response)
            except InvalidHeader:
                after = None
            if after is not None:
                return float(after)
        return self.get_backoff_time()


# --------------------------------------------------------------------------- connections


class _PeerCheck:
    """Refuses, right after connecting and before anything is sent, a connection whose
    peer is a private address (the address really connected to, not a DNS answer)."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        peer = str(sock.getpeername()[0])
        if private_address(peer):
            sock.close()
            raise _PrivateAddress(peer)
        return sock


class _CheckedHTTPConnection(_PeerCheck, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_PeerCheck, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _pool_manager(*, public_only: bool, proxy: str | None) -> urllib3.PoolManager:
    if proxy is not None:
        return urllib3.ProxyManager(proxy, num_pools=8, retries=False)
    manager = urllib3.PoolManager(num_pools=8, retries=False)
    if public_only:
        manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
    return manager


def _proxy_for(url: str) -> str | None:
    """The proxy the environment names for ``url`` (``http_proxy``, ``no_proxy``…), as
    urllib.request would use it."""
    scheme, host, _ = origin(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy


# --------------------------------------------------------------------------- the client


class _Hop:
    """State of one download across its attempts: the deadline and the policy for
    private addresses (decided once, at the first redirect)."""

    def __init__(self, url: str, ends: float) -> None:
        self.url = url
        self.ends = ends
        self.private_ok: bool | None = None  # None: no redirect seen yet


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
        self._clock = clock
        self.limiter = HostRateLimiter(settings.rate, clock=clock, sleep=sleep)
        self.waits: list[float] = []  # backoff / Retry-After sleeps, for the record
        self._unknown_hosts: dict[str, str] = {}
        self._managers: dict[tuple[bool, str | None], urllib3.PoolManager] = {}

    def download(
        self, url: str, dest_dir: Path, headers: dict[str, str] | None = None
    ) -> Download:
        """Fetch ``url`` into a temporary file in ``dest_dir``, retrying what is worth it.

        Raises :class:`FetchError` with a one-line reason; no temporary file survives it.
        """
        problem = check_url(url)
        if problem is not None:
            raise FetchError(problem)
        host = urlsplit(url).hostname or ""
        if host in self._unknown_hosts:
            raise FetchError(self._unknown_hosts[host])
        s = self.settings
        hop = _Hop(url, self._clock() + s.deadline)
        policy = RetryPolicy(
            total=s.retries, connect=None, read=None, redirect=None, status=None, other=None,
            allowed_methods=None, status_forcelist=RETRYABLE_STATUS,
            backoff_factor=s.backoff, backoff_max=s.max_backoff,
            retry_after_max=s.max_retry_after, raise_on_status=False,
        )
        while True:
            self.limiter.wait(host)
            try:
                result = self._attempt(hop, dest_dir, headers or {})
            except _RetryableError as err:
                policy = self._next_try(policy, err, hop)
                continue
            except _UnknownHost as err:
                self._unknown_hosts[host] = str(err)
                raise
            result.attempts = len(policy.history) + 1
            return result

    def _next_try(self, policy: RetryPolicy, err: _RetryableError, hop: _Hop) -> RetryPolicy:
        """The policy after a failed attempt, having slept before the next; or
        :class:`FetchError` when the retries or the deadline are used up."""
        attempts = len(policy.history) + 1
        try:
            policy = policy.increment("GET", redact(hop.url), response=err.response,
                                      error=err.error)
        except MaxRetryError:
            tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
            raise FetchError(f"{err} (gave up after {tries})") from None
        delay = policy.delay(err.response)
        if self._clock() + delay > hop.ends:
            raise FetchError(f"{err} (gave up: the --deadline of "
                             f"{self.settings.deadline:g} s would pass)") from None
        self.waits.append(delay)
        if delay > 0:
            self._sleep(delay)
        return policy

    def _manager(self, url: str, public_only: bool) -> urllib3.PoolManager:
        proxy = _proxy_for(url)
        key = (public_only and proxy is None, proxy)
        if key not in self._managers:
            self._managers[key] = _pool_manager(public_only=key[0], proxy=proxy)
        return self._managers[key]

    def _attempt(self, hop: _Hop, dest_dir: Path, headers: dict[str, str]) -> Download:
        """One attempt: the request, its redirects, and the body."""
        chain = [hop.url]
        while True:
            response = self._request(chain[-1], hop, headers, first=len(chain) == 1)
            location = response.get_redirect_location() if response.status in \
                REDIRECT_STATUS else None
            if not location:
                return self._finish(hop, chain[-1], response, dest_dir)
            _discard(response)
            chain.append(self._redirect_target(hop, chain, urljoin(chain[-1], location)))
            self.limiter.wait(urlsplit(chain[-1]).hostname or "")

    def _redirect_target(self, hop: _Hop, chain: list[str], newurl: str) -> str:
        """``newurl`` if a redirect may go there, else :class:`FetchError` why not."""
        problem = check_url(newurl)
        if problem is not None:
            raise FetchError(f"redirected to {redact(newurl)}: {problem}")
        if newurl in chain:
            loop = " -> ".join(redact(u) for u in [*chain[chain.index(newurl):], newurl])
            raise FetchError(f"redirect loop: {loop}")
        if len(chain) > self.settings.max_redirects:
            raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")
        if hop.private_ok is None:
            hop.private_ok = _host_is_private(origin(hop.url)[1])
        if not hop.private_ok and _proxy_for(newurl) is not None:
            # through a proxy the address connected to is the proxy's: ask DNS instead
            if _host_is_private(origin(newurl)[1]):
                raise FetchError(f"redirected to {redact(newurl)}: a private network "
                                 "address; refused")
        return newurl

    def _request(self, url: str, hop: _Hop, headers: dict[str, str], first: bool):
        s = self.settings
        remaining = max(0.001, hop.ends - self._clock())
        wait = min(s.timeout, remaining)
        sent = {"User-Agent": s.user_agent,
                "Accept": "application/pdf, text/html;q=0.9, */*;q=0.5",
                "Accept-Encoding": "identity", **headers}
        login = credentials(hop.url) if origin(url) == origin(hop.url) else None
        if login is not None:  # the manifest URL's own, to its own origin only
            token = base64.b64encode(f"{login[0]}:{login[1]}".encode()).decode("ascii")
            sent["Authorization"] = f"Basic {token}"
        manager = self._manager(url, public_only=not first and not hop.private_ok)
        try:
            return manager.urlopen(
                "GET", url, headers=sent, redirect=False, retries=False,
                preload_content=False, decode_content=True,
                timeout=Timeout(connect=wait, read=wait),
            )
        except _PrivateAddress as err:
            raise FetchError(f"redirected to {redact(url)}, a private network address "
                             f"({err}); refused") from None
        except Exception as err:  # noqa: BLE001 - mapped to one line below
            raise failure(err) from err

    def _finish(self, hop: _Hop, final_url: str, response, dest_dir: Path) -> Download:
        """The download of a final (not redirect) response, or why it failed."""
        try:
            status = response.status
            if status == 304:
                return _not_modified(hop.url, final_url, response)
            if status >= 400:
                reason = f"HTTP {status} {response.reason or ''}".rstrip()
                if status in RETRYABLE_STATUS:
                    raise _RetryableError(reason, response=response)
                raise FetchError(reason)
            return self._receive(hop, final_url, response, dest_dir)
        finally:
            _discard(response)

    def _receive(self, hop: _Hop, final_url: str, response, dest_dir: Path) -> Download:
        s = self.settings
        headers = response.headers
        announced = _content_length(headers.get("Content-Length"))
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in KNOWN_ENCODINGS:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        if announced is not None and encoding in ("identity", "") and announced > s.max_bytes:
            raise FetchError(
                f"too large: Content-Length {announced} bytes exceeds --max-bytes {s.max_bytes}"
            )
        body = _Body(dest_dir)
        try:
            self._stream(hop, response, body, encoding)
            _check_complete(body, response, announced, encoding)
        except BaseException:
            body.discard()
            raise
        return Download(
            url=redact(hop.url), final_url=redact(final_url), status=response.status,
            content_type=headers.get("Content-Type", "") or "", etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"), path=body.path, size=body.size,
            sha256=body.digest.hexdigest(), head=body.head, attempts=1,
        )

    def _stream(self, hop: _Hop, response, body: _Body, encoding: str) -> None:
        """Copy the body into ``body`` in flat memory, within the size limit, the
        deadline and the minimum rate."""
        s = self.settings
        window_start, window_bytes = self._clock(), 0
        while True:
            try:
                chunk = response.read1(CHUNK)
            except DecodeError as err:
                raise FetchError(f"corrupt {encoding} body ({err})") from err
            except Exception as err:  # noqa: BLE001 - mapped to one line
                raise failure(err, while_reading=True) from err
            if not chunk:
                return
            body.write(chunk)
            if body.size > s.max_bytes:
                raise FetchError(f"too large: more than --max-bytes {s.max_bytes} bytes")
            now = self._clock()
            if now > hop.ends:
                raise FetchError(f"took longer than the --deadline of {s.deadline:g} s "
                                 f"(got {body.size} bytes)")
            window_bytes += len(chunk)
            if now - window_start >= s.timeout:
                if window_bytes < MIN_RATE * (now - window_start):
                    raise _RetryableError(
                        f"timed out: the server sent {window_bytes} bytes in "
                        f"{now - window_start:.0f} s (slower than {MIN_RATE} bytes/s)")
                window_start, window_bytes = now, 0


def temp_name() -> str:
    """A temporary file name in DEST owned by this process: ``.baocao-fetch.<pid>-<x>.part``
    (the pid tells the next run whether the writer is gone)."""
    return f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"


class _Body:
    """The temporary file a body streams into (:func:`temp_name`), with its size,
    sha256, first KiB and last 8 KiB."""

    def __init__(self, dest_dir: Path) -> None:
        self.path = dest_dir / temp_name()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.file = os.fdopen(fd, "wb")  # closed by _check_complete or discard
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = b""
        self.tail = b""

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if len(self.head) < 1024:
            self.head += data[: 1024 - len(self.head)]
        self.tail = (self.tail + data)[-8192:]
        self.digest.update(data)
        self.file.write(data)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def _check_complete(body: _Body, response, announced: int | None, encoding: str) -> None:
    """A body counts only when complete: as long as announced, a PDF with its end."""
    body.file.close()
    received = response.tell()
    if announced is not None and received < announced:
        raise _RetryableError(
            f"body cut short (got {received} of {announced} bytes announced by Content-Length)"
        )
    if b"%PDF-" in body.head[:1024] and b"%%EOF" not in body.tail:
        raise _RetryableError(
            f"body cut short (a PDF of {body.size} bytes without its %%EOF end marker; "
            "the connection dropped?)"
        )


def _not_modified(url: str, final_url: str, response) -> Download:
    return Download(
        url=redact(url), final_url=redact(final_url), status=304,
        content_type=response.headers.get("Content-Type", "") or "", etag=None,
        last_modified=None, path=None, size=0, sha256="", head=b"", attempts=1,
    )


def _discard(response) -> None:
    """Let go of a response. A body not read to its end is not drained (a server can
    trickle it for ever): the connection is closed instead."""
    try:
        if not response.closed and response.length_remaining != 0:
            response.close()
        response.release_conn()
    except Exception:  # noqa: BLE001 - the connection is dropped either way
        pass


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


def failure(err: Exception, while_reading: bool = False) -> FetchError:
    """One line for a failure of urllib3 or the network; retryable unless it cannot
    change (an unknown host, an untrusted certificate, a malformed URL)."""
    if isinstance(err, FetchError):
        return err
    cause = err.__cause__ or err.__context__
    if isinstance(err, NameResolutionError):
        text = f"host not found ({getattr(cause, 'strerror', None) or cause or err})"
        if isinstance(cause, socket.gaierror) and cause.errno == socket.EAI_NONAME:
            return _UnknownHost(text)
        return _RetryableError(text, error=err)
    if isinstance(err, SSLError):
        verify = getattr(cause, "verify_message", None)
        if verify:
            return FetchError(f"TLS certificate not trusted ({verify})")
        return _RetryableError(f"TLS connection failed ({cause or err})", error=err)
    if isinstance(err, NewConnectionError):
        reason = getattr(cause, "strerror", None) or cause or err
        return _RetryableError(f"connection failed ({reason})", error=err)
    if isinstance(err, (Urllib3Timeout, TimeoutError, socket.timeout)):
        return _RetryableError("timed out while reading the body" if while_reading
                               else "timed out", error=err)
    if isinstance(err, ProtocolError):
        return _RetryableError(_protocol_reason(err), error=err)
    if isinstance(err, LocationValueError):
        return FetchError(f"not a valid URL ({err})")
    if isinstance(err, (HTTPError, OSError)):
        reason = getattr(err, "strerror", None) or type(err).__name__
        return _RetryableError(f"connection failed ({reason})", error=err)
    return FetchError(f"request failed ({type(err).__name__}: {' '.join(str(err).split())})")


def _protocol_reason(err: ProtocolError) -> str:
    for arg in err.args:
        partial = getattr(arg, "partial", None)
        expected = getattr(arg, "expected", None)
        if isinstance(partial, int):
            more = f", {expected} more expected" if expected else ""
            return f"body cut short (got {partial} bytes{more})"
    cause = err.args[1] if len(err.args) > 1 else err.__context__
    reason = getattr(cause, "strerror", None) or type(cause).__name__ if cause else "dropped"
    return f"connection failed ({reason})"
