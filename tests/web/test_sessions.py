"""Sign-in, sessions, CSRF, API tokens and the sign-in throttle, against a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parcours.web.settings import Settings
from tests.web.conftest import PASSWORD, World, bearer, make_world, sign_in


def cookie_header(r: Any) -> str:
    return next(v for k, v in r.headers.multi_items() if k == "set-cookie")


def test_session_cookie_flags_and_https_prefix(tmp_path: Path, world: World) -> None:
    r = world.request(
        "POST", "/api/session", json={"email": "owner@example.org", "password": PASSWORD}
    )
    header = cookie_header(r)
    assert header.startswith("parcours=")
    for flag in ("HttpOnly", "SameSite=lax", "Path=/", "Max-Age="):
        assert flag.lower() in header.lower(), flag
    secure = make_world(tmp_path / "https", Settings(https=True))
    try:
        r = secure.request(
            "POST", "/api/session", json={"email": "owner@example.org", "password": PASSWORD}
        )
        header = cookie_header(r)
        assert header.startswith("__Host-parcours=") and "secure" in header.lower()
        assert "domain" not in header.lower()
    finally:
        secure.app.state.backend.close()
        secure.store.close()


def test_signing_in_rotates_the_session_so_a_planted_one_is_useless(world: World) -> None:
    planted, _ = sign_in(world, "viewer")  # an attacker's own session, set in the victim's browser
    r = world.request(
        "POST",
        "/api/session",
        cookies=planted,
        json={"email": "owner@example.org", "password": PASSWORD},
    )
    fresh = dict(r.cookies)
    assert fresh["parcours"] != planted["parcours"]
    assert world.request("GET", "/api/session", cookies=planted).status_code == 401  # ended
    me = world.request("GET", "/api/session", cookies=fresh).json()
    assert me["user"]["email"] == "owner@example.org"


def test_cookie_requests_need_the_csrf_token_of_their_session(world: World) -> None:
    cookies, token = sign_in(world, "editor")
    _, other_token = sign_in(world, "owner")
    url = f"/api/journeys/{world.journey_a}/operations"
    body = [{"op": "set_journey", "field": "title", "value": "CSRF"}]
    before = world.digest()
    for headers in ({}, {"X-CSRF-Token": "nope"}, {"X-CSRF-Token": other_token}):
        r = world.request(
            "POST", url, cookies=cookies, json=body, headers={"If-Match": '"1"', **headers}
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    r = world.request("POST", "/signout", cookies=cookies, data={"csrf_token": "nope"})
    assert r.status_code == 403
    assert world.digest() == before
    r = world.request(
        "POST", url, cookies=cookies, json=body, headers={"If-Match": '"1"', "X-CSRF-Token": token}
    )
    assert r.status_code == 200, r.text
    # a Bearer request carries no cookie and needs no token
    r = world.request("GET", f"/api/journeys/{world.journey_a}", headers=bearer(world, "editor"))
    assert r.status_code == 200


def test_signing_out_ends_the_session_on_the_server(world: World) -> None:
    cookies, token = sign_in(world, "owner")
    r = world.request("DELETE", "/api/session", cookies=cookies, headers={"X-CSRF-Token": token})
    assert r.status_code == 204
    assert world.request("GET", "/api/workspaces", cookies=cookies).status_code == 401


def test_a_revoked_token_fails_on_the_next_request(world: World) -> None:
    headers = bearer(world, "editor")
    assert world.request("GET", "/api/workspaces", headers=headers).status_code == 200
    for record in world.store.tokens.list(world.users["editor"].id):
        world.store.tokens.revoke(record.id)
    r = world.request("GET", "/api/workspaces", headers=headers)
    assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
    assert r.headers["www-authenticate"] == "Bearer"


def test_a_removed_member_loses_access_at_once(world: World) -> None:
    url = f"/api/journeys/{world.journey_a}"
    assert world.request("GET", url, headers=bearer(world, "viewer")).status_code == 200
    world.store.workspaces.remove_member(int(world.workspace_a), world.users["viewer"].id)
    assert world.request("GET", url, headers=bearer(world, "viewer")).status_code == 404


def test_the_throttle_holds_and_never_tells_whether_an_account_exists(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argon2

    hashes = []
    real = argon2.PasswordHasher.verify

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        hashes.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counted)
    answers = {}
    for email in ("owner@example.org", "nobody@example.org"):
        seen = []
        for _ in range(10):
            hashes.clear()
            r = world.request("POST", "/api/session", json={"email": email, "password": "wrong"})
            seen.append((r.status_code, r.json(), len(hashes)))
        answers[email] = seen
        assert {s for s, _, _ in seen} == {401}
        assert {n for _, _, n in seen} == {1}, "one hash per attempt"
        hashes.clear()
        r = world.request("POST", "/api/session", json={"email": email, "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert hashes == [], "a throttled attempt checks no password"
        answers[email].append((r.status_code, r.json()["error"]["code"], 0))
    known, unknown = answers.values()
    assert [(s, b) for s, b, _ in known] == [(s, b) for s, b, _ in unknown]
    # the right password of another account from the same client still works (per-account limit)
    r = world.request(
        "POST", "/api/session", json={"email": "editor@example.org", "password": PASSWORD}
    )
    assert r.status_code == 200


def test_the_sign_in_form_works_without_javascript(world: World) -> None:
    r = world.request("POST", "/signin", data={"email": "owner@example.org", "password": "bad"})
    assert r.status_code == 401 and "wrong email or password" in r.text
    r = world.request("POST", "/signin", data={"email": "owner@example.org", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = world.request("GET", "/", cookies=dict(r.cookies))
    assert "Banque A" in home.text and "Banque B" not in home.text
    assert f'href="/journeys/{world.journey_a}"' in home.text
    assert 'name="csrf_token"' in home.text
    journey = world.request("GET", f"/journeys/{world.journey_a}", cookies=dict(r.cookies))
    assert f'href="/journeys/{world.journey_a}.pptx"' in journey.text  # the export menu


def test_security_events_are_logged_without_secrets(world: World, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="parcours.web")
    cookies, token = sign_in(world, "editor")
    world.request("POST", "/api/session", json={"email": "editor@example.org", "password": "guess"})
    world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/operations",
        cookies=cookies,
        headers={"If-Match": '"1"'},
        json=[],
    )
    world.request("GET", "/api/workspaces", headers={"Authorization": "Bearer pat_not-a-token"})
    world.request(
        "POST",
        "/api/session",
        headers={"Origin": "https://evil.example"},
        json={"email": "x@y.z", "password": "p"},
    )
    world.request("DELETE", f"/api/journeys/{world.journey_a}", headers=bearer(world, "viewer"))
    text = caplog.text
    for event in (
        "failed sign-in",
        "CSRF token missing or wrong",
        "unknown or revoked API token",
        "another origin",
        "refused: needs owner",
        "signed in",
    ):
        assert event in text, event
    for secret in (
        PASSWORD,
        "guess",
        cookies["parcours"],
        token,
        *world.tokens.values(),
        "pat_not-a-token",
    ):
        assert secret not in text
