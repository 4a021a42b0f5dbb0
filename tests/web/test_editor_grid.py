"""The editor's grid as the server renders it (no JavaScript)."""

from __future__ import annotations

from tests.web.conftest import World, sign_in


def test_details_of_pain_points_are_in_the_maps_language(world: World) -> None:
    cookies, _ = sign_in(world, "viewer")
    page = world.request("GET", f"/journeys/{world.journey_a}", cookies=cookies)
    assert page.status_code == 200
    # the journey is French: a blocker is "Blocage", never the bare value of the format
    assert '<span class="meta"> · Blocage</span>' in page.text
    assert " · blocker<" not in page.text and " · rupture<" not in page.text


def test_cells_are_asked_for_at_most_200_at_a_time(world: World) -> None:
    cookies, _ = sign_in(world, "viewer")
    url = f"/journeys/{world.journey_a}/cells"
    some = world.request("GET", url, params=[("c", "thoughts:sees-ad")] * 200, cookies=cookies)
    assert some.status_code == 200
    assert 'data-lane="thoughts" data-step="sees-ad"' in some.text
    many = [("c", f"thoughts:step-{i}") for i in range(201)]
    refused = world.request("GET", url, params=many, cookies=cookies)
    assert refused.status_code == 400
    assert "201 cells asked for in one request; ask for at most 200" in refused.text


def test_the_inverse_of_a_revision_is_what_undo_applies(world: World) -> None:
    from tests.web.conftest import bearer

    base = f"/api/journeys/{world.journey_a}"
    title = world.request("GET", base, headers=bearer(world, "owner")).json()["title"]
    r = world.request(
        "POST",
        f"{base}/operations",
        headers={**bearer(world, "editor"), "If-Match": '"1"'},
        json=[{"op": "set_journey", "field": "title", "value": "Autre titre"}],
    )
    assert r.status_code == 200
    inverse = world.request("GET", f"{base}/revisions/2/inverse", headers=bearer(world, "editor"))
    assert inverse.status_code == 200
    assert inverse.json()["inverse"] == [{"op": "set_journey", "field": "title", "value": title}]
    for missing in (3, 0):
        r = world.request(
            "GET", f"{base}/revisions/{missing}/inverse", headers=bearer(world, "editor")
        )
        assert r.status_code == 404
    viewer = world.request("GET", f"{base}/revisions/2/inverse", headers=bearer(world, "viewer"))
    assert viewer.status_code == 403
