"""A list page's models are made by the native module while it builds the page (issue 11):
an item whose ``type`` the view table knows becomes its model there, with ``raw`` the item's
dict. Those models must be the ones ``Resource(normalized, raw)`` and ``from_raw`` make (class,
equality, attributes, repr, pickling), items the table does not know must still become the
right models, and a page that fails must leave no model behind."""

from __future__ import annotations

import gc
import json
import pickle
from typing import Any, Dict, List

import pytest

import degreed
from degreed import _native
from degreed._driver import call_flow, run
from degreed.client import _list_spec
from degreed.models import Content, Course, Resource, User, from_raw, view_table

from .test_hostile_server import Answer, Hostile, hostile  # noqa: F401  (the fixture)


def _page(items: Any, next_link: Any = None) -> Answer:
    body = json.dumps({"data": items, "links": {"next": next_link}}).encode()
    return 200, {"Content-Type": "application/json"}, body


def _user(i: int, **attributes: Any) -> Dict[str, Any]:
    attrs = {
        "employee-id": f"E{i}",
        "first-name": f"Ann {i}",
        "created-at": "2024-01-02T03:04:05.1234567Z",
        "last-login-at": "0001-01-01T00:00:00",
        "total-points": "12.5",
        "password-hint": "not shown",
        **attributes,
    }
    return {"type": "users", "id": f"u{i}", "attributes": attrs, "relationships": {}, "links": {"self": f"/u{i}"}}


def _native_page(client: degreed.Client, views: Dict[str, type]) -> Any:
    """One page read through the native pager with a view table: (items, pager.viewed)."""
    pager = client._session.pager(_list_spec("users.list", [], None, None, None, None, None), None, views)
    call = pager.next_call()
    run(call_flow(call), client._transport)
    return pager.on_reply(call), pager.viewed


def test_the_page_builder_makes_the_models(hostile: Hostile) -> None:  # noqa: F811
    items = [_user(i) for i in range(3)]
    hostile.route = lambda m, p, b: _page(items)
    made, viewed = _native_page(hostile.client(), {"users": User})
    assert viewed is True
    assert [type(u) for u in made] == [User, User, User]
    # Without a table the page is the items as `json.loads` makes them.
    plain, viewed = _native_page(hostile.client(), {})
    assert plain == items and viewed is False
    assert all(type(x) is dict for x in plain)


def test_models_made_while_building_equal_those_made_from_the_item(hostile: Hostile) -> None:  # noqa: F811
    items = [_user(i) for i in range(5)]
    hostile.route = lambda m, p, b: _page(items)
    listed = list(hostile.client().users.list())
    assert [u.raw for u in listed] == items
    for user, item in zip(listed, items):
        built = User(_native.normalize_item(item), item)
        viewed = from_raw(User, json.loads(json.dumps(item)))
        for other in (built, viewed):
            assert type(user) is type(other) is User
            assert user == other
            assert user.id == other.id and user.type == other.type == "users"
            assert user.attributes == other.attributes
            assert user.relationships == other.relationships and user.links == other.links
            assert user.included == other.included == []
            assert repr(user) == repr(other)
            assert user.to_dict() == other.to_dict()
        assert user.created_at is not None and user.created_at.tzinfo is not None
        assert user.last_login_at is None  # .NET's minimum date: "never"
        assert "not shown" not in repr(user)
        copy = pickle.loads(pickle.dumps(user))
        assert type(copy) is User and copy == user and copy.first_name == user.first_name


def test_raw_is_the_item_itself(hostile: Hostile) -> None:  # noqa: F811
    hostile.route = lambda m, p, b: _page([_user(1)])
    (user,) = list(hostile.client().users.list())
    assert user.first_name == "Ann 1"
    user.raw["attributes"]["nickname"] = "A"
    assert user.raw["attributes"]["nickname"] == "A"
    # The models of two listings share no dict.
    (again,) = list(hostile.client().users.list())
    assert "nickname" not in again.raw["attributes"]


def test_subclasses_and_types_the_table_does_not_know(hostile: Hostile) -> None:  # noqa: F811
    items: List[Dict[str, Any]] = [
        _user(1),
        {"type": "widgets", "id": "w1", "attributes": {"size": 3}},  # no class of its own
        {"type": 7, "id": "n1"},  # a type that is not a string
        {"id": "x1", "attributes": {"a": 1}},  # no type
        {"type": "content", "id": "c1", "attributes": {"content-type": "Course", "title": "T"}},
        {"type": "completions", "id": "k1", "attributes": {}},
    ]
    hostile.route = lambda m, p, b: _page(items)
    client = hostile.client()
    generic = list(client.iterate("users.list"))
    assert [type(r) for r in generic] == [User, Resource, Resource, Resource, Course, degreed.Completion]
    for model, item in zip(generic, items):
        assert model == from_raw(Resource, json.loads(json.dumps(item)))
    assert generic[1].size == 3 and generic[1].raw is not None
    # The declared class when the type's own class is not one of it (as `from_raw` chooses).
    declared = list(client.users.list())
    assert type(declared[0]) is User and type(declared[4]) is User and type(declared[5]) is User
    # A type met once is in the table for the next pages.
    assert view_table(Resource).get("widgets") is Resource
    made, viewed = _native_page(client, view_table(Resource))
    assert [type(r) for r in made[:2]] == [User, Resource] and viewed is False  # items 3-6 stay dicts
    assert type(made[3]) is dict


def test_content_types_are_refined_by_content_type(hostile: Hostile) -> None:  # noqa: F811
    items = [
        {"type": "content", "id": "c1", "attributes": {"content-type": "Course"}},
        {"type": "content", "id": "c2", "attributes": {"content-type": "Nope"}},
        {"type": "content/courses", "id": "c3", "attributes": {}},
    ]
    hostile.route = lambda m, p, b: _page(items)
    listed = list(hostile.client().content.list())
    assert [type(c) for c in listed] == [Course, Content, Course]


class _Custom(User):
    """A model whose stores run Python code: never made by the page builder."""

    __slots__ = ()
    stores: List[str] = []

    def __setattr__(self, name: str, value: Any) -> None:
        _Custom.stores.append(name)
        super().__setattr__(name, value)


def test_classes_with_their_own_stores_are_made_in_python() -> None:
    assert view_table(User)["users"] is User
    assert "users" not in view_table(_Custom)  # made by `from_raw`, in Python
    _Custom.stores.clear()
    model = from_raw(_Custom, _user(1))
    assert type(model) is _Custom and _Custom.stores == ["raw", "_attrs", "_rest"]
    assert "users" not in view_table(_Custom)


def test_the_page_builder_leaves_classes_with_their_own_stores_alone(hostile: Hostile) -> None:  # noqa: F811
    hostile.route = lambda m, p, b: _page([_user(1)])
    _Custom.stores.clear()
    made, viewed = _native_page(hostile.client(), {"users": _Custom})
    assert viewed is False and type(made[0]) is dict and _Custom.stores == []


def _count(cls: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is cls)


@pytest.mark.parametrize(
    "bad",
    [
        [_user(i) for i in range(40)] + [7],  # an item that is not an object
        [_user(i) for i in range(40)] + [[_user(41)]],
        [_user(i) for i in range(40)] + [_user(41, **{"created-at": "soon"})],  # a bad timestamp
    ],
    ids=["number", "list", "bad-time"],
)
def test_a_page_that_fails_leaves_no_model_behind(hostile: Hostile, bad: List[Any]) -> None:  # noqa: F811
    hostile.route = lambda m, p, b: _page(bad)
    client = hostile.client()
    before = _count(User)
    it = client.users.list()
    with pytest.raises(degreed.DecodeError):
        next(it)
    assert _count(User) == before
    # The client goes on: a good answer then gives its models.
    good = [_user(i) for i in range(3)]
    hostile.route = lambda m, p, b: _page(good)
    again = list(client.users.list())
    assert [u.raw for u in again] == good and all(type(u) is User for u in again)


def test_a_garbled_page_then_a_good_one(hostile: Hostile) -> None:  # noqa: F811
    answers = [
        (200, {"Content-Type": "application/json"}, json.dumps({"data": [_user(1)]}).encode()[:-9]),
        _page([_user(i) for i in range(4)]),
    ]
    hostile.route = lambda m, p, b: answers.pop(0) if len(answers) > 1 else answers[0]
    listed = list(hostile.client(max_retries=2, retry={"base_delay": 0.001, "max_delay": 0.001}).users.list())
    assert [u.id for u in listed] == ["u0", "u1", "u2", "u3"] and all(type(u) is User for u in listed)


def test_a_resumed_cursor_with_unread_items_then_made_pages(hostile: Hostile) -> None:  # noqa: F811
    pages = {
        "1": _page([_user(i) for i in range(3)], "/api/v2/users?page=2"),
        "2": _page([_user(i) for i in range(3, 6)]),
    }
    hostile.route = lambda m, p, b: pages["2" if "page=2" in p else "1"]
    client = hostile.client()
    it = client.users.list()
    first = next(it)
    cursor = it.cursor  # two unread items of page 1
    rest = list(client.users.list(resume=cursor))
    assert [u.id for u in [first, *rest]] == [f"u{i}" for i in range(6)]
    assert all(type(u) is User for u in rest)
    assert rest[2] == from_raw(User, _user(3))
