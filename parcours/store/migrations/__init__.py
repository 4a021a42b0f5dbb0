"""Alembic migrations of the server database, run by :func:`parcours.store.database.migrate`."""
