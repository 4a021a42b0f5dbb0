"""``parcours serve``: the workspace server, on SQLite by default with the demo workspace.

Thin: resolve the database, prepare it on first start (the demo workspace and its owner
account), print where to go and how to sign in, then hand over to uvicorn.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from typing import TYPE_CHECKING

import typer

from parcours.cli.common import errors, fail

if TYPE_CHECKING:
    from parcours.store import Store

DEMO_EMAIL = "demo@parcours.local"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)


def first_start(store: Store) -> str | None:
    """Load the demo workspace and make its owner when the database has no account yet.

    Returns the generated password (shown once), or None when the database was ready.
    """
    from parcours.store import ensure_demo

    users = store.users
    if users.count() > 0:
        return None
    password = secrets.token_urlsafe(12)
    owner = users.add(DEMO_EMAIL, password, name="Demo")
    ensure_demo(store, owner_id=owner.id)
    return password


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_cmd(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (loopback by default)."
    ),
    port: int = typer.Option(
        8000, "--port", min=1, max=65535, envvar="PARCOURS_PORT", help="Port to listen on."
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="PARCOURS_DB",
        help="Database: a SQLite file path or URL, or postgresql+psycopg://… (default: a SQLite "
        "file in your data folder).",
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Server processes."),
    https: bool = typer.Option(
        False,
        "--https",
        envvar="PARCOURS_HTTPS",
        help="The server is reached over https (through a proxy): Secure cookies and HSTS.",
    ),
) -> None:
    """Run the workspace server: the web app, the JSON API and live updates."""
    import uvicorn

    from parcours.store.database import display_url, resolve_url
    from parcours.web.server import build, configure_logging, open_store, settle_memory
    from parcours.web.settings import Settings

    configure_logging()
    with errors("out of memory while opening the database"):
        url = resolve_url(db)
        store = open_store(url)
        password = first_start(store)
    if not _loopback(host) and not https:
        typer.echo(
            f"warning: listening on {host} without --https: sign-ins travel in clear text; put "
            "the server behind an https proxy and pass --https",
            err=True,
        )
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    if url.startswith("sqlite:///"):
        typer.echo(f"parcours serve: database {url.removeprefix('sqlite:///')} (SQLite)")
    else:
        typer.echo(f"parcours serve: database {display_url(url)}")
    typer.echo(f"open http://{shown}:{port}/")
    if password is not None:
        typer.echo(f"sign in as {DEMO_EMAIL} with password {password}  (shown only this once)")
        typer.echo(
            "add people with 'parcours user add EMAIL', API tokens with 'parcours token create EMAIL'"
        )
    else:
        typer.echo(
            f"sign in with an account of this database (the demo's is {DEMO_EMAIL}); "
            "'parcours user add EMAIL' adds one"
        )
    os.environ["PARCOURS_DB"] = url
    if https:
        os.environ["PARCOURS_HTTPS"] = "1"
    try:
        if workers > 1:
            store.close()
            uvicorn.run(
                "parcours.web.server:from_environment",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="info",
                timeout_keep_alive=30,
                proxy_headers=https,
            )
        else:
            settings = Settings(db=url, https=https)
            app = build(settings, store)
            settle_memory()
            uvicorn.run(
                app,
                host=host,
                port=port,
                log_level="info",
                timeout_keep_alive=30,
                proxy_headers=https,
            )
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port")
    finally:
        if workers == 1:
            store.close()
