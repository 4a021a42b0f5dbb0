"""Accounts, sessions, API tokens, roles, share links and comments on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from parcours.errors import NotFound
from parcours.store import AlreadyExists, Store
from parcours.store.passwords import token_digest, verify_password


def test_users_passwords_and_disable(store: Store) -> None:
    user = store.users.add(" Alice@Example.org ", "correct horse", name="Alice")
    assert user.email == "alice@example.org" and not user.is_admin
    with pytest.raises(AlreadyExists, match=r"alice@example\.org"):
        store.users.add("ALICE@example.org", "another password")
    with pytest.raises(ValueError, match="at least 8"):
        store.users.add("bob@example.org", "short")
    with pytest.raises(ValueError, match="not an email address"):
        store.users.add("bob", "long enough")
    assert store.users.authenticate("alice@example.org", "correct horse") == user
    assert store.users.authenticate("alice@example.org", "wrong horse") is None
    assert store.users.authenticate("nobody@example.org", "correct horse") is None
    secret, _session = store.sessions.create(user.id)
    assert store.sessions.lookup(secret) is not None
    store.users.set_disabled(user.id, True)
    assert store.users.authenticate("alice@example.org", "correct horse") is None
    assert store.sessions.lookup(secret) is None


def test_password_hash_is_argon2id(store: Store) -> None:
    import sqlalchemy as sa

    from parcours.store.tables import users

    user = store.users.add("a@example.org", "correct horse")
    with store.engine.connect() as conn:
        stored = conn.execute(
            sa.select(users.c.password_hash).where(users.c.id == user.id)
        ).scalar()
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse")


def test_sessions_expire_and_are_revoked(store: Store) -> None:
    user = store.users.add("a@example.org", "correct horse")
    secret, session = store.sessions.create(user.id)
    found = store.sessions.lookup(secret)
    assert found is not None and found[0].id == session.id and found[1] == user
    assert len(session.csrf_token) >= 32
    assert store.sessions.lookup(secret + "x") is None
    assert store.sessions.revoke(secret)
    assert store.sessions.lookup(secret) is None
    old, _ = store.sessions.create(user.id, lifetime=dt.timedelta(seconds=-1))
    assert store.sessions.lookup(old) is None
    assert store.sessions.purge_expired() == 1


def test_secrets_are_stored_as_digests_only(store: Store) -> None:
    import sqlalchemy as sa

    from parcours.store import tables as t

    user = store.users.add("a@example.org", "correct horse")
    wid = store.workspaces.create("W", owner_id=user.id).id
    secrets = [
        store.sessions.create(user.id)[0],
        store.tokens.create(user.id, "ci")[0],
        store.shares.create(wid, created_by=user.id)[0],
    ]
    with store.engine.connect() as conn:
        stored = [
            conn.execute(sa.select(table.c.token_hash)).scalar()
            for table in (t.sessions, t.api_tokens, t.share_links)
        ]
    assert stored == [token_digest(s) for s in secrets]


def test_api_tokens_are_revoked_at_once(store: Store) -> None:
    user = store.users.add("a@example.org", None)
    secret, token = store.tokens.create(user.id, "ci")
    assert secret.startswith("pct_")
    found = store.tokens.lookup(secret)
    assert found is not None and found[1].id == user.id
    store.tokens.revoke(token.id)
    assert store.tokens.lookup(secret) is None
    assert store.tokens.list(user.id)[0].revoked_at is not None


def test_roles_and_workspaces_seen(store: Store) -> None:
    owner = store.users.add("o@example.org", None)
    viewer = store.users.add("v@example.org", None)
    admin = store.users.add("root@example.org", None, is_admin=True)
    mine = store.workspaces.create("Mine", owner_id=owner.id)
    other = store.workspaces.create("Other", owner_id=admin.id)
    assert store.workspaces.set_member(mine.id, viewer.id, "viewer").role == "viewer"
    assert [(w.slug, r) for w, r in store.workspaces.list_for(viewer.id)] == [("mine", "viewer")]
    assert [(w.slug, r) for w, r in store.workspaces.list_for(admin.id)] == [
        ("mine", None),
        ("other", "owner"),
    ]
    assert store.workspaces.role(other.id, viewer.id) is None
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        store.workspaces.set_member(mine.id, viewer.id, "boss")
    with pytest.raises(ValueError, match="last owner"):
        store.workspaces.set_member(mine.id, owner.id, "editor")
    with pytest.raises(ValueError, match="last owner"):
        store.workspaces.remove_member(mine.id, owner.id)
    store.workspaces.remove_member(mine.id, viewer.id)
    assert store.workspaces.list_for(viewer.id) == []
    with pytest.raises(AlreadyExists):
        store.workspaces.create("Mine again", slug="mine")


def test_share_links(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid = store.journeys.list(wid)[0].id
    secret, link = store.shares.create(wid, journey_id=jid, created_by=owner)
    assert store.shares.lookup(secret) == link
    other = store.workspaces.create("Other", owner_id=owner)
    with pytest.raises(NotFound):
        store.shares.create(other.id, journey_id=jid)
    store.shares.revoke(link.id)
    assert store.shares.lookup(secret) is None


def test_comments_on_targets(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid = store.journeys.list(wid)[0].id
    journey, _ = store.journeys.get(jid)
    step = journey.steps()[0].id
    made = [
        store.comments.add(jid, owner, "Sur la carte"),
        store.comments.add(jid, owner, "Sur l'étape", step=step),
        store.comments.add(jid, owner, "Sur la ligne", lane="emotions"),
        store.comments.add(jid, owner, "Sur la case", step=step, lane="emotions"),
    ]
    assert [c.target for c in made] == ["journey", "step", "lane", "cell"]
    assert store.comments.list(jid) == made
    assert made[0].author_id == owner and made[0].created_at.tzinfo is not None
    with pytest.raises(NotFound, match="no step with id 'nope'"):
        store.comments.add(jid, owner, "x", step="nope")
    with pytest.raises(ValueError, match="empty"):
        store.comments.add(jid, owner, "   ")
    assert store.comments.edit(made[0].id, resolved=True).resolved
    store.comments.delete(made[1].id)
    assert len(store.comments.list(jid)) == 3
