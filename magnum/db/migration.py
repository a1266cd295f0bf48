"""Schema migrations: alembic driven from code (there is no alembic.ini).

The scripts live in the top-level ``alembic/`` folder of the source tree.
An editable install finds them next to the package; a regular install
carries them as data files in ``<prefix>/share/magnum/alembic``.
"""
import pathlib
import sys

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from magnum.db import api as db_api


def script_location():
    candidates = (
        pathlib.Path(__file__).resolve().parents[2] / 'alembic',
        pathlib.Path(sys.prefix) / 'share' / 'magnum' / 'alembic',
    )
    for path in candidates:
        if (path / 'env.py').is_file() and (path / 'versions').is_dir():
            return path
    raise RuntimeError('Migration scripts not found in any of %s'
                       % ', '.join(map(str, candidates)))


def _config():
    config = alembic_config.Config()
    config.set_main_option('script_location', str(script_location()))
    return config


def _run(func, *args, **kwargs):
    """Run an alembic command on a connection of our engine; env.py takes
    it from ``config.attributes``."""
    config = _config()
    with db_api.get_engine().begin() as connection:
        config.attributes['connection'] = connection
        return func(config, *args, **kwargs)


def upgrade(revision='head'):
    _run(command.upgrade, revision or 'head')


def stamp(revision):
    _run(command.stamp, revision)


def revision(message=None, autogenerate=False):
    """Write a new revision file; with ``autogenerate`` its operations are
    the difference between the database and magnum/db/models.py."""
    if autogenerate:
        return _run(command.revision, message=message, autogenerate=True)
    return command.revision(_config(), message=message)


def version():
    """The revision the database is at, ``None`` when it has none."""
    with db_api.get_engine().connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def head():
    """The revision this code expects the database to be at."""
    return alembic_script.ScriptDirectory.from_config(
        _config()).get_current_head()
