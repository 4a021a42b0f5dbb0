"""Reading and editing a journey: ETag, If-Match (428/412), batches, revisions, documents."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from tests.web.conftest import World, bearer, serving

TITLE = [{"op": "set_journey", "field": "title", "value": "Ouverture 2027"}]


def ops_url(world: World) -> str:
    return f"/api/journeys/{world.journey_a}/operations"


def post(world: World, ops: Any, if_match: str | None, **headers: str) -> Any:
    h = {**bearer(world, "editor"), **headers}
    if if_match is not None:
        h["If-Match"] = if_match
    return world.request("POST", ops_url(world), headers=h, json=ops)


def test_read_gives_the_model_and_its_version(world: World) -> None:
    r = world.request("GET", f"/api/journeys/{world.journey_a}", headers=bearer(world, "viewer"))
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    assert r.json()["id"] == "bank-account-opening" and r.json()["stages"]
    again = world.request(
        "GET",
        f"/api/journeys/{world.journey_a}",
        headers={**bearer(world, "viewer"), "If-None-Match": '"1"'},
    )
    assert again.status_code == 304
    listed = world.request(
        "GET", f"/api/workspaces/{world.workspace_a}/journeys", headers=bearer(world, "viewer")
    ).json()
    assert listed == [
        {
            "id": world.journey_a,
            "workspace": world.workspace_a,
            "slug": "bank-account-opening",
            "title": r.json()["title"],
            "lang": "fr",
            "version": 1,
            "personas": r.json()["personas"],
        }
    ]


def test_a_write_without_if_match_is_428_before_the_body_is_read(world: World) -> None:
    read = []

    async def body() -> AsyncIterator[bytes]:
        read.append(True)
        yield json.dumps(TITLE).encode()

    before = world.digest()
    r = world.request(
        "POST",
        ops_url(world),
        headers={**bearer(world, "editor"), "Content-Type": "application/json"},
        content=body(),
    )
    assert r.status_code == 428, r.text
    assert r.json()["error"]["current_version"] == 1
    assert read == [], "the body was read before refusing"
    assert world.digest() == before


def test_applied_batch_returns_the_new_version_and_etag(world: World) -> None:
    r = post(world, [*TITLE, {"op": "set_journey", "field": "owner", "value": "Équipe CX"}], '"1"')
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    assert r.json()["envelope"]["operations"][0]["op"] == "set_journey"
    got = world.request("GET", f"/api/journeys/{world.journey_a}", headers=bearer(world, "viewer"))
    assert got.json()["title"] == "Ouverture 2027" and got.json()["owner"] == "Équipe CX"


def test_refusals_leave_the_stored_journey_unchanged(world: World) -> None:
    assert post(world, TITLE, '"1"').status_code == 200  # now at version 2
    before = world.digest()
    bad = post(world, [*TITLE, {"op": "remove_step", "step": "no-such-step"}], '"2"')
    assert bad.status_code == 422 and "no-such-step" in bad.json()["error"]["message"]
    unknown = post(world, [{"op": "set_journey", "field": "colour", "value": 1}], '"2"')
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_operation"
    garbage = post(world, {"op": "set_journey"}, '"2"')
    assert garbage.status_code == 422
    for header in ('"abc"', "*"):
        assert post(world, TITLE, header).status_code == 412
    assert world.digest() == before


def test_a_stale_edit_of_the_same_thing_is_412_with_the_current_version(world: World) -> None:
    assert post(world, TITLE, '"1"').status_code == 200  # now at version 2
    before = world.digest()
    stale = post(world, [{"op": "set_journey", "field": "title", "value": "Autre"}], '"1"')
    assert stale.status_code == 412, stale.text
    assert stale.json()["error"]["current_version"] == 2 and stale.headers["etag"] == '"2"'
    assert world.digest() == before


def test_a_stale_edit_of_something_else_is_rebased(world: World) -> None:
    assert post(world, TITLE, '"1"').status_code == 200
    r = post(world, [{"op": "set_journey", "field": "owner", "value": "Direction"}], '"1"')
    assert r.status_code == 200, r.text
    assert r.json()["rebased"] is True and r.json()["version"] == 3


def test_the_same_idempotency_key_applies_once(world: World) -> None:
    first = post(world, TITLE, '"1"', **{"Idempotency-Key": "k-1"})
    again = post(world, TITLE, '"1"', **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True and again.json()["version"] == first.json()["version"]
    revisions = world.request(
        "GET", f"/api/journeys/{world.journey_a}/revisions", headers=bearer(world, "viewer")
    ).json()
    assert [r["version"] for r in revisions] == [2, 1]


def test_revisions_diff_and_restore(world: World) -> None:
    assert post(world, TITLE, '"1"').status_code == 200
    h = bearer(world, "editor")
    old = world.request("GET", f"/api/journeys/{world.journey_a}/revisions/1", headers=h).json()
    assert old["version"] == 1 and old["journey"]["title"] != "Ouverture 2027"
    d = world.request("GET", f"/api/journeys/{world.journey_a}/diff?base=1&to=2", headers=h).json()
    assert d["changes"][0]["kind"] == "journey" and "Ouverture 2027" in d["sentences"][0]
    missing = world.request(
        "POST", f"/api/journeys/{world.journey_a}/revisions/1/restore", headers=h
    )
    assert missing.status_code == 428
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/revisions/1/restore",
        headers={**h, "If-Match": '"2"'},
    )
    assert r.status_code == 200 and r.json()["version"] == 3
    now = world.request("GET", f"/api/journeys/{world.journey_a}", headers=h).json()
    assert now["title"] == old["journey"]["title"]


def test_create_from_template_and_from_a_document_with_located_problems(world: World) -> None:
    h = bearer(world, "editor")
    url = f"/api/workspaces/{world.workspace_a}/journeys"
    r = world.request(
        "POST", url, headers=h, json={"template": "telecom-after-sales", "lang": "en"}
    )
    assert r.status_code == 201 and r.json()["lang"] == "en" and r.json()["version"] == 1
    from parcours.catalog import new_from_template

    brought = set(new_from_template("telecom-after-sales", "en").journeys[0].personas)
    personas = world.request("GET", f"/api/workspaces/{world.workspace_a}/personas", headers=h)
    assert brought and brought <= {p["id"] for p in personas.json()}  # the template's personas came
    again = world.request("POST", url, headers=h, json={"template": "telecom-after-sales"})
    assert again.status_code == 201 and again.json()["slug"] == "telecom-after-sales-2"
    bad = world.request("POST", url, headers=h, json={"template": "nope", "lang": "fr"})
    assert bad.status_code == 404 and "expected one of" in bad.json()["error"]["message"]
    doc = "parcours: 1\njourney: Test\nstages:\n  - Découverte:\n      - Voit: {emotion: 9}\n"
    r = world.request("POST", url, headers=h, json={"document": doc, "name": "test.yaml"})
    assert r.status_code == 422, r.text
    problem = r.json()["error"]["problems"][0]
    assert problem["file"] == "test.yaml" and problem["line"] == 5 and problem["column"] > 1
    good = "parcours: 1\njourney: Test\nstages:\n  - Découverte:\n      - Voit: {emotion: 1}\n"
    r = world.request("POST", url, headers=h, json={"document": good})
    assert r.status_code == 201 and r.json()["title"] == "Test"
    taken = world.request("POST", url, headers=h, json={"document": good})
    assert taken.status_code == 409 and "already has a journey" in taken.json()["error"]["message"]


def test_comments_get_their_author_and_time_from_the_server(world: World) -> None:
    h = bearer(world, "editor")
    url = f"/api/journeys/{world.journey_a}/comments"
    r = world.request("POST", url, headers=h, json={"text": "<b>à voir</b>", "author": "forged"})
    assert r.status_code == 201, r.text
    assert r.json()["author_email"] == "editor@example.org" and r.json()["text"] == "<b>à voir</b>"
    listed = world.request("GET", url, headers=bearer(world, "viewer")).json()
    assert [c["id"] for c in listed] == [r.json()["id"]]
    gone = world.request("DELETE", f"{url}/{r.json()['id']}", headers=h)
    assert gone.status_code == 204


def test_no_stack_trace_ever_reaches_a_client(world: World, caplog: Any) -> None:
    def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    world.app.add_api_route("/api/boom", boom)
    r = world.request("GET", "/api/boom")
    assert r.status_code == 500
    error = r.json()["error"]
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert error["id"] in error["message"]
    assert any(error["id"] in rec.getMessage() for rec in caplog.records)
    for bad in (
        "/api/journeys/%00",
        "/api/journeys/1e9999",
        "/journeys/9.svg",
        "/api/journeys/1/revisions/99999999999999999999",
        "/api/journeys/1/diff?base=x",
    ):
        r = world.request("GET", bad, headers=bearer(world, "owner"))
        assert r.status_code < 500 and "Traceback" not in r.text, bad


def test_event_stream_delivers_an_edit_and_resumes_after_last_event_id(world: World) -> None:
    url = f"/api/journeys/{world.journey_a}/events"

    async def scenario(base: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        import httpx

        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            live: list[dict[str, str]] = []

            async def listen() -> None:
                async with client.stream("GET", url, headers=bearer(world, "viewer")) as r:
                    assert r.status_code == 200
                    async for event in events(r.aiter_lines()):
                        live.append(event)
                        if event.get("event") == "operations":
                            return

            task = asyncio.create_task(listen())
            await asyncio.sleep(0.3)
            h = {**bearer(world, "editor"), "If-Match": '"1"'}
            r = await client.post(
                f"/api/journeys/{world.journey_a}/operations", headers=h, json=TITLE
            )
            assert r.status_code == 200
            await asyncio.wait_for(task, 10)
            for base, value in ((2, "A"), (3, "B")):
                h = {**bearer(world, "editor"), "If-Match": f'"{base}"'}
                r = await client.post(
                    f"/api/journeys/{world.journey_a}/operations",
                    headers=h,
                    json=[{"op": "set_journey", "field": "owner", "value": value}],
                )
                assert r.status_code == 200
            resumed: list[dict[str, str]] = []
            headers = {**bearer(world, "viewer"), "Last-Event-ID": "2"}
            async with client.stream("GET", url, headers=headers) as r:
                async for event in events(r.aiter_lines()):
                    if event.get("event") == "operations":
                        resumed.append(event)
                    if len(resumed) == 2:
                        break
            return live, resumed

    with serving(world.app) as base:  # a real server: event streams need real streaming
        live, resumed = asyncio.run(asyncio.wait_for(scenario(base), 30))
    edit = next(e for e in live if e.get("event") == "operations")
    assert (
        edit["id"] == "2" and json.loads(edit["data"])["operations"][0]["value"] == "Ouverture 2027"
    )
    assert [e["id"] for e in resumed] == ["3", "4"]


async def events(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, str]]:
    event: dict[str, str] = {}
    async for line in lines:
        if not line.strip():
            if event:
                yield event
            event = {}
            continue
        name, _, value = line.partition(":")
        if name:
            event[name] = value.lstrip()


def test_an_event_stream_ends_when_its_token_is_revoked(world: World) -> None:
    import httpx

    url = f"/api/journeys/{world.journey_a}/events"

    async def scenario(base: str) -> tuple[str, float]:
        async with (
            httpx.AsyncClient(base_url=base, timeout=10) as client,
            client.stream("GET", url, headers=bearer(world, "viewer")) as r,
        ):
            assert r.status_code == 200
            revoked_at = 0.0
            async for event in events(r.aiter_lines()):
                if event.get("event") == "ready":
                    for record in world.store.tokens.list(world.users["viewer"].id):
                        world.store.tokens.revoke(record.id)
                    revoked_at = time.monotonic()
                elif event.get("event") == "revoked":
                    return event["event"], time.monotonic() - revoked_at
        return "", 0.0

    with serving(world.app) as base:
        name, seconds = asyncio.run(asyncio.wait_for(scenario(base), 20))
    assert name == "revoked" and seconds <= 2.5


def test_workspace_operations_follow_the_same_rules(world: World) -> None:
    url = f"/api/workspaces/{world.workspace_a}"
    doc = world.request("GET", url, headers=bearer(world, "viewer"))
    assert doc.status_code == 200 and doc.json()["personas"] and "journeys" not in doc.json()
    version = doc.headers["etag"]
    before = world.digest()
    viewer = world.request(
        "POST",
        f"{url}/operations",
        headers={**bearer(world, "viewer"), "If-Match": version},
        json=TITLE,
    )
    assert viewer.status_code == 403
    missing = world.request(
        "POST", f"{url}/operations", headers=bearer(world, "editor"), json=TITLE
    )
    assert missing.status_code == 428
    journey_op = world.request(
        "POST",
        f"{url}/operations",
        headers={**bearer(world, "editor"), "If-Match": version},
        json=TITLE,
    )
    assert journey_op.status_code == 422, journey_op.text
    assert world.digest() == before
    persona = doc.json()["personas"][0]["id"]
    edit = [
        {"op": "set_persona", "persona": persona, "field": "quote", "value": "« Enfin simple »"}
    ]
    r = world.request(
        "POST",
        f"{url}/operations",
        headers={**bearer(world, "editor"), "If-Match": version},
        json=edit,
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{int(version.strip(chr(34))) + 1}"'
    personas = world.request("GET", f"{url}/personas", headers=bearer(world, "viewer")).json()
    assert next(p for p in personas if p["id"] == persona)["quote"] == "« Enfin simple »"


def test_an_editor_stream_brings_the_changed_cells_drawn(world: World) -> None:
    url = f"/api/journeys/{world.journey_a}/events?since=1"
    cell = [{"op": "set_cell", "lane": "notes", "step": "sees-ad", "items": [{"type": "card",
             "text": "Vu <b>deux</b> fois"}]}]  # fmt: skip

    async def scenario(base: str) -> dict[str, list[dict[str, Any]]]:
        import httpx

        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            for version, ops in ((1, cell), (2, TITLE)):
                h = {**bearer(world, "editor"), "If-Match": f'"{version}"'}
                r = await client.post(
                    f"/api/journeys/{world.journey_a}/operations", headers=h, json=ops
                )
                assert r.status_code == 200
            seen: dict[str, list[dict[str, Any]]] = {}
            for query in ("&cells=1", ""):
                got = seen.setdefault(query, [])
                async with client.stream("GET", url + query, headers=bearer(world, "viewer")) as r:
                    async for event in events(r.aiter_lines()):
                        if event.get("event") == "operations":
                            got.append(json.loads(event["data"]))
                        if len(got) == 2:
                            break
            return seen

    with serving(world.app) as base:
        seen = asyncio.run(asyncio.wait_for(scenario(base), 30))
    changed, title = seen["&cells=1"]
    # the cell as /journeys/{id}/cells draws it for this person (a viewer: no controls)
    assert 'data-lane="notes" data-step="sees-ad"' in changed["cells"]
    assert "Vu &lt;b&gt;deux&lt;/b&gt; fois" in changed["cells"]
    assert "edit-control" not in changed["cells"]
    assert "cells" not in title  # a change of more than cells: the editor redraws the grid
    assert all("cells" not in e for e in seen[""])  # only for those who ask
