"""Script payloads typed into the editor's cells: none runs, each is shown as typed."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import Site
from tests.web.browser.payloads import payloads
from tests.web.browser.test_editor import open_editor, stored, until
from tests.web.conftest import bearer

PER_CELL = 15


def test_payloads_typed_into_cells_run_nothing_and_show_as_typed(
    signed_in: Any, site: Site
) -> None:
    texts = payloads(150)
    assert len(texts) == 150
    page = signed_in("editor")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_editor(page, site)
    j = stored(site)
    steps = [s["id"] for st in j["stages"] for s in st["steps"]]
    lanes = [lane["id"] for lane in j["lanes"] if lane["kind"] in ("thoughts", "actions", "notes")]
    targets = [(lane, step) for lane in lanes for step in steps]
    chunks = [texts[i : i + PER_CELL] for i in range(0, len(texts), PER_CELL)]
    assert len(targets) >= len(chunks)
    placed: dict[tuple[str, str], list[str]] = {}
    for (lane, step), chunk in zip(targets, chunks, strict=False):
        c = page.locator(f'td.cell[data-lane="{lane}"][data-step="{step}"]')
        c.focus()
        c.press("Enter")
        box = page.locator("td.cell.editing .cell-editor")
        box.press("Control+A")
        box.press("Delete")
        for n, text in enumerate(chunk):
            if n:
                box.press("Shift+Enter")
            page.keyboard.insert_text(text)
        box.press("Enter")
        page.wait_for_selector(f'td.cell[data-lane="{lane}"][data-step="{step}"]:not(.editing)')
        placed[(lane, step)] = chunk
        # the save answered and the grid redrawn before the next cell is opened: this test is
        # about what the text does, not about typing during a redraw (test_editor_live is)
        until(
            lambda lane=lane, step=step, chunk=chunk: (
                [card["text"] for card in stored(site)["cells"][lane][step]] == chunk
            ),
            seconds=15,
        )
        version = (
            site.world.request(
                "GET", f"/api/journeys/{site.world.journey_a}", headers=bearer(site.world, "owner")
            )
            .headers["etag"]
            .strip('"')
        )
        page.wait_for_function(
            f"() => document.querySelector('#grid')?.dataset.version === '{version}'",
            timeout=15000,
        )
    last_lane, last_step = list(placed)[-1]
    until(
        lambda: (
            [card["text"] for card in stored(site)["cells"][last_lane][last_step]]
            == placed[(last_lane, last_step)]
        ),
        seconds=10,
    )
    j = stored(site)
    for (lane, step), chunk in placed.items():
        assert [card["text"] for card in j["cells"][lane][step]] == chunk
    page.reload()
    page.wait_for_selector("table.grid")
    for (lane, step), chunk in placed.items():
        shown = page.locator(f'td.cell[data-lane="{lane}"][data-step="{step}"]').inner_text()
        for text in chunk:
            assert text in shown
        made = page.locator(
            f'td.cell[data-lane="{lane}"][data-step="{step}"] :is(script, img, iframe, svg, '
            "math, object, embed, details, input, body, a[href], form, style, link, meta)"
        )
        assert made.count() == 0, "a payload became an element"
    assert page.evaluate("window.__pwned === undefined && window.__pw === undefined")
    assert dialogs == []
    page.errors.clear()  # blocked loads of the payloads' images may log; they ran no script
