"""Two people on one journey: live updates, presence, and conflicts that keep what was typed."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import Site
from tests.web.browser.test_editor import begin, cell, open_editor, stored, until


def test_an_edit_shows_in_the_other_window_within_a_second(signed_in: Any, site: Site) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    until(lambda: two.locator("#presence li").count() == 2)

    box = begin(one, "thoughts", "sees-ad", "Vu dans le métro")
    # the other one sees who edits which cell
    two.wait_for_selector("td.cell.taken[data-lane=thoughts][data-step=sees-ad]")
    assert "editor@example.org" in (
        cell(two, "thoughts", "sees-ad").get_attribute("data-taken-by") or ""
    )
    box.press("Enter")
    until(lambda: stored(site)["cells"]["thoughts"]["sees-ad"][0]["text"] == "Vu dans le métro")
    two.wait_for_selector(
        "td.cell[data-lane=thoughts][data-step=sees-ad] >> text=Vu dans le métro", timeout=1000
    )


def test_simultaneous_edits_of_different_cells_both_survive(signed_in: Any, site: Site) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    a = begin(one, "actions", "fills-form", "Remplit tout d'un coup")
    b = begin(two, "backstage", "fills-form", "Contrôle automatique")
    a.press("Enter")
    b.press("Enter")

    def both() -> bool:
        cells = stored(site)["cells"]
        return (
            cells["actions"]["fills-form"][0]["text"] == "Remplit tout d'un coup"
            and cells["backstage"]["fills-form"][0]["text"] == "Contrôle automatique"
        )

    until(both)
    for page in (one, two):
        page.wait_for_selector(
            "td.cell[data-lane=actions][data-step=fills-form] >> text=Remplit tout d'un coup"
        )
        page.wait_for_selector(
            "td.cell[data-lane=backstage][data-step=fills-form] >> text=Contrôle automatique"
        )


def test_the_same_cell_edited_twice_the_loser_is_told_and_keeps_the_text(
    signed_in: Any, site: Site
) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    a = begin(one, "pain_points", "verifies-identity", "Selfie refusé trois fois")
    b = begin(two, "pain_points", "verifies-identity", "La lumière ne suffit jamais")
    a.press("Enter")
    until(
        lambda: (
            stored(site)["cells"]["pain_points"]["verifies-identity"][0]["text"]
            == "Selfie refusé trois fois"
        )
    )
    # the other window learns of it while still typing: its text stays in the cell
    two.wait_for_selector("#grid[data-version]")
    b.press("Enter")
    two.wait_for_selector("td.cell.conflict[data-lane=pain_points][data-step=verifies-identity]")
    assert "trois fois" not in b.inner_text()
    assert b.inner_text().strip() == "La lumière ne suffit jamais"
    two.wait_for_selector(".toast.error")
    assert "your text is kept" in two.locator(".toast.error").first.inner_text()
    assert (
        stored(site)["cells"]["pain_points"]["verifies-identity"][0]["text"]
        == "Selfie refusé trois fois"
    )
    # Enter again applies it over the new version, keeping the item's severity
    b.press("Enter")
    until(
        lambda: (
            stored(site)["cells"]["pain_points"]["verifies-identity"][0]["text"]
            == "La lumière ne suffit jamais"
        )
    )
    one.wait_for_selector(
        "td.cell[data-lane=pain_points][data-step=verifies-identity] >> text=La lumière ne suffit jamais"
    )
    # the refused write is logged by the browser itself ("Failed to load resource: 412"):
    # expected here, it is the conflict; nothing else may be in the console
    two.errors[:] = [e for e in two.errors if "status of 412" not in e]


def test_typing_goes_on_while_a_co_editors_change_redraws_the_grid(
    signed_in: Any, site: Site
) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    a = begin(one, "notes", "abandons", "Relancer par mail")
    begin(two, "notes", "signs-contract", "Signature en ligne").press("Enter")
    # the first window redraws with the other's change while its cell is open…
    one.wait_for_selector("td.cell[data-lane=notes][data-step=signs-contract] >> text=Signature")
    # …and what is typed next still goes into the open cell, after the caret
    one.keyboard.type(" sous 48 h")
    a.press("Enter")
    until(
        lambda: (
            stored(site)["cells"]["notes"]["abandons"][0]["text"] == "Relancer par mail sous 48 h"
        )
    )


def test_a_co_editors_cell_edit_redraws_that_cell_alone(signed_in: Any, site: Site) -> None:
    one, two = signed_in("editor"), signed_in("owner")
    open_editor(one, site)
    open_editor(two, site)
    asked: list[str] = []
    two.on("request", lambda r: asked.append(r.url))
    other = cell(two, "notes", "abandons")
    other.evaluate("td => { td.dataset.mark = 'kept'; }")
    begin(one, "thoughts", "signs-contract", "Enfin fini").press("Enter")
    two.wait_for_selector(
        "td.cell[data-lane=thoughts][data-step=signs-contract] >> text=Enfin fini", timeout=2000
    )
    # the changed cell came drawn with the event: nothing was asked for, and the other cells
    # are the same elements as before
    assert not [u for u in asked if "/cells?" in u or u.endswith("/grid")]
    assert other.get_attribute("data-mark") == "kept"
    # the version shown follows the change, as in the window that made it
    until(
        lambda: (
            two.locator("#editor-version").inner_text()
            == one.locator("#editor-version").inner_text()
        )
    )


def test_a_cell_opened_right_after_saving_another_keeps_what_is_typed(
    signed_in: Any, site: Site
) -> None:
    page = signed_in("editor")
    open_editor(page, site)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    # no wait between the two: the second cell is opened while the first one is being saved
    begin(page, "thoughts", "sees-ad", "Encore une pub").press("Enter")
    begin(page, "notes", "sees-ad", "Rappeler demain").press("Enter")
    begin(page, "actions", "compares-offers", "Lit les avis")
    page.keyboard.type(" en entier")
    page.keyboard.press("Enter")

    def all_saved() -> bool:
        cells = stored(site)["cells"]
        return (
            cells["thoughts"]["sees-ad"][0]["text"] == "Encore une pub"
            and cells["notes"]["sees-ad"][0]["text"] == "Rappeler demain"
            and cells["actions"]["compares-offers"][0]["text"] == "Lit les avis en entier"
        )

    until(all_saved)
    page.wait_for_selector(
        "td.cell[data-lane=actions][data-step=compares-offers]:not(.saving) >> text=en entier"
    )
    assert page.locator("td.cell.saving, td.cell.editing").count() == 0
    # one's own cell edits redraw those cells alone, never the whole grid
    assert [u for u in asked if "/cells?" in u]
    assert not [u for u in asked if u.endswith("/grid")]
