"""The server's settings, declared as data: each one has a default and a sentence of help.

Every setting can be given as an environment variable ``PARCOURS_<NAME>`` (for example
``PARCOURS_HTTPS=1``); ``parcours serve`` passes its options through the same object.
``docs/server.md`` lists them all (a test checks that it does).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """How the server behaves; built once per application."""

    model_config = SettingsConfigDict(env_prefix="PARCOURS_", extra="ignore", frozen=True)

    db: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database (sqlite:///path or postgresql+psycopg://…); "
        "default: a SQLite file in the user's data folder.",
    )
    https: bool = Field(
        default=False,
        description="The server is reached over https (directly or behind a proxy): session "
        "cookies get Secure and the __Host- prefix, responses get Strict-Transport-Security.",
    )
    session_max_age: int = Field(
        default=14 * 24 * 3600,
        ge=60,
        description="Seconds a sign-in lasts before the session expires (default 14 days).",
    )
    login_attempts_per_account: int = Field(
        default=10,
        ge=1,
        description="Failed sign-ins allowed per email address in a window; the next one gets 429.",
    )
    login_attempts_per_ip: int = Field(
        default=50,
        ge=1,
        description="Failed sign-ins allowed per client address in a window; the next one gets 429.",
    )
    login_window: int = Field(
        default=15 * 60,
        ge=1,
        description="Length in seconds of the window the sign-in limits count in.",
    )
    max_body_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted, in bytes; a larger one gets 413 at once.",
    )
    max_upload_bytes: int = Field(
        default=512 * 1024 * 1024,
        ge=1024,
        description="Largest upload of data files (an event log with its survey answers and "
        "comments, to measure a journey), in bytes; a larger one gets 413 at once.",
    )
    measure_memory_bytes: int = Field(
        default=4 * 1024**3,
        ge=256 * 1024**2,
        description="Address space of the process that reads the files of a measurement, in "
        "bytes (half of it for the analysis engine's buffers, past which it spills to disk); "
        "a measurement that needs more is refused with 413.",
    )
    measure_cpu_seconds: int = Field(
        default=600,
        ge=1,
        description="CPU time the process that reads the files of a measurement may take, in "
        "seconds; past it the measurement is refused with 413.",
    )
    measure_wall_seconds: float = Field(
        default=900.0,
        gt=0,
        description="Time a measurement may take to read its files, in seconds; past it the "
        "process is stopped and the measurement refused with 413.",
    )
    trusted_origins: list[str] = Field(
        default_factory=list,
        description="Other origins (scheme://host[:port]) allowed to send unsafe requests with "
        "the session cookie, e.g. when a proxy rewrites the Host header.",
    )
    sse_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often an event stream looks for edits made by other server processes "
        "when no notification reached it (seconds).",
    )
    sse_heartbeat_seconds: float = Field(
        default=15.0,
        gt=0,
        description="Seconds between keep-alive comments on an idle event stream.",
    )


def setting_docs() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) of every setting, for the docs."""
    out = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        out.append((f"PARCOURS_{name.upper()}", repr(default), field.description or ""))
    return out
