import pytest

from magnum.db import api as db_api
from tests.fixtures import databases


@pytest.fixture(params=databases.BACKENDS + ('mysql+pymysql',))
def empty_database(request, tmp_path):
    """An empty throwaway database on SQLite, MariaDB (through both
    drivers) and PostgreSQL, with the engine facade pointed at it. Only
    migrations build a schema here."""
    db = databases.ThrowawayDatabase(request.param, tmp_path)
    db_api.reset_for_tests(db.url)
    yield db
    db_api.get_engine().dispose()
    db.drop()


@pytest.fixture
def sqlite_database(tmp_path):
    """The same, on SQLite only, for what does not depend on the dialect."""
    db = databases.ThrowawayDatabase('sqlite', tmp_path)
    db_api.reset_for_tests(db.url)
    yield db
    db_api.get_engine().dispose()
