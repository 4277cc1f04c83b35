"""The drivers: send, sleep, tell the time. Every policy lives in the core.

What a client does is written once, as *flows*: generators that run the core's calls and
yield the effects a driver performs — ``("send", call, request)``: send ``request`` and hand
the response to ``call``; ``("wait", call, seconds)``: sleep. A send that gets no response is
thrown back into the flow, which tells the core. :func:`run` performs the effects with a
synchronous transport and ``time.sleep``, :func:`arun` with an asynchronous one and
``asyncio.sleep``; nothing else differs between :class:`~degreed.Client` and
:class:`~degreed.AsyncClient` (the httpx ``auth_flow`` / gidgethub shape).

The request to send is the native ``Request`` object: its headers and body (the client
secret, the bearer token) are made into Python values inside the transport call only, and
responses are handed to the core inside ``_exchange``/``_aexchange``, whose frames are gone
when they return. So no frame of these loops holds a secret in a local variable, where a
traceback with locals (Sentry, ``pytest --showlocals``, ``rich``) would record it.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import random
import time
from typing import Any, Callable, Dict, Generator, Iterable, List, Mapping, Optional, Tuple, TypeVar, cast

from . import _native
from .transports import (
    AsyncTransport,
    Request,
    ResponseTooLarge,
    Transport,
    _read_all,
    _send_sync,
    _unpack,
    classify,
    describe,
)

logger = logging.getLogger("degreed")
# A library does not print unless the application configures logging (the logging HOWTO's
# advice): without this, Python's last-resort handler would print WARNING records to stderr.
logger.addHandler(logging.NullHandler())

T = TypeVar("T")
Reply = Dict[str, Any]
#: What a flow asks its driver to do: ``("send", call, request)`` or ``("wait", call, seconds)``.
Effect = Tuple[str, _native.Call, Any]
#: A computation over the core's calls, run by :func:`run` or :func:`arun`; returns a ``T``.
Flow = Generator[Effect, None, T]


def _pairs(headers: Any) -> List[Tuple[str, str]]:
    items: Iterable[Any] = headers.items() if isinstance(headers, Mapping) else headers or ()
    return [(str(k), str(v)) for k, v in items]


def _checked(response: Any) -> Tuple[int, List[Tuple[str, str]], bytes]:
    status, headers, body = _unpack(response)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return status, _pairs(headers), bytes(body or b"")


#: The logging level of each core event (`degreed::event`): retries and pacing waits are
#: worth seeing in a job's log, a write that may have been applied needs a look.
_LEVELS = {"retry": logging.INFO, "wait": logging.INFO, "maybe_applied": logging.WARNING}


def _emit(call: _native.Call) -> None:
    """Forwards the core's events to the ``degreed`` logger. The message is the core's text
    (never a secret, query or body); the fields are on the record as ``degreed_event``."""
    for name, message, fields in call.take_events(logger.isEnabledFor(logging.DEBUG)):
        level = _LEVELS.get(name, logging.DEBUG)
        if logger.isEnabledFor(level):
            logger.log(level, "%s", message, extra={"degreed_event": fields})


# ---------------------------------------------------------------------------------------
# Flows


def call_flow(call: _native.Call) -> Flow[Reply]:
    """Runs one call of the core to completion: poll it, then send or wait, until done."""
    while True:
        try:
            step = call.poll(time.time(), random.random())
        finally:
            # A poll that ends the call with an error raises it: its events (a write that
            # may have been applied) are logged first all the same.
            _emit(call)
        if step[0] == "done":
            return cast(Reply, step[1])
        try:
            yield (step[0], call, step[1])
        except BaseException as exc:
            _report(call, exc)
        else:
            _emit(call)


def finish(call: _native.Call, then: Callable[[Reply], T]) -> Flow[T]:
    """Runs ``call`` and returns ``then`` of its reply."""
    return then((yield from call_flow(call)))


def _report(call: _native.Call, exc: BaseException) -> None:
    """Tells the core that a send got no response; re-raises what is not a network failure
    (a bug in a transport, KeyboardInterrupt, task cancellation) after telling the core, so
    a token fetch in flight is released for the other calls."""
    if isinstance(exc, ResponseTooLarge):
        call.too_large(exc.status, time.time())
        _emit(call)
        return
    not_sent: Optional[bool] = classify(exc)
    if not_sent is None:
        call.cancel(f"interrupted: {type(exc).__name__}")
        _emit(call)
        raise exc
    message = describe(exc)
    call.fail(not_sent, message, time.time())
    _emit(call)


def _resume(flow: Flow[T], failure: Optional[BaseException]) -> Effect:
    """The flow's next effect, after its last send failed with ``failure`` (or not)."""
    return flow.send(None) if failure is None else flow.throw(failure)


# ---------------------------------------------------------------------------------------
# The synchronous driver


def _exchange(call: _native.Call, transport: Transport, request: Request) -> None:
    """Sends ``request`` and hands the response to the core."""
    status, headers, body = _checked(_send_sync(transport, request))
    call.receive(status, headers, body, time.time())


def run(flow: Flow[T], transport: Transport) -> T:
    """Runs a flow to completion with a synchronous transport."""
    failure: Optional[BaseException] = None
    while True:
        try:
            step = _resume(flow, failure)
        except StopIteration as done:
            return cast(T, done.value)
        failure = None
        if step[0] == "wait":
            time.sleep(step[2])
            continue
        try:
            _exchange(step[1], transport, step[2])
        except BaseException as exc:
            failure = exc


# ---------------------------------------------------------------------------------------
# The asynchronous driver


async def _aexchange(call: _native.Call, transport: AsyncTransport, request: Request) -> None:
    send = getattr(transport, "send_request", None)
    if send is not None:
        pending: Any = send(request)
    else:
        pending = transport(request.method, request.url, request.headers(), request.body(), request.timeout)
    # Cancelled at the deadline, wherever it is (connecting, headers, a trickling body).
    status, headers, body = _checked(await asyncio.wait_for(_aread(pending, request), request.timeout))
    call.receive(status, headers, body, time.time())


async def _aread(pending: Any, request: Request) -> Any:
    """The transport's answer, with a body given as an async iterator of chunks read up to
    the limit."""
    response = await pending if inspect.isawaitable(pending) else pending
    status, headers, body = _unpack(response)
    if hasattr(body, "__aiter__"):
        parts: List[bytes] = []
        total = 0
        async for chunk in body:
            total += len(chunk)
            if total > request.max_body_bytes:
                raise ResponseTooLarge(status, request.max_body_bytes)
            parts.append(bytes(chunk))
        return status, headers, b"".join(parts)
    if not isinstance(body, (bytes, bytearray, memoryview, str, type(None))):
        raise TypeError("an async transport must return the body as bytes or an async iterator of bytes")
    return status, headers, _read_all(body, status, request.max_body_bytes)


async def arun(flow: Flow[T], transport: AsyncTransport) -> T:
    """Runs a flow to completion with an asynchronous transport."""
    failure: Optional[BaseException] = None
    while True:
        try:
            step = _resume(flow, failure)
        except StopIteration as done:
            return cast(T, done.value)
        failure = None
        if step[0] == "wait":
            await asyncio.sleep(step[2])
            continue
        try:
            await _aexchange(step[1], transport, step[2])
        except BaseException as exc:
            failure = exc


# ---------------------------------------------------------------------------------------
# Async flavours of the methods written for the synchronous client


F = TypeVar("F", bound=Callable[..., Any])


def lazy(method: F) -> F:
    """Marks a method that returns an iterator (a list walk) rather than driving a call:
    its async flavour returns the async iterator itself instead of an awaitable."""
    setattr(method, "_degreed_lazy", True)
    return method


def awaiting(method: Callable[..., Any]) -> Callable[..., Any]:
    """The coroutine function flavour of a method whose body returns an awaitable when
    its client is an :class:`~degreed.AsyncClient` (``_drive`` is :func:`arun`). Signature
    and docstring are the method's."""

    @functools.wraps(method)
    async def flavoured(*args: Any, **kwargs: Any) -> Any:
        return await method(*args, **kwargs)

    return flavoured


_TWINS: Dict[type, type] = {}


def async_twin(cls: type) -> type:
    """The asyncio flavour of a namespace class: a subclass whose public methods are
    coroutine functions (:func:`awaiting`), except the :func:`lazy` ones."""
    twin = _TWINS.get(cls)
    if twin is None:
        methods = {
            name: awaiting(fn)
            for name, fn in vars(cls).items()
            if inspect.isfunction(fn) and not name.startswith("_") and not getattr(fn, "_degreed_lazy", False)
        }
        twin = _TWINS[cls] = type(f"Async{cls.__name__}", (cls,), {**methods, "__module__": cls.__module__})
    return twin
