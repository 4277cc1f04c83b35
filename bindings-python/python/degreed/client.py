"""The clients: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio)."""

from __future__ import annotations

import datetime as _dt
import enum
import inspect
import math
import numbers
import os
import time
from collections import deque
from decimal import Decimal
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Deque,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
)

from . import _native
from ._driver import Flow, Reply, arun, async_twin, awaiting, call_flow, finish, run
from ._namespaces import AsyncNamespaces, Namespace, SyncNamespaces
from .errors import InvalidRequestError
from .models import Resource, build, from_raw, view_table, views_of
from .transports import (
    AsyncHttpxTransport,
    AsyncTransport,
    HttpxTransport,
    ThreadedTransport,
    Transport,
    UrllibTransport,
    default_async_transport,
)

__all__ = [
    "Client",
    "AsyncClient",
    "ListIterator",
    "AsyncListIterator",
    "Stats",
    "ApiResponse",
    "DateLike",
    "TimeLike",
]

M = TypeVar("M", bound=Resource)

#: A date: ``datetime.date``, ``datetime.datetime`` (its UTC date) or ``"yyyy-mm-dd"``.
DateLike = Union[_dt.date, str, None]
#: A point in time: ``datetime.datetime`` (naive means UTC) or an ISO-8601 string.
TimeLike = Union[_dt.datetime, str, None]

class Stats(NamedTuple):
    """Counters of one client since it was made."""

    requests: int
    """API requests sent (token requests not included)."""
    retries: int
    """Retries, including the token refresh after a 401."""
    rate_limited: int
    """429 responses received."""
    token_requests: int
    """Token requests sent."""


class ApiResponse(NamedTuple):
    """The answer of :meth:`Client.request`."""

    status: int
    """HTTP status."""
    request_id: Optional[str]
    """The response's request id, when sent."""
    data: Union[Resource, List[Resource], None]
    """``data`` as resources (a list for lists), or ``None``."""
    links: Optional[Dict[str, Any]]
    """The top-level ``links``, when sent."""
    raw: Any
    """The JSON body as sent (``None`` for an empty body)."""


# ---------------------------------------------------------------------------------------
# Turning Python arguments into a request spec


def _utc(value: _dt.datetime) -> _dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def _raw_spec(method: str, path: str, query: Optional[Mapping[str, Any]], body: Any) -> Dict[str, Any]:
    spec: Dict[str, Any] = {
        "operation": "custom",
        "method": method,
        "raw_path": path,
        "query": {str(k): _query_value(v) for k, v in (query or {}).items()},
    }
    if body is not None:
        spec["body"] = _json_value(body)
    return spec


def _json_value(value: Any) -> Any:
    """Python values as JSON for a request body. Naive datetimes are taken as UTC, and
    sent the way Degreed writes them (``2024-05-01T00:00:00``)."""
    if isinstance(value, _dt.datetime):
        return _utc(value).isoformat(timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _json_value(value.value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_value(v) for v in value]
    return value


def _query_value(value: Any) -> Any:
    """A query or filter value: a ``datetime`` as the core's ``{"instant": ...}`` (naive means
    UTC; the core sends it as its day, or as an instant to xAPI, as for JavaScript's
    ``Date``), dates as ``yyyy-mm-dd``, sequences comma-joined, ``None`` dropped."""
    if isinstance(value, _dt.datetime):
        return {"instant": _utc(value).isoformat(timespec="seconds") + "Z"}
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _query_value(value.value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(str(_query_value(v)) for v in value)
    return value


def _date(value: DateLike, name: str) -> str:
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo is None else value.astimezone(_dt.timezone.utc)
        return aware.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    raise InvalidRequestError(f"{name} must be a date or a yyyy-mm-dd string, got {type(value).__name__}")


def _proxies(proxy: Optional[str]) -> Optional[Dict[str, str]]:
    """The default transport's proxies: ``proxy=`` for HTTPS (plain http is loopback only and
    goes direct), else ``None``: ``HTTPS_PROXY``/``NO_PROXY`` from the environment."""
    return None if proxy is None else {"https": proxy.strip()}


def _cursor(value: object) -> Optional[str]:
    """A ``resume=`` cursor: ``None`` or the text of a list iterator's ``cursor``."""
    if value is None or isinstance(value, str):
        return value
    raise InvalidRequestError(f"resume must be the text of a list iterator's cursor, got {type(value).__name__}")


def _call_timeout(value: object) -> float:
    """A per-call ``timeout=``: a positive, finite number of seconds."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        seconds = float(value)
        if math.isfinite(seconds) and seconds > 0:
            return seconds
        raise InvalidRequestError(f"timeout must be a positive, finite number of seconds, got {seconds!r}")
    raise InvalidRequestError(f"timeout must be a positive, finite number of seconds, got {type(value).__name__}")


def _path(path: Union[str, Sequence[Any]]) -> List[Any]:
    return [path] if isinstance(path, str) else list(path)


def _list_spec(
    operation: str,
    path: Sequence[Any],
    limit: Optional[int],
    start_date: DateLike,
    end_date: DateLike,
    query: Optional[Mapping[str, Any]],
    filters: Optional[Mapping[str, Any]],
    named: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    # The core decides what the dates mean (defaults, windows, errors), how xAPI takes its
    # filters and whether a keyword filter is one the list knows (`named`); this only
    # converts Python values and passes today's date (UTC).
    spec: Dict[str, Any] = {
        "operation": operation,
        "path": list(path),
        "query": {str(k): _query_value(v) for k, v in (query or {}).items()},
        "filters": {str(k): _query_value(v) for k, v in (filters or {}).items()},
        "named_filters": {str(k): _query_value(v) for k, v in (named or {}).items()},
    }
    if limit is not None:
        spec["limit"] = limit
    if start_date is not None or end_date is not None:
        spec["window"] = {
            "start": _date(start_date, "start_date") if start_date is not None else None,
            "end": _date(end_date, "end_date") if end_date is not None else None,
            "today": _dt.datetime.now(_dt.timezone.utc).date().isoformat(),
        }
    return spec


def _write_spec(
    operation: str,
    path: Sequence[Any],
    attributes: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
    relationships: Any,
) -> Dict[str, Any]:
    merged: Dict[str, Any] = dict(attributes or {})
    merged.update(extra)
    spec: Dict[str, Any] = {
        "operation": operation,
        "path": list(path),
        "attributes": _json_value(merged),
    }
    if relationships is not None:
        spec["relationships"] = _json_value(relationships)
    return spec


def _ids(ids: Union[str, Iterable[str]]) -> List[str]:
    return [ids] if isinstance(ids, str) else [str(i) for i in ids]


def _one(reply: Mapping[str, Any], model: Type[M]) -> M:
    raw = reply.get("raw")
    raw_item = raw.get("data") if isinstance(raw, Mapping) else None
    # A read without a resource never gets here: the core raises DecodeError for it.
    return cast(M, build(model, reply.get("data"), raw_item))


def _written(reply: Mapping[str, Any], model: Type[M]) -> Optional[M]:
    """The resource a create or update answered with; ``None`` for an answer without one
    (204): nothing is known of the record then, as in Rust (``decode_written``) and
    JavaScript (``null``), by the core's schema."""
    return None if reply.get("data") is None else _one(reply, model)


def _response(reply: Mapping[str, Any]) -> ApiResponse:
    raw = reply.get("raw")
    raw_data = raw.get("data") if isinstance(raw, Mapping) else None
    data = reply.get("data")
    built: Union[Resource, List[Resource], None]
    if isinstance(data, list):
        raws = raw_data if isinstance(raw_data, list) else [None] * len(data)
        built = [build(Resource, d, r) for d, r in zip(data, raws)]
    elif data is None:
        built = None
    else:
        built = build(Resource, data, raw_data)
    links = reply.get("links")
    return ApiResponse(
        status=int(reply.get("status") or 0),
        request_id=reply.get("request_id"),
        data=built,
        links=dict(links) if isinstance(links, Mapping) else None,
        raw=raw,
    )


def _item(model: Type[M], raw: Any) -> M:
    return cast(M, from_raw(model, raw))


# ---------------------------------------------------------------------------------------
# The clients
#
# Everything a client does is written once, on `_Base` and `Client`, as flows (`_driver`):
# `Client` runs them with a synchronous transport (`_drive` is `run`), `AsyncClient` with
# an asynchronous one (`_drive` is `arun`) and borrows `Client`'s methods as coroutine
# functions. The two differ only in their drivers, transports and lifecycle methods.


_C = TypeVar("_C", bound="_Base[Any]")
_T = TypeVar("_T")
_T2 = TypeVar("_T2")
_N = TypeVar("_N", bound=Namespace)
#: What a list walk starts from: the core's pager, its first call, the model and the timeout.
_Start = Tuple[_native.Pager, Optional[_native.Call], Type[M], float]


class _Base(Generic[_T]):
    _session: _native.Session
    _transport: _T

    def _init_namespaces(self) -> None:
        """Attaches the namespaces (given by the namespaces class, listed before this one)."""
        raise NotImplementedError

    @classmethod
    def from_env(cls: Type[_C], env: Optional[Mapping[str, str]] = None, **options: Any) -> _C:
        """A client configured by the ``DEGREED_*`` environment variables, as the ``degreed``
        command reads them: ``DEGREED_CLIENT_ID`` and ``DEGREED_CLIENT_SECRET`` (required),
        ``DEGREED_ENVIRONMENT``, ``DEGREED_DATA_CENTER``, ``DEGREED_BASE_URL``,
        ``DEGREED_TOKEN_URL``, ``DEGREED_TENANT``, ``DEGREED_ORGANIZATION_CODE``,
        ``DEGREED_SCOPES`` (comma-separated) and ``DEGREED_TIMEOUT`` (seconds). Empty
        variables count as unset. ``options`` (any constructor argument) win over the
        environment; ``env`` replaces ``os.environ``."""
        source = os.environ if env is None else env
        variables = {str(k): str(v) for k, v in source.items() if str(k).startswith("DEGREED_")}
        # A key given here satisfies the requirement the variables would.
        for option, var in (("client_id", "DEGREED_CLIENT_ID"), ("client_secret", "DEGREED_CLIENT_SECRET")):
            if isinstance(options.get(option), str):
                variables[var] = options[option]
        settings = _native.settings_from_env(variables)
        settings.update(options)
        return cls(settings.pop("client_id"), settings.pop("client_secret"), **settings)

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        environment: str = "production",
        data_center: str = "us",
        base_url: Optional[str] = None,
        token_url: Optional[str] = None,
        tenant: Optional[str] = None,
        scopes: Union[str, Iterable[str], None] = None,
        organization_code: Optional[str] = None,
        transport: Optional[_T] = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_maintenance_wait: float = 300.0,
        retry: Optional[Mapping[str, float]] = None,
        requests_per_minute: Optional[int] = None,
        max_body_bytes: Optional[int] = None,
        ca_bundle: Optional[str] = None,
        proxy: Optional[str] = None,
    ) -> None:
        if ca_bundle is not None and transport is not None:
            raise InvalidRequestError("ca_bundle configures the default transport: give it to your transport instead")
        if proxy is not None and (transport is not None or not isinstance(proxy, str) or not proxy.strip()):
            raise InvalidRequestError(
                "proxy is a proxy URL for the default transport (with a transport of your own, give it to that)"
            )
        # The core reads (and checks) the options by its one description of them, as for
        # every host: names, units (seconds here), bounds and errors.
        self._session = _native.Session(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "environment": environment,
                "data_center": data_center,
                "base_url": base_url,
                "token_url": token_url,
                "tenant": tenant,
                "organization_code": organization_code,
                "scopes": scopes if scopes is None or isinstance(scopes, str) else [str(s) for s in scopes],
                "timeout": timeout,
                "max_retries": max_retries,
                # One of the retry timings (`retry.maxMaintenanceWaitMs` in JavaScript).
                "retry": {**(retry or {}), "max_maintenance_wait": max_maintenance_wait},
                "requests_per_minute": requests_per_minute,
                "max_body_bytes": max_body_bytes,
            }
        )
        self._owns_transport = transport is None
        self._transport = self._adopt(transport, ca_bundle, proxy)
        self._init_namespaces()

    def _adopt(self, transport: Optional[_T], ca_bundle: Optional[str], proxy: Optional[str]) -> _T:
        """The transport to use: the caller's, or a default one."""
        raise NotImplementedError

    @property
    def stats(self) -> Stats:
        """Counters so far: requests, retries, rate_limited, token_requests."""
        return Stats(**self._session.stats())

    @property
    def client_id(self) -> str:
        """The client id (not secret)."""
        return self._session.client_id

    @property
    def base_url(self) -> str:
        """The API base URL."""
        return self._session.base_url

    @property
    def token_url(self) -> str:
        """The token endpoint."""
        return self._session.token_url

    @property
    def scopes(self) -> Optional[List[str]]:
        """The scopes requested for tokens, or ``None`` for all the key grants."""
        return self._session.scopes

    @property
    def timeout(self) -> float:
        """The default time budget of a call, in seconds (a call's ``timeout=`` overrides it)."""
        return self._session.timeout

    @property
    def max_body_bytes(self) -> int:
        """The largest response body read, in bytes (a longer one is a ``DecodeError``)."""
        return self._session.max_body_bytes

    def _timeout_for(self, timeout: Optional[float]) -> float:
        """The time budget of one call: its own ``timeout=``, else the client's.
        Raises :class:`InvalidRequestError` for a bad value, before anything is sent."""
        return self._session.timeout if timeout is None else _call_timeout(timeout)

    @property
    def pacing_wait(self) -> float:
        """Seconds a request started now would wait to stay under the rate limits (the
        server's headers, a 429's ``Retry-After``, ``requests_per_minute``); for progress
        displays."""
        return self._session.pacing_delay(time.time())

    def clear_token(self) -> None:
        """Forgets the cached access token; the next call fetches a new one."""
        self._session.clear_token()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.client_id!r}, base_url={self.base_url!r})"

    # -- flows, for the drivers (and the namespaces) ---------------------------------------
    # Each starts the core's call at once, so bad input is raised before anything is sent
    # (for the async client: when the method is awaited, before its first request).

    def _call(self, spec: Mapping[str, Any], timeout: Optional[float], then: Callable[[Reply], _T2]) -> Flow[_T2]:
        return finish(self._session.call(spec, self._timeout_for(timeout)), then)

    def _get(
        self, operation: str, path: Sequence[Any], model: Type[M], query: Mapping[str, Any], timeout: Optional[float]
    ) -> Flow[M]:
        spec = {"operation": operation, "path": list(path), "query": {k: _query_value(v) for k, v in query.items()}}
        return self._call(spec, timeout, lambda reply: _one(reply, model))

    def _write(
        self,
        operation: str,
        path: Sequence[Any],
        model: Type[M],
        attributes: Optional[Mapping[str, Any]],
        extra: Mapping[str, Any],
        relationships: Any,
        timeout: Optional[float],
    ) -> Flow[Optional[M]]:
        spec = _write_spec(operation, path, attributes, extra, relationships)
        return self._call(spec, timeout, lambda reply: _written(reply, model))

    def _delete(self, operation: str, path: Sequence[Any], timeout: Optional[float]) -> Flow[None]:
        return self._call({"operation": operation, "path": list(path)}, timeout, _nothing)

    def _relate(
        self, operation: str, path: Sequence[Any], ids: Union[str, Iterable[str]], timeout: Optional[float]
    ) -> Flow[None]:
        return self._call({"operation": operation, "path": list(path), "ids": _ids(ids)}, timeout, _nothing)

    def _raw(self, operation: str, body: Any, timeout: Optional[float]) -> Flow[Any]:
        return self._call({"operation": operation, "body": _json_value(body)}, timeout, lambda reply: reply.get("raw"))

    def _list(
        self,
        operation: str,
        path: Sequence[Any],
        model: Type[M],
        limit: Optional[int],
        start_date: DateLike,
        end_date: DateLike,
        query: Optional[Mapping[str, Any]],
        filters: Optional[Mapping[str, Any]],
        timeout: Optional[float] = None,
        resume: Optional[str] = None,
        named: Optional[Mapping[str, Any]] = None,
    ) -> _Start[M]:
        seconds = self._timeout_for(timeout)
        spec = _list_spec(operation, path, limit, start_date, end_date, query, filters, named)
        # The page builder makes the items' models (see `models.view_table`).
        pager = self._session.pager(spec, _cursor(resume), view_table(model))
        # The first call is made now, so bad input is raised here rather than on first use.
        return pager, pager.next_call(seconds), model, seconds



def _nothing(reply: Reply) -> None:
    return None


class Client(SyncNamespaces, _Base[Transport]):
    """A blocking client for the Degreed API.

    Every operation of the catalogue is a method in a namespace mirroring its dotted name
    (``client.users.list()``, ``client.content.courses.create(...)``,
    ``client.groups.members.add(group_id, user_ids)``); :meth:`request` calls any operation
    by name. One client is safe to share between threads: calls share the access token,
    the rate-limit pacing and the counters.

    Args:
        client_id: the API key's client id.
        client_secret: its secret (never logged, never shown by ``repr``).
        environment: ``"production"`` or ``"betatest"``.
        data_center: ``"us"``, ``"eu"`` or ``"ca"``.
        base_url: a custom API host (a proxy, the sandbox). Unless ``token_url`` is given,
            the token endpoint is ``/oauth/token`` on the same origin.
        token_url: a custom token endpoint.
        tenant: request tokens from the tenant domain ``<tenant>.degreed.app``.
        scopes: the scopes to request (``None``: every scope the key grants). Calls that
            need another scope are refused before anything is sent.
        organization_code: sends ``X-Degreed-Organization-Code`` where the API accepts it.
        transport: how to send requests (default: :class:`~degreed.UrllibTransport`, which
            keeps connections alive).
        timeout: the deadline of each call, in seconds: it covers connecting, the response
            (a server that trickles it is cut off), every retry and every wait; a call that
            runs out raises :class:`~degreed.TimeoutError`. Every call method also takes a
            keyword-only ``timeout=`` that replaces it for that call (for list methods, each
            page).
        max_retries: retries of a failed request, 0 to 20 (429, 5xx, connection errors;
            writes only when they cannot have been applied).
        retry: the back-off timing, in seconds: any of ``base_delay`` (before the first
            retry, before jitter; 0.5), ``max_delay`` (the largest back-off; 30) and
            ``max_retry_after`` (the longest ``Retry-After`` honoured; 120).
        max_maintenance_wait: once the retries are used up, how long in all (seconds) an
            idempotent call may still wait for a 503 to pass, as Degreed advises during
            maintenance (30-120 s between tries), and only while its ``timeout`` allows; 0
            turns it off. Otherwise the 503 raises :class:`~degreed.ServerError` at once,
            saying when to try again.
        requests_per_minute: a client-side budget shared by all calls (the server's
            rate-limit headers and ``Retry-After`` are always honoured).
        max_body_bytes: the largest response body read (default 64 MiB); a longer one
            ends the call with :class:`~degreed.DecodeError`.
        ca_bundle: a PEM file of certificate authorities for the default transport (a
            private CA, a TLS-inspecting proxy, the sandbox's ``--tls`` certificate).
        proxy: an HTTPS proxy URL (``http://proxy.corp:3128``) for the default transport;
            without it, ``HTTPS_PROXY``/``NO_PROXY`` from the environment apply.
    """

    def _adopt(self, transport: Optional[Transport], ca_bundle: Optional[str], proxy: Optional[str]) -> Transport:
        return transport if transport is not None else UrllibTransport(ca_bundle=ca_bundle, proxies=_proxies(proxy))

    # -- the driver ------------------------------------------------------------------------

    def _drive(self, flow: Flow[_T2]) -> _T2:
        return run(flow, self._transport)

    def _iterate(self, start: _Start[M]) -> "ListIterator[M]":
        return ListIterator(self._drive, *start)

    def _namespace(self, cls: Type[_N]) -> _N:
        return cls(self)

    # -- generic calls -----------------------------------------------------------------

    def request(
        self,
        operation: str,
        path: Union[str, Sequence[Any]] = (),
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        *,
        filters: Optional[Mapping[str, Any]] = None,
        limit: Optional[int] = None,
        attributes: Optional[Mapping[str, Any]] = None,
        relationships: Any = None,
        ids: Optional[Iterable[str]] = None,
        timeout: Optional[float] = None,
    ) -> ApiResponse:
        """Calls any catalogue operation by its dotted name and returns one response (one
        page for lists; see :meth:`iterate` for all pages).

        ``path`` fills the ``{id}`` placeholders in order; ``query`` adds query parameters
        as given and ``filters`` adds ``filter[...]`` ones; ``body`` is sent unchanged,
        while ``attributes``/``relationships`` (resource bodies) and ``ids``
        (relationship bodies) are wrapped the way the operation expects. ``timeout``
        (seconds) replaces the client's timeout for this call's requests.
        """
        spec = _request_spec(operation, path, query, body, filters, limit, attributes, relationships, ids)
        return self._drive(self._call(spec, timeout, _response))

    def request_raw(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        *,
        timeout: Optional[float] = None,
    ) -> ApiResponse:
        """Calls an endpoint the catalogue lacks: ``method`` and a ``path`` relative to the
        API base (``"/api/v2/badges"``). Tokens, retries and errors work as for any call; no
        scope is checked before sending, since the SDK does not know it. ``timeout``
        (seconds) replaces the client's timeout for this call's requests.
        """
        return self._drive(self._call(_raw_spec(method, path, query, body), timeout, _response))

    def iterate(
        self,
        operation: str,
        path: Union[str, Sequence[Any]] = (),
        *,
        limit: Optional[int] = None,
        start_date: DateLike = None,
        end_date: DateLike = None,
        query: Optional[Mapping[str, Any]] = None,
        filters: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        resume: Optional[str] = None,
    ) -> "ListIterator[Resource]":
        """Every item of any list operation, page after page (and date window after
        window), lazily. ``timeout`` (seconds) replaces the client's timeout for each page
        request; ``resume`` continues from a list iterator's ``cursor``."""
        start = self._list(operation, _path(path), Resource, limit, start_date, end_date, query, filters, timeout, resume)
        return self._iterate(start)

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Closes the transport if the client made it (or it is an ``HttpxTransport``)."""
        transport = self._transport
        if isinstance(transport, HttpxTransport) or (self._owns_transport and isinstance(transport, UrllibTransport)):
            transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _request_spec(
    operation: str,
    path: Union[str, Sequence[Any]],
    query: Optional[Mapping[str, Any]],
    body: Any,
    filters: Optional[Mapping[str, Any]],
    limit: Optional[int],
    attributes: Optional[Mapping[str, Any]],
    relationships: Any,
    ids: Optional[Iterable[str]],
) -> Dict[str, Any]:
    spec: Dict[str, Any] = {
        "operation": operation,
        "path": _path(path),
        "query": {str(k): _query_value(v) for k, v in (query or {}).items()},
        "filters": {str(k): _query_value(v) for k, v in (filters or {}).items()},
        "limit": limit,
    }
    if attributes is not None:
        spec["attributes"] = _json_value(attributes)
    if relationships is not None:
        spec["relationships"] = _json_value(relationships)
    if ids is not None:
        spec["ids"] = _ids(ids)
    if body is not None:
        spec["body"] = _json_value(body)
    return spec


class _Walk(Generic[M]):
    """What both list iterators share: the core's pager, the buffered page, fetching the
    next page (a flow, run by the client's driver), progress and the cursor. The pager keeps
    the walk's state; the iterator only buffers one page."""

    def __init__(
        self,
        drive: Callable[[Flow[bool]], Any],
        pager: _native.Pager,
        call: Optional[_native.Call],
        model: Type[M],
        timeout: float,
    ) -> None:
        self._drive = drive
        self._pager = pager
        self._call = call
        self._model = model
        self._timeout = timeout
        self._buffer: Deque[Any] = deque(pager.take_unread())
        # Whether the buffer holds the page's models, made when it arrived (else the items as
        # the API sent them, made into models one by one).
        self._made = False

    @property
    def cursor(self) -> str:
        """Where the walk stands, as text to keep (a file, a database) and pass as
        ``resume=`` to the same list method, in this process or a later one: it continues with
        the first item not yet returned, and never repeats one. It holds the next page's link,
        the date windows left, the counts, and the items of the current page not yet returned."""
        unread = [m.raw for m in self._buffer] if self._made else list(self._buffer)
        return self._pager.cursor(unread)

    @property
    def pages_read(self) -> int:
        """Pages fetched so far (counting those before a resumed cursor)."""
        return self._pager.pages

    @property
    def items_seen(self) -> int:
        """Items fetched so far (counting those before a resumed cursor)."""
        return self._pager.items

    @property
    def windows(self) -> int:
        """Date windows the walk has in all (1 without a date range)."""
        return self._pager.windows

    @property
    def windows_left(self) -> int:
        """Date windows not started yet."""
        return self._pager.windows_left

    def _fetch(self) -> Flow[bool]:
        """Fetches the next page into the buffer; ``False`` when there is none."""
        call = self._call
        if call is None:
            return False
        self._call = None
        # A failure propagates; the pager still holds the failed page, so `cursor` resumes
        # with it.
        yield from call_flow(call)
        items: List[Any] = self._pager.on_reply(call)
        views: Optional[List[Any]] = None
        if not self._buffer:
            # The buffer is empty here: the page's models are made at once when they can be
            # (all of them already, while the page was built, in the usual case).
            views = items if self._pager.viewed else views_of(self._model, items)
        if views is None:
            # Made one by one, from the items as sent (after a resumed cursor's, or when one
            # could not be made).
            items = [item.raw if isinstance(item, Resource) else item for item in items]
        self._made = views is not None
        self._buffer.extend(items if views is None else views)
        self._call = self._pager.next_call(self._timeout)
        return True

    def _next(self) -> M:
        if self._made:
            return self._buffer.popleft()  # type: ignore[no-any-return]
        return from_raw(self._model, self._buffer.popleft())  # type: ignore[return-value]

    def _take_page(self) -> List[M]:
        page = list(self._buffer)
        self._buffer.clear()
        return page if self._made else [_item(self._model, raw) for raw in page]


class ListIterator(_Walk[M], Iterator[M]):
    """Every item of a list operation, fetched lazily page by page. Also: :meth:`pages` (page
    by page), :attr:`cursor` (to resume after a failure), and progress (:attr:`items_seen`,
    :attr:`pages_read`, :attr:`windows_left`)."""

    def __iter__(self) -> "ListIterator[M]":
        return self

    def __next__(self) -> M:
        while not self._buffer:
            if not self._drive(self._fetch()):
                raise StopIteration
        if self._made:
            return self._buffer.popleft()  # type: ignore[no-any-return]
        return self._next()

    def pages(self) -> Iterator[List[M]]:
        """The remaining items page by page (a list per page; first what is already
        buffered). The cursor between two pages resumes with the next page."""
        while self._buffer or self._drive(self._fetch()):
            if self._buffer:
                yield self._take_page()


class AsyncClient(AsyncNamespaces, _Base[Union[AsyncTransport, Transport]]):
    """The asyncio client: the same surface as :class:`Client`, with awaitable methods and
    async iterators (``async for user in client.users.list(): ...``).

    The transport must be asynchronous; by default it is :class:`~degreed.AsyncHttpxTransport`
    when httpx is installed, else the standard library in a worker thread. A synchronous
    transport passed here runs in a worker thread. Use it as an async context manager (or
    call :meth:`aclose`) to close the transport. Arguments are those of :class:`Client`.
    """

    _transport: AsyncTransport

    def _adopt(
        self, transport: Union[AsyncTransport, Transport, None], ca_bundle: Optional[str], proxy: Optional[str]
    ) -> AsyncTransport:
        if transport is None:
            return default_async_transport(ca_bundle, proxy)
        if isinstance(transport, (UrllibTransport, HttpxTransport)) or not _is_async_callable(transport):
            return ThreadedTransport(cast(Transport, transport))
        return cast(AsyncTransport, transport)

    # -- the driver: Client's methods, run by `arun` ----------------------------------------

    def _drive(self, flow: Flow[_T2]) -> Awaitable[_T2]:
        return arun(flow, self._transport)

    def _iterate(self, start: _Start[M]) -> "AsyncListIterator[M]":
        return AsyncListIterator(self._drive, *start)

    def _namespace(self, cls: type) -> Any:
        return async_twin(cls)(self)

    if TYPE_CHECKING:

        async def request(
            self,
            operation: str,
            path: Union[str, Sequence[Any]] = (),
            query: Optional[Mapping[str, Any]] = None,
            body: Any = None,
            *,
            filters: Optional[Mapping[str, Any]] = None,
            limit: Optional[int] = None,
            attributes: Optional[Mapping[str, Any]] = None,
            relationships: Any = None,
            ids: Optional[Iterable[str]] = None,
            timeout: Optional[float] = None,
        ) -> ApiResponse:
            """Awaitable :meth:`Client.request`: any catalogue operation by its dotted name, one response."""
            ...

        async def request_raw(
            self,
            method: str,
            path: str,
            query: Optional[Mapping[str, Any]] = None,
            body: Any = None,
            *,
            timeout: Optional[float] = None,
        ) -> ApiResponse:
            """Awaitable :meth:`Client.request_raw`: an endpoint the catalogue lacks, by method and path."""
            ...

        def iterate(
            self,
            operation: str,
            path: Union[str, Sequence[Any]] = (),
            *,
            limit: Optional[int] = None,
            start_date: DateLike = None,
            end_date: DateLike = None,
            query: Optional[Mapping[str, Any]] = None,
            filters: Optional[Mapping[str, Any]] = None,
            timeout: Optional[float] = None,
            resume: Optional[str] = None,
        ) -> "AsyncListIterator[Resource]":
            """:meth:`Client.iterate` for ``async for``: every item of a list operation, page
            by page, as an :class:`AsyncListIterator` (made without awaiting)."""
            ...

    else:
        request = awaiting(Client.request)
        request_raw = awaiting(Client.request_raw)
        iterate = Client.iterate

    # -- lifecycle -----------------------------------------------------------------------

    async def aclose(self) -> None:
        """Closes the transport if the client made it (or it is an ``AsyncHttpxTransport``)."""
        transport: Any = self._transport
        close = getattr(transport, "aclose", None)
        if close is not None and (self._owns_transport or isinstance(transport, AsyncHttpxTransport)):
            await close()
        elif self._owns_transport and isinstance(transport, ThreadedTransport):
            transport.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class AsyncListIterator(_Walk[M], AsyncIterator[M]):
    """The async twin of :class:`ListIterator`: ``async for``, :meth:`pages`, :attr:`cursor`
    and the same progress counters."""

    def __aiter__(self) -> "AsyncListIterator[M]":
        return self

    async def __anext__(self) -> M:
        while not self._buffer:
            if not await self._drive(self._fetch()):
                raise StopAsyncIteration
        return self._next()

    async def pages(self) -> AsyncIterator[List[M]]:
        """The remaining items page by page (see :meth:`ListIterator.pages`)."""
        while self._buffer or await self._drive(self._fetch()):
            if self._buffer:
                yield self._take_page()


def _is_async_callable(obj: Any) -> bool:
    return inspect.iscoroutinefunction(obj) or inspect.iscoroutinefunction(getattr(obj, "__call__", None))
