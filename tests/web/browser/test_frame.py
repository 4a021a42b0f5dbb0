"""The frame every page shares, in a real browser: sign in, the language switch, no error."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import Site


def test_sign_in_from_the_root_and_switch_the_language(signed_in: Any, site: Site) -> None:
    page = signed_in("owner")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("form.signout button").inner_text() == "Sign out"
    with page.expect_navigation():
        page.select_option("#lang-switch", "fr")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("form.signout button").inner_text() == "Se déconnecter"
    page.click("form.signout button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#password").count() == 1
    assert page.locator("button[type=submit]").inner_text() == "Se connecter"


def test_the_language_switch_never_redirects_off_site(signed_in: Any, site: Site) -> None:
    page = signed_in("viewer")
    page.goto(site.url + "/lang?to=fr&next=//evil.example/x")
    assert page.url.startswith(site.url + "/")
