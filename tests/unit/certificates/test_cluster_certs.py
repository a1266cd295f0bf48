import os
import types
import uuid

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
import pytest

from magnum.certificates.backends import local
from magnum.certificates.backends import x509keypair
from magnum.certificates import cluster_certs
from magnum.certificates import x509
from magnum.common import exception
from tests.unit.certificates import conftest


def make_cluster(name='k8s-prod', **refs):
    values = dict.fromkeys(cluster_certs.REF_FIELDS)
    values.update(refs)
    return types.SimpleNamespace(uuid=str(uuid.uuid4()), name=name, **values)


@pytest.fixture
def fast_keys(config):
    config.config(group='x509', rsa_key_size=2048, term_of_validity=30)


@pytest.fixture
def manager(tmp_path, fernet_key, fast_keys):
    return local.LocalCertManager(str(tmp_path / 'certs'))


@pytest.fixture
def cluster(manager, ctx):
    cluster = make_cluster()
    refs = cluster_certs.generate_cluster_certificates(ctx, cluster, manager)
    vars(cluster).update(refs.as_dict())
    return cluster


def load(pem):
    return cx509.load_pem_x509_certificate(pem)


def cn(cert):
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def test_generates_three_cas_and_a_client_cert(cluster, manager, ctx):
    refs = [getattr(cluster, f) for f in cluster_certs.REF_FIELDS]
    assert len(set(refs)) == 4
    cas = {f: manager.get_cert(ctx, getattr(cluster, f))
           for f in ('ca_cert_ref', 'etcd_ca_cert_ref',
                     'front_proxy_ca_cert_ref')}
    keys = set()
    for stored in cas.values():
        cert = load(stored.certificate)
        assert cn(cert) == 'k8s-prod'
        assert cert.extensions.get_extension_for_class(
            cx509.BasicConstraints).value.ca
        cert.verify_directly_issued_by(cert)
        key = serialization.load_pem_private_key(
            stored.private_key, stored.private_key_passphrase)
        assert key.public_key() == cert.public_key()
        keys.add(key.public_key().public_numbers().n)
    assert len(keys) == 3  # three independent CAs

    client = manager.get_cert(ctx, cluster.magnum_cert_ref)
    client_cert = load(client.certificate)
    assert client_cert.subject.rfc4514_string() == 'O=system:masters,CN=admin'
    client_cert.verify_directly_issued_by(load(cas['ca_cert_ref'].certificate))
    key = serialization.load_pem_private_key(
        client.private_key, client.private_key_passphrase)
    assert key.public_key() == client_cert.public_key()


def test_settings_come_from_x509_options(manager, ctx, config):
    config.config(group='x509', rsa_key_size=3072, term_of_validity=10)
    cluster = make_cluster()
    refs = cluster_certs.generate_cluster_certificates(ctx, cluster, manager)
    cert = load(manager.get_cert(ctx, refs.ca_cert_ref).certificate)
    assert cert.public_key().key_size == 3072
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 11


def test_name_falls_back_to_uuid_and_is_capped(manager, ctx):
    nameless = make_cluster(name=None)
    refs = cluster_certs.generate_cluster_certificates(ctx, nameless, manager)
    assert cn(load(manager.get_cert(ctx, refs.ca_cert_ref).certificate)) == \
        nameless.uuid
    long_name = make_cluster(name='n' * 100)
    refs = cluster_certs.generate_cluster_certificates(ctx, long_name,
                                                       manager)
    assert cn(load(manager.get_cert(ctx, refs.ca_cert_ref).certificate)) == \
        'n' * 64


@pytest.mark.parametrize('ca_cert_type,field', [
    (None, 'ca_cert_ref'), ('kubernetes', 'ca_cert_ref'),
    ('etcd', 'etcd_ca_cert_ref'), ('front_proxy', 'front_proxy_ca_cert_ref'),
    ('front-proxy', 'front_proxy_ca_cert_ref'),
])
def test_get_ca_selects_by_type(cluster, manager, ctx, ca_cert_type, field):
    pem = cluster_certs.get_ca(ctx, cluster, ca_cert_type, manager=manager)
    assert isinstance(pem, str) and not pem.endswith('\n')
    assert pem.encode() == manager.get_cert(
        ctx, getattr(cluster, field)).certificate


def test_clusters_without_etcd_ca_fall_back_to_the_cluster_ca(
        cluster, manager, ctx):
    cluster.etcd_ca_cert_ref = None
    assert cluster_certs.get_ca(ctx, cluster, 'etcd', manager=manager) == \
        cluster_certs.get_ca(ctx, cluster, manager=manager)


@pytest.mark.parametrize('ca_cert_type', [None, 'etcd', 'front-proxy'])
def test_sign_uses_the_selected_ca(cluster, manager, ctx, ca_cert_type):
    csr, _ = x509.generate_csr('admin', b'pw', organization='system:masters')
    pem = cluster_certs.sign(ctx, cluster, csr.decode(), ca_cert_type,
                             manager=manager)
    ca = load(cluster_certs.get_ca(ctx, cluster, ca_cert_type,
                                   manager=manager).encode())
    load(pem.encode()).verify_directly_issued_by(ca)


def test_sign_applies_x509_policy(cluster, manager, ctx, config):
    config.config(group='x509', allowed_extensions=['keyUsage'])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = (cx509.CertificateSigningRequestBuilder()
           .subject_name(cx509.Name([cx509.NameAttribute(
               NameOID.COMMON_NAME, 'u')]))
           .add_extension(cx509.SubjectAlternativeName(
               [cx509.DNSName('x.test')]), critical=True)
           .sign(key, hashes.SHA256())
           .public_bytes(serialization.Encoding.PEM))
    with pytest.raises(exception.CertificateValidationError):
        cluster_certs.sign(ctx, cluster, csr, manager=manager)


def test_sign_rejects_garbage(cluster, manager, ctx):
    with pytest.raises(exception.InvalidCsr):
        cluster_certs.sign(ctx, cluster, 'garbage', manager=manager)


def test_delete_removes_all_four(cluster, manager, ctx):
    cluster_certs.delete_cluster_certificates(ctx, cluster, manager=manager)
    for field in cluster_certs.REF_FIELDS:
        with pytest.raises(exception.ResourceNotFound):
            manager.get_cert(ctx, getattr(cluster, field))
    assert os.listdir(manager.storage_path) == []


def test_delete_skips_missing_and_unset_refs(cluster, manager, ctx):
    manager.delete_cert(ctx, cluster.etcd_ca_cert_ref)
    cluster.front_proxy_ca_cert_ref = None
    cluster_certs.delete_cluster_certificates(ctx, cluster, manager=manager)
    with pytest.raises(exception.ResourceNotFound):
        manager.get_cert(ctx, cluster.magnum_cert_ref)


class FlakyManager(local.LocalCertManager):
    """Fails the n-th store or one named delete, like a backend outage."""

    def __init__(self, path, fail_store_at=None, fail_delete=None):
        super().__init__(path)
        self.stores = 0
        self.fail_store_at = fail_store_at
        self.fail_delete = fail_delete

    def store_cert(self, context, *args, **kwargs):
        self.stores += 1
        if self.stores == self.fail_store_at:
            raise OSError('disk full')
        return super().store_cert(context, *args, **kwargs)

    def delete_cert(self, context, ref):
        if ref == self.fail_delete:
            raise OSError('backend down')
        return super().delete_cert(context, ref)


def test_failed_generation_leaves_nothing_behind(tmp_path, ctx, fernet_key,
                                                 fast_keys):
    path = tmp_path / 'certs'
    manager = FlakyManager(str(path), fail_store_at=4)
    cluster = make_cluster()
    with pytest.raises(exception.CertificatesToClusterFailed) as err:
        cluster_certs.generate_cluster_certificates(ctx, cluster, manager)
    assert cluster.uuid in str(err.value)
    assert isinstance(err.value.__cause__, OSError)
    assert manager.stores == 4
    assert list(path.iterdir()) == []


def test_failed_delete_still_deletes_the_others(cluster, manager, ctx):
    flaky = FlakyManager(manager.storage_path,
                         fail_delete=cluster.ca_cert_ref)
    with pytest.raises(OSError):
        cluster_certs.delete_cluster_certificates(ctx, cluster,
                                                  manager=flaky)
    assert manager.get_cert(ctx, cluster.ca_cert_ref).certificate
    for field in ('etcd_ca_cert_ref', 'front_proxy_ca_cert_ref',
                  'magnum_cert_ref'):
        with pytest.raises(exception.ResourceNotFound):
            manager.get_cert(ctx, getattr(cluster, field))


def test_configured_backend_is_used(entry_points, config, ctx, fast_keys,
                                    fernet_key, tmp_path):
    config.config(group='certificates', cert_manager_type='x509keypair')
    with conftest.database('sqlite', tmp_path):
        cluster_certs._managers.clear()
        manager = cluster_certs.cert_manager()
        assert isinstance(manager, x509keypair.X509KeyPairCertManager)
        assert cluster_certs.cert_manager() is manager
        cluster = make_cluster()
        vars(cluster).update(cluster_certs.generate_cluster_certificates(
            ctx, cluster).as_dict())
        assert cn(load(cluster_certs.get_ca(ctx, cluster).encode())) == \
            'k8s-prod'
        cluster_certs.delete_cluster_certificates(ctx, cluster)
        with pytest.raises(exception.X509KeyPairNotFound):
            manager.get_cert(ctx, cluster.ca_cert_ref)
    cluster_certs._managers.clear()
