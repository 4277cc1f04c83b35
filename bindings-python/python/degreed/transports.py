"""HTTP transports: the only code that touches the network.

A transport is any callable ``(method, url, headers, body, timeout) -> (status, headers,
body)``; for :class:`~degreed.AsyncClient` it may be ``async``. It sends one request and
returns the response as it came, whatever its status: it must not raise on 4xx/5xx, nor
follow redirects. When no response arrives it raises; the SDK then decides whether to try
again. Raise :class:`SendError` (``maybe_sent=False`` when the request cannot have reached
the server) to say so explicitly; ``ConnectionRefusedError`` and DNS failures are read as
"not sent", any other ``OSError`` as "maybe sent".

Provided here:

- :class:`UrllibTransport`: the standard library (the default; honours ``HTTP(S)_PROXY``,
  ``NO_PROXY``, ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``);
- :class:`HttpxTransport` and :class:`AsyncHttpxTransport`: ``httpx``, when installed;
- :class:`ThreadedTransport`: runs a synchronous transport in a worker thread, for the async
  client.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import ssl
import urllib.error
import urllib.request
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Optional,
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
    "SendError",
    "UrllibTransport",
    "HttpxTransport",
    "AsyncHttpxTransport",
    "ThreadedTransport",
]

#: Response headers: a mapping or ``(name, value)`` pairs.
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
#: What a transport returns: status, headers, body.
Response = Tuple[int, Headers, bytes]
#: A synchronous transport.
Transport = Callable[[str, str, Mapping[str, str], bytes, float], Response]
#: An asynchronous transport.
AsyncTransport = Callable[[str, str, Mapping[str, str], bytes, float], Awaitable[Response]]


class SendError(Exception):
    """Raised by a transport when a request got no response.

    ``maybe_sent=False`` says the request cannot have reached the server (connection refused,
    DNS failure), so even a write may be sent again.
    """

    def __init__(self, message: str, *, maybe_sent: bool = True) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


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
    if _not_sent_reason(exc):
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is returned to the caller as a response: following it would carry the
    # Authorization header to wherever the server points.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport:
    """The standard-library transport (``urllib.request``).

    Proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``) unless ``proxies`` is
    given; certificates from the default SSL context (``SSL_CERT_FILE``/``SSL_CERT_DIR``)
    unless ``ssl_context`` is given. Redirects are not followed.
    """

    def __init__(
        self,
        *,
        ssl_context: Optional[ssl.SSLContext] = None,
        proxies: Optional[Mapping[str, str]] = None,
    ) -> None:
        context = ssl_context if ssl_context is not None else ssl.create_default_context()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(dict(proxies) if proxies is not None else None),
            urllib.request.HTTPSHandler(context=context),
            _NoRedirect(),
        )

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        request = urllib.request.Request(
            url, data=body or None, headers=dict(headers), method=method
        )
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.status, list(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            with error:
                data = error.read()
            return error.code, list(error.headers.items()) if error.headers else [], data

    def __repr__(self) -> str:
        return "UrllibTransport()"


def _httpx() -> Any:
    try:
        import httpx
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this transport needs httpx: pip install 'degreed[httpx]'"
        ) from e
    return httpx


class HttpxTransport:
    """A synchronous transport on ``httpx.Client`` (pass your own client to configure
    proxies, certificates or connection pools; otherwise one is made and closed with the
    SDK client). Redirects are not followed."""

    def __init__(self, client: Optional["httpx.Client"] = None, **client_options: Any) -> None:
        lib = _httpx()
        self._owned = client is None
        self.client: "httpx.Client" = client if client is not None else lib.Client(**client_options)

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        r = self.client.request(
            method, url, headers=dict(headers), content=body or None, timeout=timeout,
            follow_redirects=False,
        )
        return r.status_code, r.headers.multi_items(), r.content

    def close(self) -> None:
        """Closes the ``httpx.Client`` if this transport made it."""
        if self._owned:
            self.client.close()

    def __repr__(self) -> str:
        return "HttpxTransport()"


class AsyncHttpxTransport:
    """An asynchronous transport on ``httpx.AsyncClient`` (the default of
    :class:`~degreed.AsyncClient` when httpx is installed). Redirects are not followed."""

    def __init__(self, client: Optional["httpx.AsyncClient"] = None, **client_options: Any) -> None:
        lib = _httpx()
        self._owned = client is None
        self.client: "httpx.AsyncClient" = (
            client if client is not None else lib.AsyncClient(**client_options)
        )

    async def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> Response:
        """Sends one request; returns ``(status, headers, body)`` for every status."""
        r = await self.client.request(
            method, url, headers=dict(headers), content=body or None, timeout=timeout,
            follow_redirects=False,
        )
        return r.status_code, r.headers.multi_items(), r.content

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

    def __repr__(self) -> str:
        return f"ThreadedTransport({self.transport!r})"


def default_async_transport() -> AsyncTransport:
    """``AsyncHttpxTransport`` when httpx is installed, else the standard library in a
    thread."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        return ThreadedTransport()
    return AsyncHttpxTransport()
