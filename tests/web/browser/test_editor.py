"""The journey editor in a real browser: edit, move, emotions, branches, undo, export, viewer."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from tests.web.browser.conftest import Site
from tests.web.conftest import bearer


def stored(site: Site) -> dict[str, Any]:
    w = site.world
    r = w.request("GET", f"/api/journeys/{w.journey_a}", headers=bearer(w, "owner"))
    assert r.status_code == 200
    data: dict[str, Any] = r.json()
    return data


def settle(page: Any, site: Site) -> None:
    """Wait until the grid shows the stored version (the redraw after a save has landed)."""
    w = site.world
    version = w.request("GET", f"/api/journeys/{w.journey_a}", headers=bearer(w, "owner"))
    tag = version.headers["etag"].strip('"')
    page.wait_for_function(
        f"() => document.querySelector('#grid')?.dataset.version === '{tag}'", timeout=15000
    )


def until(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for the stored journey to pass ``check`` (a missing cell counts as not yet)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except (KeyError, IndexError):
            pass
        time.sleep(0.05)
    assert check()


def order(site: Site, stage: str) -> list[str]:
    j = stored(site)
    return [s["id"] for st in j["stages"] if st["id"] == stage for s in st["steps"]]


def open_editor(page: Any, site: Site) -> None:
    page.click(f'a[href="/journeys/{site.world.journey_a}"]')
    page.wait_for_selector("table.grid")
    page.wait_for_selector("#presence li")


def cell(page: Any, lane: str, step: str) -> Any:
    return page.locator(f'td.cell[data-lane="{lane}"][data-step="{step}"]')


def begin(page: Any, lane: str, step: str, text: str) -> Any:
    """Open a cell's editor, replace its text with ``text``; the editor, not yet saved."""
    c = cell(page, lane, step)
    c.focus()
    c.press("Enter")
    box = page.locator("td.cell.editing .cell-editor")
    box.press("Control+A")
    box.press("Delete")
    box.type(text)
    return box


def type_in_cell(page: Any, lane: str, step: str, text: str) -> None:
    begin(page, lane, step, text).press("Enter")


def test_edit_move_emotion_branch_undo_redo_export(signed_in: Any, site: Site) -> None:
    page = signed_in("editor")
    open_editor(page, site)
    # every editable cell is named "<lane> — <step>"
    assert cell(page, "thoughts", "compares-offers").get_attribute("aria-label") == (
        "Pensées — Compare les offres en ligne"
    )

    text = "Trop de frais <b>cachés</b>"
    type_in_cell(page, "thoughts", "compares-offers", text)
    until(lambda: stored(site)["cells"]["thoughts"]["compares-offers"][0]["text"] == text)
    page.wait_for_selector("td.cell[data-lane=thoughts][data-step=compares-offers]:not(.editing)")
    assert cell(page, "thoughts", "compares-offers").inner_text().strip() == text
    # Shift+Enter makes a second line, i.e. a second card
    c = cell(page, "actions", "sees-ad")
    c.focus()
    c.press("Enter")
    box = page.locator("td.cell.editing .cell-editor")
    box.press("End")
    box.press("Shift+Enter")
    box.type("Clique sur le lien")
    box.press("Enter")
    until(lambda: len(stored(site)["cells"]["actions"]["sees-ad"]) == 2)
    settle(page, site)
    # Escape cancels
    c = cell(page, "notes", "sees-ad")
    c.focus()
    c.press("Enter")
    page.locator("td.cell.editing .cell-editor").type("jamais envoyé")
    page.locator("td.cell.editing .cell-editor").press("Escape")
    assert "jamais envoyé" not in cell(page, "notes", "sees-ad").inner_text()

    # reorder a step by keyboard
    assert order(site, "consideration") == ["compares-offers", "books-appointment"]
    page.locator('th.step[data-step="compares-offers"]').focus()
    page.keyboard.press("Alt+ArrowRight")
    until(lambda: order(site, "consideration") == ["books-appointment", "compares-offers"])
    # and by drag and drop
    page.wait_for_selector('th.step[data-step="books-appointment"][data-index="0"]')
    page.locator('th.step[data-step="compares-offers"]').drag_to(
        page.locator('th.step[data-step="books-appointment"]')
    )
    until(lambda: order(site, "consideration") == ["compares-offers", "books-appointment"])

    # an emotion by arrow key
    before = stored(site)["cells"]["emotions"]["sees-ad"][0]["score"]
    page.wait_for_selector('th.step[data-step="compares-offers"][data-index="0"]')
    cell(page, "emotions", "sees-ad").focus()
    page.keyboard.press("ArrowDown")
    until(lambda: stored(site)["cells"]["emotions"]["sees-ad"][0]["score"] == before - 1)

    # a branch with its label and share
    page.wait_for_selector(
        f'td.cell[data-lane=emotions][data-step=sees-ad] .emotion[data-score="{before - 1}"]'
    )
    page.click('button[data-menu="step"][data-step="sees-ad"]')
    page.click('#editor-dialog button[data-action="link"]')
    page.select_option("#editor-dialog select[name=to]", "refers-friend")
    page.fill("#editor-dialog input[name=label]", "bouche à oreille")
    page.fill("#editor-dialog input[name=share]", "20")
    page.click("#editor-dialog-ok")

    def link() -> list[dict[str, Any]]:
        step = next(s for st in stored(site)["stages"] for s in st["steps"] if s["id"] == "sees-ad")
        return [x for x in step.get("next") or [] if x["to"] == "refers-friend"]

    until(lambda: link() == [{"to": "refers-friend", "label": "bouche à oreille", "share": 0.2}])
    page.wait_for_selector('th.step[data-step="sees-ad"] .badge.link[data-to="refers-friend"]')

    # undo takes the branch away, redo brings it back
    page.click("#undo")
    until(lambda: link() == [])
    page.wait_for_selector(
        'th.step[data-step="sees-ad"] .badge.link[data-to="refers-friend"]', state="detached"
    )
    page.click("#redo")
    until(lambda: len(link()) == 1)

    # exports from the menu
    page.click("#export-menu summary")
    with page.expect_download() as got:
        page.click('#export-menu a[data-format="png"]')
    png = got.value.path().read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    page.click("#export-menu summary")
    page.click("#export-menu summary")
    with page.expect_download() as got:
        page.click('#export-menu a[data-format="xlsx"]')
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes()))
    texts = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    }
    assert text in texts


def test_a_viewer_sees_no_editing_controls(signed_in: Any, site: Site) -> None:
    page = signed_in("viewer")
    open_editor(page, site)
    assert page.locator("td.cell").count() > 50
    assert page.locator(".edit-control").count() == 0
    assert page.locator("[draggable=true]").count() == 0
    assert page.locator("#editor-dialog").count() == 0
    c = cell(page, "thoughts", "sees-ad")
    c.focus()
    c.press("Enter")
    page.keyboard.type("x")
    assert page.locator("[contenteditable]").count() == 0
    assert page.locator("#export-menu").count() == 1


def test_details_of_pain_points_and_opportunities(signed_in: Any, site: Site) -> None:
    page = signed_in("editor")
    open_editor(page, site)
    cell(page, "pain_points", "compares-offers").focus()
    page.keyboard.press("Alt+Enter")
    page.select_option("#editor-dialog select[name=severity0]", "rupture")
    page.click("#editor-dialog-ok")
    until(
        lambda: stored(site)["cells"]["pain_points"]["compares-offers"][0]["severity"] == "rupture"
    )
    page.wait_for_selector("td.cell[data-lane=pain_points][data-step=compares-offers] .sev-rupture")
    cell(page, "opportunities", "compares-offers").focus()
    page.keyboard.press("Alt+Enter")
    page.fill("#editor-dialog input[name=owner0]", "Équipe web")
    page.select_option("#editor-dialog select[name=priority0]", "high")
    page.select_option("#editor-dialog select[name=status0]", "in_progress")
    page.fill("#editor-dialog input[name=due0]", "2027-03-31")
    page.fill("#editor-dialog input[name=value0]", "45000")
    page.click("#editor-dialog-ok")

    def opportunity() -> dict[str, Any]:
        item: dict[str, Any] = stored(site)["cells"]["opportunities"]["compares-offers"][0]
        return item

    until(lambda: opportunity()["owner"] == "Équipe web")
    got = opportunity()
    assert (got["priority"], got["status"], got["due"], got["value"]) == (
        "high",
        "in_progress",
        "2027-03-31",
        45000.0,
    )
    assert got["text"] == "Résumer les conditions de la prime en trois puces"
