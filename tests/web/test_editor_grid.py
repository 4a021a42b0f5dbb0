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
