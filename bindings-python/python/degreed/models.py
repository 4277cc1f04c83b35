"""Resources as Python objects.

Every item the API returns becomes a :class:`Resource` (or a typed subclass such as
:class:`User`): its attributes, spelled in ``snake_case``, are plain attributes of the object;
timestamps are timezone-aware ``datetime`` values in UTC (``None`` for Degreed's "never");
attributes the SDK does not know about are still reachable as attributes; ``raw`` keeps the
item exactly as the API sent it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Tuple, Type

__all__ = [
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
    "model_for_type",
]

# Attribute names whose values are never shown by repr().
_SECRET_NAMES = re.compile(r"password|secret|token", re.IGNORECASE)

_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_time(value: str) -> Optional[datetime]:
    """Parses an ISO-8601 timestamp into an aware UTC ``datetime``; a missing offset means
    UTC, extra fraction digits are cut to microseconds. ``None`` when it is not a timestamp."""
    m = _TIME.match(value.strip())
    if not m:
        return None
    date, clock, fraction, offset = m.groups()
    text = f"{date}T{clock}"
    if fraction:
        text += "." + fraction[:6].ljust(6, "0")
    if not offset or offset == "Z":
        offset = "+00:00"
    elif ":" not in offset:
        offset = offset[:3] + ":" + offset[3:]
    try:
        return datetime.fromisoformat(text + offset).astimezone(timezone.utc)
    except ValueError:
        return None


class Resource:
    """One API resource.

    Attributes:
        id: the Degreed id (a case-sensitive string).
        type: the resource type (``users``, ``content/courses``, ...).
        attributes: every attribute, ``snake_case`` keys, timestamps as ``datetime``.
        relationships: related resources by name (``{"user": {"id": ..., "type": ...}}``).
        included: related resources sent along, as resources.
        links: the item's links (``{"self": ...}``), when sent.
        raw: the item exactly as the API sent it.

    Each attribute is also an attribute of the object (``user.employee_id``); names the
    SDK does not declare are reachable the same way.
    """

    _fields: ClassVar[Tuple[str, ...]] = ()
    _shown: ClassVar[Tuple[str, ...]] = ()

    id: Optional[str]
    type: Optional[str]
    attributes: Dict[str, Any]
    relationships: Dict[str, Any]
    included: List["Resource"]
    links: Optional[Dict[str, Any]]
    raw: Dict[str, Any]

    def __init__(self, normalized: Mapping[str, Any], raw: Optional[Mapping[str, Any]] = None) -> None:
        """Builds a resource from a normalized item (see the core's ``models::normalize``)
        and the raw item it came from."""
        attributes = dict(normalized.get("attributes") or {})
        for name in normalized.get("time_fields") or ():
            value = attributes.get(name)
            if isinstance(value, str):
                parsed = parse_time(value)
                if parsed is not None:
                    attributes[name] = parsed
        raw_dict: Dict[str, Any] = dict(raw) if raw is not None else dict(normalized)
        raw_included = raw_dict.get("included")
        if isinstance(raw_included, Mapping):
            raw_included = [raw_included]
        if not isinstance(raw_included, list):
            raw_included = []
        included: List[Resource] = []
        for index, item in enumerate(normalized.get("included") or ()):
            if isinstance(item, Mapping):
                source = raw_included[index] if index < len(raw_included) else None
                included.append(build(Resource, item, source))
        state = self.__dict__
        for name in self._fields:
            state[name] = None
        for name, value in attributes.items():
            if name not in _RESERVED:
                state[name] = value
        links = normalized.get("links")
        state.update(
            id=normalized.get("id"),
            type=normalized.get("type"),
            attributes=attributes,
            relationships=dict(normalized.get("relationships") or {}),
            included=included,
            links=dict(links) if isinstance(links, Mapping) else None,
            raw=raw_dict,
        )

    def __getattr__(self, name: str) -> Any:
        # Only called for names not set on the instance: attributes whose names clash with
        # the object's own (``type``, ``raw``, ...) stay reachable through ``attributes``.
        if not name.startswith("__"):
            attributes = self.__dict__.get("attributes")
            if attributes is not None and name in attributes:
                return attributes[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def get(self, name: str, default: Any = None) -> Any:
        """An attribute by its ``snake_case`` name, or ``default`` when absent."""
        return self.attributes.get(name, default)

    def to_dict(self) -> Dict[str, Any]:
        """A flat dict: ``id``, ``type`` and the attributes (timestamps as ``datetime``)."""
        out: Dict[str, Any] = {"id": self.id, "type": self.type}
        out.update(self.attributes)
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Resource):
            return NotImplemented
        return type(self) is type(other) and self.raw == other.raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}"]
        if type(self) is Resource and self.type:
            parts.append(f"type={self.type!r}")
        for name in self._shown:
            value = self.attributes.get(name)
            if value is not None and not _SECRET_NAMES.search(name):
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __dir__(self) -> Iterable[str]:
        return sorted(set(super().__dir__()) | set(self.attributes))


_RESERVED = frozenset(
    ("id", "type", "attributes", "relationships", "included", "links", "raw", "get", "to_dict")
)


class User(Resource):
    """A user (``users``)."""

    _fields: ClassVar[Tuple[str, ...]] = (
        "employee_id", "first_name", "last_name", "full_name", "organization_email",
        "personal_email", "profile_visibility", "bio", "location", "profile_image_url",
        "login_disabled", "restricted", "permission_role", "job_role", "alias_uid",
        "preferred_language", "created_at", "first_login_at", "last_login_at", "total_points",
    )  # fmt: skip
    _shown: ClassVar[Tuple[str, ...]] = ("employee_id", "first_name", "last_name")

    employee_id: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    full_name: Optional[str]
    organization_email: Optional[str]
    personal_email: Optional[str]
    profile_visibility: Optional[str]
    bio: Optional[str]
    location: Optional[str]
    profile_image_url: Optional[str]
    login_disabled: Optional[bool]
    restricted: Optional[bool]
    permission_role: Optional[str]
    job_role: Optional[str]
    alias_uid: Optional[str]
    preferred_language: Optional[str]
    created_at: Optional[datetime]
    first_login_at: Optional[datetime]
    last_login_at: Optional[datetime]
    total_points: Any


class Content(Resource):
    """A content item of any kind (``content``); typed kinds are subclasses."""

    _fields: ClassVar[Tuple[str, ...]] = (
        "content_type", "external_id", "title", "summary", "url", "degreed_url", "format",
        "is_obsolete", "obsolete", "image_url", "language", "duration", "duration_type",
        "provider", "provider_code", "is_internal", "owner", "learning_minutes", "created_at",
        "modified_at", "publish_date",
    )  # fmt: skip
    _shown: ClassVar[Tuple[str, ...]] = ("external_id", "title")

    content_type: Optional[str]
    external_id: Optional[str]
    title: Optional[str]
    summary: Optional[str]
    url: Optional[str]
    degreed_url: Optional[str]
    format: Optional[str]
    is_obsolete: Optional[bool]
    obsolete: Optional[bool]
    image_url: Optional[str]
    language: Optional[str]
    duration: Any
    duration_type: Optional[str]
    provider: Any
    provider_code: Optional[str]
    is_internal: Optional[bool]
    owner: Any
    learning_minutes: Any
    created_at: Optional[datetime]
    modified_at: Optional[datetime]
    publish_date: Optional[datetime]


class Article(Content):
    """An article (``content/articles``)."""

    _fields: ClassVar[Tuple[str, ...]] = Content._fields + ("num_words",)
    num_words: Any


class Book(Content):
    """A book (``content/books``)."""

    _fields: ClassVar[Tuple[str, ...]] = Content._fields + ("subtitle", "authors", "pages", "i_s_b_n13")
    subtitle: Optional[str]
    authors: Any
    pages: Any
    i_s_b_n13: Optional[str]


class Video(Content):
    """A video (``content/videos``)."""


class Course(Content):
    """A course (``content/courses``)."""

    _fields: ClassVar[Tuple[str, ...]] = Content._fields + ("cost_units", "cost_unit_type", "difficulty", "video_url")
    cost_units: Any
    cost_unit_type: Optional[str]
    difficulty: Optional[str]
    video_url: Optional[str]


class Assessment(Content):
    """An assessment (``content/assessments``)."""


class Podcast(Content):
    """A podcast (``content/podcasts``)."""


class Event(Content):
    """An event (``content/events``)."""


class Completion(Resource):
    """A completion (``completions``)."""

    _fields: ClassVar[Tuple[str, ...]] = (
        "employee_id", "completed_at", "added_at", "points_earned", "is_verified", "rating",
        "access_method", "user_id", "user_identifier_type", "content_id", "content_id_type",
        "content_type", "percentile", "duration",
    )  # fmt: skip
    _shown: ClassVar[Tuple[str, ...]] = ("employee_id", "completed_at")

    employee_id: Optional[str]
    completed_at: Optional[datetime]
    added_at: Optional[datetime]
    points_earned: Any
    is_verified: Optional[bool]
    rating: Any
    access_method: Optional[str]
    user_id: Optional[str]
    user_identifier_type: Optional[str]
    content_id: Optional[str]
    content_id_type: Optional[str]
    content_type: Optional[str]
    percentile: Any
    duration: Any


class RequiredLearning(Resource):
    """A required-learning assignment (``required-learning``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("employee_id", "assignment_type", "status", "due_at", "created_at", "modified_at")
    _shown: ClassVar[Tuple[str, ...]] = ("employee_id", "status")

    employee_id: Optional[str]
    assignment_type: Optional[str]
    status: Optional[str]
    due_at: Optional[datetime]
    created_at: Optional[datetime]
    modified_at: Optional[datetime]


class Recommendation(Resource):
    """A recommendation (``recommendations``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("employee_id", "recipient_employee_id", "status", "recommended_at", "modified_at")
    _shown: ClassVar[Tuple[str, ...]] = ("employee_id", "status")

    employee_id: Optional[str]
    recipient_employee_id: Optional[str]
    status: Optional[str]
    recommended_at: Optional[datetime]
    modified_at: Optional[datetime]


class Group(Resource):
    """A group (``groups``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("name", "description", "privacy", "external_group_id", "created_at", "modified_at")
    _shown: ClassVar[Tuple[str, ...]] = ("name",)

    name: Optional[str]
    description: Optional[str]
    privacy: Optional[str]
    external_group_id: Optional[str]
    created_at: Optional[datetime]
    modified_at: Optional[datetime]


class Pathway(Resource):
    """A pathway (``pathways``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("title", "summary", "visibility", "created_at", "modified_at")
    _shown: ClassVar[Tuple[str, ...]] = ("title",)

    title: Optional[str]
    summary: Optional[str]
    visibility: Optional[str]
    created_at: Optional[datetime]
    modified_at: Optional[datetime]


class SkillPlan(Resource):
    """A skill plan (``skill-plans``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("name", "description", "visibility", "created_at")
    _shown: ClassVar[Tuple[str, ...]] = ("name",)

    name: Optional[str]
    description: Optional[str]
    visibility: Optional[str]
    created_at: Optional[datetime]


class Provider(Resource):
    """A content provider (``providers``)."""

    _fields: ClassVar[Tuple[str, ...]] = ("name", "url")
    _shown: ClassVar[Tuple[str, ...]] = ("name",)

    name: Optional[str]
    url: Optional[str]


class Statement(Resource):
    """An xAPI statement. Not a JSON:API resource: its top-level keys (``actor``, ``verb``,
    ``object``, ``context``, ``result``, ``timestamp``, ``stored``, ...) are its attributes,
    unchanged except that ``timestamp`` and ``stored`` become ``datetime`` values."""

    _fields: ClassVar[Tuple[str, ...]] = ("actor", "verb", "object", "context", "result", "timestamp", "stored")
    _shown: ClassVar[Tuple[str, ...]] = ("timestamp",)

    actor: Any
    verb: Any
    object: Any
    context: Any
    result: Any
    timestamp: Optional[datetime]
    stored: Optional[datetime]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "Statement":
        """A statement from the API's JSON."""
        attributes = {k: v for k, v in raw.items() if k != "id"}
        time_fields = [k for k in ("timestamp", "stored") if isinstance(attributes.get(k), str)]
        ident = raw.get("id")
        normalized = {
            "id": str(ident) if ident is not None else None,
            "type": "statements",
            "attributes": attributes,
            "time_fields": time_fields,
        }
        return cls(normalized, raw)


_BY_TYPE: Dict[str, Type[Resource]] = {
    "users": User,
    "content": Content,
    "content/articles": Article,
    "content/books": Book,
    "content/videos": Video,
    "content/courses": Course,
    "content/assessments": Assessment,
    "content/podcasts": Podcast,
    "content/events": Event,
    "completions": Completion,
    "required-learning": RequiredLearning,
    "recommendations": Recommendation,
    "groups": Group,
    "pathways": Pathway,
    "skill-plans": SkillPlan,
    "providers": Provider,
    "statements": Statement,
}

_BY_CONTENT_TYPE: Dict[str, Type[Resource]] = {
    "article": Article,
    "book": Book,
    "video": Video,
    "course": Course,
    "assessment": Assessment,
    "podcast": Podcast,
    "event": Event,
}


def model_for_type(resource_type: Any) -> Type[Resource]:
    """The class for a resource ``type`` (``Resource`` for types without their own class)."""
    if isinstance(resource_type, str):
        return _BY_TYPE.get(resource_type.lower(), Resource)
    return Resource


def build(declared: Type[Resource], normalized: Any, raw: Any) -> Resource:
    """The model of an item: the class declared by the operation, refined to a subclass when
    the item's type says so (a generic ``content`` item that is a course becomes a
    :class:`Course`)."""
    if not isinstance(normalized, Mapping):
        # Not an object: keep it reachable rather than fail.
        return declared({"attributes": {"value": normalized}}, {"value": normalized})
    raw_map = raw if isinstance(raw, Mapping) else None
    cls = model_for_type(normalized.get("type"))
    if cls is Content:
        content_type = (normalized.get("attributes") or {}).get("content_type")
        if isinstance(content_type, str):
            cls = _BY_CONTENT_TYPE.get(content_type.lower(), Content)
    if not issubclass(cls, declared):
        cls = declared
    return cls(normalized, raw_map)
