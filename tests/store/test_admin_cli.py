"""The admin commands: user add, token create, dump and restore, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app
from parcours.model.operations import SetEmotion
from parcours.store import ensure_demo, open_store

runner = CliRunner()


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_user_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    code, out, err = run(
        "user",
        "add",
        "Admin@Example.org",
        "--role",
        "admin",
        "--db",
        db,
        stdin="correct horse\ncorrect horse\n",
    )
    assert code == 0, err
    assert out.startswith("added site administrator admin@example.org (id 1)")
    with open_store(db) as store:
        user = store.users.authenticate("admin@example.org", "correct horse")
        assert user is not None and user.is_admin


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("user", "add", "a@example.org"), "correct horse\nother horse\n", "confirmation"),
        (("user", "add", "a@example.org"), "short\n", "at least 8"),
        (("user", "add", "a@example.org"), "", "no password on standard input"),
        (("user", "add", "not-an-email"), "correct horse\n", "not an email address"),
        (
            ("user", "add", "a@example.org", "--role", "boss"),
            "correct horse\n",
            "unknown role 'boss'",
        ),
        (("token", "create", "nobody@example.org"), None, "no account with email"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    tmp_path: Path, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    db = str(tmp_path / "p.db")
    code, out, err = run(*args, "--db", db, stdin=stdin)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    with open_store(db) as store:
        assert store.users.count() == 0


def test_token_create_prints_only_the_token(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    run("user", "add", "a@example.org", "--db", db, stdin="correct horse\n")
    code, out, _ = run("token", "create", "a@example.org", env={"PARCOURS_DB": db})
    assert code == 0
    token = out.strip()
    assert out == token + "\n" and token.startswith("pct_")
    with open_store(db) as store:
        found = store.tokens.lookup(token)
        assert found is not None and found[1].email == "a@example.org"


def _fill(url: str) -> None:
    with open_store(url) as store:
        owner = store.users.add("owner@example.org", "correct horse", is_admin=True)
        viewer = store.users.add("viewer@example.org", "correct horse")
        workspace = ensure_demo(store, owner_id=owner.id)
        store.workspaces.set_member(workspace.id, viewer.id, "viewer")
        jid = store.journeys.list(workspace.id)[0].id
        journey, _ = store.journeys.get(jid)
        for version, step in enumerate(journey.steps()[:5], start=1):
            store.journeys.apply_operations(
                jid, [SetEmotion(step=step.id, score=1)], version, f"e{version}", owner.id
            )
        store.comments.add(jid, viewer.id, "Une remarque", step=journey.steps()[0].id)
        store.tokens.create(owner.id, "ci")
        store.shares.create(workspace.id, journey_id=jid, created_by=owner.id)
        store.sessions.create(viewer.id)


def test_dump_restore_round_trip_across_backends(
    db_url: str, tmp_path: Path, pg_database: str
) -> None:
    """A dump restored (on the other backend, then back) dumps to the same file."""
    _fill(db_url)
    first = tmp_path / "first.json"
    code, out, err = run("dump", "--db", db_url, "-o", str(first))
    assert code == 0, err
    assert "2 accounts, 1 workspaces" in out
    other = pg_database if db_url.endswith(".db") else str(tmp_path / "other.db")
    code, out, err = run("restore", str(first), "--db", other)
    assert code == 0, err
    assert "2 accounts, 1 workspaces, 4 journeys, 9 revisions, 1 comments" in out
    second = tmp_path / "second.json"
    assert run("dump", "--db", other, "-o", str(second))[0] == 0
    assert second.read_text() == first.read_text()
    data = json.loads(first.read_text())
    assert len(data["tables"]["journey_revisions"]) == 9
    with open_store(other) as store:
        jid = store.journeys.list(1)[0].id
        assert store.journeys.verify(jid) == []
        assert store.users.authenticate("viewer@example.org", "correct horse") is not None
        assert store.workspaces.role(1, 2) == "viewer"
        # new rows get fresh ids after the restored ones
        assert store.users.add("new@example.org", None).id == 3
    # restoring over data is refused, and leaves it as it was
    code, _, err = run("restore", str(first), "--db", other)
    assert code == 1 and "not empty" in err
    third = tmp_path / "third.json"
    run("dump", "--db", other, "-o", str(third))
    assert len(json.loads(third.read_text())["tables"]["users"]) == 3


def test_restore_refuses_a_file_that_is_not_a_dump(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"tables": ')
    code, _, err = run("restore", str(bad), "--db", str(tmp_path / "p.db"))
    assert code == 1 and f"{bad}:1:" in err and "not valid JSON" in err
    bad.write_text('{"x": 1}')
    code, _, err = run("restore", str(bad), "--db", str(tmp_path / "p.db"))
    assert code == 1 and "not a parcours dump" in err
