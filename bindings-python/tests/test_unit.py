"""Behaviour that needs no server: scopes, caller errors, models, error mapping."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any, List, Mapping, Tuple

import pytest

import degreed
from degreed import _native
from degreed.errors import _from_core
from degreed.models import build, parse_time


class Recorder:
    """A transport that must not be called."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, str]] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        self.calls.append((method, url))
        raise AssertionError(f"unexpected request {method} {url}")


def offline(**options: Any) -> Tuple[degreed.Client, Recorder]:
    rec = Recorder()
    client = degreed.Client("id", "top-secret-value", base_url="http://127.0.0.1:9", transport=rec, **options)
    return client, rec


def test_minimal_scopes() -> None:
    assert degreed.minimal_scopes(["users.list", "completions.create"]) == ["completions:write", "users:read"]
    assert degreed.minimal_scopes(["users.list", "users.update", "completions.list"]) == [
        "completions:read",
        "users:write",
    ]
    assert degreed.minimal_scopes("xapi.statements.list") == ["xapi:read"]
    with pytest.raises(degreed.InvalidRequestError, match="users.frobnicate"):
        degreed.minimal_scopes(["users.frobnicate"])


def test_catalogue_shape() -> None:
    ops = _native.catalog()
    assert len(ops) >= 85
    names = [op["name"] for op in ops]
    assert len(set(names)) == len(names)
    assert degreed.operations() == names
    users_list = next(op for op in ops if op["name"] == "users.list")
    assert users_list == {
        "name": "users.list",
        "method": "GET",
        "path": "/api/v2/users",
        "path_params": [],
        "scope": "users:read",
        "scopes": ["users:read", "users:write"],
        "source": "documented",
        "source_ref": "https://api.degreed.com/docs/",
        "filters": ["email", "employee_id"],
        "paging": "cursor",
        "body": "none",
        "body_type": None,
        "idempotent": True,
        "windowed": False,
        "tenant_header": True,
    }


def test_unknown_filter_keywords_fail_before_sending() -> None:
    client, rec = offline()
    with pytest.raises(degreed.InvalidRequestError, match="did you mean `email`"):
        client.users.list(emial="ada@example.com")
    with pytest.raises(degreed.InvalidRequestError, match="did you mean `external_id`"):
        client.content.courses.list(externalid="C-1")
    with pytest.raises(degreed.InvalidRequestError, match="did you mean `since`"):
        client.xapi.statements.list(sinse="2024-01-01")
    with pytest.raises(degreed.InvalidRequestError, match="it takes none"):
        client.groups.list(name="x")
    assert rec.calls == [], "nothing was sent"


@pytest.mark.parametrize(
    "action, message",
    [
        (lambda c: c.users.list(limit=0), "limit"),
        (lambda c: c.users.list(limit=1001), "limit"),
        (lambda c: c.users.get("a/b"), "contains `/`"),
        (lambda c: c.users.get(""), "must not be empty"),
        (lambda c: c.users.update("..", first_name="x"), "contains"),
        (lambda c: c.request("users.frobnicate"), "unknown operation"),
        (lambda c: c.request("users.get"), "users.get"),
        (lambda c: c.users.create(), "at least one attribute"),
        (lambda c: c.groups.members.add("g1", []), "at least one id"),
        (lambda c: c.completions.list(end_date="2024-01-01"), "start_date"),
        (lambda c: c.completions.list(start_date="2024-02-01", end_date="2024-01-01"), "before"),
        (lambda c: c.completions.list(start_date="yesterday", end_date="2024-01-01"), "yyyy-mm-dd"),
        (lambda c: c.users.create(employee_id=object()), "cannot be sent as JSON"),
        (lambda c: c.users.create(score=float("nan")), "NaN"),
        # Fields the core's schema requires on create (from the API docs), named as written.
        (
            lambda c: c.completions.create(user_id="a@b.com", content_id="C1"),
            r"`completions.create`: missing required attributes user_identifier_type, content_id_type, "
            r"content_type, completed_at \(required on create\)",
        ),
        (
            lambda c: c.users.create(employee_id="E1", first_name="A", last_name="B", organization_email=None),
            "missing required attribute organization_email ",
        ),
        (lambda c: c.content.courses.create({"title": "T", "external-id": "E"}), "attributes duration, duration_type "),
        (lambda c: c.request("users.list", query={"limit": "many"}), "limit"),
    ],
)
def test_caller_errors_are_raised_before_sending(action: Any, message: str) -> None:
    client, rec = offline()
    with pytest.raises(degreed.InvalidRequestError, match=message) as info:
        action(client)
    assert isinstance(info.value, ValueError)
    assert info.value.status is None
    assert rec.calls == []
    assert client.stats == degreed.Stats(0, 0, 0, 0)


def test_scope_refusal_before_sending() -> None:
    client, rec = offline(scopes=["users:read"])
    assert client.scopes == ["users:read"]
    with pytest.raises(degreed.PermissionDeniedError) as info:
        client.completions.create(
            user_id="a@b.com", user_identifier_type="Email", content_id="C1", content_id_type="ExternalId",
            content_type="Course", completed_at="2024-05-01T00:00:00",
        )
    assert info.value.missing_scope == "completions:write"
    assert "completions:write" in str(info.value)
    with pytest.raises(degreed.PermissionDeniedError):
        client.users.delete("x")  # users:write is not covered by users:read
    with pytest.raises(degreed.PermissionDeniedError):
        client.completions.list(start_date="2024-01-01", end_date="2024-01-02")
    assert rec.calls == []


def test_bad_configuration() -> None:
    with pytest.raises(degreed.InvalidRequestError, match="plain http"):
        degreed.Client("id", "secret", base_url="http://example.com")
    with pytest.raises(degreed.InvalidRequestError, match="data center"):
        degreed.Client("id", "secret", data_center="mars")
    with pytest.raises(degreed.InvalidRequestError, match="environment"):
        degreed.Client("id", "secret", environment="staging")
    with pytest.raises(degreed.InvalidRequestError, match="scope"):
        degreed.Client("id", "secret", scopes=["users:admin"])
    with pytest.raises(degreed.InvalidRequestError):
        degreed.Client("id", "secret", timeout=0)
    with pytest.raises(degreed.InvalidRequestError):
        degreed.Client("", "secret")


def test_client_options_have_the_cores_bounds() -> None:
    # One description of the options (core/src/config.rs) for every host: JavaScript's
    # `maxRetries` has the same bound.
    with pytest.raises(degreed.InvalidRequestError, match="`max_retries` must be an integer from 0 to 20"):
        degreed.Client("id", "secret", max_retries=21)
    with pytest.raises(degreed.InvalidRequestError, match="max_retries"):
        degreed.Client("id", "secret", max_retries=True)
    assert degreed.Client("id", "secret", max_retries=20, retry={"base_delay": 0.1}).client_id == "id"
    with pytest.raises(degreed.InvalidRequestError, match="`retry.base_delay` must be a number of seconds"):
        degreed.Client("id", "secret", retry={"base_delay": 0})
    with pytest.raises(degreed.InvalidRequestError, match="unknown retry option `jitter`"):
        degreed.AsyncClient("id", "secret", retry={"jitter": 0.1})


def test_documented_hosts() -> None:
    c = degreed.Client("id", "secret", environment="betatest", data_center="eu")
    assert c.token_url == "https://eu.betatest.degreed.com/oauth/token"
    assert c.base_url.rstrip("/") == "https://api.eu.betatest.degreed.com"
    c = degreed.Client("id", "secret", tenant="acme")
    assert c.token_url == "https://acme.degreed.app/oauth/token"
    c = degreed.Client("id", "secret", base_url="http://localhost:8080")
    assert c.token_url == "http://localhost:8080/oauth/token"


def test_reprs_hide_the_secret() -> None:
    client, _ = offline()
    shown = " ".join([repr(client), str(client), repr(client._session), repr(client.users), repr(client.stats)])
    assert "top-secret-value" not in shown
    assert "id" in repr(client)


def test_error_mapping() -> None:
    cases = {
        "invalid_request": degreed.InvalidRequestError,
        "authentication": degreed.AuthenticationError,
        "permission_denied": degreed.PermissionDeniedError,
        "not_found": degreed.NotFoundError,
        "conflict": degreed.ConflictError,
        "rate_limited": degreed.RateLimitError,
        "server": degreed.ServerError,
        "transport": degreed.TransportError,
        "decode": degreed.DecodeError,
        "something_new": degreed.DegreedError,
    }
    for kind, cls in cases.items():
        err = _from_core(
            {
                "kind": kind,
                "message": f"{kind} happened",
                "status": 409,
                "errors": [{"code": "x", "detail": "d"}],
                "request_id": "req-1",
                "retry_after": 1.5,
                "missing_scope": "users:read",
                "maybe_applied": True,
            }
        )
        assert type(err) is cls
        assert isinstance(err, degreed.DegreedError)
        assert (err.status, err.request_id, err.errors) == (409, "req-1", [{"code": "x", "detail": "d"}])
        assert str(err) == f"{kind} happened"
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is cls and copy.status == 409 and str(copy) == str(err)
    rate = _from_core({"kind": "rate_limited", "message": "m", "retry_after": 2.0})
    assert isinstance(rate, degreed.RateLimitError) and rate.retry_after == 2.0
    transport = _from_core({"kind": "transport", "message": "m", "maybe_applied": True})
    assert isinstance(transport, degreed.TransportError) and transport.maybe_applied


def test_models_from_normalized_items() -> None:
    raw = {
        "type": "users",
        "id": "zk3jPZ",
        "attributes": {
            "employee-id": "E1",
            "first-name": "Zoë",
            "created-at": "2022-03-16T10:15:29.5034801",
            "last-login-at": "0001-01-01T00:00:00",
            "password": "hunter2",
            "brand-new-field": [1, 2],
            "type": "shadowed",
        },
        "relationships": [{"manager": {"data": {"id": "m1", "type": "users"}}}],
        "included": [{"type": "content", "id": "c1", "attributes": {"content-type": "Course", "title": "T"}}],
        "links": {"self": "https://api.example/api/v2/users/zk3jPZ"},
    }
    user = build(degreed.User, _native.normalize_item(raw), raw)
    assert isinstance(user, degreed.User)
    assert (user.id, user.type, user.employee_id, user.first_name) == ("zk3jPZ", "users", "E1", "Zoë")
    assert user.created_at == dt.datetime(2022, 3, 16, 10, 15, 29, 503480, tzinfo=dt.timezone.utc)
    assert user.last_login_at is None
    assert user.bio is None  # declared, absent
    assert user.brand_new_field == [1, 2]  # unknown, still an attribute
    assert user.attributes["type"] == "shadowed" and user.type == "users"
    assert user.relationships["manager"] == {"id": "m1", "type": "users"}
    assert isinstance(user.included[0], degreed.Course) and user.included[0].title == "T"
    assert user.links == {"self": "https://api.example/api/v2/users/zk3jPZ"}
    assert user.raw == raw
    assert "hunter2" not in repr(user)
    assert repr(user) == "User(id='zk3jPZ', employee_id='E1', first_name='Zoë')"
    with pytest.raises(AttributeError):
        user.no_such_attribute
    generic = build(degreed.Resource, _native.normalize_item({"type": "widgets", "id": 7}), None)
    assert type(generic) is degreed.Resource and generic.id == "7"
    assert parse_time("2024-01-02T03:04:05Z") == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert parse_time("2024-01-02T05:04:05+02:00") == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert parse_time("not a date") is None
    # The core's reading, the one the models use: Degreed's "never" is no date.
    assert parse_time("0001-01-01T00:00:00") is None
    assert parse_time("2022-03-16T10:15:29.5034801") == dt.datetime(2022, 3, 16, 10, 15, 29, 503480, tzinfo=dt.timezone.utc)


def test_statement_model() -> None:
    raw = {"id": "u-1", "actor": {"name": "A"}, "verb": {"id": "v"}, "timestamp": "2020-02-12T21:05:55.8954545"}
    st = degreed.Statement.from_raw(raw)
    assert st.id == "u-1" and st.actor == {"name": "A"}
    assert st.timestamp == dt.datetime(2020, 2, 12, 21, 5, 55, 895454, tzinfo=dt.timezone.utc)
    assert st.raw == raw


def test_list_items_are_views_over_the_raw_dicts() -> None:
    from degreed.models import from_raw

    raw = {
        "type": "content",
        "id": 12,
        "attributes": {"contentType": "Course", "Title": "T", "modifiedAt": "2024-01-02T03:04:05.1234567"},
        "relationships": [{"provider": {"data": {"id": "p1", "type": "providers"}}}],
    }
    course = from_raw(degreed.Content, raw)
    assert type(course) is degreed.Course and course.raw is raw  # shared, not copied
    assert course.id == "12" and course.type == "content"
    assert course.title == "T" and course.content_type == "Course"  # keys by the core's rule
    assert course.modified_at == dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=dt.timezone.utc)
    assert course.relationships == {"provider": {"id": "p1", "type": "providers"}}
    assert course == from_raw(degreed.Content, dict(raw))
    course.title = "U"
    assert course.attributes["title"] == "U" and raw["attributes"]["Title"] == "T"
    with pytest.raises(AttributeError):
        course.no_such_attribute
    statement = from_raw(degreed.Statement, {"id": "s", "stored": "0001-01-01T00:00:00", "verb": {}})
    assert isinstance(statement, degreed.Statement) and statement.stored is None and statement.verb == {}
