"""The tables of the server database (SQLAlchemy Core), as the newest migration leaves them.

Every change here needs a new migration in ``parcours/store/migrations/versions/``; a test
compares a migrated database with this metadata.

Documents (a workspace's personas and library, each journey) are stored as model JSON with a
version; each change to one is a row of its revision log (the operation envelope): who, when,
``base_version`` → ``version``, the operations and their inverse, and a hash chained to the
previous revision's so that history cannot be rewritten unnoticed.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: Time columns hold UTC; SQLite gives them back naive, the repositories make them aware.
Time = sa.DateTime(timezone=True)
ROLES = ("owner", "editor", "viewer")
COMMENT_TARGETS = ("journey", "step", "lane", "cell")
REVISION_KINDS = ("create", "edit", "restore")

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.String(300), nullable=True),
    sa.Column("password_hash", sa.String(300), nullable=True),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", Time, nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("expires_at", Time, nullable=False),
    sa.Column("last_seen_at", Time, nullable=False),
    sa.Index("ix_sessions_user_id", "user_id"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("last_used_at", Time, nullable=True),
    sa.Column("revoked_at", Time, nullable=True),
    sa.Index("ix_api_tokens_user_id", "user_id"),
)

workspaces = sa.Table(
    "workspaces",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(80), nullable=False, unique=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("lang", sa.String(16), nullable=True),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("state", sa.Text, nullable=False),  # the atlas without its journeys, model JSON
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("updated_at", Time, nullable=False),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column(
        "workspace_id",
        sa.Integer,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),
    sa.Index("ix_members_user_id", "user_id"),
)

journeys = sa.Table(
    "journeys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "workspace_id",
        sa.Integer,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("slug", sa.String(80), nullable=False),
    sa.Column("state", sa.Text, nullable=False),  # the journey, model JSON
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("updated_at", Time, nullable=False),
    sa.UniqueConstraint("workspace_id", "slug", name="uq_journeys_workspace_slug"),
)


def _revision_table(name: str, parent: str) -> sa.Table:
    """The revision log of a kind of document: one row per applied operation envelope."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            f"{parent}_id",
            sa.Integer,
            sa.ForeignKey(f"{parent}s.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("envelope_id", sa.String(100), nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "author_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("operations", sa.Text, nullable=False),  # JSON array, operation_to_json
        sa.Column("inverse", sa.Text, nullable=False),  # JSON array: undoes them, in order
        sa.Column("parent_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint(f"{parent}_id", "envelope_id", name=f"uq_{name}_envelope"),
        sa.UniqueConstraint(f"{parent}_id", "version", name=f"uq_{name}_version"),
        sa.CheckConstraint("version = base_version + 1", name="step"),
    )


def _snapshot_table(name: str, parent: str) -> sa.Table:
    """Whole states at some versions, so that an old version is rebuilt with few replays."""
    return sa.Table(
        name,
        metadata,
        sa.Column(
            f"{parent}_id",
            sa.Integer,
            sa.ForeignKey(f"{parent}s.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
    )


journey_revisions = _revision_table("journey_revisions", "journey")
journey_snapshots = _snapshot_table("journey_snapshots", "journey")
workspace_revisions = _revision_table("workspace_revisions", "workspace")
workspace_snapshots = _snapshot_table("workspace_snapshots", "workspace")

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "journey_id", sa.Integer, sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("target", sa.String(16), nullable=False),
    sa.Column("step", sa.String(80), nullable=True),
    sa.Column("lane", sa.String(80), nullable=True),
    sa.Column(
        "author_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("updated_at", Time, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("resolved", sa.Boolean, nullable=False, default=False),
    sa.CheckConstraint("target IN ('journey', 'step', 'lane', 'cell')", name="target"),
    sa.Index("ix_comments_journey_id", "journey_id"),
)

share_links = sa.Table(
    "share_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "workspace_id",
        sa.Integer,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "journey_id", sa.Integer, sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Column(
        "created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("created_at", Time, nullable=False),
    sa.Column("revoked_at", Time, nullable=True),
    sa.Index("ix_share_links_workspace_id", "workspace_id"),
)

#: Recent sign-in attempts, one row per key counted (the email, the client address), so that
#: every server process sees the same counts. An attempt is a failure until it succeeds; rows
#: older than the window are deleted as new attempts come. Keys are digests: no address or
#: typed email is kept. Not dumped (a restored database starts with no attempts).
sign_in_attempts = sa.Table(
    "sign_in_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("attempt", sa.String(32), nullable=False),
    sa.Column("at", Time, nullable=False),
    sa.Index("ix_sign_in_attempts_key_at", "key", "at"),
    sa.Index("ix_sign_in_attempts_at", "at"),
)

#: Tables in an order where each one's references come before it (dump and restore).
ORDER = (
    users,
    sessions,
    api_tokens,
    workspaces,
    members,
    journeys,
    journey_revisions,
    journey_snapshots,
    workspace_revisions,
    workspace_snapshots,
    comments,
    share_links,
)
