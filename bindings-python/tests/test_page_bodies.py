"""List pages are made into Python values by the native module in the pass that checks them
(issue 11), not by ``json.loads``: the values must be exactly what ``json.loads`` makes of the
same bytes (numbers of any size, escapes, lone surrogates, duplicate names), and a body
``json.loads`` would choke on, or one the core refuses, must be a typed ``DecodeError``."""

from __future__ import annotations

import gc
import json
import threading
import time
from typing import Any, List

import pytest

import degreed

from .test_hostile_server import Answer, Hostile, hostile  # noqa: F401  (the fixture)


def _page(body: bytes) -> Answer:
    return 200, {"Content-Type": "application/json"}, body


def _raws(h: Hostile, body: bytes) -> List[Any]:
    h.route = lambda m, p, b: _page(body)
    return [user.raw for user in h.client().users.list()]


TRICKY = rb"""{
  "data": [
    {"type": "users", "id": "u1", "attributes": {
      "first-name": "Zo\u00eb \"Z\" \\ \/ \ud83d\ude00 CAFE \u4e2d",
      "bio": "lone \ud800 high, lone \udc00 low, \ud83d then text",
      "total-points": 123456789012345678901234567890,
      "daily-logins": -9223372036854775808,
      "u64": 18446744073709551615,
      "ratio": 0.1, "tiny": 1e-7, "huge": 1.5e300, "neg-zero": -0.0, "exp": 2E+3,
      "ints": [0, -0, 1, -1, 256, 257],
      "created-at": "2024-01-02T03:04:05.1234567",
      "nested": {"a": [[], {}, [null, true, false, {"deep": [1, [2, [3]]]}]]},
      "dup": 1, "dup": "second"
    }, "relationships": [{"manager": {"data": {"type": "users", "id": "u0"}}}]},
    {"type": "users", "id": "u2", "attributes": {"first-name": "\u0000\t\n\r\b\f"}},
    {"type": "users", "id": "u3"}
  ],
  "links": {"next": null}
}""".replace(b"CAFE", "café 中".encode())  # raw UTF-8, not escapes


def test_values_are_what_json_loads_makes(hostile: Hostile) -> None:  # noqa: F811
    raws = _raws(hostile, TRICKY)
    expected = json.loads(TRICKY)["data"]
    assert raws == expected
    # `==` does not tell 1 from 1.0, or -0.0 from 0.0: the reprs do.
    assert repr(raws) == repr(expected)
    attrs = raws[0]["attributes"]
    assert attrs["total-points"] == 123456789012345678901234567890
    assert type(attrs["exp"]) is float and type(attrs["ints"][1]) is int
    assert attrs["bio"] == "lone \ud800 high, lone \udc00 low, \ud83d then text"
    assert attrs["dup"] == "second"


def test_a_page_repeated_in_pages_shares_nothing_mutable(hostile: Hostile) -> None:  # noqa: F811
    # Strings are shared between pages (they are immutable); dicts and lists never are.
    body = json.dumps({"data": [{"type": "users", "id": "u", "attributes": {"tags": ["a"]}}]}).encode()
    first, second = _raws(hostile, body), _raws(hostile, body)
    assert first == second
    first[0]["attributes"]["tags"].append("b")
    assert second[0]["attributes"]["tags"] == ["a"]


BROKEN = {
    "truncated": b'{"data": [{"type": "users", "id": "u1"',
    "trailing-comma": b'{"data": [{"type": "users", "id": "u1"},]}',
    "trailing-junk": b'{"data": []} x',
    "nan": b'{"data": [{"type": "users", "attributes": {"n": NaN}}]}',
    "infinity": b'{"data": [{"type": "users", "attributes": {"n": -Infinity}}]}',
    "control-char": b'{"data": [{"type": "users", "id": "a\x01b"}]}',
    "bad-escape": b'{"data": [{"type": "users", "id": "\\x41"}]}',
    "single-quotes": b"{'data': []}",
    "deep": b'{"data": [{"type": "users", "attributes": {"x": ' + b"[" * 200 + b"]" * 200 + b"}}]}",
    "huge-float": b'{"data": [{"type": "users", "attributes": {"n": 1e400}}]}',
    "huge-int": b'{"data": [{"type": "users", "attributes": {"n": ' + b"9" * 400 + b"}}]}",
    "invalid-utf8": b'{"data": [{"type": "users", "attributes": {"bio": "\xff\xfe"}}]}',
    "overlong-utf8": b'{"data": [{"type": "users", "attributes": {"bio": "\xc0\xaf"}}]}',
    "utf8-surrogate": b'{"data": [{"type": "users", "attributes": {"bio": "\xed\xa0\x80"}}]}',
    "lone-surrogate-name": b'{"data": [{"type": "users", "attributes": {"a\\ud800": 1}}]}',
    "lone-surrogate-time": b'{"data": [{"type": "users", "attributes": {"created-at": "\\udc00"}}]}',
    "bom": b'\xef\xbb\xbf{"data": []}',
    "not-a-list": b'{"data": "users"}',
    "item-not-object": b'{"data": [{"type": "users"}, 7]}',
    "bad-time": b'{"data": [{"type": "users", "attributes": {"created-at": "soon"}}]}',
}


@pytest.mark.parametrize("body", list(BROKEN.values()), ids=list(BROKEN))
def test_a_broken_body_is_a_decode_error(hostile: Hostile, body: bytes) -> None:  # noqa: F811
    hostile.route = lambda m, p, b: _page(body)
    with pytest.raises(degreed.DecodeError) as info:
        list(hostile.client().users.list())
    assert info.value.status == 200


def test_a_body_over_the_size_cap_is_refused(hostile: Hostile) -> None:  # noqa: F811
    body = json.dumps({"data": [{"type": "users", "id": str(i)} for i in range(2000)]}).encode()
    hostile.route = lambda m, p, b: _page(body)
    with pytest.raises(degreed.DecodeError):
        list(hostile.client(max_body_bytes=len(body) - 1).users.list())
    assert len(list(hostile.client(max_body_bytes=len(body)).users.list())) == 2000


class _Finalized:
    """Garbage in a cycle whose finalizer lets other threads run (as a collection may call
    any finalizer while a page is being built)."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        time.sleep(0)


def test_threads_listing_while_finalizers_run_do_not_deadlock(hostile: Hostile) -> None:  # noqa: F811
    # A page is built while the session's lock is held: if Python code ran meanwhile (a
    # finalizer called by the collector), another thread could take the GIL and wait for the
    # lock with it, and neither could go on. (A race: this run did not hang without the fix
    # in three tries; a full suite run did once, in `test_tokens_are_shared_by_threads`.)
    body = json.dumps(
        {"data": [{"type": "users", "id": str(i), "attributes": {"tags": [{"n": i}]}} for i in range(300)]}
    ).encode()
    hostile.route = lambda m, p, b: _page(body)
    client = hostile.client()
    done: List[int] = []

    listing = threading.Event()

    def work() -> None:
        for _ in range(15):
            done.append(len(list(client.users.list())))

    def litter() -> None:
        while listing.is_set():
            _Finalized()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(4)]
    listing.set()
    threading.Thread(target=litter, daemon=True).start()
    thresholds = gc.get_threshold()
    gc.set_threshold(10)  # a collection every few containers, so some run inside a page
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        listing.clear()
        gc.set_threshold(*thresholds)
    assert done == [300] * 60


def _objects(seed: int, n: int) -> List[Any]:
    """Objects of a few shapes, the same names in other orders, fewer or more of them,
    repeated names, long names (not shared), nested objects starting with the same name as
    their parent: deterministic from ``seed``."""
    import random

    rnd = random.Random(seed)
    names = ["type", "id", "attributes", "a", "b", "c", "d", "e", "f", "g", "x" * 80, "y" * 70]
    out: List[Any] = []
    for i in range(n):
        kind = rnd.random()
        if kind < 0.6:  # the usual shape, most of the time
            chosen = names[:8]
        elif kind < 0.7:
            chosen = names[:rnd.randint(0, 8)]  # fewer names (a prefix)
        elif kind < 0.8:
            chosen = names[: 8 + rnd.randint(1, 4)]  # more names
        else:
            chosen = rnd.sample(names, rnd.randint(1, len(names)))  # any order
        pairs = [f'"{k}": {json.dumps(i if k != "type" else "users")}' for k in chosen]
        if rnd.random() < 0.1 and pairs:
            pairs.insert(rnd.randint(0, len(pairs)), f'"{rnd.choice(chosen)}": "again {i}"')
        if rnd.random() < 0.3:
            inner = ", ".join(f'"{k}": {j}' for j, k in enumerate(chosen))
            pairs.append(f'"nested": {{{inner}}}')
        out.append("{" + ", ".join(pairs) + "}")
    return out


@pytest.mark.parametrize("seed", range(4))
def test_objects_of_many_shapes_are_what_json_loads_makes(hostile: Hostile, seed: int) -> None:  # noqa: F811
    # Objects are made as copies of the shapes of earlier ones (the same names in the same
    # order): names in another order, missing, added or repeated must still give exactly the
    # members, values and member order `json.loads` gives, page after page.
    client = hostile.client()
    for page in range(3):
        body = ('{"data": [' + ", ".join(_objects(seed * 10 + page, 300)) + "]}").encode()
        hostile.route = lambda m, p, b: _page(body)
        raws = [user.raw for user in client.iterate("users.list")]
        expected = json.loads(body)["data"]
        assert raws == expected
        assert [list(r.items()) for r in raws] == [list(e.items()) for e in expected]
        assert json.dumps(raws) == json.dumps(expected)


def test_names_and_values_of_every_length_are_what_json_loads_makes(hostile: Hostile) -> None:  # noqa: F811
    # Short names and values are shared between items (found by a hash of their bytes and
    # compared word by word): names and values of every length, differing in one byte
    # anywhere, must each come out as sent.
    items = []
    for i in range(120):
        attrs = {}
        for n in range(0, 70, 3 if i % 2 else 1):
            base = bytearray(b"k" * n)
            if n:
                base[(i * 7) % n] = ord("a") + i % 26  # one byte differs, somewhere
            attrs[base.decode()] = "v" * (n % 20) + chr(ord("a") + (i + n) % 26) * (i % 3)
        items.append({"type": "users", "id": str(i), "attributes": attrs})
    body = json.dumps({"data": items}).encode()
    assert _raws(hostile, body) == json.loads(body)["data"]
