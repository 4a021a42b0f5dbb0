"""The workspace pages without JavaScript: forms post, the server redirects (in-process)."""

from __future__ import annotations

import re

from tests.web.conftest import World, bearer, sign_in


def _form(world: World, who: str, url: str, data: dict[str, str]) -> tuple[int, str, str]:
    cookies, csrf = sign_in(world, who)
    r = world.request("POST", url, cookies=cookies, data={**data, "csrf_token": csrf})
    return r.status_code, r.headers.get("location", ""), r.text


def test_a_template_makes_a_journey_in_the_chosen_language(world: World) -> None:
    status, location, _ = _form(
        world,
        "editor",
        "/templates/new",
        {"workspace": world.workspace_a, "template": "ecommerce-purchase", "lang": "en"},
    )
    assert status == 303 and re.fullmatch(r"/journeys/\d+", location), location
    made = world.request("GET", "/api" + location, headers=bearer(world, "owner")).json()
    assert made["lang"] == "en"


def test_a_persona_is_added_and_changed_from_its_form(world: World) -> None:
    url = f"/workspaces/{world.workspace_a}/personas"
    status, location, body = _form(
        world, "editor", url, {"name": "Zoé <b>", "goals": "Aller vite\nPayer moins"}
    )
    assert status == 303 and location.endswith("#p-zo-b"), body
    cookies, _ = sign_in(world, "viewer")
    page = world.request("GET", url, cookies=cookies).text
    assert "Zoé &lt;b&gt;" in page and "<li>Payer moins</li>" in page
    assert "persona-form" not in page  # a viewer reads


def test_the_backlog_filters_work_without_javascript(world: World) -> None:
    cookies, _ = sign_in(world, "owner")
    every = world.request("GET", "/", cookies=cookies).text
    critical = world.request("GET", "/?priority=critical", cookies=cookies).text
    rows = re.compile(r"<tr data-journey=[^>]*>")
    assert len(rows.findall(every)) == len(rows.findall(critical)) > 0
    hidden = [r for r in rows.findall(critical) if r.endswith(" hidden>")]
    assert 0 < len(hidden) < len(rows.findall(critical))
    assert all('data-priority="critical"' not in r for r in hidden)


def test_restore_from_the_history_page(world: World) -> None:
    auth = bearer(world, "owner")
    ops = [{"op": "set_journey", "field": "title", "value": "Changed"}]
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/operations",
        headers={**auth, "If-Match": '"1"'},
        json=ops,
    )
    assert r.status_code == 200, r.text
    cookies, _ = sign_in(world, "owner")
    history = world.request(
        "GET", f"/journeys/{world.journey_a}/history?base=1", cookies=cookies
    ).text
    assert "Changed" in history and "Restore this version" in history
    url = f"/journeys/{world.journey_a}/history/restore"
    status, _, _ = _form(world, "owner", url, {"version": "1", "base": "2"})
    assert status == 303
    title = world.request("GET", f"/api/journeys/{world.journey_a}", headers=auth).json()["title"]
    assert title != "Changed"


def test_the_history_speaks_the_interface_language(world: World) -> None:
    auth = bearer(world, "owner")
    ops = [{"op": "set_journey", "field": "title", "value": "Changed"}]
    url = f"/api/journeys/{world.journey_a}"
    world.request("POST", url + "/operations", headers={**auth, "If-Match": '"1"'}, json=ops)
    fr = world.request("GET", url + "/diff?base=1", headers={**auth, "Accept-Language": "fr"})
    en = world.request("GET", url + "/diff?base=1", headers={**auth, "Accept-Language": "en"})
    assert fr.json()["sentences"] != en.json()["sentences"]


def test_a_share_secret_is_shown_once(world: World) -> None:
    url = f"/journeys/{world.journey_a}/shares"
    status, _, page = _form(world, "editor", url, {"action": "create"})
    assert status == 200
    secret = re.search(r"/shared/([\w-]+)", page)
    assert secret
    cookies, _ = sign_in(world, "editor")
    again = world.request("GET", url, cookies=cookies).text
    assert secret.group(1) not in again
    assert world.request("GET", f"/shared/{secret.group(1)}").status_code == 200


def test_only_owners_manage_members(world: World) -> None:
    url = f"/workspaces/{world.workspace_a}/members"
    status, _, _ = _form(world, "editor", url, {"email": "other@example.org", "role": "owner"})
    assert status == 403
    status, _, _ = _form(world, "owner", url, {"email": "other@example.org", "role": "viewer"})
    assert status == 303
    cookies, _ = sign_in(world, "viewer")
    page = world.request("GET", url, cookies=cookies).text
    assert "other@example.org" in page and 'name="role"' not in page


def test_a_journey_saved_as_template_makes_new_journeys(world: World) -> None:
    status, location, _ = _form(
        world, "editor", f"/journeys/{world.journey_a}/save-as-template", {}
    )
    assert status == 303 and location.startswith("/templates")
    listing = world.request(
        "GET", f"/api/workspaces/{world.workspace_a}/journeys", headers=bearer(world, "owner")
    ).json()
    saved = [j for j in listing if j["slug"].endswith("-template")]
    assert len(saved) == 1
    cookies, _ = sign_in(world, "editor")
    page = world.request("GET", "/templates", cookies=cookies).text
    assert 'id="own-templates"' in page and f'value="{saved[0]["id"]}"' in page
    status, location, _ = _form(
        world, "editor", "/templates/from-journey", {"journey": saved[0]["id"]}
    )
    assert status == 303 and re.fullmatch(r"/journeys/\d+", location), location
    made = world.request("GET", "/api" + location, headers=bearer(world, "owner")).json()
    original = world.request(
        "GET", f"/api/journeys/{world.journey_a}", headers=bearer(world, "owner")
    ).json()
    assert "template" not in made.get("tags", [])
    assert made["title"] == original["title"] and made["id"] != original["id"]
    assert [s["name"] for st in made["stages"] for s in st["steps"]] == [
        s["name"] for st in original["stages"] for s in st["steps"]
    ]
    # a viewer can neither save nor use a template
    assert _form(world, "viewer", f"/journeys/{world.journey_a}/save-as-template", {})[0] == 403
    assert _form(world, "viewer", "/templates/from-journey", {"journey": saved[0]["id"]})[0] == 403
