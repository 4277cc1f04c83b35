"""degreed: a Python SDK for the Degreed REST API, built on a Rust core.

Quickstart::

    import degreed

    client = degreed.Client(client_id, client_secret, data_center="eu")
    for user in client.users.list(limit=1000):
        print(user.id, user.employee_id, user.first_name)

Every API operation is a method in a namespace mirroring its name
(``client.content.courses.create(...)``); :class:`AsyncClient` offers the same surface for
asyncio. Token handling, retries, rate limits, paging and date windows are handled by the
core shared with the Rust and JavaScript SDKs.
"""

from __future__ import annotations

from typing import Iterable, List

from . import _native
from .progress import Progress
from .client import ApiResponse, AsyncClient, AsyncListIterator, Client, DateLike, ListIterator, Stats, TimeLike
from .errors import (
    AuthenticationError,
    ConflictError,
    DecodeError,
    DegreedError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    TimeoutError,
)
from .models import (
    Article,
    Assessment,
    Book,
    Completion,
    Content,
    Course,
    Event,
    Group,
    Pathway,
    Podcast,
    Provider,
    Recommendation,
    RequiredLearning,
    Resource,
    SkillPlan,
    Statement,
    User,
    Video,
)
from .transports import (
    AsyncHttpxTransport,
    HttpxTransport,
    SendError,
    ThreadedTransport,
    UrllibTransport,
)

__version__: str = _native.__version__

__all__ = [
    "__version__",
    # clients
    "Client",
    "ListIterator",
    "AsyncListIterator",
    "Progress",
    "AsyncClient",
    "Stats",
    "ApiResponse",
    "DateLike",
    "TimeLike",
    "minimal_scopes",
    "operations",
    # errors
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
    # models
    "Resource",
    "User",
    "Content",
    "Article",
    "Book",
    "Video",
    "Course",
    "Assessment",
    "Podcast",
    "Event",
    "Completion",
    "RequiredLearning",
    "Recommendation",
    "Group",
    "Pathway",
    "SkillPlan",
    "Provider",
    "Statement",
    # transports
    "UrllibTransport",
    "HttpxTransport",
    "AsyncHttpxTransport",
    "ThreadedTransport",
    "SendError",
]


def minimal_scopes(operations: Iterable[str]) -> List[str]:
    """The smallest set of scopes that allows every named operation, sorted.

    >>> minimal_scopes(["users.list", "completions.create"])
    ['completions:write', 'users:read']

    Raises :class:`InvalidRequestError` for an unknown operation name.
    """
    if isinstance(operations, str):
        operations = [operations]
    return _native.minimal_scopes([str(op) for op in operations])


def operations() -> List[str]:
    """The dotted names of every operation the SDK knows, in catalogue order."""
    return [op["name"] for op in _native.catalog()]
