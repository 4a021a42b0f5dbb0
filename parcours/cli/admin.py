"""Administration of a server database: accounts, API tokens, backup and restore."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from parcours.cli.common import errors, fail

DB_HELP = (
    "Database: a SQLite file or postgresql://USER@HOST/DB (default: $PARCOURS_DB, else "
    "the parcours.db file in your data folder)."
)

user_app = typer.Typer(help="Manage the accounts of a server database.", no_args_is_help=True)
token_app = typer.Typer(
    help="Manage API tokens (for scripts and the JSON API).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.command("dump")(dump_cmd)
    app.command("restore")(restore_cmd)


def _read_password() -> str:
    """From a prompt (asked twice), or the first line of stdin when it is not a terminal.

    On stdin a second line, when present, is a confirmation and must match the first.
    """
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != first:
            fail("the two passwords differ; run the command again")
        return first
    lines = sys.stdin.read().splitlines()
    if not lines or not lines[0]:
        fail("no password on standard input; send it as the first line (echo PASSWORD | …)")
    if len(lines) > 1 and lines[1] and lines[1] != lines[0]:
        fail("the second line of standard input (the confirmation) differs from the first")
    return lines[0]


@user_app.command("add")
def user_add_cmd(
    email: str = typer.Argument(..., help="The account's email address (its sign-in name)."),
    role: str = typer.Option(
        "user", "--role", help="'admin': a site administrator who sees every workspace; 'user'."
    ),
    name: str | None = typer.Option(None, "--name", help="The name shown to other members."),
    db: str | None = typer.Option(None, "--db", envvar="PARCOURS_DB", help=DB_HELP),
) -> None:
    """Add an account; the password is asked (or read from the first line of stdin)."""
    from parcours.store import open_store
    from parcours.store.users import normalise_email

    if role not in ("admin", "user"):
        fail(f"unknown role '{role}'; expected one of: admin, user")
    with errors():
        try:
            address = normalise_email(email)
            password = _read_password()
            from parcours.store.passwords import check_password

            check_password(password)
        except ValueError as exc:
            fail(str(exc))
        with open_store(db) as store:
            try:
                user = store.users.add(address, password, is_admin=role == "admin", name=name)
            except ValueError as exc:
                fail(str(exc))
            where = store.path or store.url
    kind = "site administrator" if user.is_admin else "account"
    typer.echo(f"added {kind} {user.email} (id {user.id}) to {where}")


@user_app.command("list")
def user_list_cmd(
    db: str | None = typer.Option(None, "--db", envvar="PARCOURS_DB", help=DB_HELP),
) -> None:
    """List the accounts: id, email, role and whether they are disabled."""
    from parcours.store import open_store

    with errors(), open_store(db) as store:
        users = store.users.list()
    for user in users:
        flags = ("admin" if user.is_admin else "user") + (" disabled" if user.disabled else "")
        typer.echo(f"{user.id:>4}  {user.email}  {flags}")


@token_app.command("create")
def token_create_cmd(
    email: str = typer.Argument(..., help="The account the token acts as."),
    name: str = typer.Option("cli", "--name", help="A label to recognise the token by."),
    db: str | None = typer.Option(None, "--db", envvar="PARCOURS_DB", help=DB_HELP),
) -> None:
    """Create an API token for an account and print only the token (shown once)."""
    from parcours.store import open_store

    with errors(), open_store(db) as store:
        user = store.users.by_email(email)
        secret, _token = store.tokens.create(user.id, name)
    typer.echo(secret)


def dump_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="The backup file to write (JSON)."),
    db: str | None = typer.Option(None, "--db", envvar="PARCOURS_DB", help=DB_HELP),
) -> None:
    """Back up a whole server database: accounts, roles, maps, revisions, comments."""
    from parcours.store import open_store
    from parcours.store.dump import save

    with errors(), open_store(db) as store:
        save(store, output)
        counts = {
            "accounts": store.users.count(),
            "workspaces": len(store.workspaces.list()),
        }
    typer.echo(f"wrote {output} ({counts['accounts']} accounts, {counts['workspaces']} workspaces)")


def restore_cmd(
    file: Path = typer.Argument(..., help="A backup made by 'parcours dump'."),
    db: str | None = typer.Option(None, "--db", envvar="PARCOURS_DB", help=DB_HELP),
) -> None:
    """Restore a backup into an empty database (SQLite or PostgreSQL)."""
    from parcours.store import open_store
    from parcours.store.dump import load

    with errors(), open_store(db) as store:
        counts = load(store, file)
        where = store.path or store.url
    summary = ", ".join(
        f"{counts.get(name, 0)} {label}"
        for name, label in (
            ("users", "accounts"),
            ("workspaces", "workspaces"),
            ("journeys", "journeys"),
            ("journey_revisions", "revisions"),
            ("comments", "comments"),
        )
    )
    typer.echo(f"restored {file} into {where}: {summary}")
