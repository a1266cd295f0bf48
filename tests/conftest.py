import uuid

import pytest

from magnum.common import policy
from magnum.common import rpc
from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import models
from tests.fixtures import api as api_fixtures
from tests.fixtures import databases

RABBIT_URL = 'rabbit://guest:guest@127.0.0.1:5672/'


@pytest.fixture(autouse=True)
def conf():
    """A fresh configuration for every test: noauth, RabbitMQ on loopback
    and a conductor topic of the test's own."""
    rpc.set_defaults()
    CONF([], project='magnum', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth')
    CONF.set_override('transport_url', RABBIT_URL)
    CONF.set_override('topic', 'magnum-test-%s' % uuid.uuid4().hex[:8],
                      group='conductor')
    policy.reset()
    yield CONF
    CONF.reset()
    CONF.clear_override('transport_url')
    policy.reset()
    rpc.cleanup()


def _database(backend, tmp_path):
    db = databases.ThrowawayDatabase(backend, tmp_path)
    db_api.reset_for_tests(db.url)
    models.Base.metadata.create_all(db_api.get_engine())
    return db


@pytest.fixture
def database(tmp_path):
    """A schema on SQLite (fast default for API tests)."""
    db = _database('sqlite', tmp_path)
    yield db
    db_api.get_engine().dispose()
    db.drop()


@pytest.fixture(params=databases.BACKENDS)
def any_database(request, tmp_path):
    """The same test on SQLite, MariaDB and PostgreSQL."""
    db = _database(request.param, tmp_path)
    yield db
    db_api.get_engine().dispose()
    db.drop()


@pytest.fixture
def api(database):
    """WebTest client as a project member at the latest microversion."""
    from magnum.api import app as api_app
    return api_fixtures.Client(api_app.build_app())


@pytest.fixture
def live_api(database):
    server = api_fixtures.LiveServer()
    yield server
    server.stop()


@pytest.fixture
def cli(live_api):
    return api_fixtures.CLI(live_api.url)
