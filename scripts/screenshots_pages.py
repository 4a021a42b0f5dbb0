"""Screenshots of the web app at 1440×900 on the demo workspace (docs/images/): the pages
and the journey editor, with a second person editing a cell.

Run from the repository: ``python scripts/screenshots_pages.py`` (needs Debian's chromium).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.test_serve import serve  # noqa: E402

# a few edits, so that the history page has revisions to show
EDITS = """async (id) => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const edits = [
    [{op: "set_journey", field: "description", value: "Revu après l'atelier du 12 novembre."}],
    [{op: "set_journey", field: "scope", value: "Clients particuliers, France métropolitaine"}],
    [{op: "set_journey", field: "title", value: "Achat en ligne, livraison ou retrait en magasin"}],
  ];
  for (const ops of edits) {
    const r = await fetch(`/api/journeys/${id}`, {headers: {Accept: "application/json"}});
    const version = r.headers.get("etag");
    await fetch(`/api/journeys/${id}/operations`, {method: "POST", body: JSON.stringify(ops),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, "If-Match": version}});
  }
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve([], {"XDG_DATA_HOME": tmp}) as (base, lines):
        found = re.search(r"sign in as (\S+) with password (\S+)", "\n".join(lines))
        assert found, lines
        email, password = found.groups()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
            page.goto(base + "/")
            page.fill("#email", email)
            page.fill("#password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            workspace = page.locator("section.atlas").first.get_attribute("data-workspace")
            journey = page.locator("a.jtitle").first.get_attribute("href")
            journey_id = journey.rsplit("/", 1)[1]
            page.evaluate(EDITS, journey_id)
            shots = {
                "atlas.png": "/",
                "personas.png": f"/workspaces/{workspace}/personas",
                "templates.png": "/templates",
                "history.png": f"{journey}/history",
                "members.png": f"/workspaces/{workspace}/members",
                "editor.png": journey,
            }
            for name, url in shots.items():
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                if name == "editor.png":  # a cell open for editing, as in a workshop
                    cell = page.locator("td.cell[data-kind=thoughts]").nth(2)
                    cell.click()
                    page.keyboard.press("Enter")
                    page.wait_for_timeout(400)
                page.screenshot(path=str(out / name))
                print(out / name)
            # the journey measured with the example event log, comments and survey answers
            examples = ROOT / "parcours" / "examples"
            page.goto(f"{base}{journey}/measure")
            page.set_input_files("#measure-log", str(examples / "events" / "events.csv"))
            page.set_input_files("#measure-verbatims", str(examples / "voice" / "verbatims.csv"))
            page.set_input_files("#measure-surveys", str(examples / "voice" / "surveys.csv"))
            page.click("form.measure-form button[type=submit]")
            page.wait_for_selector("main [role=status]")
            page.screenshot(path=str(out / "measure.png"))
            print(out / "measure.png")
            page.goto(base + journey)
            page.wait_for_load_state("networkidle")
            page.locator('td.cell[data-kind="metrics"]').first.scroll_into_view_if_needed()
            page.screenshot(path=str(out / "measured.png"))
            print(out / "measured.png")
            browser.close()


if __name__ == "__main__":
    main()
