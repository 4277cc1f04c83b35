"""HTTP transports: the only code that touches the network.

A transport is any callable ``(method, url, headers, body, timeout) -> (status, headers,
body)``; for :class:`~degreed.AsyncClient` it may be ``async``. It sends one request and
returns the response as it came, whatever its status: it must not raise on 4xx/5xx, nor
follow redirects. When no response arrives it raises; the SDK then decides whether to try
again. Raise :class:`SendError` (``maybe_sent=False`` when the request cannot have reached
the server) to say so explicitly; ``ConnectionRefusedError`` and DNS failures are read as
"not sent", any other ``OSError`` as "maybe sent".

``timeout`` is the time the call has left: a call's timeout is a deadline covering every
attempt and wait. The SDK holds any callable to it: a synchronous one runs in a worker
thread that is abandoned (left to finish on its own) at the deadline, an ``async`` one is
cancelled. The returned ``body`` may be ``bytes``, or (so that an endless body cannot fill
memory) a binary file-like object or an iterator of ``bytes`` chunks (an async iterator for
an ``async`` transport), which the SDK reads up to the client's ``max_body_bytes``.

Provided here, each keeping connections alive, bounding every request by the deadline
(a server that trickles its answer is cut off at it) and reading at most ``max_body_bytes``:

- :class:`UrllibTransport`: the standard library (``http.client``; the default; proxies from
  ``HTTPS_PROXY``/``NO_PROXY``, certificates from ``SSL_CERT_FILE``/``SSL_CERT_DIR`` or
  ``ca_bundle``);
- :class:`HttpxTransport` and :class:`AsyncHttpxTransport`: ``httpx``, when installed;
- :class:`ThreadedTransport`: runs a synchronous transport in a worker thread, for the async
  client.

Plain ``http://`` (which the SDK allows only to loopback) never goes through a proxy.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import io
import select
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Protocol,
    Tuple,
    Union,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "Headers",
    "Response",
    "Transport",
    "AsyncTransport",
    "Request",
    "SendError",
    "ResponseTooLarge",
    "UrllibTransport",
    "HttpxTransport",
    "AsyncHttpxTransport",
    "ThreadedTransport",
]

#: Response headers: a mapping or ``(name, value)`` pairs.
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
#: What a transport returns: status, headers, body.
Response = Tuple[int, Headers, Any]
#: A synchronous transport.
Transport = Callable[[str, str, Mapping[str, str], bytes, float], Response]
#: An asynchronous transport.
AsyncTransport = Callable[[str, str, Mapping[str, str], bytes, float], Awaitable[Response]]

#: Size of the pieces a body is read in.
_CHUNK = 64 * 1024


class Request(Protocol):
    """A request as the SDK hands it to the transports of this module. Its headers and body
    (which carry the client secret or the bearer token) are produced on demand, so they are
    never bound to a variable of the driver loop."""

    kind: str
    method: str
    url: str
    timeout: float
    """Seconds the call has left."""
    max_body_bytes: int

    def headers(self) -> Dict[str, str]: ...

    def body(self) -> bytes: ...


class _PlainRequest:
    """A :class:`Request` built from the arguments of the callable protocol."""

    kind = "api"

    def __init__(self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> None:
        self.method, self.url, self.timeout = method, url, float(timeout)
        self.max_body_bytes = _DEFAULT_MAX_BODY
        self._headers, self._body = dict(headers), body

    def headers(self) -> Dict[str, str]:
        return dict(self._headers)

    def body(self) -> bytes:
        return self._body

    def __repr__(self) -> str:
        return f"Request({self.method} {self.url})"


_DEFAULT_MAX_BODY = 64 << 20


class SendError(Exception):
    """Raised by a transport when a request got no response.

    ``maybe_sent=False`` says the request cannot have reached the server (connection refused,
    DNS failure), so even a write may be sent again.
    """

    def __init__(self, message: str, *, maybe_sent: bool = True) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class ResponseTooLarge(Exception):
    """Raised by a transport that stopped reading a body longer than ``max_body_bytes``; the
    call ends with :class:`~degreed.DecodeError`."""

    def __init__(self, status: int, limit: int) -> None:
        super().__init__(f"the response body is longer than {limit} bytes")
        self.status = status


def _not_sent_reason(exc: BaseException) -> bool:
    return isinstance(exc, (ConnectionRefusedError, socket.gaierror))


def classify(exc: BaseException) -> Optional[bool]:
    """Whether a transport exception means "not sent" (``True``), "maybe sent" (``False``),
    or is not a network failure at all (``None``: a bug to re-raise)."""
    if isinstance(exc, SendError):
        return not exc.maybe_sent
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        reason = exc.reason
        if isinstance(reason, BaseException):
            return _not_sent_reason(reason) or isinstance(reason, ssl.SSLCertVerificationError)
        return False
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx is optional
        pass
    else:
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
            return True
        if isinstance(exc, httpx.TransportError):
            return False
    if _not_sent_reason(exc) or isinstance(exc, ssl.SSLCertVerificationError):
        return True
    if isinstance(exc, (OSError, http.client.HTTPException, asyncio.TimeoutError)):
        return False
    return None


def describe(exc: BaseException) -> str:
    """A short description of a transport failure (type and message; no request data)."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


# ---------------------------------------------------------------------------------------
# Reading bodies within the limit


def _read_all(body: Any, status: int, limit: int) -> bytes:
    """A returned body as bytes: ``bytes``/``str`` as given, a file-like object or an
    iterator of chunks read up to ``limit``."""
    if body is None:
        return b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
    else:
        read = getattr(body, "read", None)
        chunks: Iterable[Any] = iter(lambda: read(_CHUNK), b"") if read is not None else body
        parts: List[bytes] = []
        total = 0
        for chunk in chunks:
            total += len(chunk)
            if total > limit:
                raise ResponseTooLarge(status, limit)
            parts.append(bytes(chunk))
        data = b"".join(parts)
    if len(data) > limit:
        raise ResponseTooLarge(status, limit)
    return data


def _send_sync(transport: Any, request: Request) -> Response:
    """Sends with a synchronous transport: ``send_request`` for this module's transports
    (which hold themselves to the deadline), else the callable in a worker thread."""
    send = getattr(transport, "send_request", None)
    if send is not None and not asyncio.iscoroutinefunction(send):
        return send(request)  # type: ignore[no-any-return]
    return _within(request.timeout, _call_plain, transport, request)


def _call_plain(transport: Transport, request: Request) -> Response:
    # The headers and body are made right here, as arguments, and never named.
    status, headers, body = _unpack(
        transport(request.method, request.url, request.headers(), request.body(), request.timeout)
    )
    return status, headers, _read_all(body, status, request.max_body_bytes)


def _unpack(response: Any) -> Tuple[int, Any, Any]:
    try:
        status, headers, body = response
    except (TypeError, ValueError):
        raise TypeError(
            "a transport must return (status, headers, body), "
            f"got {type(response).__name__}"
        ) from None
    return int(status), headers, body


def _within(seconds: float, fn: Callable[..., Response], *args: Any) -> Response:
    """Runs ``fn`` in a daemon thread and waits at most ``seconds``: blocking code cannot be
    interrupted, so at the deadline it is left to finish on its own."""
    box: List[Tuple[bool, Any]] = []

    def target() -> None:
        try:
            box.append((True, fn(*args)))
        except BaseException as e:  # handed to the caller's thread
            box.append((False, e))

    worker = threading.Thread(target=target, name="degreed-send", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if not box:
        raise TimeoutError(f"no response within {seconds:.3g} s")
    ok, value = box[0]
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


# ---------------------------------------------------------------------------------------
# The standard library: http.client with a connection pool


class _DeadlineReader(io.RawIOBase):
    """Reads a socket for a response: each read waits at most the time left before the
    connection's deadline, and none starts after it, so a server that trickles bytes is cut
    off there (a socket timeout alone restarts with every byte)."""

    def __init__(self, sock: socket.socket, conn: "_Deadline") -> None:
        self._sock, self._conn = sock, conn
        # As socket.makefile does: a close of the socket (http.client closes a connection
        # that will not be reused as soon as the headers are read) waits for this reader.
        sock._io_refs += 1  # type: ignore[attr-defined]

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._sock._decref_socketios()  # type: ignore[attr-defined]
        super().close()

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._conn.time_left())
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The socket of a pooled connection, as ``http.client`` sees it: writes and reads are
    bounded by the connection's current deadline."""

    def __init__(self, sock: socket.socket, conn: "_Deadline") -> None:
        self.raw, self._conn = sock, conn

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.raw, self._conn), _CHUNK)

    def sendall(self, data: Any) -> None:
        self.raw.settimeout(self._conn.time_left())
        self.raw.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Deadline:
    deadline = 0.0

    def time_left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("the call's deadline passed")
        return left


class _HTTPConnection(_Deadline, http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self)


class _HTTPSConnection(_Deadline, http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self)


_Key = Tuple[str, str, int, Optional[str]]
_Conn = Union[_HTTPConnection, _HTTPSConnection]


def _is_idle(conn: http.client.HTTPConnection) -> bool:
    """Whether a pooled connection is still open and quiet (a server that closed it, or
    sent anything unasked, makes its socket readable)."""
    sock = conn.sock
    if sock is None:
        return False
    raw = getattr(sock, "raw", sock)
    try:
        readable, _, _ = select.select([raw], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class UrllibTransport:
    """The standard-library transport (``http.client``), the default of :class:`~degreed.Client`.

    Connections are kept alive and reused per host (up to ``max_idle`` idle ones each), so
    a listing does one TLS handshake, not one per page. Proxies come from the environment
    (``HTTPS_PROXY``, ``NO_PROXY``) unless ``proxies`` is given (``{"https":
    "http://proxy:3128"}``; an empty mapping means none); plain ``http://`` never uses one.
    Certificates come from ``ssl_context``, else ``ca_bundle`` (a PEM file), else the
    default context (``SSL_CERT_FILE``/``SSL_CERT_DIR``). Redirects are not followed.
    Safe to share between threads.
    """

    def __init__(
        self,
        *,
        ssl_context: Optional[ssl.SSLContext] = None,
        proxies: Optional[Mapping[str, str]] = None,
        ca_bundle: Optional[str] = None,
        max_idle: int = 4,
    ) -> None:
        if ssl_context is None:
            ssl_context = ssl.create_default_context(cafile=ca_bundle)
        self._context = ssl_context
        self._proxies = dict(proxies) if proxies is not None else None
        self._max_idle = max_idle
        self._idle: Dict[_Key, List[_Conn]] = {}
        self._lock = threading.Lock()

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        return self.send_request(_PlainRequest(method, url, headers, body, timeout))

    def send_request(self, request: Request) -> Response:
        """Sends a :class:`Request` within its ``timeout``, reading at most its
        ``max_body_bytes``."""
        deadline = time.monotonic() + request.timeout
        parts = urllib.parse.urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = self._key(parts)
        # An idle connection the server closed is noticed before it is used (_is_idle); a
        # failure on one in use is reported like any other, never sent again here: the core
        # decides (a write may have been applied).
        conn = self._checkout(key)
        conn.deadline = deadline
        conn.timeout = max(deadline - time.monotonic(), 0.001)
        try:
            conn.request(request.method, target, body=request.body() or None, headers=request.headers())
            response = conn.getresponse()
            data = _read_response(response, request.max_body_bytes)
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        else:
            self._checkin(key, conn)
        return response.status, response.getheaders(), data

    def _key(self, parts: urllib.parse.SplitResult) -> _Key:
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        proxy: Optional[str] = None
        if scheme == "https":
            # Plain http is for loopback only and never goes through a proxy.
            proxies = self._proxies if self._proxies is not None else urllib.request.getproxies()
            candidate = proxies.get("https") or proxies.get("all")
            if candidate and (self._proxies is not None or not urllib.request.proxy_bypass(host)):
                proxy = candidate
        return scheme, host, port, proxy

    def _checkout(self, key: _Key) -> "_Conn":
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                conn = idle.pop()
                if _is_idle(conn):
                    return conn
                conn.close()
        scheme, host, port, proxy = key
        if scheme != "https":
            return _HTTPConnection(host, port)
        if proxy is None:
            return _HTTPSConnection(host, port, context=self._context)
        p = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        conn = _HTTPSConnection(p.hostname or "", p.port or 80, context=self._context)
        tunnel_headers = {}
        if p.username is not None:
            userinfo = f"{urllib.parse.unquote(p.username)}:{urllib.parse.unquote(p.password or '')}"
            tunnel_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(userinfo.encode()).decode()
        conn.set_tunnel(host, port, headers=tunnel_headers)
        return conn

    def _checkin(self, key: _Key, conn: "_Conn") -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self._max_idle:
                idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Closes the idle connections."""
        with self._lock:
            pools, self._idle = self._idle, {}
        for idle in pools.values():
            for conn in idle:
                conn.close()

    def __repr__(self) -> str:
        return "UrllibTransport()"


def _read_response(response: http.client.HTTPResponse, limit: int) -> bytes:
    length = response.length
    if length is not None:
        if length > limit:
            raise ResponseTooLarge(response.status, limit)
        return response.read()
    return _read_all(response, response.status, limit)


# ---------------------------------------------------------------------------------------
# httpx


def _httpx() -> Any:
    try:
        import httpx
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this transport needs httpx: pip install 'degreed[httpx]'"
        ) from e
    return httpx


def _httpx_options(lib: Any, options: Dict[str, Any], ca_bundle: Optional[str]) -> Dict[str, Any]:
    if ca_bundle is not None:
        options.setdefault("verify", ssl.create_default_context(cafile=ca_bundle))
    # Plain http (loopback only) goes direct, whatever HTTP_PROXY/ALL_PROXY say: `None`
    # mounts the client's own, proxy-less transport.
    mounts = dict(options.pop("mounts", None) or {})
    mounts.setdefault("http://", None)
    options["mounts"] = mounts
    return options


def _over_limit(status: int, total: int, limit: int) -> None:
    if total > limit:
        raise ResponseTooLarge(status, limit)


class HttpxTransport:
    """A synchronous transport on ``httpx.Client`` (pass your own client to configure
    proxies, certificates or connection pools; otherwise one is made, with ``ca_bundle``
    and ``client_options``, and closed with the SDK client). Redirects are not followed.
    httpx's timeouts apply to each network operation, so each request runs in a worker
    thread the call stops waiting for at its deadline."""

    def __init__(
        self, client: Optional["httpx.Client"] = None, *, ca_bundle: Optional[str] = None, **client_options: Any
    ) -> None:
        lib = _httpx()
        self._owned = client is None
        self.client: "httpx.Client" = (
            client if client is not None else lib.Client(**_httpx_options(lib, client_options, ca_bundle))
        )

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        return self.send_request(_PlainRequest(method, url, headers, body, timeout))

    def send_request(self, request: Request) -> Response:
        """Sends a :class:`Request` within its ``timeout``, reading at most its
        ``max_body_bytes``."""
        return _within(request.timeout, self._send, request, time.monotonic() + request.timeout)

    def _send(self, request: Request, deadline: float) -> Response:
        with self.client.stream(
            request.method, request.url, headers=request.headers(), content=request.body() or None,
            timeout=request.timeout, follow_redirects=False,
        ) as r:
            parts: List[bytes] = []
            total = 0
            for chunk in r.iter_bytes(_CHUNK):
                total += len(chunk)
                _over_limit(r.status_code, total, request.max_body_bytes)
                parts.append(chunk)
                if time.monotonic() > deadline:  # the worker stops too
                    raise TimeoutError("the call's deadline passed")
            return r.status_code, r.headers.multi_items(), b"".join(parts)

    def close(self) -> None:
        """Closes the ``httpx.Client`` if this transport made it."""
        if self._owned:
            self.client.close()

    def __repr__(self) -> str:
        return "HttpxTransport()"


class AsyncHttpxTransport:
    """An asynchronous transport on ``httpx.AsyncClient`` (the default of
    :class:`~degreed.AsyncClient` when httpx is installed). Redirects are not followed."""

    def __init__(
        self,
        client: Optional["httpx.AsyncClient"] = None,
        *,
        ca_bundle: Optional[str] = None,
        **client_options: Any,
    ) -> None:
        lib = _httpx()
        self._owned = client is None
        self.client: "httpx.AsyncClient" = (
            client if client is not None else lib.AsyncClient(**_httpx_options(lib, client_options, ca_bundle))
        )

    async def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        request = _PlainRequest(method, url, headers, body, timeout)
        return await asyncio.wait_for(self.send_request(request), timeout)

    async def send_request(self, request: Request) -> Response:
        """Sends a :class:`Request`, reading at most its ``max_body_bytes`` (the driver
        cancels it at the deadline)."""
        async with self.client.stream(
            request.method, request.url, headers=request.headers(), content=request.body() or None,
            timeout=request.timeout, follow_redirects=False,
        ) as r:
            parts: List[bytes] = []
            total = 0
            chunks: AsyncIterator[bytes] = r.aiter_bytes(_CHUNK)
            async for chunk in chunks:
                total += len(chunk)
                _over_limit(r.status_code, total, request.max_body_bytes)
                parts.append(chunk)
            return r.status_code, r.headers.multi_items(), b"".join(parts)

    async def aclose(self) -> None:
        """Closes the ``httpx.AsyncClient`` if this transport made it."""
        if self._owned:
            await self.client.aclose()

    def __repr__(self) -> str:
        return "AsyncHttpxTransport()"


class ThreadedTransport:
    """Runs a synchronous transport in a worker thread (``asyncio.to_thread``), so the
    async client can use the standard library."""

    def __init__(self, transport: Optional[Transport] = None) -> None:
        self.transport: Transport = transport if transport is not None else UrllibTransport()

    async def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request in a worker thread."""
        return await asyncio.to_thread(self.transport, method, url, headers, body, timeout)

    async def send_request(self, request: Request) -> Response:
        """Sends a :class:`Request` in a worker thread, within its deadline."""
        return await asyncio.to_thread(_send_sync, self.transport, request)

    def close(self) -> None:
        """Closes the wrapped transport's idle connections, if it keeps any."""
        close = getattr(self.transport, "close", None)
        if isinstance(self.transport, (UrllibTransport, HttpxTransport)) and close is not None:
            close()

    def __repr__(self) -> str:
        return f"ThreadedTransport({self.transport!r})"


def default_async_transport(ca_bundle: Optional[str] = None, proxy: Optional[str] = None) -> AsyncTransport:
    """``AsyncHttpxTransport`` when httpx is installed, else the standard library in a
    thread; ``proxy`` (a URL) for HTTPS instead of the environment's ``HTTPS_PROXY``."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        proxies = None if proxy is None else {"https": proxy}
        return ThreadedTransport(UrllibTransport(ca_bundle=ca_bundle, proxies=proxies))
    if proxy is None:
        return AsyncHttpxTransport(ca_bundle=ca_bundle)
    return AsyncHttpxTransport(ca_bundle=ca_bundle, proxy=proxy)
