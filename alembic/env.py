"""Alembic environment: migrate on the connection magnum.db.migration
hands in, or on a new one to ``[database] connection``."""
from alembic import context

from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import models


def run_migrations(connection):
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        # SQLite cannot ALTER most things: autogenerate batch operations.
        render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit('Offline (--sql) migrations are not supported.')

connection = context.config.attributes.get('connection')
if connection is not None:
    run_migrations(connection)
else:
    db_api.configure(CONF)
    with db_api.get_engine().connect() as connection:
        run_migrations(connection)
