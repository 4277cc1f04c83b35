"""Exceptions raised by the SDK.

Every exception derives from :class:`DegreedError`; there is one subclass per cause, so a
caller catches exactly what it can handle::

    try:
        client.users.get("a@b.com", identifier="email")
    except degreed.NotFoundError:
        ...

Exceptions never contain the client secret or an access token.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type

__all__ = [
    "DegreedError",
    "InvalidRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "TimeoutError",
    "DecodeError",
]


class DegreedError(Exception):
    """The root of every error the SDK raises.

    Attributes:
        message: a one-line description.
        status: the HTTP status of the response, when there was one.
        errors: the API's ``errors[]`` objects, as dicts (empty when there were none).
        request_id: the response's request id header, when present.
        maybe_applied: true when a failed write may have been applied anyway (no answer
            after sending, a 5xx, or a success answer that could not be read): look the
            record up before sending it again. Always false for reads, idempotent writes
            and refusals; the core decides.
    """

    kind: str = "degreed"

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        errors: Optional[List[Dict[str, Any]]] = None,
        request_id: Optional[str] = None,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors: List[Dict[str, Any]] = list(errors or [])
        self.request_id = request_id
        self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keyword-only constructor arguments: rebuild through the instance dict so that
        # exceptions survive pickling (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


class InvalidRequestError(DegreedError, ValueError):
    """The request is invalid: caught before sending (bad parameter, unknown operation,
    limit out of range, ...), or refused by the server with 400, 405, 406, 410, 413 or 422."""

    kind = "invalid_request"


class AuthenticationError(DegreedError):
    """The token endpoint refused the client id, secret or scopes, or the API refused the
    token even after a refresh."""

    kind = "authentication"


class PermissionDeniedError(DegreedError):
    """The client lacks a scope (checked before sending; ``missing_scope`` names it), or the
    API answered 403."""

    kind = "permission_denied"

    def __init__(
        self,
        message: str,
        *,
        missing_scope: Optional[str] = None,
        status: Optional[int] = None,
        errors: Optional[List[Dict[str, Any]]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message, status=status, errors=errors, request_id=request_id)
        self.missing_scope = missing_scope


class NotFoundError(DegreedError):
    """404: no such record (anonymized users also answer 404)."""

    kind = "not_found"


class ConflictError(DegreedError):
    """409: the external id or URL is already used by another record."""

    kind = "conflict"


class RateLimitError(DegreedError):
    """429 after the retries ran out; ``retry_after`` is the wait the server asked for, in
    seconds, when it said."""

    kind = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: Optional[float] = None,
        status: Optional[int] = None,
        errors: Optional[List[Dict[str, Any]]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message, status=status, errors=errors, request_id=request_id)
        self.retry_after = retry_after


class ServerError(DegreedError):
    """5xx after the retries ran out (writes that may have been applied are not retried)."""

    kind = "server"


class TransportError(DegreedError):
    """The request got no response (connection refused, reset, timeout). When
    ``maybe_applied`` is true the request may have reached the server: a write may have
    been applied, so look it up before trying again."""

    kind = "transport"


class TimeoutError(TransportError, builtins.TimeoutError):
    """The call's deadline (its ``timeout``) passed: it covers connecting, the response,
    every retry and every wait. Also a built-in :class:`TimeoutError`. When
    ``maybe_applied`` is true a write was in flight."""

    kind = "timeout"


class DecodeError(DegreedError):
    """The response could not be understood (not JSON, wrong shape, a next link to another
    host)."""

    kind = "decode"


_BY_KIND: Dict[str, Type[DegreedError]] = {
    cls.kind: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
        TransportError,
        TimeoutError,
        DecodeError,
    )
}


def _rebuild(cls: Type[DegreedError], message: str, state: Dict[str, Any]) -> DegreedError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


def _from_core(payload: Mapping[str, Any]) -> DegreedError:
    """Builds the exception for a core ``Error::to_json()`` payload (used by the native
    module)."""
    kind = str(payload.get("kind") or "")
    cls = _BY_KIND.get(kind, DegreedError)
    message = str(payload.get("message") or kind or "unknown error")
    status = payload.get("status")
    common: Dict[str, Any] = {
        "status": int(status) if isinstance(status, int) else None,
        "errors": [dict(e) for e in payload.get("errors") or [] if isinstance(e, Mapping)],
        "request_id": payload.get("request_id"),
    }
    if cls is PermissionDeniedError:
        return PermissionDeniedError(message, missing_scope=payload.get("missing_scope"), **common)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=payload.get("retry_after"), **common)
    return cls(message, maybe_applied=bool(payload.get("maybe_applied")), **common)
