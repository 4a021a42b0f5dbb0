"""The parts of the server that need no database: CSRF tokens, If-Match, headers."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from parcours.web.api_journeys import parse_if_match, read_operations
from parcours.web.auth import csrf_ok, csrf_token
from parcours.web.problems import ApiError
from parcours.web.settings import Settings, setting_docs
from parcours.web.twins import disposition

ROOT = Path(__file__).resolve().parents[2]


def test_csrf_token_is_bound_to_its_session() -> None:
    a, b = csrf_token("session-a"), csrf_token("session-b")
    assert a != b and len(a) == 40
    assert csrf_ok("session-a", a)
    assert not csrf_ok("session-a", b)
    assert not csrf_ok("session-a", None)
    assert not csrf_ok("session-a", "")
    assert "session-a" not in a


@pytest.mark.parametrize(
    ("header", "expected"), [('"7"', 7), ('W/"7"', 7), ("7", 7), (' "12" ', 12)]
)
def test_if_match_names_a_version(header: str, expected: int) -> None:
    assert parse_if_match(header, 9) == expected


def test_if_match_missing_is_428_and_unreadable_is_412() -> None:
    for missing in (None, "", "  "):
        with pytest.raises(ApiError) as info:
            parse_if_match(missing, 4)
        assert info.value.status == 428
        assert info.value.extra == {"current_version": 4}
    for bad in ("*", '"abc"', '"1", "2"', '"' + "9" * 30 + '"'):
        with pytest.raises(ApiError) as info:
            parse_if_match(bad, 4)
        assert info.value.status == 412
        assert info.value.headers["ETag"] == '"4"'


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b"{", 400, "not JSON"),
        (b'{"op": "set_journey"}', 422, "JSON array"),
        (b"[]", 422, "empty"),
        (b"[1]", 422, "operation 0"),
        (b'[{"op": "fly"}]', 422, "operation 0: invalid operation"),
        (b"[" * 100_000, 400, "too deeply"),
    ],
)
def test_bad_operation_bodies_are_refused_with_a_reason(
    raw: bytes, status: int, words: str
) -> None:
    with pytest.raises(ApiError) as info:
        read_operations(raw)
    assert info.value.status == status
    assert words in info.value.message


def test_operations_are_normalised_as_the_model_writes_them() -> None:
    ops = read_operations(b'[{"op": "set_journey", "field": "title", "value": "Nouveau"}]')
    assert ops == [{"op": "set_journey", "field": "title", "value": "Nouveau"}]


def test_content_disposition_follows_rfc_6266_and_cannot_inject_headers() -> None:
    value = disposition("attachment", "Ouverture compte é\r\nSet-Cookie: x=1.xlsx")
    assert "\r" not in value and "\n" not in value
    assert value.startswith('attachment; filename="')
    assert "filename*=UTF-8''Ouverture%20compte%20%C3%A9%0D%0ASet-Cookie%3A%20x%3D1.xlsx" in value
    ascii_part = value.split('filename="', 1)[1].split('"', 1)[0]
    assert ascii_part.isascii() and " " not in ascii_part and ":" not in ascii_part


def test_every_setting_is_documented_in_the_server_docs() -> None:
    docs = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    names = [name for name, _, _ in setting_docs()]
    assert "PARCOURS_HTTPS" in names
    for name, _, help_text in setting_docs():
        assert f"`{name}`" in docs, name
        assert help_text


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_HTTPS", "1")
    monkeypatch.setenv("PARCOURS_LOGIN_ATTEMPTS_PER_ACCOUNT", "3")
    s = Settings()
    assert s.https and s.login_attempts_per_account == 3


class NoStore:
    """A backend that must not be reached by the requests of these tests."""

    listen = None
    on_signal = None

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the backend was asked for {name}")


def _get(
    method: str, url: str, settings: Settings | None = None, **kwargs: object
) -> httpx.Response:
    from parcours.web.app import create_app

    app = create_app(NoStore(), settings or Settings())  # type: ignore[arg-type]

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_every_answer_carries_the_security_headers() -> None:
    for method, url in (
        ("GET", "/"),
        ("GET", "/openapi.json"),
        ("GET", "/nowhere"),
        ("DELETE", "/api/templates"),
        ("GET", "/api/workspaces"),
    ):
        r = _get(method, url)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], url
        assert "'unsafe-inline'" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in r.headers
    r = _get("GET", "/", Settings(https=True))
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_refusals_have_one_shape() -> None:
    r = _get("GET", "/nowhere")
    assert r.status_code == 404
    assert r.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "no such page or resource: /nowhere",
        }
    }
    r = _get("PUT", "/api/templates")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = _get("GET", "/api/workspaces")
    assert r.status_code == 401 and "sign in" in r.json()["error"]["message"]


def test_a_cross_site_unsafe_request_is_refused_before_anything_else() -> None:
    r = _get(
        "POST",
        "/api/session",
        headers={"Sec-Fetch-Site": "cross-site"},
        json={"email": "a@b.c", "password": "x"},
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site"
    r = _get(
        "POST",
        "/signin",
        headers={"Origin": "https://evil.example"},
        data={"email": "a@b.c", "password": "x"},
    )
    assert r.status_code == 403
    assert "evil.example" in r.json()["error"]["message"]


def test_a_body_over_the_cap_is_refused_with_413() -> None:
    r = _get(
        "POST",
        "/api/session",
        Settings(max_body_bytes=2048),
        content=b"x" * 4096,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_the_sign_in_page_works_without_javascript() -> None:
    r = _get("GET", "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<form method="post" action="/signin">' in r.text
    nonce = r.headers["content-security-policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    scripts = re.findall(r"<script([^>]*)>", r.text)
    # the only code is the page's own module, allowed by this answer's nonce; the rest is data
    assert scripts and all(
        f'nonce="{nonce}"' in attrs or 'type="application/json"' in attrs for attrs in scripts
    )
    assert not re.search(r"\son[a-z]+=", r.text), "no inline event handler"
    assert '<link rel="stylesheet" href="/static/app.css">' in r.text
    assert _get("GET", "/static/app.css").status_code == 200


def test_the_openapi_document_lists_the_api() -> None:
    r = _get("GET", "/openapi.json")
    paths = r.json()["paths"]
    for path in (
        "/api/workspaces",
        "/api/workspaces/{workspace_id}/journeys",
        "/api/journeys/{journey_id}",
        "/api/journeys/{journey_id}/operations",
        "/api/journeys/{journey_id}/revisions",
        "/api/journeys/{journey_id}/events",
    ):
        assert path in paths, path
