"""The editor's comments panel: a comment on a cell, on a step, on the journey."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import Site
from tests.web.browser.test_editor import open_editor, until
from tests.web.conftest import bearer


def comments(site: Site) -> list[dict[str, Any]]:
    w = site.world
    r = w.request("GET", f"/api/journeys/{w.journey_a}/comments", headers=bearer(w, "owner"))
    assert r.status_code == 200
    data = r.json()
    items: list[dict[str, Any]] = data if isinstance(data, list) else data["comments"]
    return items


def test_comments_on_a_cell_a_step_and_the_journey(signed_in: Any, site: Site) -> None:
    page = signed_in("editor")
    open_editor(page, site)
    page.click("#comments-toggle")
    page.wait_for_selector("#comments:not([hidden])")
    # focusing a cell after opening the panel offers it (its step, its lane) as the subject
    page.locator('td.cell[data-lane="thoughts"][data-step="compares-offers"]').focus()
    target = page.locator("#comment-target")
    assert target.locator("option").count() == 4
    target.select_option("thoughts/compares-offers")
    page.fill("#comment-text", "Trop de <b>frais</b> ici ?")
    page.click("#comment-form button[type=submit]")
    until(lambda: any(c["text"] == "Trop de <b>frais</b> ici ?" for c in comments(site)))
    mine = next(c for c in comments(site) if c["text"] == "Trop de <b>frais</b> ici ?")
    assert (mine.get("lane"), mine.get("step")) == ("thoughts", "compares-offers")
    page.wait_for_selector("#comment-list .comment-text")
    assert "Trop de <b>frais</b> ici ?" in page.locator("#comment-list").inner_text()
    assert page.locator("#comment-list b").count() == 0

    target.select_option("/compares-offers")
    page.fill("#comment-text", "Sur l'étape")
    page.click("#comment-form button[type=submit]")
    until(lambda: any(c["text"] == "Sur l'étape" for c in comments(site)))
    on_step = next(c for c in comments(site) if c["text"] == "Sur l'étape")
    assert on_step.get("step") == "compares-offers" and not on_step.get("lane")

    target.select_option("")
    page.fill("#comment-text", "Sur tout le parcours")
    page.click("#comment-form button[type=submit]")
    until(lambda: any(c["text"] == "Sur tout le parcours" for c in comments(site)))
    whole = next(c for c in comments(site) if c["text"] == "Sur tout le parcours")
    assert not whole.get("step") and not whole.get("lane")
    page.wait_for_function(
        "() => document.querySelectorAll('#comment-list .comment').length >= 3", timeout=5000
    )


def test_a_viewer_reads_comments_without_a_form(signed_in: Any, site: Site) -> None:
    page = signed_in("viewer")
    open_editor(page, site)
    page.click("#comments-toggle")
    page.wait_for_selector("#comments:not([hidden])")
    assert page.locator("#comment-form").count() == 0


def test_a_comment_shows_in_the_other_window_without_reload(signed_in: Any, site: Site) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    two.click("#comments-toggle")
    two.wait_for_selector("#comments:not([hidden]) #comment-list li")
    loads: list[str] = []
    two.on("framenavigated", lambda frame: loads.append(frame.url))
    one.click("#comments-toggle")
    one.fill("#comment-text", "Vu en atelier : <i>à revoir</i>")
    one.click("#comment-form button[type=submit]")
    two.wait_for_selector("#comment-list .comment-text >> text=Vu en atelier", timeout=1000)
    assert "Vu en atelier : <i>à revoir</i>" in two.locator("#comment-list").inner_text()
    assert two.locator("#comment-list i").count() == 0
    assert not loads  # the same page, not reloaded
