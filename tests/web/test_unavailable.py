"""A database busy past its timeout: 503 with Retry-After, one sentence, nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.web.conftest import bearer, make_world


def test_a_locked_database_answers_503_and_keeps_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parcours.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    world = make_world(tmp_path)
    try:
        url = f"/api/journeys/{world.journey_a}"
        version = world.request("GET", url, headers=bearer(world, "editor")).headers["etag"]
        before = world.digest()
        holder = sqlite3.connect(world.path, timeout=0)
        holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
        try:
            r = world.request(
                "POST",
                f"{url}/operations",
                json=[{"op": "set_journey", "field": "title", "value": "Nouveau titre"}],
                headers={**bearer(world, "editor"), "If-Match": version},
            )
        finally:
            holder.rollback()
            holder.close()
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "2"
        error = r.json()["error"]
        assert error["code"] == "unavailable" and "nothing was changed" in error["message"]
        assert "Traceback" not in r.text and 'File "' not in r.text
        assert world.digest() == before
        again = world.request(
            "POST",
            f"{url}/operations",
            json=[{"op": "set_journey", "field": "title", "value": "Nouveau titre"}],
            headers={**bearer(world, "editor"), "If-Match": version},
        )
        assert again.status_code == 200, again.text  # sent again as is, it is applied
    finally:
        world.app.state.backend.close()
        world.store.close()
