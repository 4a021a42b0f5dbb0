"""The API says the model's refusals and problems in the interface language of the request
(the language cookie, else Accept-Language, else English); a refusal changes nothing."""

from __future__ import annotations

from tests.web.conftest import World, bearer

REMOVE = [{"op": "remove_step", "step": "no-such-step"}]


def test_a_refused_edit_is_said_in_the_language_of_the_interface(world: World) -> None:
    url = f"/api/journeys/{world.journey_a}/operations"
    h = {**bearer(world, "editor"), "If-Match": '"1"'}
    before = world.digest()
    english = world.request("POST", url, headers=h, json=REMOVE)
    assert english.status_code == 422
    assert english.json()["error"]["message"].startswith(
        "no step with id 'no-such-step'; the ids are: "
    )
    french = world.request(
        "POST", url, headers={**h, "Accept-Language": "fr-FR,fr;q=0.9"}, json=REMOVE
    )
    assert french.status_code == 422 and french.json()["error"]["code"] == "invalid_operation"
    assert french.json()["error"]["message"].startswith(
        "étape « no-such-step » introuvable ; les identifiants existants sont : "
    )
    chosen = world.request(  # the language chosen in the interface wins over the browser's
        "POST",
        url,
        headers={**h, "Accept-Language": "fr"},
        cookies={"parcours_lang": "en"},
        json=REMOVE,
    )
    assert chosen.json()["error"]["message"] == english.json()["error"]["message"]
    assert world.digest() == before


def test_a_document_with_a_problem_of_the_model_is_said_in_french(world: World) -> None:
    url = f"/api/workspaces/{world.workspace_a}/journeys"
    doc = "parcours: 1\njourney: Test\nstages:\n  - A:\n      - B: {end: true, next: [C]}\n      - C\n"
    h = {**bearer(world, "editor"), "Accept-Language": "fr"}
    before = world.digest()
    r = world.request("POST", url, headers=h, json={"document": doc, "name": "t.yaml"})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    expected = (
        "l'étape « B » est marquée comme fin et a aussi des étapes suivantes ; "
        "retirez « end » ou « next »"
    )
    assert error["message"] == expected
    (problem,) = error["problems"]
    assert problem["message"] == expected and problem["code"] == "step.end_and_next"
    assert problem["params"] == {"step": "B"}
    assert (problem["file"], problem["line"]) == ("t.yaml", 5)
    assert world.digest() == before


def test_the_sign_in_page_and_a_refused_role_are_said_in_french(world: World) -> None:
    data = {"email": "owner@example.org", "password": "bad"}
    r = world.request("POST", "/signin", data=data, cookies={"parcours_lang": "fr"})
    assert r.status_code == 401 and "e-mail ou mot de passe incorrect" in r.text
    url = f"/api/journeys/{world.journey_a}/operations"
    h = {**bearer(world, "viewer"), "If-Match": '"1"', "Accept-Language": "fr"}
    r = world.request("POST", url, headers=h, json=REMOVE)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == (
        "votre rôle dans cet espace de travail est lecteur ; il faut être éditeur ou plus "
        "(demandez à un propriétaire)"
    )
    r = world.request("POST", url, headers={**h, "Accept-Language": "en"}, json=REMOVE)
    assert r.json()["error"]["message"] == (
        "your role in this workspace is viewer; this needs editor or more (ask an owner)"
    )
