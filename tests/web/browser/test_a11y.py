"""Accessibility of the main pages, in French and English, checked in Chromium.

The rules (``a11y.js``, written here: no third-party code) are the main ones of axe-core:
every interactive element and form control has a name, images have alt text, one h1, a main
landmark (and a navigation when signed in), no text outside landmarks, unique ids, no
positive tabindex, text contrast at least 4.5:1 (3:1 for large text) from the colours the
browser computed, and the editor's cells named "<lane> — <step>".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.browser.conftest import Site

RULES = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def violations(page: Any) -> list[str]:
    found = page.evaluate(RULES)
    return [f"{v['rule']}: {v['where']} {v['detail']}".strip() for v in found]


def main_pages(site: Site) -> list[str]:
    w = site.world
    return [
        "/",
        f"/workspaces/{w.workspace_a}/personas",
        "/templates",
        f"/journeys/{w.journey_a}/history",
        f"/journeys/{w.journey_a}/shares",
        f"/workspaces/{w.workspace_a}/members",
        f"/journeys/{w.journey_a}/measure",
        f"/journeys/{w.journey_a}",
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_main_pages_pass_the_accessibility_rules(
    browser: Any, signed_in: Any, site: Site, lang: str
) -> None:
    found: dict[str, list[str]] = {}
    context = browser.new_context(locale="fr-FR" if lang == "fr" else "en-GB")
    try:
        signin = context.new_page()
        signin.goto(site.url + "/")
        signin.wait_for_selector("#email")
        found["sign-in"] = violations(signin)
    finally:
        context.close()
    page = signed_in("owner", lang=lang)
    for path in main_pages(site):
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        found[path] = violations(page)
    # the editor with its comments panel open
    page.wait_for_selector("#presence li")
    page.click("#comments-toggle")
    page.wait_for_selector("#comments:not([hidden]) #comment-list li")
    found["editor, comments open"] = violations(page)
    page.click('button[data-menu="step"][data-step="sees-ad"]')
    page.wait_for_selector("#editor-dialog[open] button[data-action=rename]")
    found["editor, a step's menu open"] = violations(page)
    page.keyboard.press("Escape")
    page.wait_for_selector("#editor-dialog:not([open])", state="attached")
    cell = page.locator('td.cell[data-lane="thoughts"][data-step="sees-ad"]')
    cell.focus()
    cell.press("Enter")
    page.wait_for_selector("td.cell.editing .cell-editor")
    found["editor, a cell being edited"] = violations(page)
    report = [f"{where}: {v}" for where, vs in found.items() for v in vs]
    assert not report, f"{len(report)} violations:\n" + "\n".join(report)


BAD_PAGE = """<!doctype html><html><head><title>t</title></head><body>
<div>outside any landmark</div>
<main><h1>One</h1><h1>Two</h1><img src="x.png">
<input id="a" type="text"><input id="a" type="text" aria-label="named">
<button></button><a href="/x"></a>
<p style="color:#999;background:#fff">pale text</p>
<p style="color:#777;background:#fff;font-size:30px">large grey text is enough</p>
<span tabindex="3">positive</span><div aria-hidden="true"><a href="/y">hidden link</a></div>
<table><tr><th class="lane-head" data-lane="l"><span class="lane-name">Lane</span></th>
<th class="step" data-step="s"><span class="step-name">Step</span></th>
<td class="cell" tabindex="0" data-lane="l" data-step="s" aria-label="Lane - Step">x</td></tr></table>
</main></body></html>"""


def test_the_rules_find_what_they_look_for(browser: Any) -> None:
    page = browser.new_page()
    try:
        page.set_content(BAD_PAGE)
        rules = sorted(v.split(":")[0] for v in violations(page))
    finally:
        page.close()
    assert rules == [
        "aria-hidden-focus",
        "button-name",
        "cell-name",
        "color-contrast",
        "duplicate-id",
        "html-has-lang",
        "image-alt",
        "label",
        "link-name",
        "page-has-heading-one",
        "region",
        "tabindex",
    ]
