import os
import stat

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
import pytest
import sqlalchemy as sa

from magnum.certificates import backends
from magnum.certificates.backends import barbican
from magnum.certificates.backends import base
from magnum.certificates.backends import local
from magnum.certificates.backends import x509keypair
from magnum.certificates import encryption
from magnum.common import context as magnum_context
from magnum.common import exception
from tests.unit.certificates import conftest
from tests.unit.certificates import fake_barbican

CERT = b'-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----'
KEY = (b'-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIkey\n'
       b'-----END ENCRYPTED PRIVATE KEY-----\n')
INTERMEDIATES = (b'-----BEGIN CERTIFICATE-----\nMIIint\n'
                 b'-----END CERTIFICATE-----')
PASSPHRASE = b'correct-horse-battery-staple'

BACKENDS = ['x509keypair-sqlite', 'x509keypair-mysql',
            'x509keypair-postgresql', 'local', 'barbican']


@pytest.fixture
def barbican_server():
    server = fake_barbican.FakeBarbican().start()
    yield server
    server.stop()


def barbican_session(endpoint):
    return ks_session.Session(auth=token_endpoint.Token(
        endpoint=endpoint, token=fake_barbican.TOKEN))


@pytest.fixture
def barbican_manager(barbican_server):
    return barbican.BarbicanCertManager(barbican_session(barbican_server.url))


@pytest.fixture(params=BACKENDS)
def manager(request, tmp_path, fernet_key):
    kind = request.param
    if kind.startswith('x509keypair-'):
        with conftest.database(kind.split('-', 1)[1], tmp_path):
            yield x509keypair.X509KeyPairCertManager()
    elif kind == 'local':
        yield local.LocalCertManager(str(tmp_path / 'certs'))
    else:
        yield request.getfixturevalue('barbican_manager')


# -- every backend ------------------------------------------------------------

def test_round_trip_of_all_pieces(manager, ctx):
    ref = manager.store_cert(ctx, CERT, KEY, intermediates=INTERMEDIATES,
                             private_key_passphrase=PASSPHRASE, name='c1')
    assert isinstance(ref, str)
    cert = manager.get_cert(ctx, ref)
    assert cert == base.Cert(CERT, KEY, INTERMEDIATES, PASSPHRASE)


def test_optional_pieces_stay_absent_and_text_is_accepted(manager, ctx):
    ref = manager.store_cert(ctx, CERT.decode(), KEY.decode())
    cert = manager.get_cert(ctx, ref)
    assert (cert.certificate, cert.private_key) == (CERT, KEY)
    assert cert.intermediates is None
    assert cert.private_key_passphrase is None


def test_refs_are_distinct(manager, ctx):
    first = manager.store_cert(ctx, CERT, KEY)
    second = manager.store_cert(ctx, CERT + b'2', KEY)
    assert first != second
    assert manager.get_cert(ctx, second).certificate == CERT + b'2'


def test_delete_removes_and_missing_is_not_found(manager, ctx):
    keep = manager.store_cert(ctx, CERT, KEY)
    ref = manager.store_cert(ctx, CERT, KEY, private_key_passphrase=b'pw')
    manager.delete_cert(ctx, ref)
    with pytest.raises(exception.ResourceNotFound):
        manager.get_cert(ctx, ref)
    with pytest.raises(exception.ResourceNotFound):
        manager.delete_cert(ctx, ref)
    assert manager.get_cert(ctx, keep).certificate == CERT


def test_cert_repr_hides_the_key():
    cert = base.Cert(CERT, KEY, None, PASSPHRASE)
    assert b'MIIkey' not in repr(cert).encode()
    assert PASSPHRASE not in repr(cert).encode()


# -- x509keypair --------------------------------------------------------------

@pytest.fixture
def db(db_engine, fernet_key):
    return db_engine


def test_database_holds_no_plaintext_secret(db, ctx):
    ref = x509keypair.X509KeyPairCertManager().store_cert(
        ctx, CERT, KEY, private_key_passphrase=PASSPHRASE)
    with db.connect() as conn:
        rows = conn.execute(sa.text('SELECT * FROM x509keypair')).all()
    assert len(rows) == 1
    row = rows[0]._mapping
    assert row['uuid'] == ref
    assert row['certificate'] == CERT.decode()
    dump = ' '.join(str(value) for value in row.values())
    assert 'BEGIN' not in row['private_key']
    assert 'PRIVATE KEY' not in dump and 'MIIkey' not in dump
    assert PASSPHRASE.decode() not in dump
    assert (row['project_id'], row['user_id']) == ('project-a', 'user-a')


def test_lookups_are_scoped_to_the_project(db, ctx):
    manager = x509keypair.X509KeyPairCertManager()
    ref = manager.store_cert(ctx, CERT, KEY)
    stranger = magnum_context.RequestContext(project_id='project-b',
                                             user_id='user-b')
    with pytest.raises(exception.X509KeyPairNotFound):
        manager.get_cert(stranger, ref)
    with pytest.raises(exception.X509KeyPairNotFound):
        manager.delete_cert(stranger, ref)
    admin = magnum_context.make_admin_context()
    assert manager.get_cert(admin, ref).certificate == CERT
    manager.delete_cert(admin, ref)
    with pytest.raises(exception.X509KeyPairNotFound):
        manager.get_cert(ctx, ref)


def test_without_keys_nothing_is_stored(db, ctx, config):
    config.config(group='certificates', encryption_keys=[])
    with pytest.raises(exception.ConfigInvalid):
        x509keypair.X509KeyPairCertManager().store_cert(ctx, CERT, KEY)
    with db.connect() as conn:
        assert conn.execute(
            sa.text('SELECT COUNT(*) FROM x509keypair')).scalar() == 0


def test_key_rotation_keeps_old_rows_readable(db, ctx, config, fernet_key):
    ref = x509keypair.X509KeyPairCertManager().store_cert(ctx, CERT, KEY)
    config.config(group='certificates', encryption_keys=[
        encryption.generate_key(), fernet_key])
    assert x509keypair.X509KeyPairCertManager().get_cert(
        ctx, ref).private_key == KEY
    config.config(group='certificates',
                  encryption_keys=[encryption.generate_key()])
    with pytest.raises(exception.ConfigInvalid):
        x509keypair.X509KeyPairCertManager().get_cert(ctx, ref)


# -- local --------------------------------------------------------------------

def test_local_files_are_private_and_key_is_encrypted(tmp_path, ctx,
                                                      fernet_key):
    path = tmp_path / 'certs'
    ref = local.LocalCertManager(str(path)).store_cert(
        ctx, CERT, KEY, intermediates=INTERMEDIATES,
        private_key_passphrase=PASSPHRASE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    files = sorted(os.listdir(path))
    assert files == sorted(ref + s for s in ('.crt', '.key', '.int', '.pass'))
    for name in files:
        assert stat.S_IMODE(os.stat(path / name).st_mode) == 0o600
    assert (path / (ref + '.crt')).read_bytes() == CERT
    assert b'MIIkey' not in (path / (ref + '.key')).read_bytes()
    assert PASSPHRASE not in (path / (ref + '.pass')).read_bytes()


def test_local_storage_path_comes_from_config(tmp_path, ctx, config,
                                              fernet_key):
    config.config(group='certificates', storage_path=str(tmp_path / 'conf'))
    ref = local.LocalCertManager().store_cert(ctx, CERT, KEY)
    assert (tmp_path / 'conf' / (ref + '.crt')).read_bytes() == CERT


@pytest.mark.parametrize('ref', ['../../etc/passwd', '', 'x/../y'])
def test_local_refuses_refs_that_are_not_ours(tmp_path, ctx, fernet_key, ref):
    manager = local.LocalCertManager(str(tmp_path))
    with pytest.raises(exception.ResourceNotFound):
        manager.get_cert(ctx, ref)
    with pytest.raises(exception.ResourceNotFound):
        manager.delete_cert(ctx, ref)


# -- barbican -----------------------------------------------------------------

def test_barbican_layout(barbican_server, barbican_manager, ctx):
    ref = barbican_manager.store_cert(ctx, CERT, KEY,
                                      private_key_passphrase=PASSPHRASE,
                                      name='my-cluster')
    assert ref.startswith(barbican_server.url + '/v1/containers/')
    [container] = barbican_server.containers.values()
    assert container['type'] == 'certificate'
    assert container['name'] == 'my-cluster'
    slots = {s['name'] for s in container['secret_refs']}
    assert slots == {'certificate', 'private_key', 'private_key_passphrase'}
    names = {s['name'] for s in barbican_server.secrets.values()}
    assert names == {'Certificate', 'Private Key', 'Private Key Passphrase'}


def test_barbican_delete_removes_container_and_secrets(
        barbican_server, barbican_manager, ctx):
    ref = barbican_manager.store_cert(ctx, CERT, KEY,
                                      intermediates=INTERMEDIATES)
    barbican_manager.delete_cert(ctx, ref)
    assert barbican_server.containers == {}
    assert barbican_server.secrets == {}


def test_barbican_failed_store_leaves_no_secret(
        barbican_server, barbican_manager, ctx):
    barbican_server.fail_containers = True
    with pytest.raises(ks_exc.HttpError):
        barbican_manager.store_cert(ctx, CERT, KEY,
                                    private_key_passphrase=PASSPHRASE)
    assert barbican_server.secrets == {}


def test_barbican_only_talks_to_its_endpoint(
        barbican_server, barbican_manager, ctx):
    ref = barbican_manager.store_cert(ctx, CERT, KEY)
    elsewhere = ref.replace(barbican_server.url, 'http://127.0.0.2:9')
    assert barbican_manager.get_cert(ctx, elsewhere).certificate == CERT
    with pytest.raises(exception.ResourceNotFound):
        barbican_manager.get_cert(
            ctx, barbican_server.url + '/v1/containers/../x')


def test_barbican_endpoint_override_from_config(barbican_server, ctx, config):
    config.config(group='barbican_client',
                  endpoint_override=barbican_server.url)
    manager = barbican.BarbicanCertManager(
        barbican_session('http://127.0.0.2:9'))
    ref = manager.store_cert(ctx, CERT, KEY)
    assert manager.get_cert(ctx, ref).private_key == KEY


# -- loading by name ----------------------------------------------------------

@pytest.mark.parametrize('name,cls', [
    ('x509keypair', x509keypair.X509KeyPairCertManager),
    ('local', local.LocalCertManager),
    ('barbican', barbican.BarbicanCertManager),
])
def test_backends_load_by_entry_point_name(entry_points, name, cls):
    assert type(backends.load(name)) is cls


def test_unknown_backend_is_a_config_error(entry_points):
    with pytest.raises(exception.ConfigInvalid) as err:
        backends.load('tape-drive')
    assert 'tape-drive' in str(err.value)
