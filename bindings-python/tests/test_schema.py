"""The Python models are the core's schema (core/schema.json): generated from it, the same
fields, names and types, and the same result for every write kind (a 204 is ``None``, as in
Rust and JavaScript)."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import itertools
import json
import typing
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import pytest

import degreed
from degreed import _models

from .conftest import Sandbox

TOOLS = Path(__file__).resolve().parents[1] / "tools"
REGENERATE = "run `bash scripts/generate.sh` (repository root)"


def _tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _tool("gen_models")
SCHEMA: Dict[str, Any] = GEN.load()
MODELS = {m["name"]: m for m in SCHEMA["models"]}
ENUMS = {e["name"]: e for e in SCHEMA["enums"]}
# Schema type -> the Python type a field holds.
TYPES = {
    "string": str, "int": int, "number": float, "bool": bool, "timestamp": dt.datetime,
    "date": dt.date, "enum": str, "list": List[str], "json": Any,
}  # fmt: skip


def test_generated_files_are_current() -> None:
    models = Path(_models.__file__).read_text(encoding="utf-8")
    assert models == GEN.render(SCHEMA), f"_models.py drifted from the schema: {REGENERATE}"
    init = Path(degreed.__file__).read_text(encoding="utf-8")
    assert init == GEN.render_init(SCHEMA, init), f"__init__.py drifted from the schema: {REGENERATE}"


def _cls(model: str) -> Any:
    return getattr(degreed, GEN.py_name(model))


def test_every_model_has_the_schema_fields_names_and_types() -> None:
    declared = {n for n in _models.__all__ if isinstance(getattr(_models, n), type)}
    assert {GEN.py_name(m) for m in MODELS} | {i["name"] for i in SCHEMA["inputs"]} | set(GEN.NAMES) == declared
    for name, m in MODELS.items():
        cls = _cls(name)
        # Every model is reachable under the schema's name, as in Rust and JavaScript.
        assert getattr(degreed, name) is cls, name
        assert issubclass(cls, degreed.Resource), name
        assert list(cls._fields) == [f["name"] for f in m["fields"]], name
        hints = typing.get_type_hints(cls)
        for f in m["fields"]:
            assert hints[f["name"]] == Optional[TYPES[f["type"]]], f"{name}.{f['name']}"
            # Each field is an accessor help() shows, not only an annotation.
            assert isinstance(getattr(cls, f["name"], None), property), f"{name}.{f['name']}"
        if m["extends"]:
            assert issubclass(cls, _cls(m["extends"])), name
    # The fields the issue found missing or misnamed.
    assert len(degreed.User._fields) == 25
    assert {"visibility", "groups_with_access", "groups_with_access_ids"} <= set(degreed.Content._fields)
    assert "isbn13" in degreed.Book._fields
    assert typing.get_type_hints(degreed.Completion)["points_earned"] == Optional[float]


def test_every_write_body_types_the_keyword_arguments() -> None:
    for i in SCHEMA["inputs"]:
        td = getattr(degreed, i["name"])
        assert list(typing.get_type_hints(td)) == [f["name"] for f in i["fields"]], i["name"]
    client = degreed.Client("id", "secret", base_url="http://127.0.0.1:9")
    for op in SCHEMA["operations"]:
        if op["input"]:
            target: Any = client
            for part in op["name"].split("."):
                target = getattr(target, part)
            annotation = str(target.__annotations__["kwargs"])
            assert annotation == f"Unpack[m.{op['input']}]", op["name"]
            assert all(f["name"] in (target.__doc__ or "") for f in SCHEMA_INPUTS[op["input"]]["fields"]), op["name"]


SCHEMA_INPUTS = {i["name"]: i for i in SCHEMA["inputs"]}


def test_the_generators_are_deterministic_and_cover_every_field() -> None:
    # What adding a field to a model and to its create body touches: the core's declaration,
    # then regeneration; the generated class, its docs and the create's typed keywords follow.
    assert GEN.render(SCHEMA) == GEN.render(copy.deepcopy(SCHEMA))
    grown = copy.deepcopy(SCHEMA)
    new = {"name": "favourite_colour", "wire": "favourite-colour", "aliases": [], "type": "string",
           "doc": "A new field.", "required_on_create": False}  # fmt: skip
    next(m for m in grown["models"] if m["name"] == "User")["fields"].append(new)
    body = dict(new, required=False)
    del body["required_on_create"]
    next(i for i in grown["inputs"] if i["name"] == "NewUser")["fields"].append(body)
    text = GEN.render(grown)
    user = text[text.index("class User(Resource):") : text.index("class Content(Resource):")]
    assert "favourite_colour (str): A new field." in user
    assert "'favourite_colour')" in user and "    favourite_colour: Optional[str]\n" in user
    new_user = text[text.index("class NewUser(") : text.index("class UserUpdate(")]
    assert "    favourite_colour: str\n" in new_user
    namespaces = _tool("gen_namespaces")
    namespaces.INPUTS = {i["name"]: i for i in grown["inputs"]}
    assert "favourite_colour" in namespaces.render(degreed._native.catalog())


def test_adding_an_operation_is_one_catalogue_row_and_regeneration() -> None:
    # A new operation in the schema (a catalogue row, with its model) becomes a typed,
    # documented method of both clients.
    op = dict(next(o for o in SCHEMA["operations"] if o["name"] == "groups.get"))
    op.update(name="badges.get", path="/api/v2/badges/{id}", scopes=["user_badges:read"], model="Group")
    namespaces = _tool("gen_namespaces")
    namespaces.SCHEMA_OPS = dict(namespaces.SCHEMA_OPS, **{"badges.get": op})
    text = namespaces.render([*SCHEMA["operations"], op])
    assert "class BadgesNamespace" in text and "'badges.get'" in text
    assert "def get(self, id: str, *, timeout: Optional[float] = None, **query: Any) -> m.Group:" in text
    assert "``GET /api/v2/badges/{id}``" in text


# -- every write kind, against the sandbox -------------------------------------------------


def _call(client: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    target = client
    for part in name.split("."):
        target = getattr(target, part)
    return target(*args, **kwargs)


def _check_fields(obj: degreed.Resource, model: str) -> None:
    for f in MODELS[model]["fields"]:
        value = getattr(obj, f["name"])
        expected = TYPES[f["type"]]
        if value is None or expected is Any:
            continue
        if expected is List[str]:
            assert isinstance(value, list) and all(isinstance(v, str) for v in value), f"{model}.{f['name']}: {value!r}"
        elif expected is float:
            assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{model}.{f['name']}: {value!r}"
        else:
            assert isinstance(value, expected), f"{model}.{f['name']}: {value!r}"


def test_every_write_kind_gives_the_schema_result(make_sandbox: Any) -> None:
    sb: Sandbox = make_sandbox("--rate-limit", "0")
    kinds: Dict[str, int] = {}
    with sb.client() as c:
        user = _call(c, "users.create", employee_id="E-SCHEMA", first_name="Ada", last_name="Lovelace",
                     organization_email="ada.schema@example.com")  # fmt: skip
        course = _call(c, "content.courses.create", title="T", external_id="X-SCHEMA", duration=2, duration_type="Hours")
        group = next(iter(c.groups.list(limit=1)))
        steps: List[Tuple[str, Tuple[Any, ...], Dict[str, Any], Any]] = [
            ("users.update", (user.id,), {"first_name": "Ada B."}, None),
            ("content.courses.update", (course.id,), {"title": "T2"}, None),
            ("content.books.create", (), {"title": "B", "external_id": "B-SCHEMA", "isbn13": "9780000000002"}, None),
            ("completions.create", (), {"user_id": user.id, "user_identifier_type": "UserId", "content_id": course.id,
                                        "content_id_type": "Id", "content_type": "Course",
                                        "completed_at": dt.datetime(2026, 11, 20, 9, 30)}, None),  # fmt: skip
            ("content.skills.add", (course.id, ["Python"]), {}, None),
            ("groups.members.add", (group.id, [user.id]), {}, None),
            ("xapi.statements.create", ({"actor": {"mbox": "mailto:a@b.c"}, "verb": {"id": "https://x/completed"},
                                         "object": {"id": "https://x/o"}},), {}, None),  # fmt: skip
        ]
        ops = {op["name"]: op for op in SCHEMA["operations"]}
        results: Dict[str, Any] = {"users.create": user, "content.courses.create": course}
        for name, args, kwargs, _ in steps:
            results[name] = _call(c, name, *args, **kwargs)
        results["users.delete"] = _call(c, "users.delete", user.id)
        for name, result in results.items():
            op = ops[name]
            kinds[op["result"]] = kinds.get(op["result"], 0) + 1
            if op["result"] == "model":
                assert isinstance(result, _cls(op["model"])), name
                _check_fields(result, op["model"])
            elif op["result"] == "nothing":
                assert result is None, name
            else:
                assert op["result"] == "raw" and not isinstance(result, degreed.Resource), name
        book = results["content.books.create"]
        assert book.isbn13 == "9780000000002", book.raw
        # Read back from lists (the models read the items as sent): Degreed's strings for
        # numbers and one author for a list are the schema's types.
        for name, model in (("content.books.list", "Book"), ("users.list", "User"), ("groups.list", "Group")):
            for item in itertools.islice(_call(c, name, limit=20), 20):
                _check_fields(item, model)
        for item in c.completions.list(start_date=dt.date.today() - dt.timedelta(days=6)):
            _check_fields(item, "Completion")
            assert isinstance(item.points_earned, (int, float)), item.raw
    assert set(kinds) == {"model", "nothing", "raw"}


def test_every_read_gives_the_schema_model_with_its_types(sandbox: Sandbox) -> None:
    """Every list and get of the catalogue, against the sandbox: items of the operation's
    model class, each declared field of the schema's type (ids from the parent lists)."""
    since = dt.date.today() - dt.timedelta(days=400)
    ops = {op["name"]: op for op in SCHEMA["operations"]}
    ids: Dict[str, str] = {}
    checked: Dict[str, int] = {}

    def read(name: str, *args: Any) -> List[Any]:
        op = ops[name]
        if op["paging"] == "none":
            return [_call(client, name, *args)]
        kwargs: Dict[str, Any] = {"limit": 10}
        if op["windowed"]:
            kwargs["start_date"] = since
        if op["paging"] == "xapi":
            kwargs = {"limit": 10}
        return list(itertools.islice(_call(client, name, *args, **kwargs), 10))

    def an_id(ns: str) -> str:
        if ns not in ids:
            ids[ns] = read(f"{ns}.list")[0].id
        return ids[ns]

    with sandbox.client() as client:
        for name, op in ops.items():
            if op["method"] != "GET":
                continue
            ns = name.rsplit(".", 1)[0]
            args = [an_id(ns if name.endswith(".get") else ns.rsplit(".", 1)[0])] if op["path_params"] else []
            items = read(name, *args)
            assert items, name
            for item in items:
                assert isinstance(item, _cls(op["model"])), f"{name}: {type(item).__name__}"
                _check_fields(item, op["model"])
            checked[op["model"]] = checked.get(op["model"], 0) + len(items)
    # Every model an operation returns was read.
    assert set(checked) == {op["model"] for op in SCHEMA["operations"] if op["model"] and op["method"] == "GET"}


def _required_value(field: Mapping[str, Any]) -> Any:
    """A value of a required field's type (enums: the first value)."""
    kind = field["type"]
    if kind == "enum":
        return ENUMS[field["enum"]]["values"][0]
    return {"int": 1, "number": 1.5, "bool": True, "timestamp": "2024-05-01T00:00:00", "date": "2024-05-01"}.get(kind, "V")


def _scripted(status: int, body: bytes) -> degreed.Client:
    token = json.dumps({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}).encode()

    def transport(method: str, url: str, headers: Mapping[str, str], data: bytes, timeout: float) -> Any:
        if url.endswith("/oauth/token"):
            return 200, [("content-type", "application/json")], token
        return status, [("content-type", "application/json")], body

    return degreed.Client("id", "secret", base_url="http://127.0.0.1:9", transport=transport, max_retries=0)


@pytest.mark.parametrize("op", [op for op in SCHEMA["operations"] if op["method"] != "GET"], ids=lambda op: op["name"])
def test_a_write_answered_204_gives_the_schema_result(op: Mapping[str, Any]) -> None:
    client = _scripted(204, b"")
    args: List[Any] = ["x1"] * len(op["path_params"])
    if op["body"] == "resource":
        # A create is refused without the fields the schema requires on it: give them all.
        required = [f for f in SCHEMA_INPUTS[op["input"]]["fields"] if f["required"]] if op["method"] == "POST" else []
        args.append({"title": "T", **{f["name"]: _required_value(f) for f in required}})
    elif op["body"] == "relationships":
        args.append(["a"])
    elif op["body"] == "raw":
        args.append({"actor": {}})
    result = _call(client, op["name"], *args)
    expected = {"null": None, "nothing": None}[op["result_204"]]
    assert result is expected, op["name"]
