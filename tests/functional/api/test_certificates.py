"""/v1/certificates through the real pipeline, with the conductor side
served over real RabbitMQ by an RPC server on the test's own topic that
signs with magnum.certificates against CAs stored in the real database."""
import base64
import datetime
import subprocess
import types

from cryptography import exceptions as crypto_exc
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
import oslo_messaging
from oslo_utils import uuidutils
import pytest

from magnum.certificates import cluster_certs
from magnum.certificates import encryption
from magnum.common import context
from magnum.common import exception
from magnum.common import rpc
from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import models

FERNET_KEY = encryption.generate_key()
ADMIN = dict(project='admin-project', user='admin-user', roles='admin')


# -- the conductor side -------------------------------------------------------
class Conductor:
    """The conductor's certificate and credential endpoints: real work with
    magnum.certificates.cluster_certs, under the caller's context as
    magnum.conductor.certificates does."""
    target = oslo_messaging.Target(version='1.0')

    def __init__(self):
        self.ctx = context.make_admin_context()
        self.rotated_credentials = []

    def _cluster(self, uuid):
        with db_api.session_for_read(self.ctx) as session:
            row = session.query(models.Cluster).filter_by(uuid=uuid).one()
            return types.SimpleNamespace(**row.as_dict())

    @oslo_messaging.expected_exceptions(exception.MagnumException)
    def get_ca_certificate(self, ctxt, cluster_uuid, ca_cert_type=None):
        return cluster_certs.get_ca(ctxt, self._cluster(cluster_uuid),
                                    ca_cert_type)

    @oslo_messaging.expected_exceptions(exception.MagnumException)
    def sign_certificate(self, ctxt, cluster_uuid, csr, ca_cert_type=None):
        return cluster_certs.sign(ctxt, self._cluster(cluster_uuid), csr,
                                  ca_cert_type)

    @oslo_messaging.expected_exceptions(exception.MagnumException)
    def rotate_ca_certificate(self, ctxt, cluster_uuid):
        old = self._cluster(cluster_uuid)
        _store_refs(cluster_uuid, cluster_certs.generate_cluster_certificates(
            ctxt, old))
        cluster_certs.delete_cluster_certificates(ctxt, old)

    @oslo_messaging.expected_exceptions(exception.MagnumException)
    def credential_rotate(self, ctxt, cluster_uuid):
        self.rotated_credentials.append((cluster_uuid, ctxt.project_id))


@pytest.fixture
def conductor(conf, database):
    conf.set_override('encryption_keys', [FERNET_KEY], group='certificates')
    endpoint = Conductor()
    server = rpc.get_server(oslo_messaging.Target(
        topic=CONF.conductor.topic, server='test'), [endpoint])
    server.start()
    yield endpoint
    server.stop()
    server.wait()


# -- seeded rows --------------------------------------------------------------
def _store_refs(cluster_uuid, refs):
    ctx = context.make_admin_context()
    with db_api.session_for_write(ctx) as session:
        session.query(models.Cluster).filter_by(uuid=cluster_uuid).update(
            refs.as_dict())


def seed_cluster(name='c1', project='project-1', user='user-1',
                 tls_disabled=False, node_counts=(('master', 1),
                                                  ('worker', 3)),
                 certificates=True):
    """A CREATE_COMPLETE cluster with its template and nodegroups, written
    straight to the database (with its CAs when ``certificates``)."""
    ctx = context.make_admin_context()
    template = models.ClusterTemplate(
        uuid=uuidutils.generate_uuid(), name='tpl-' + name,
        project_id=project, user_id=user, coe='kubernetes',
        image_id='fedora-coreos', tls_disabled=tls_disabled)
    cluster = models.Cluster(
        uuid=uuidutils.generate_uuid(), name=name, project_id=project,
        user_id=user, cluster_template_id=template.uuid,
        status='CREATE_COMPLETE')
    with db_api.session_for_write(ctx) as session:
        session.add_all([template, cluster] + [
            models.NodeGroup(uuid=uuidutils.generate_uuid(),
                             name='%s-%d' % (role, i), cluster_id=cluster.uuid,
                             project_id=project, role=role, node_count=count,
                             is_default=i < 2)
            for i, (role, count) in enumerate(node_counts)])
    if certificates:
        # As the conductor does at create: stored for the creator.
        owner = context.RequestContext(project_id=project, user_id=user)
        _store_refs(cluster.uuid, cluster_certs.generate_cluster_certificates(
            owner, cluster))
    return cluster.uuid


# -- helpers ----------------------------------------------------------------
def error(resp):
    (err,) = resp.json['errors']
    assert err['status'] == resp.status_int
    assert 'Traceback' not in err['detail']
    return err


def make_csr(key=None, common_name='alice', extensions=()):
    key = key or rsa.generate_private_key(public_exponent=65537,
                                          key_size=2048)
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                   x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                      'system:masters')]))
    for ext, critical in extensions:
        builder = builder.add_extension(ext, critical=critical)
    csr = builder.sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope='module')
def csr():
    return make_csr()


def issued_by(cert_pem, ca_pem):
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    ca = x509.load_pem_x509_certificate(ca_pem.encode())
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, crypto_exc.InvalidSignature):
        return False
    return True


# -- tests ------------------------------------------------------------------
def test_ca_show_selects_each_ca(api, conductor):
    uuid = seed_cluster()
    url = '/v1/certificates/%s' % uuid
    shown = api.get(url).json
    assert set(shown) == {'cluster_uuid', 'pem', 'links'}
    assert shown['cluster_uuid'] == uuid
    assert shown['links'][0]['href'].endswith('/v1/certificates/' + uuid)
    main = x509.load_pem_x509_certificate(shown['pem'].encode())
    assert main.subject.rfc4514_string() == 'CN=c1'
    etcd = api.get(url + '?ca_cert_type=etcd').json['pem']
    proxy = api.get(url + '?ca_cert_type=front_proxy').json['pem']
    assert len({shown['pem'], etcd, proxy}) == 3
    assert api.get(url + '?ca_cert_type=front-proxy').json['pem'] == proxy
    assert api.get(url + '?ca_cert_type=other').json['pem'] == shown['pem']
    assert api.get('/v1/certificates/c1').json['pem'] == shown['pem']


def test_sign_returns_a_certificate_issued_by_the_ca(api, conductor, csr):
    uuid = seed_cluster()
    resp = api.post_json('/v1/certificates',
                         {'cluster_uuid': 'c1', 'csr': csr})
    assert resp.status_int == 201
    body = resp.json
    assert set(body) == {'cluster_uuid', 'csr', 'pem', 'links'}
    assert body['cluster_uuid'] == uuid and body['csr'] == csr
    ca = api.get('/v1/certificates/%s' % uuid).json['pem']
    assert issued_by(body['pem'], ca)
    cert = x509.load_pem_x509_certificate(body['pem'].encode())
    assert cert.subject.rfc4514_string() == 'O=system:masters,CN=alice'
    etcd = api.get('/v1/certificates/%s?ca_cert_type=etcd' % uuid).json
    signed = api.post_json('/v1/certificates', {
        'cluster_uuid': uuid, 'csr': csr, 'ca_cert_type': 'etcd'}).json
    assert issued_by(signed['pem'], etcd['pem'])
    assert not issued_by(signed['pem'], ca)


def _tampered(csr):
    lines = csr.splitlines()
    body = bytearray(base64.b64decode(''.join(lines[1:-1])))
    body[-5] ^= 0xFF      # inside the signature
    encoded = base64.b64encode(bytes(body)).decode()
    return '\n'.join([lines[0]] + [encoded[i:i + 64] for i in
                                   range(0, len(encoded), 64)] + [lines[-1]])


def _self_signed_certificate():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'x')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


HOSTILE_CSRS = [
    ('garbage', lambda csr: 'not a csr', 'Received invalid csr'),
    ('empty', lambda csr: '', 'minimum character requirement of 1'),
    ('blank', lambda csr: '   \n', 'Received invalid csr'),
    ('number', lambda csr: 42, 'Invalid input for field/attribute csr'),
    ('list', lambda csr: [csr], 'Invalid input for field/attribute csr'),
    ('object', lambda csr: {'pem': csr},
     'Invalid input for field/attribute csr'),
    ('null', lambda csr: None, 'Mandatory field missing'),
    ('truncated', lambda csr: csr[:len(csr) // 2], 'Received invalid csr'),
    ('bad base64', lambda csr: csr.replace(csr.splitlines()[3], '!!!!'),
     'Received invalid csr'),
    ('tampered signature', _tampered, 'Received invalid csr'),
    ('certificate, not a csr', lambda csr: _self_signed_certificate(),
     'Received invalid csr'),
    ('non-ascii', lambda csr: csr.replace('A', '\u00c4', 1),
     'Received invalid csr'),
    ('nul bytes', lambda csr: csr.replace('\n', '\x00', 1),
     'Received invalid csr'),
    ('weak rsa key', lambda csr: make_csr(rsa.generate_private_key(
        public_exponent=65537, key_size=1024)), 'Received invalid csr'),
    ('unsupported curve', lambda csr: make_csr(ec.generate_private_key(
        ec.SECP192R1())), 'Received invalid csr'),
    ('critical extension not allowed', lambda csr: make_csr(extensions=[(
        x509.NameConstraints(permitted_subtrees=[x509.DNSName('a.example')],
                             excluded_subtrees=None), True)]),
     "Extension 'nameConstraints' not allowed"),
    ('critical CA request', lambda csr: make_csr(extensions=[(
        x509.BasicConstraints(ca=True, path_length=None), True)]),
     "Extension 'basicConstraints' not allowed"),
    ('oversized', lambda csr: csr * 100,
     'maximum character requirement of 65536'),
]


@pytest.mark.parametrize('name, mangle, detail', HOSTILE_CSRS,
                         ids=[case[0] for case in HOSTILE_CSRS])
def test_hostile_csrs_are_400(api, conductor, csr, name, mangle, detail):
    seed_cluster()
    resp = api.post_json('/v1/certificates',
                         {'cluster_uuid': 'c1', 'csr': mangle(csr)},
                         expect_errors=True)
    assert resp.status_int == 400, resp.body
    err = error(resp)
    assert err['code'] == 'client'
    assert detail in err['detail']


@pytest.mark.parametrize('body, detail', [
    ({'csr': 'x'}, 'Invalid input for field/attribute cluster_uuid'),
    ({'cluster_uuid': 'nope', 'csr': 'x'}, 'Cluster nope could not be found.'),
    ({'cluster_uuid': 'c1', 'csr': 'x', 'pem': 'x'},
     'Cannot set read only field.'),
    ({'cluster_uuid': 'c1', 'csr': 'x', 'extra': 1},
     'Unknown attribute for argument certificate: extra'),
    (['c1'], 'Value not a valid dict'),
])
def test_sign_body_errors(api, conductor, body, detail):
    seed_cluster(certificates=False)
    resp = api.post_json('/v1/certificates', body, expect_errors=True)
    assert resp.status_int == 400
    assert detail in error(resp)['detail']
    resp = api.post('/v1/certificates', '{bad', expect_errors=True,
                    content_type='application/json')
    assert error(resp)['detail'] == 'Request is not in valid JSON format'


def test_unknown_cluster_and_argument(api, conductor):
    resp = api.get('/v1/certificates/nope', expect_errors=True)
    assert resp.status_int == 404
    assert error(resp)['detail'] == 'Cluster nope could not be found.'
    seed_cluster(certificates=False)
    resp = api.get('/v1/certificates/c1?cert_type=etcd', expect_errors=True)
    assert resp.status_int == 400
    assert error(resp)['detail'] == 'Unknown argument: cert_type'


def test_access_across_projects_and_users(api, conductor, csr):
    uuid = seed_cluster()
    url = '/v1/certificates/%s' % uuid
    body = {'cluster_uuid': uuid, 'csr': csr}
    ca = api.get(url).json['pem']

    stranger = api.as_(project='project-2')
    assert stranger.get(url, expect_errors=True).status_int == 404
    resp = stranger.post_json('/v1/certificates', body, expect_errors=True)
    assert resp.status_int == 400
    assert error(resp)['detail'] == 'Cluster %s could not be found.' % uuid
    assert stranger.patch(url, expect_errors=True).status_int == 404

    # Same project, another user: reading the CA and signing are for the
    # cluster's creator; rotating is for any member.
    colleague = api.as_(user='user-2')
    for resp in (colleague.get(url, expect_errors=True),
                 colleague.post_json('/v1/certificates', body,
                                     expect_errors=True)):
        assert resp.status_int == 403
        assert 'certificate:' in error(resp)['detail']
    reader = api.as_(roles='reader')
    assert reader.get(url).json['pem'] == ca
    assert reader.patch(url, expect_errors=True).status_int == 403
    assert api.get(url).json['pem'] == ca

    admin = api.as_(**ADMIN)
    assert admin.get(url).json['pem'] == ca
    signed = admin.post_json('/v1/certificates', body).json['pem']
    assert issued_by(signed, ca)
    assert admin.patch(url).json == {'uuid': uuid}
    assert admin.get(url).json['pem'] != ca


def test_owner_reads_the_ca_an_admin_rotated(api, conductor):
    # x509keypair rows are project-scoped: the new CAs must stay the
    # owner's, not become the rotating admin's.
    uuid = seed_cluster()
    url = '/v1/certificates/%s' % uuid
    old = api.get(url).json['pem']
    api.as_(**ADMIN).patch(url)
    resp = api.get(url, expect_errors=True)
    assert resp.status_int == 200
    assert resp.json['pem'] != old


def test_rotate_replaces_the_cas(api, conductor, csr):
    uuid = seed_cluster()
    url = '/v1/certificates/%s' % uuid
    before = {t: api.get(url + '?ca_cert_type=' + t).json['pem']
              for t in ('', 'etcd', 'front_proxy')}
    old_cert = api.post_json('/v1/certificates',
                             {'cluster_uuid': uuid, 'csr': csr}).json['pem']
    # What python-magnumclient sends: no body, octet-stream.
    resp = api.patch('/v1/certificates/c1', b'',
                     content_type='application/octet-stream')
    assert resp.status_int == 202
    assert resp.json == {'uuid': uuid}
    after = {t: api.get(url + '?ca_cert_type=' + t).json['pem']
             for t in before}
    assert all(after[t] != before[t] for t in before)
    assert not issued_by(old_cert, after[''])
    new_cert = api.post_json('/v1/certificates',
                             {'cluster_uuid': uuid, 'csr': csr}).json['pem']
    assert issued_by(new_cert, after[''])


def test_rotate_refused_without_tls(api, conductor):
    uuid = seed_cluster(tls_disabled=True)
    ca = api.get('/v1/certificates/%s' % uuid).json['pem']
    resp = api.patch('/v1/certificates/%s' % uuid, expect_errors=True)
    assert resp.status_int == 400
    assert error(resp)['detail'] == ('Rotating the CA certificate on a '
                                     'non-TLS cluster is not supported')
    assert api.get('/v1/certificates/%s' % uuid).json['pem'] == ca


def test_cli_ca_show_sign_rotate(cli, api, conductor, tmp_path):
    uuid = seed_cluster()
    ca = cli.run('ca', 'show', uuid).stdout.strip()
    assert ca.startswith('-----BEGIN CERTIFICATE-----')
    key, csr_file = tmp_path / 'client.key', tmp_path / 'client.csr'
    subprocess.run(['openssl', 'req', '-new', '-newkey', 'rsa:2048',
                    '-nodes', '-keyout', str(key), '-out', str(csr_file),
                    '-subj', '/CN=admin/O=system:masters'],
                   check=True, capture_output=True)
    signed = cli.run('ca', 'sign', 'c1', str(csr_file)).stdout.strip()
    assert issued_by(signed, ca)
    cli.run('ca', 'rotate', 'c1')
    assert api.get('/v1/certificates/%s' % uuid).json['pem'] != ca
