"""Fixtures for the certificate tests: config, real databases, a helper
CA, and the backends' entry points."""
import configparser
import contextlib
import importlib
import importlib.metadata
import os
import sys

from oslo_config import fixture as cfg_fixture
import pytest

from magnum.certificates import backends
from magnum.certificates import encryption
from magnum.certificates import x509
from magnum.common import context as magnum_context
from magnum import conf as magnum_conf
from magnum.db import api as db_api
from magnum.db import models
from tests.fixtures import databases

CONF = magnum_conf.CONF
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


@pytest.fixture
def config():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    yield fixture
    fixture.cleanUp()


@pytest.fixture
def fernet_key(config):
    key = encryption.generate_key()
    config.config(group='certificates', encryption_keys=[key])
    return key


@pytest.fixture
def ctx():
    return magnum_context.RequestContext(project_id='project-a',
                                         user_id='user-a')


@pytest.fixture(scope='session')
def ca():
    """One CA for the whole session (RSA key generation is slow)."""
    passphrase = b'ca-passphrase'
    pair = x509.generate_ca('test-ca', passphrase, validity_days=30)
    return pair.certificate, pair.private_key, passphrase


@contextlib.contextmanager
def database(backend, tmp_path):
    """The facade bound to a fresh schema on a throwaway database."""
    db = databases.ThrowawayDatabase(backend, tmp_path)
    try:
        db_api.reset_for_tests(db.url)
        models.Base.metadata.create_all(db_api.get_engine())
        yield db_api.get_engine()
    finally:
        db_api.get_engine().dispose()
        db.drop()


@pytest.fixture(params=databases.BACKENDS)
def db_engine(request, tmp_path):
    with database(request.param, tmp_path) as engine:
        yield engine


def _declared_entry_points():
    """The group as setup.cfg declares it."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(REPO, 'setup.cfg'))
    return parser.get('options.entry_points', backends.NAMESPACE)


@pytest.fixture(scope='session')
def entry_points(tmp_path_factory):
    """Make sure stevedore sees the backends as an install would, from
    setup.cfg when the tree is not installed."""
    installed = importlib.metadata.entry_points(group=backends.NAMESPACE)
    if {'x509keypair', 'local', 'barbican'} <= set(installed.names):
        yield
        return
    root = tmp_path_factory.mktemp('entry_points')
    dist = root / 'magnum_cert_backends-0.dist-info'
    dist.mkdir()
    (dist / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: magnum-cert-backends\nVersion: 0\n')
    (dist / 'entry_points.txt').write_text(
        '[%s]\n%s\n' % (backends.NAMESPACE, _declared_entry_points()))
    sys.path.append(str(root))
    importlib.invalidate_caches()
    yield
    sys.path.remove(str(root))
