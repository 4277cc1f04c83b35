"""Resources as Python objects.

Every item the API returns becomes a :class:`Resource` (or a typed subclass such as
:class:`User`): its attributes, spelled in ``snake_case``, are plain attributes of the object;
timestamps are timezone-aware ``datetime`` values in UTC (``None`` for Degreed's "never");
attributes the SDK does not know about are still reachable as attributes; ``raw`` keeps the
item exactly as the API sent it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Tuple, Type

from . import _native

# With every class of ._models (imported below).
__all__ = ["Resource", "model_for_type"]

# Attribute names whose values are never shown by repr().
_SECRET_NAMES = re.compile(r"password|secret|token", re.IGNORECASE)

def parse_time(value: str) -> Optional[datetime]:
    """Parses an ISO-8601 timestamp into an aware UTC ``datetime`` by the core's reading of
    timestamps (a missing offset means UTC, extra fraction digits are cut to microseconds);
    ``None`` when it is not a timestamp, or for Degreed's "never" (.NET's minimum date)."""
    parsed = _timestamp(value)
    return parsed if isinstance(parsed, datetime) else None


def _attribute_rule(key: str) -> Tuple[str, bool, Optional[str]]:
    """The core's rule for an attribute name as sent (its ``snake_case`` spelling, whether it
    holds a timestamp, and how a string value is read: ``number``, ``int``, ``bool``, ``list``
    or ``None``), asked once per distinct name."""
    rule = _RULES.get(key)
    if rule is None:
        rule = _RULES[key] = _native.attribute_rule(key)
    return rule


_RULES: Dict[str, Tuple[str, bool, Optional[str]]] = {}


def _read_value(kind: str, text: str) -> Any:
    """A string value read as the schema's type (Degreed sends numbers and booleans as
    strings); kept as sent when it cannot mean that type. The core reads the text."""
    read = _native.read_value(kind, text)
    return text if read is None else read[0]


def _timestamp(value: str) -> Any:
    """A timestamp as sent -> an aware UTC ``datetime`` (``None`` for Degreed's "never"); a
    value that is not a timestamp is kept as it is. The core reads the text."""
    norm = _native.normalize_timestamp(value)
    if norm is None or norm is False:
        return None if norm is None else value
    return datetime.fromisoformat(norm)


def _is_resource(raw: Mapping[str, Any]) -> bool:
    # The core's rule (``models::normalize``): a JSON:API resource has one of these keys; an
    # object without any (an xAPI statement) is read as a plain object.
    return "type" in raw or "attributes" in raw or "relationships" in raw


_Rest = Tuple[Dict[str, Any], List["Resource"], Optional[Dict[str, Any]], Optional[Tuple[Any, Any]]]


def _field(name: str) -> property:
    """A declared attribute: read from the model's attributes, ``None`` when absent."""

    def read(self: "Resource") -> Any:
        attrs = self._attrs
        if attrs is None:
            attrs = self._read_attributes()
        return attrs.get(name)

    def write(self: "Resource", value: Any) -> None:
        self.attributes[name] = value

    return property(read, write, doc=f"The ``{name}`` attribute (``None`` when absent).")


class Resource:
    """One API resource: a thin view over the item as the API sent it (``raw``).

    Attributes:
        id: the Degreed id (a case-sensitive string).
        type: the resource type (``users``, ``content/courses``, ...).
        attributes: every attribute, ``snake_case`` keys, timestamps as ``datetime``.
        relationships: related resources by name (``{"user": {"id": ..., "type": ...}}``).
        included: related resources sent along, as resources.
        links: the item's links (``{"self": ...}``), when sent.
        raw: the item exactly as the API sent it.

    Each attribute is also an attribute of the object (``user.employee_id``); names the
    SDK does not declare are reachable the same way. Nothing is copied when a model is made:
    attributes are read from ``raw`` (keys spelled and timestamps converted by the core's
    rules) the first time one is asked for, relationships and included resources the first
    time they are.
    """

    __slots__ = ("raw", "_attrs", "_rest")

    _fields: ClassVar[Tuple[str, ...]] = ()
    _shown: ClassVar[Tuple[str, ...]] = ()

    raw: Dict[str, Any]
    _attrs: Optional[Dict[str, Any]]
    # relationships, included, links; and (id, type) when they come from a normalized item.
    _rest: Optional["_Rest"]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._fields:
            if name not in cls.__dict__ and name not in _RESERVED:
                setattr(cls, name, _field(name))

    def __init__(self, normalized: Mapping[str, Any], raw: Optional[Mapping[str, Any]] = None) -> None:
        """Builds a resource from the raw item as the API sent it; without one, from a
        normalized item (see the core's ``models::normalize``)."""
        self._attrs = None
        self._rest = None
        if raw is not None and _is_resource(raw):
            self.raw = raw if type(raw) is dict else dict(raw)
            return
        # A plain object, or only a normalized item: read what the core normalized.
        self.raw = dict(raw) if raw is not None else dict(normalized)
        self._from_normalized(normalized)

    @classmethod
    def _view(cls, raw: Dict[str, Any]) -> Any:
        """A model over ``raw`` (a JSON:API resource object), making nothing else yet."""
        obj = cls.__new__(cls)
        obj.raw = raw
        obj._attrs = None
        obj._rest = None
        return obj

    def _from_normalized(self, normalized: Mapping[str, Any]) -> None:
        attributes = dict(normalized.get("attributes") or {})
        for name in normalized.get("time_fields") or ():
            value = attributes.get(name)
            if isinstance(value, str):
                # The core read it already (`models::normalize`): RFC 3339 in UTC, which
                # fromisoformat takes as is; a value it left as sent is kept.
                try:
                    attributes[name] = datetime.fromisoformat(value)
                except ValueError:
                    pass
        self._attrs = attributes
        self._rest = self._related(normalized, self.raw, (normalized.get("id"), normalized.get("type")))

    @staticmethod
    def _related(
        normalized: Mapping[str, Any], raw: Mapping[str, Any], ident: Optional[Tuple[Any, Any]] = None
    ) -> "_Rest":
        raw_included = raw.get("included")
        if isinstance(raw_included, Mapping):
            raw_included = [raw_included]
        if not isinstance(raw_included, list):
            raw_included = []
        included: List[Resource] = []
        for index, item in enumerate(normalized.get("included") or ()):
            if isinstance(item, Mapping):
                source = raw_included[index] if index < len(raw_included) else None
                included.append(build(Resource, item, source))
        links = normalized.get("links")
        return (
            dict(normalized.get("relationships") or {}),
            included,
            dict(links) if isinstance(links, Mapping) else None,
            ident,
        )

    def _read_attributes(self) -> Dict[str, Any]:
        attrs: Dict[str, Any] = {}
        source = self.raw.get("attributes")
        if isinstance(source, dict):
            rules = _RULES
            for key, value in source.items():
                rule = rules.get(key) or _attribute_rule(key)
                if rule[1] and isinstance(value, str):
                    value = _timestamp(value)
                elif rule[2] is not None and isinstance(value, str):
                    value = _read_value(rule[2], value)
                attrs[rule[0]] = value
        self._attrs = attrs
        return attrs

    def _read_rest(self) -> "_Rest":
        rest = self._rest
        if rest is None:
            rest = self._rest = self._related(_native.normalize_item(self.raw), self.raw)
        return rest

    @property
    def id(self) -> Optional[str]:
        rest = self._rest
        if rest is not None and rest[3] is not None:
            return rest[3][0]  # type: ignore[no-any-return]
        value: Any = self.raw.get("id")
        # The core's rule: ids are strings; a number is turned into one.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        return value  # type: ignore[no-any-return]

    @property
    def type(self) -> Optional[str]:
        rest = self._rest
        if rest is not None and rest[3] is not None:
            return rest[3][1]  # type: ignore[no-any-return]
        return self.raw.get("type")

    @property
    def attributes(self) -> Dict[str, Any]:
        attrs = self._attrs
        return attrs if attrs is not None else self._read_attributes()

    @property
    def relationships(self) -> Dict[str, Any]:
        return self._read_rest()[0]

    @property
    def included(self) -> List["Resource"]:
        return self._read_rest()[1]

    @property
    def links(self) -> Optional[Dict[str, Any]]:
        return self._read_rest()[2]

    def __getattr__(self, name: str) -> Any:
        # Only called for names the class does not define: attributes the SDK does not
        # declare. Those whose names clash with the object's own (``type``, ``raw``, ...) stay
        # reachable through ``attributes``.
        if not name.startswith("_"):
            attributes = self.attributes
            if name in attributes:
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


class _StatementBase(Resource):
    """How an xAPI statement is read (its fields are declared by :class:`Statement`). Not a
    JSON:API resource: its top-level keys (``actor``, ``verb``, ``object``, ``context``,
    ``result``, ``timestamp``, ``stored``, ...) are its attributes, unchanged except that
    ``timestamp`` and ``stored`` become ``datetime`` values."""

    __slots__ = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "_StatementBase":
        """A statement from the API's JSON."""
        return cls._view(raw if type(raw) is dict else dict(raw))  # type: ignore[no-any-return]

    def __init__(self, normalized: Mapping[str, Any], raw: Optional[Mapping[str, Any]] = None) -> None:
        self._attrs = None
        self._rest = None
        source = raw if raw is not None else normalized
        self.raw = source if type(source) is dict else dict(source)

    @property
    def id(self) -> Optional[str]:
        ident = self.raw.get("id")
        return str(ident) if ident is not None else None

    @property
    def type(self) -> Optional[str]:
        return "statements"

    def _read_attributes(self) -> Dict[str, Any]:
        # The statement's own keys, unchanged; timestamps by the core's rule.
        attrs: Dict[str, Any] = {}
        for key, value in self.raw.items():
            if key == "id":
                continue
            if isinstance(value, str) and _attribute_rule(key)[1]:
                value = _timestamp(value)
            attrs[key] = value
        self._attrs = attrs
        return attrs

    def _read_rest(self) -> "_Rest":
        rest = self._rest
        if rest is None:
            rest = self._rest = ({}, [], None, None)
        return rest


# The classes declared from the core's schema (tools/gen_models.py); after ``Resource`` and
# ``_StatementBase``, which they extend.
from ._models import *  # noqa: E402,F401,F403
from ._models import BY_CONTENT_TYPE as _BY_CONTENT_TYPE, BY_TYPE as _BY_TYPE, Content, Statement  # noqa: E402


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


#: For each declared model, the class :func:`from_raw` chooses for a resource ``type`` when
#: the type alone decides it (not for ``Content``, where the content type does) and the class
#: is a plain view (:func:`_plain`). The native page builder reads these tables
#: (``Session.pager(views=...)``) to make each item's model while it builds the page.
_VIEW_CLASS: Dict[type, Dict[str, Type[Resource]]] = {}

_SLOTS = ("raw", "_attrs", "_rest")


def _plain(cls: type) -> bool:
    """Whether a model is made as :meth:`Resource._view` makes it by allocating it and
    storing its three slots, with no Python code run: no ``__new__`` or ``__setattr__`` of its
    own, ``Resource``'s slots not replaced."""
    new: Any = cls.__new__
    setattr_: Any = cls.__setattr__
    return (
        new is object.__new__
        and setattr_ is object.__setattr__
        and all(getattr(cls, name, None) is Resource.__dict__[name] for name in _SLOTS)
    )


def view_table(declared: Type[Resource]) -> Dict[str, Type[Resource]]:
    """``{type: class}``: the class of a list item of ``declared`` by its ``type``, for the
    types whose class is known without reading the item (filled as :func:`from_raw` meets
    others)."""
    table = _VIEW_CLASS.get(declared)
    if table is None:
        table = _VIEW_CLASS[declared] = {}
        for rtype, cls in _BY_TYPE.items():
            if cls is not Content:
                _remember(table, rtype, cls if issubclass(cls, declared) else declared)
    return table


def _remember(table: Dict[str, Type[Resource]], rtype: str, cls: Type[Resource]) -> None:
    if _plain(cls):
        table[rtype] = cls


def views_of(declared: Type[Resource], items: List[Any]) -> Optional[List[Resource]]:
    """:func:`from_raw` of every item of a page (the page builder may have made some already),
    made at once; ``None`` when an item could not be made, or its model's ``raw`` is not the
    item itself (then each is made when it is asked for, and raises then)."""
    out: List[Resource] = []
    known = view_table(declared).get
    for raw in items:
        if type(raw) is not dict:
            if isinstance(raw, Resource):  # made by the page builder
                out.append(raw)
                continue
        else:
            rtype = raw.get("type")
            cls = known(rtype) if type(rtype) is str else None
            if cls is not None:
                out.append(cls._view(raw))
                continue
        try:
            made = from_raw(declared, raw)
        except Exception:
            return None
        if made.raw is not raw:
            return None
        out.append(made)
    return out


def from_raw(declared: Type[Resource], raw: Any) -> Resource:
    """The model of a list item as the API sent it (what ``json.loads`` made of it): a view
    over ``raw``, of the class :func:`build` would choose, made without normalizing it."""
    if type(raw) is dict:
        # The common case first (a listing's every item): a class already chosen for the type.
        rtype = raw.get("type")
        if type(rtype) is str:
            known = view_table(declared).get(rtype)
            if known is not None:
                return known._view(raw)  # type: ignore[no-any-return]
    if issubclass(declared, Statement):
        return declared.from_raw(raw if isinstance(raw, Mapping) else {"value": raw})
    if type(raw) is not dict or not _is_resource(raw):
        # Not a JSON:API resource: the core normalizes it, as for single answers.
        return build(declared, _native.normalize_item(raw), raw)
    rtype = raw.get("type")
    cls = _BY_TYPE.get(rtype.lower(), Resource) if isinstance(rtype, str) else Resource
    if cls is Content:
        attrs = raw.get("attributes")
        content_type = attrs.get("content-type") if isinstance(attrs, dict) else None
        if content_type is None:  # sent in another spelling: read it by the core's rule
            content_type = Content._view(raw).attributes.get("content_type")
        if isinstance(content_type, str):
            cls = _BY_CONTENT_TYPE.get(content_type.lower(), Content)
    if not issubclass(cls, declared):
        cls = declared
    if isinstance(rtype, str) and _BY_TYPE.get(rtype.lower(), Resource) is not Content:
        _remember(view_table(declared), rtype, cls)
    return cls._view(raw)  # type: ignore[no-any-return]
