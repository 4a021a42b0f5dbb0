"""The workspace pages in a real browser: both languages, the viewer's limits, no injection.

Pages: the atlas (``/``), personas, templates, members, a journey's history and share links.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from tests.web.browser.conftest import Site
from tests.web.browser.payloads import payloads
from tests.web.conftest import bearer, sign_in

# the same in both languages on purpose: the product's name, loanwords, language names
SAME_IN_BOTH = {
    "parcours",
    "Atlas",
    "Personas",
    "Persona",
    "Segment",
    "Backlog",
    "English",
    "Français",
    "Business",
    "Frustrations",
    "Emoji",
    "Total",
    "OK",
    "Irritants",
    "Ruptures",
    "Rupture",
    "Irritant",
    "PDF",  # format names
    "Markdown",
}


def pages_of(site: Site) -> list[str]:
    w = site.world
    return [
        "/",
        "/templates",
        f"/workspaces/{w.workspace_a}/personas",
        f"/workspaces/{w.workspace_a}/members",
        f"/journeys/{w.journey_a}/history",
        f"/journeys/{w.journey_a}/shares",
        f"/journeys/{w.journey_a}/measure",
    ]


def content_strings(site: Site) -> set[str]:
    """Every string of the workspace's data (user content: never translated)."""
    w = site.world
    auth = bearer(w, "owner")
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for url in (
        f"/api/workspaces/{w.workspace_a}",
        f"/api/journeys/{w.journey_a}",
        f"/api/workspaces/{w.workspace_a}/members",
        "/api/templates",
    ):
        walk(w.request("GET", url, headers=auth).json())
    return found


VISIBLE_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, svg, textarea, [hidden]")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], input[value][type=submit]"))
    out.push((el.getAttribute("aria-label") || el.getAttribute("title") || "").trim());
  out.push(document.title);
  return out;
}"""


def test_every_page_changes_every_label_with_the_language(signed_in: Any, site: Site) -> None:
    page = signed_in("owner")
    content = content_strings(site)
    untranslated: list[tuple[str, str]] = []
    for url in pages_of(site):
        texts = {}
        for lang in ("en", "fr"):
            page.goto(f"{site.url}/lang?to={lang}&next={url}")
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == lang
            texts[lang] = set(page.evaluate(VISIBLE_TEXTS))
        same = {part for text in texts["en"] & texts["fr"] for part in text.split(" · ")}
        for text in sorted(same):
            bare = text.strip("·:()→ ").strip()
            if (
                not bare
                or bare in SAME_IN_BOTH
                or bare in content
                or re.fullmatch(r"[\d\s.,:/#%–-]*", bare)  # numbers, dates, versions
                or "@" in bare  # e-mail addresses
                or re.fullmatch(r"\.\w+", bare)  # file extensions of the twins
                or any(bare in c for c in content)
            ):
                continue
            untranslated.append((url, text))
    assert untranslated == [], "\n".join(map(str, untranslated))


def test_a_viewer_sees_no_editing_control_and_forged_writes_are_refused(
    signed_in: Any, site: Site
) -> None:
    page = signed_in("viewer")
    for url in pages_of(site):
        page.goto(site.url + url)
        page.wait_for_load_state("networkidle")
        posts = page.locator("form[method=post]:not(.signout)")
        assert posts.count() == 0, (url, posts.first.evaluate("f => f.outerHTML"))
        assert page.locator("textarea, input[type=email]").count() == 0, url
    w = site.world
    _, stolen = sign_in(w, "owner")  # the CSRF token of another (owner's) session
    own = page.locator('meta[name="csrf-token"]').get_attribute("content")
    forms = [
        (f"/workspaces/{w.workspace_a}/members", "email=viewer%40example.org&role=owner"),
        (f"/workspaces/{w.workspace_a}/personas", "name=Intruder"),
        (f"/journeys/{w.journey_a}/shares", "action=create"),
        (f"/journeys/{w.journey_a}/history/restore", "version=1&base=1"),
        (f"/journeys/{w.journey_a}/measure", "skip_bad_rows=true"),
        ("/templates/new", f"workspace={w.workspace_a}&template=ecommerce-purchase&lang=fr"),
    ]
    before = w.digest()
    for token in ("", stolen, own):
        for url, body in forms:
            status = page.evaluate(
                """async ([url, body]) => (await fetch(url, {method: "POST", body,
                   headers: {"Content-Type": "application/x-www-form-urlencoded"},
                   redirect: "manual"})).status""",
                [url, f"{body}&csrf_token={quote(token, safe='')}"],
            )
            assert status == 403, (url, token == own, status)
        status = page.evaluate(
            """async ([url, token]) => (await fetch(url, {method: "POST",
               body: JSON.stringify([{op: "set_journey", field: "title", value: "x"}]),
               headers: {"Content-Type": "application/json", "If-Match": '"1"',
                         "X-CSRF-Token": token}})).status""",
            [f"/api/journeys/{w.journey_a}/operations", token],
        )
        assert status == 403, (token == own, status)
    assert w.digest() == before  # nothing was written
    page.errors.clear()  # the browser logs each refused request (403): expected here


def _plant(site: Site, texts: list[str]) -> list[str]:
    """Type every payload into the workspace through the API: persona names, summaries and
    goals, the journey's title, step names, pain points, opportunities (text and owner) and
    comments. Returns the payloads the server accepted as persona names."""
    w = site.world
    auth = bearer(w, "owner")

    def post(url: str, ops: list[dict[str, Any]]) -> int:
        version = w.request("GET", url.removesuffix("/operations"), headers=auth).headers["etag"]
        r = w.request("POST", url, headers={**auth, "If-Match": version}, json=ops)
        return r.status_code

    accepted = []
    ws_url = f"/api/workspaces/{w.workspace_a}/operations"
    for i, text in enumerate(texts):
        persona = {"id": f"x{i}", "name": text, "summary": text, "goals": [text]}
        if post(ws_url, [{"op": "add_persona", "persona": persona}]) == 200:
            accepted.append(text)
    j_url = f"/api/journeys/{w.journey_a}/operations"
    steps = [{"id": f"s{i}", "name": text} for i, text in enumerate(texts)]
    ops: list[dict[str, Any]] = [
        {"op": "set_journey", "field": "title", "value": texts[0]},
        {"op": "add_stage", "stage": {"id": "inj", "name": texts[1], "steps": steps}},
    ]
    for i, text in enumerate(texts):
        ops.append(
            {
                "op": "add_card",
                "lane": "pain_points",
                "step": f"s{i}",
                "item": {"type": "pain_point", "text": text, "severity": "rupture"},
            }
        )
        ops.append(
            {
                "op": "add_card",
                "lane": "opportunities",
                "step": f"s{i}",
                "item": {"type": "opportunity", "text": text, "owner": text[:200]},
            }
        )
    assert post(j_url, ops) == 200
    for text in texts[:20]:
        r = w.request(
            "POST", f"/api/journeys/{w.journey_a}/comments", headers=auth, json={"text": text}
        )
        assert r.status_code in (200, 201), r.text
    return accepted


def test_no_payload_runs_and_each_shows_as_typed(signed_in: Any, site: Site) -> None:
    texts = payloads()
    assert len(texts) >= 150
    accepted = _plant(site, texts)
    assert len(accepted) >= 150, f"only {len(accepted)} payloads accepted"
    page = signed_in("owner")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    w = site.world
    for url in (
        "/",
        f"/workspaces/{w.workspace_a}/personas",
        f"/journeys/{w.journey_a}/history?base=1",
        f"/journeys/{w.journey_a}.svg",
        f"/journeys/{w.journey_a}",  # the editor's grid
    ):
        page.goto(site.url + url)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # time for onload/onerror/animations to fire
        assert page.evaluate("() => window.__pwned") is None, url
        assert dialogs == [], url
        if url.endswith("/personas"):
            shown = page.locator(".persona-card h2").all_text_contents()
            assert set(accepted) <= set(shown)
        elif url == "/":
            shown = set(page.locator("table.pains td:nth-child(2)").all_text_contents())
            shown |= set(page.locator("section.backlog tbody td:first-child").all_text_contents())
            assert set(texts) & shown, "the atlas shows the payloads as text"
            for text in shown & set(texts):
                assert text in texts
        elif "history" in url:
            diff = " ".join(page.locator("ul.diff li").all_text_contents())
            assert texts[5] in diff and "<script>" in diff
        elif url.endswith(w.journey_a):
            grid = page.locator("main").inner_text()
            shown_here = [text for text in set(texts) if text.strip() and text.strip() in grid]
            assert len(shown_here) >= 20, "the editor shows the planted texts as typed"
    page.errors.clear()  # blocked loads of the payloads' images may log; they ran no script
