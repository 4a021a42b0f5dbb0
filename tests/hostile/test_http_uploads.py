"""The hostile corpus sent to the server: every document the CLI corpus holds, and hostile JSON
bodies, through the HTTP API as anyone with an editor's token would send them.

Each answer is a journey created (a legitimate if unusual map) or a 4xx in the one error
shape whose problems are located (file and line); never a 500, never a byte of a file from
outside, the database byte-for-byte unchanged after every refusal, and each answer within
the CLI corpus's CPU budget (2 s) — a request cannot buy more work than a file on the
command line can.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.hostile.map_corpus import CANARY, CORPUS
from tests.web.conftest import World, bearer, make_world

MAX_CPU_SECONDS = 2.0
MAX_WALL_SECONDS = 10.0
MAX_ANSWER_BYTES = 256 * 1024
SECRETS = (CANARY, "root:x:0:0")
MUST_REFUSE = ("err", "loc")  # what the CLI corpus expects of its refusals


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = make_world(tmp_path_factory.mktemp("uploads"))
    yield w
    w.app.state.backend.close()
    w.store.close()


def documents() -> Iterator[tuple[str, bytes, str]]:
    """(name, bytes, what the CLI corpus expects) of every committed map input."""
    for reader in ("yaml", "json", "theme", "xlsx"):
        expect = json.loads((CORPUS / reader / "expect.json").read_text())
        for name, (command, expectation) in sorted(expect.items()):
            # a workbook or a theme sent as a map document is read as a map: any answer
            kept = expectation if command == "validate" and reader in ("yaml", "json") else "any"
            yield f"{reader}/{name}", (CORPUS / reader / name).read_bytes(), kept
    for path in sorted((CORPUS / "workspace").rglob("*")):
        if path.is_file() and path.name != "expect.json":
            yield f"workspace/{path.relative_to(CORPUS / 'workspace')}", path.read_bytes(), "any"


def upload_body(name: str, data: bytes) -> bytes:
    """The JSON body of a map-as-code upload; bytes that are not UTF-8 go in raw, as a
    careless client would send them."""
    try:
        return json.dumps({"document": data.decode("utf-8"), "name": name}).encode()
    except UnicodeDecodeError:
        escaped = data.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
        return b'{"document": "' + escaped + b'", "name": "' + name.encode() + b'"}'


def timed(world: World, method: str, url: str, **kwargs: object) -> tuple[httpx.Response, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    r = world.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert time.perf_counter() - wall < MAX_WALL_SECONDS, (
        f"{url}: took {time.perf_counter() - wall:.1f} s"
    )
    return r, time.process_time() - cpu


def refusal_problems(name: str, r: httpx.Response) -> list[str]:
    """What is wrong with a refusal: its shape, its problems' places, its size."""
    wrong = []
    if not 400 <= r.status_code < 500:
        return [f"answered {r.status_code}: {r.text[:300]}"]
    if len(r.content) > MAX_ANSWER_BYTES:
        wrong.append(f"a {len(r.content):,}-byte answer")
    error = r.json().get("error", {})
    if not (error.get("message") and error.get("code") and error.get("status") == r.status_code):
        wrong.append(f"not the error shape: {r.text[:300]}")
    problems = error.get("problems") or []
    if not problems:
        wrong.append(f"no problems listed: {error.get('message', '')[:200]}")
    for p in problems:
        if not p.get("file") or not isinstance(p.get("line"), int) or p["line"] < 1:
            wrong.append(f"a problem without FILE:LINE: {p}")
            break
    return wrong


def test_every_corpus_document_uploaded_is_created_or_refused_with_located_problems(
    world: World,
) -> None:
    url = f"/api/workspaces/{world.workspace_a}/journeys"
    editor = {**bearer(world, "editor"), "Content-Type": "application/json"}
    failures: list[str] = []
    sent = 0
    before = world.digest()
    for name, data, expect in documents():
        sent += 1
        r, cpu = timed(world, "POST", url, headers=editor, content=upload_body(name, data))
        wrong = []
        if cpu >= MAX_CPU_SECONDS:
            wrong.append(f"took {cpu:.2f} s of CPU")
        if any(secret in r.text for secret in SECRETS):
            wrong.append("a secret from outside appears in the answer")
        if r.status_code == 201:
            if expect in MUST_REFUSE:
                wrong.append(f"created, but the CLI refuses it ({expect})")
            created = r.json()["id"]
            gone = world.request(
                "DELETE", f"/api/journeys/{created}", headers=bearer(world, "owner")
            )
            assert gone.status_code == 204
            before = world.digest()
        else:
            wrong += refusal_problems(name, r)
            if world.digest() != before:
                wrong.append("the database changed")
                before = world.digest()
        failures += [f"{name}: {w}" for w in wrong]
    assert sent >= 250
    assert not failures, "\n".join(failures)


HOSTILE_BODIES: dict[str, bytes] = {
    "deep-array": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "nan": b'[{"op": "set_journey", "field": "title", "value": NaN}]',
    "infinity": b'[{"op": "set_journey", "field": "title", "value": -Infinity}]',
    "1e999": b'[{"op": "set_emotion", "step": "x", "value": 1e999}]',
    "digits": b'[{"op": "set_journey", "field": "title", "value": ' + b"9" * 5000 + b"}]",
    "not-utf8": b'[{"op": "set_journey", "field": "title", "value": "\xff\xfe"}]',
    "cut": b'[{"op": "set_journey", "field": "ti',
    "empty": b"",
    "lone-surrogate": b'[{"op": "set_journey", "field": "title", "value": "a\\ud800b"}]',
    "lone-low-surrogate": b'[{"op": "set_journey", "field": "title", "value": "\\udc00"}]',
    "surrogate-in-key": b'[{"op\\ud83d": "set_journey"}]',
    "surrogate-utf16": '[{"op": "set_journey", "field": "title", "value": "\\udc00"}]'.encode(
        "utf-16"
    ),
    "replace-deep": b'[{"op": "replace_journey", "journey": '
    + b'{"a":' * 3000
    + b"1"
    + b"}" * 3000
    + b"}]",
    "replace-junk": b'[{"op": "replace_journey", "journey": {"id": "x", "stages": [[[]]]}}]',
    "not-a-list": b'{"op": "set_journey"}',
    "many": json.dumps([{"op": "set_journey", "field": "title", "value": "x"}] * 5000).encode(),
}
LOCATED = {"deep-array", "deep-object", "nan", "infinity", "1e999", "digits", "not-utf8", "cut",
           "empty", "lone-surrogate", "lone-low-surrogate", "surrogate-in-key", "replace-deep",
           "surrogate-utf16"}  # fmt: skip


@pytest.mark.parametrize("target", ["journey", "workspace", "document"])
def test_hostile_json_bodies_are_refused_with_the_place_and_nothing_stored(
    world: World, target: str
) -> None:
    urls = {
        "journey": f"/api/journeys/{world.journey_a}/operations",
        "workspace": f"/api/workspaces/{world.workspace_a}/operations",
        "document": f"/api/workspaces/{world.workspace_a}/journeys",
    }
    headers = {**bearer(world, "editor"), "Content-Type": "application/json"}
    if target != "document":
        version = world.request("GET", urls[target].rsplit("/", 1)[0], headers=headers)
        headers["If-Match"] = version.headers["etag"]
    before = world.digest()
    failures = []
    for name, raw in HOSTILE_BODIES.items():
        r, cpu = timed(world, "POST", urls[target], headers=headers, content=raw)
        wrong = []
        if not 400 <= r.status_code < 500:
            wrong.append(f"answered {r.status_code}: {r.text[:200]}")
        elif name in LOCATED:
            wrong += refusal_problems(name, r)
            if r.json()["error"]["problems"][0]["file"] != "request body":
                wrong.append(f"the problem is not placed in the request body: {r.text[:200]}")
        if cpu >= MAX_CPU_SECONDS:
            wrong.append(f"took {cpu:.2f} s of CPU")
        if world.digest() != before:
            wrong.append("the database changed")
        failures += [f"{name}: {w}" for w in wrong]
    assert not failures, "\n".join(failures)


def test_a_document_of_twenty_thousand_problems_answers_the_first_two_hundred(
    world: World,
) -> None:
    many = (CORPUS / "json" / "many-keys.json").read_text()
    url = f"/api/workspaces/{world.workspace_a}/journeys"
    r = world.request(
        "POST", url, headers=bearer(world, "editor"), json={"document": many, "name": "k.json"}
    )
    error = r.json()["error"]
    assert r.status_code == 422 and len(error["problems"]) == 200
    assert error["problems_omitted"] == 20_000 - 200
    assert error["problems"][0]["file"] == "k.json" and error["problems"][0]["line"] == 1


def test_lone_surrogates_are_found_and_pairs_are_not() -> None:
    from parcours.web.bodies import lone_surrogate

    assert lone_surrogate(b'"\\ud83d\\ude00"') is None  # a pair: one emoji
    assert lone_surrogate(b'"\\\\ud800"') is None  # an escaped backslash, then text
    assert lone_surrogate(b'"x\\ud800"') == 2
    assert lone_surrogate(b'"\\udc00"') == 1
    assert lone_surrogate(b'"\\ud800\\ud800\\udc00"') == 1
    assert lone_surrogate(b'"\\ud800 \\udc00"') == 1
    assert lone_surrogate(b'"\\\\\\ud800"') == 3
