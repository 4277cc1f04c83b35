"""The namespaces mirror the catalogue, and every namespace works against the sandbox."""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set

import pytest

import degreed
from degreed import _namespaces, _native

from .conftest import Sandbox

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "gen_namespaces.py"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_namespaces", TOOLS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_namespaces_match_the_catalogue() -> None:
    expected = _generator().render(_native.catalog())
    actual = Path(_namespaces.__file__).read_text(encoding="utf-8")
    assert actual == expected, "the namespaces and the catalogue drifted: run `bash scripts/generate.sh` (repository root)"
    assert list(_namespaces.OPERATIONS) == degreed.operations()


def _resolve(root: Any, name: str) -> Any:
    target = root
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _methods(root: Any, prefix: str = "") -> Iterator[str]:
    for name, value in vars(root).items():
        if name.startswith("_"):
            continue
        yield from _methods(value, f"{prefix}{name}.")
    for name, value in inspect.getmembers(type(root), inspect.isfunction):
        if not name.startswith("_"):
            yield f"{prefix}{name}"


def test_every_operation_is_a_method_and_nothing_else() -> None:
    sync = degreed.Client("id", "secret", base_url="http://127.0.0.1:9")
    asyn = degreed.AsyncClient("id", "secret", base_url="http://127.0.0.1:9", transport=lambda *a: None)
    names = degreed.operations()
    for name in names:
        assert callable(_resolve(sync, name)), name
        method = _resolve(asyn, name)
        is_list = name.endswith(".list")
        assert inspect.iscoroutinefunction(method) != is_list, name
        assert method.__doc__ and name in method.__doc__
    namespaces = {n.split(".")[0] for n in names}
    found: Set[str] = set()
    for ns in namespaces:
        found.update(f"{ns}.{m}" for m in _methods(getattr(sync, ns)))
    assert found == set(names)


SINCE = dt.date.today() - dt.timedelta(days=20)

# One call per top-level namespace; the test fails when the catalogue grows a namespace
# that is not exercised here.
TOP_LEVEL = {
    "users": lambda c: list(c.users.list(limit=5)),
    "content": lambda c: list(c.content.list(limit=10)),
    "completions": lambda c: list(c.completions.list(start_date=SINCE)),
    "required_learning": lambda c: list(c.required_learning.list(start_date=SINCE)),
    "recommendations": lambda c: list(c.recommendations.list(start_date=SINCE)),
    "pathways": lambda c: list(c.pathways.list()),
    "skill_plans": lambda c: list(c.skill_plans.list()),
    "groups": lambda c: list(c.groups.list()),
    "skill_ratings": lambda c: list(c.skill_ratings.list()),
    "user_skills": lambda c: list(c.user_skills.list()),
    "certifiable_skills": lambda c: list(c.certifiable_skills.list()),
    "logins": lambda c: list(c.logins.list(start_date=SINCE)),
    "views": lambda c: list(c.views.list(start_date=SINCE)),
    "search_terms": lambda c: list(c.search_terms.list()),
    "user_followers": lambda c: list(c.user_followers.list()),
    "providers": lambda c: list(c.providers.list()),
    "xapi": lambda c: list(c.xapi.statements.list(since=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30))),
}


def test_every_top_level_namespace_answers(sandbox: Sandbox) -> None:
    assert set(TOP_LEVEL) == {n.split(".")[0] for n in degreed.operations()}
    with sandbox.client() as client:
        for name, call in TOP_LEVEL.items():
            items = call(client)
            assert items, f"{name}: no items"
            assert all(isinstance(i, degreed.Resource) for i in items), name
            assert len({(i.type, i.id) for i in items}) == len(items), f"{name}: duplicates"


def test_every_read_operation_answers(sandbox: Sandbox) -> None:
    """Every list and get of the catalogue, ids taken from the parent lists."""
    client = sandbox.client()
    ops = {op["name"]: op for op in _native.catalog()}
    first_id: Dict[str, str] = {}

    def an_id(namespace: str) -> str:
        if namespace not in first_id:
            item = next(iter(_resolve(client, f"{namespace}.list")(**_window(f"{namespace}.list"))))
            assert item.id, namespace
            first_id[namespace] = item.id
        return first_id[namespace]

    def _window(name: str) -> Dict[str, Any]:
        return {"start_date": SINCE} if ops[name]["windowed"] else {}

    called: List[str] = []
    for name, op in ops.items():
        if op["method"] != "GET":
            continue
        ns = name.rsplit(".", 1)[0]
        args = []
        if op["path_params"]:
            # `users.completions.list` takes a user id; `users.get` a user id too.
            owner = ns if name.endswith(".get") else ns.rsplit(".", 1)[0]
            args.append(an_id(owner))
        method = _resolve(client, name)
        if op["paging"] != "none":
            kwargs = _window(name) if op["paging"] == "cursor" else {"limit": 10}
            items = list(method(*args, **kwargs))
            assert all(isinstance(i, degreed.Resource) for i in items), name
        else:
            item = method(*args)
            assert isinstance(item, degreed.Resource) and item.id == args[0], name
        called.append(name)
    assert len(called) == sum(1 for op in ops.values() if op["method"] == "GET")
    assert client.stats.requests >= len(called)


def test_writes_across_namespaces(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client()
    users = list(client.users.list())
    content = next(iter(client.content.list()))
    group = next(iter(client.groups.list()))

    course = client.content.courses.create(
        external_id="PY-1", title="Python", url="https://example.com/py-1", duration=3, duration_type="Hours"
    )
    assert isinstance(course, degreed.Course) and course.external_id == "PY-1"
    updated = client.content.courses.update(course.id, title="Python, 2nd edition")
    assert updated.title == "Python, 2nd edition"
    client.content.skills.add(course.id, ["Python", "Testing"])
    skills = {s.id for s in client.content.skills.list(course.id)}
    assert {"Python", "Testing"} <= skills
    client.content.skills.remove(course.id, "Testing")
    assert "Testing" not in {s.id for s in client.content.skills.list(course.id)}

    completion = client.completions.create(
        user_id=users[0].organization_email,
        user_identifier_type="Email",
        content_id="PY-1",
        content_id_type="ExternalId",
        content_type="Course",
        completed_at=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc),
    )
    assert isinstance(completion, degreed.Completion) and completion.id
    assert client.completions.get(completion.id).id == completion.id
    client.completions.delete(completion.id)
    with pytest.raises(degreed.NotFoundError):
        client.completions.get(completion.id)

    client.groups.members.add(group.id, [users[1].id, users[2].id])
    members = {m.relationships.get("user", {}).get("id") for m in client.groups.users.list(group.id)}
    assert {users[1].id, users[2].id} <= members
    client.groups.members.remove(group.id, [users[1].id])

    answer = client.xapi.statements.create(
        {
            "actor": {"objectType": "Agent", "mbox": f"mailto:{users[0].organization_email}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": "https://example.com/py-1"},
        }
    )
    assert isinstance(answer, list) and len(answer) == 1

    client.content.courses.delete(course.id)
    with pytest.raises(degreed.NotFoundError):
        client.content.courses.get(course.id)
    assert content.id
    kinds = [w["path"] for w in sb.writes()]
    assert any("/relationships/members" in p for p in kinds)
