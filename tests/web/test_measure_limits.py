"""A measurement reads its files in a child process under the server's limits: a file that
needs more memory or time than allowed is refused with 413 naming the setting, the server
keeps serving, nothing is stored and no temporary file is left; measurements take turns
without holding a thread, and past the queue the server answers 429."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from parcours.web import uploads
from parcours.web.settings import Settings
from tests.web.conftest import World, bearer, make_world
from tests.web.test_measure import _journey, _log, _metrics


def _world(tmp_path: Path, **limits: Any) -> World:
    return make_world(tmp_path, Settings(db=f"sqlite:///{tmp_path / 'parcours.db'}", **limits))


def _measure(world: World) -> Any:
    return world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/measure",
        headers=bearer(world, "editor"),
        files={"log": ("events.csv", _log(), "text/csv")},
    )


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("parcours-upload-*")}


@pytest.mark.parametrize(
    ("limits", "said"),
    [
        (
            {"measure_memory_bytes": 256 * 2**20},
            "more memory .*256 MiB.*PARCOURS_MEASURE_MEMORY_BYTES",
        ),
        ({"measure_wall_seconds": 0.05}, r"longer .*\(0\.05 s\).*PARCOURS_MEASURE_WALL_SECONDS"),
    ],
)
def test_a_measurement_over_a_limit_is_refused_and_stores_nothing(
    tmp_path: Path, limits: dict[str, Any], said: str
) -> None:
    world = _world(tmp_path, **limits)
    try:
        before = _leftovers()
        digest = world.digest()
        r = _measure(world)
        assert r.status_code == 413, r.text
        import re

        assert re.search(said, r.json()["error"]["message"]), r.json()["error"]["message"]
        assert "Traceback" not in r.text
        assert world.digest() == digest
        assert _leftovers() <= before
        # the server still answers
        assert (
            world.request("GET", "/api/workspaces", headers=bearer(world, "editor")).status_code
            == 200
        )
    finally:
        world.app.state.backend.close()
        world.store.close()


def test_the_form_says_which_limit_in_the_page(tmp_path: Path) -> None:
    from tests.web.test_measure import _upload

    world = _world(tmp_path, measure_wall_seconds=0.05)
    try:
        r = _upload(world, "editor", {"log": ("events.csv", _log())})
        assert r.status_code == 413
        assert "PARCOURS_MEASURE_WALL_SECONDS" in r.text and 'role="alert"' in r.text
    finally:
        world.app.state.backend.close()
        world.store.close()


def test_the_limits_are_said_in_the_readers_language(tmp_path: Path) -> None:
    world = _world(tmp_path, measure_memory_bytes=256 * 2**20)
    try:
        r = world.request(
            "POST",
            f"/api/journeys/{world.journey_a}/measure",
            headers={**bearer(world, "editor"), "Accept-Language": "fr"},
            files={"log": ("events.csv", _log(), "text/csv")},
        )
        assert r.status_code == 413
        message = r.json()["error"]["message"]
        assert message.startswith("la lecture des fichiers demande plus de mémoire")
        assert "(256 MiB)" in message and "PARCOURS_MEASURE_MEMORY_BYTES" in message
    finally:
        world.app.state.backend.close()
        world.store.close()


def test_measurements_take_turns(world: World) -> None:
    uploads._running.acquire()
    released = threading.Timer(1.0, uploads._running.release)
    released.start()
    start = time.monotonic()
    r = _measure(world)
    waited = time.monotonic() - start
    released.join()
    assert r.status_code == 200, r.text
    assert waited >= 1.0  # it waited for the other one's turn
    assert _metrics(_journey(world))["sees-ad"]["volume"] == 40


def test_past_the_queue_the_server_answers_429(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(uploads, "MAX_WAITING", 0)
    digest = world.digest()
    r = _measure(world)
    assert r.status_code == 429 and r.headers["retry-after"] == "30"
    assert "0 measurements are waiting for their turn" in r.json()["error"]["message"]
    assert world.digest() == digest
