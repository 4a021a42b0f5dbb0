"""Fixtures of the browser tests: the real server on a loopback port, Debian's Chromium.

``site`` serves the world of ``tests/web/conftest.py`` (a real SQLite file, workspace A with
an owner, an editor and a viewer) with uvicorn; ``browser`` is Chromium driven by
Playwright (``executable_path=shutil.which("chromium")``; no browser is ever downloaded: a
missing chromium fails the test, it is never skipped); ``signed_in(name)`` opens a new
browser context signed in through the sign-in form, like a person.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, World, make_world, serving

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Site:
    url: str
    world: World


# package scope: Playwright's sync API keeps an event loop running in this thread while the
# browser is open, which other tests' asyncio.run() must not meet
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    assert path, "the web app tests need Debian's chromium (bash scripts/test.sh installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    world = make_world(tmp_path)
    with serving(world.app) as url:
        yield Site(url, world)
    world.app.state.backend.close()
    world.store.close()


@pytest.fixture
def signed_in(browser: Any, site: Site) -> Iterator[Callable[..., Any]]:
    """``signed_in("editor", lang="fr")`` → a page signed in as that person, at ``/``.

    Every page records the errors of its console and of its scripts in ``page.errors``; a
    test ends with none (a CSP violation or an exception in our modules fails it).
    """
    contexts: list[Any] = []
    pages: list[Any] = []

    def open_as(name: str, lang: str = "en", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            locale="fr-FR" if lang == "fr" else "en-GB",
            viewport=viewport or {"width": 1440, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                page.errors.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        pages.append(page)
        page.goto(site.url + "/")
        page.fill("#email", f"{name}@example.org")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("form.signout").count() == 1, page.content()[:2000]
        return page

    yield open_as
    try:
        for page in pages:
            assert not [e for e in page.errors if "the server cannot" not in e.lower()], page.errors
    finally:
        for context in contexts:
            context.close()
