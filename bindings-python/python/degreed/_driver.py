"""The driver loops: send, sleep, tell the time. Every policy lives in the core."""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, cast

from . import _native
from .transports import AsyncTransport, Transport, classify, describe

logger = logging.getLogger("degreed")
# A library does not print unless the application configures logging (the logging HOWTO's
# advice): without this, Python's last-resort handler would print WARNING records to stderr.
logger.addHandler(logging.NullHandler())

Reply = Dict[str, Any]


def _pairs(headers: Any) -> List[Tuple[str, str]]:
    items: Iterable[Any] = headers.items() if isinstance(headers, Mapping) else headers or ()
    return [(str(k), str(v)) for k, v in items]


def _checked(response: Any) -> Tuple[int, List[Tuple[str, str]], bytes]:
    try:
        status, headers, body = response
    except (TypeError, ValueError):
        raise TypeError(
            "a transport must return (status, headers, body), "
            f"got {type(response).__name__}"
        ) from None
    if isinstance(body, str):
        body = body.encode("utf-8")
    return int(status), _pairs(headers), bytes(body or b"")


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


def run(call: _native.Call, transport: Transport, timeout: float) -> Reply:
    """Runs one call to completion with a synchronous transport."""
    while True:
        step = call.poll(time.time(), random.random())
        _emit(call)
        if step[0] == "done":
            return cast(Reply, step[1])
        if step[0] == "wait":
            time.sleep(step[1])
            continue
        _, _kind, method, url, headers, body = step
        try:
            response = transport(method, url, dict(headers), body, timeout)
            status, rheaders, rbody = _checked(response)
        except BaseException as exc:
            _report(call, exc)
            continue
        call.receive(status, rheaders, rbody, time.time())
        _emit(call)


async def arun(call: _native.Call, transport: AsyncTransport, timeout: float) -> Reply:
    """Runs one call to completion with an asynchronous transport."""
    while True:
        step = call.poll(time.time(), random.random())
        _emit(call)
        if step[0] == "done":
            return cast(Reply, step[1])
        if step[0] == "wait":
            await asyncio.sleep(step[1])
            continue
        _, _kind, method, url, headers, body = step
        try:
            response: Any = transport(method, url, dict(headers), body, timeout)
            if inspect.isawaitable(response):
                response = await response
            status, rheaders, rbody = _checked(response)
        except BaseException as exc:
            _report(call, exc)
            continue
        call.receive(status, rheaders, rbody, time.time())
        _emit(call)


def _report(call: _native.Call, exc: BaseException) -> None:
    """Tells the core that a send got no response; re-raises what is not a network failure
    (a bug in a transport, KeyboardInterrupt, task cancellation) after telling the core, so
    a token fetch in flight is released for the other calls."""
    not_sent: Optional[bool] = classify(exc)
    if not_sent is None:
        call.cancel(f"interrupted: {type(exc).__name__}")
        _emit(call)
        raise exc
    message = describe(exc)
    call.fail(not_sent, message, time.time())
    _emit(call)
