"""Route × role × workspace: who may do what, and a refusal never writes a byte."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import World, bearer

Request = tuple[str, str, dict[str, Any]]


def version(world: World, journey: str) -> int:
    r = world.request("GET", f"/api/journeys/{journey}", headers=bearer(world, "admin"))
    return int(r.headers["etag"].strip('"'))


def _ops(w: World) -> Request:
    return (
        "POST",
        f"/api/journeys/{w.journey_a}/operations",
        {
            "headers": {"If-Match": f'"{version(w, w.journey_a)}"'},
            "json": [{"op": "set_journey", "field": "title", "value": "Nouveau titre"}],
        },
    )


def _restore(w: World) -> Request:
    return (
        "POST",
        f"/api/journeys/{w.journey_a}/revisions/1/restore",
        {"headers": {"If-Match": f'"{version(w, w.journey_a)}"'}},
    )


def _member(w: World) -> Request:
    return (
        "PUT",
        f"/api/workspaces/{w.workspace_a}/members",
        {"json": {"email": "viewer@example.org", "role": "editor"}},
    )


def _unmember(w: World) -> Request:
    return ("DELETE", f"/api/workspaces/{w.workspace_a}/members/{w.users['viewer'].id}", {})


def _revoke_share(w: World) -> Request:
    r = w.request("GET", f"/api/journeys/{w.journey_a}/shares", headers=bearer(w, "admin"))
    link = r.json()[0]["id"]
    return ("DELETE", f"/api/journeys/{w.journey_a}/shares/{link}", {})


def simple(method: str, path: str, **kwargs: Any) -> Callable[[World], Request]:
    def make(w: World) -> Request:
        return (method, path.format(wa=w.workspace_a, ja=w.journey_a), kwargs)

    return make


READS: list[tuple[str, Callable[[World], Request]]] = [
    ("viewer", simple("GET", "/api/workspaces/{wa}/journeys")),
    ("viewer", simple("GET", "/api/workspaces/{wa}/personas")),
    ("viewer", simple("GET", "/api/workspaces/{wa}/members")),
    ("viewer", simple("GET", "/api/journeys/{ja}")),
    ("viewer", simple("GET", "/api/journeys/{ja}/revisions")),
    ("viewer", simple("GET", "/api/journeys/{ja}/revisions/1")),
    ("viewer", simple("GET", "/api/journeys/{ja}/diff?base=1")),
    ("viewer", simple("GET", "/api/journeys/{ja}/comments")),
    ("viewer", simple("GET", "/journeys/{ja}")),
    ("viewer", simple("GET", "/journeys/{ja}.json")),
    ("viewer", simple("GET", "/journeys/{ja}.yaml")),
    ("viewer", simple("GET", "/journeys/{ja}.svg")),
    ("viewer", simple("GET", "/journeys/{ja}.md")),
    ("viewer", simple("GET", "/journeys/{ja}.csv")),
    ("editor", simple("GET", "/api/journeys/{ja}/shares")),
]
# in an order where each allowed write leaves the next possible; destructive ones last
WRITES: list[tuple[str, Callable[[World], Request]]] = [
    ("editor", _ops),
    (
        "editor",
        simple(
            "POST",
            "/api/workspaces/{wa}/journeys",
            json={"template": "ecommerce-purchase", "lang": "en"},
        ),
    ),
    ("editor", simple("POST", "/api/journeys/{ja}/comments", json={"text": "À revoir"})),
    ("editor", simple("POST", "/api/journeys/{ja}/shares")),
    ("editor", _restore),
    ("owner", _member),
    ("editor", _revoke_share),
    ("owner", _unmember),
    ("owner", simple("DELETE", "/api/journeys/{ja}")),
]
RANK = {"viewer": 0, "editor": 1, "owner": 2}
WHO = ("anonymous", "share", "other", "viewer", "editor", "owner")


def expected(who: str, needed: str) -> int | None:
    """The refusal status ``who`` gets on a route needing ``needed``; None when allowed."""
    if who == "anonymous":
        return 401
    if who == "share":  # a share link's secret is not an API token
        return 401
    if who == "other":
        return 404
    return None if RANK[who] >= RANK[needed] else 403


def headers_of(world: World, who: str) -> dict[str, str]:
    if who == "anonymous":
        return {}
    if who == "share":
        return {"Authorization": f"Bearer {world.share_a}"}
    return bearer(world, who)


def send(world: World, who: str, make: Callable[[World], Request]) -> Any:
    method, url, kwargs = make(world)
    kwargs = dict(kwargs)
    kwargs["headers"] = {**kwargs.get("headers", {}), **headers_of(world, who)}
    return world.request(method, url, **kwargs), method, url


def test_every_refusal_is_the_right_status_and_writes_nothing(world: World) -> None:
    for who in (*WHO, "admin"):  # each credential is used once first (its last use is recorded)
        if who not in ("anonymous", "share"):
            world.request("GET", "/api/workspaces", headers=bearer(world, who))
    checked = 0
    for who in WHO:
        for needed, make in READS + WRITES:
            status = expected(who, needed)
            if status is None:
                continue
            before = world.digest()
            r, method, url = send(world, who, make)
            assert r.status_code == status, (who, method, url, r.status_code, r.text)
            assert set(r.json()) == {"error"} and r.json()["error"]["status"] == status
            assert world.digest() == before, f"{who} {method} {url} changed the database"
            checked += 1
    assert checked >= 80


@pytest.mark.parametrize("who", ["viewer", "editor", "owner"])
def test_members_reach_what_their_role_allows(world: World, who: str) -> None:
    world.request("GET", "/api/workspaces", headers=bearer(world, who))
    for needed, make in READS:
        if expected(who, needed) is None:
            r, method, url = send(world, who, make)
            assert r.status_code == 200, (who, method, url, r.text)
    wrote = 0
    for needed, make in WRITES:
        if expected(who, needed) is None:
            before = world.digest()
            r, method, url = send(world, who, make)
            assert r.status_code in (200, 201, 204), (who, method, url, r.text)
            assert world.digest() != before, (
                f"{method} {url} answered {r.status_code} but wrote nothing"
            )
            wrote += 1
    assert wrote == {"viewer": 0, "editor": 6, "owner": 9}[who]


def test_nobody_reaches_another_workspace(world: World) -> None:
    before = world.digest()
    for path in (
        f"/api/journeys/{world.journey_b}",
        f"/journeys/{world.journey_b}.svg",
        f"/api/workspaces/{world.workspace_b}/journeys",
        f"/api/journeys/{world.journey_b}/events",
    ):
        r = world.request("GET", path, headers=bearer(world, "owner"))
        assert r.status_code == 404, path
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_b}/operations",
        headers={**bearer(world, "owner"), "If-Match": '"1"'},
        json=[{"op": "set_journey", "field": "title", "value": "x"}],
    )
    assert r.status_code == 404
    # an unknown id and a foreign one answer the same words
    foreign = world.request(
        "GET", f"/api/journeys/{world.journey_b}", headers=bearer(world, "owner")
    )
    unknown = world.request("GET", "/api/journeys/99999", headers=bearer(world, "owner"))
    assert foreign.json()["error"]["message"].replace(world.journey_b, "X") == unknown.json()[
        "error"
    ]["message"].replace("99999", "X")
    assert world.digest() == before
    listed = world.request("GET", "/api/workspaces", headers=bearer(world, "owner")).json()
    assert [w["id"] for w in listed] == [world.workspace_a]
    admin = world.request("GET", "/api/workspaces", headers=bearer(world, "admin")).json()
    assert {w["id"] for w in admin} == {world.workspace_a, world.workspace_b}


def test_a_share_link_reads_one_journey_until_revoked(world: World) -> None:
    r = world.request("GET", f"/api/shared/{world.share_a}")
    assert r.status_code == 200 and r.json()["title"]
    svg = world.request("GET", f"/shared/{world.share_a}.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-security-policy"].startswith("sandbox")
    page = world.request("GET", f"/shared/{world.share_a}")
    assert page.status_code == 200 and "/shared/" in page.text
    links = world.request(
        "GET", f"/api/journeys/{world.journey_a}/shares", headers=bearer(world, "editor")
    )
    link = links.json()[0]["id"]
    gone = world.request(
        "DELETE", f"/api/journeys/{world.journey_a}/shares/{link}", headers=bearer(world, "editor")
    )
    assert gone.status_code == 204
    for path in (f"/api/shared/{world.share_a}", f"/shared/{world.share_a}.svg"):
        assert world.request("GET", path).status_code == 404


def test_every_write_with_the_cookie_but_without_the_csrf_token_is_refused(world: World) -> None:
    from tests.web.conftest import sign_in

    cookies, token = sign_in(world, "owner")
    forged_headers = (
        {},
        {"X-CSRF-Token": "0" * 40},
        {"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": token},
    )
    refused = 0
    for _, make in WRITES:
        for forged in forged_headers:
            method, url, kwargs = make(world)
            headers = {**kwargs.get("headers", {}), **forged}
            before = world.digest()
            r = world.request(method, url, cookies=cookies, **{**kwargs, "headers": headers})
            assert r.status_code == 403, (method, url, forged, r.text)
            assert world.digest() == before
            refused += 1
    assert refused == 3 * len(WRITES)
    for method in ("GET", "HEAD", "OPTIONS"):  # safe methods change nothing
        before = world.digest()
        world.request(method, f"/api/journeys/{world.journey_a}", cookies=cookies)
        assert world.digest() == before
