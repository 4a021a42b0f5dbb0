"""Measuring a journey with data in Chromium: the form sends the file, the page says what
was measured, and the editor's grid shows the measures; a bad file is answered on the page."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import Site
from tests.web.test_measure import _log


def test_an_editor_uploads_a_log_and_sees_the_measures(signed_in: Any, site: Site) -> None:
    journey = site.world.journey_a
    page = signed_in("editor")
    page.goto(f"{site.url}/journeys/{journey}")
    page.get_by_role("link", name="Measure").click()
    page.wait_for_url(f"**/journeys/{journey}/measure")
    bad = _log(bad_line="c1,ad_clicked,hier")
    page.set_input_files(
        "#measure-log", files=[{"name": "mars.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Measure this journey").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "mars.csv:6: timestamp 'hier' is not a date" in alert.inner_text()
    page.errors.clear()  # the browser logs the refused upload (422): expected here
    page.set_input_files(
        "#measure-log", files=[{"name": "mars.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_label("Leave out bad rows").check()
    page.get_by_role("button", name="Measure this journey").click()
    status = page.locator("main [role=status]")
    status.wait_for()
    assert "Measured 4 steps on 40 cases of mars.csv: version 2." in status.inner_text()
    assert "Bad rows left out: 1." in status.inner_text()
    page.get_by_role("link", name="Open the journey").click()
    page.wait_for_load_state("networkidle")
    cell = page.locator('td.cell[data-kind="metrics"]').first
    assert "40" in cell.inner_text()
    assert page.errors == []
