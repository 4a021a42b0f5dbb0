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
