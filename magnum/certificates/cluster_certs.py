"""The certificate operations the conductor performs for a cluster.

``cluster`` is any object with ``uuid``, ``name`` and the four ref
attributes (``ca_cert_ref``, ``etcd_ca_cert_ref``,
``front_proxy_ca_cert_ref``, ``magnum_cert_ref``), and usually the owner's
``project_id`` and ``user_id``. Signing policy and key sizes come from
``[x509]``; the backend from ``[certificates]``.

A cluster's certificates belong to its owner whoever asks: they are stored
and deleted as the cluster's project and user, so an admin of another
project rotating a CA does not take them over (backends that scope rows by
project, like x509keypair, would otherwise hide them from the owner).
"""
import copy
import dataclasses
import secrets

from oslo_config import cfg
from oslo_log import log as logging

from magnum.certificates import backends
from magnum.certificates import x509
from magnum.common import exception

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

CLIENT_CERT_NAME = 'Magnum-Conductor'
_CA_REFS = ('ca_cert_ref', 'etcd_ca_cert_ref', 'front_proxy_ca_cert_ref')
_CA_TYPES = {'etcd': 'etcd_ca_cert_ref',
             'front_proxy': 'front_proxy_ca_cert_ref',
             'front-proxy': 'front_proxy_ca_cert_ref'}
_managers = {}


@dataclasses.dataclass(frozen=True)
class ClusterCertRefs:
    """The refs to set on the cluster, under its attribute names."""
    ca_cert_ref: str
    etcd_ca_cert_ref: str
    front_proxy_ca_cert_ref: str
    magnum_cert_ref: str

    def as_dict(self):
        return dataclasses.asdict(self)


REF_FIELDS = tuple(f.name for f in dataclasses.fields(ClusterCertRefs))


def cert_manager():
    """The configured backend, one instance per process."""
    name = CONF.certificates.cert_manager_type
    if name not in _managers:
        _managers[name] = backends.load(name)
    return _managers[name]


def _passphrase():
    return secrets.token_urlsafe(24).encode('ascii')


def _as_owner(context, cluster):
    """``context`` acting as the cluster's project and user."""
    project_id = getattr(cluster, 'project_id', None)
    if not project_id:
        return context
    owner = copy.copy(context)
    owner.project_id = project_id
    owner.user_id = getattr(cluster, 'user_id', None)
    return owner


def _common_name(cluster):
    # X.509 caps a CN at 64 characters.
    return (cluster.name or cluster.uuid)[:64]


def generate_cluster_certificates(context, cluster, manager=None):
    """Create the cluster, etcd and front-proxy CAs and the conductor's
    client certificate (CN=admin, O=system:masters, signed by the cluster
    CA); store them and return their ``ClusterCertRefs``.

    Either all four are stored or none: on failure the ones already stored
    are removed and CertificatesToClusterFailed is raised.
    """
    manager = manager or cert_manager()
    context = _as_owner(context, cluster)
    name = _common_name(cluster)
    settings = dict(key_size=CONF.x509.rsa_key_size,
                    validity_days=CONF.x509.term_of_validity)
    refs = {}
    try:
        for field in _CA_REFS:
            passphrase = _passphrase()
            ca = x509.generate_ca(name, passphrase, **settings)
            refs[field] = manager.store_cert(
                context, ca.certificate, ca.private_key,
                private_key_passphrase=passphrase, name=name)
            if field == 'ca_cert_ref':
                cluster_ca, cluster_ca_passphrase = ca, passphrase
        passphrase = _passphrase()
        client = x509.generate_client_cert(
            cluster_ca.certificate, cluster_ca.private_key,
            cluster_ca_passphrase, passphrase, common_name='admin',
            organization='system:masters', **settings)
        refs['magnum_cert_ref'] = manager.store_cert(
            context, client.certificate, client.private_key,
            private_key_passphrase=passphrase, name=CLIENT_CERT_NAME)
    except Exception as err:
        LOG.error('Creating certificates for cluster %s failed: %s',
                  cluster.uuid, err)
        for ref in refs.values():
            _delete_quietly(context, manager, ref)
        raise exception.CertificatesToClusterFailed(
            cluster_uuid=cluster.uuid) from err
    return ClusterCertRefs(**refs)


def _ca_ref(cluster, ca_cert_type):
    # Clusters from before the etcd/front-proxy CAs only have the main CA.
    field = _CA_TYPES.get(ca_cert_type, 'ca_cert_ref')
    return getattr(cluster, field) or cluster.ca_cert_ref


def get_ca(context, cluster, ca_cert_type=None, manager=None):
    """PEM text of the CA selected by ``ca_cert_type`` (``etcd``,
    ``front_proxy``/``front-proxy``, anything else: the cluster CA)."""
    manager = manager or cert_manager()
    cert = manager.get_cert(context, _ca_ref(cluster, ca_cert_type))
    return cert.certificate.decode('ascii').rstrip('\n')


def ca_fingerprint(context, cluster, manager=None):
    """SHA-256 fingerprint (lowercase hex) of the cluster CA: how nodes
    recognise the CA a rotation announces."""
    return x509.fingerprint(get_ca(context, cluster, manager=manager))


def sign(context, cluster, csr, ca_cert_type=None, manager=None):
    """PEM text of ``csr`` signed by the selected CA under [x509] policy."""
    manager = manager or cert_manager()
    ca = manager.get_cert(context, _ca_ref(cluster, ca_cert_type))
    pem = x509.sign_csr(
        ca.certificate, ca.private_key, ca.private_key_passphrase, csr,
        allowed_extensions=CONF.x509.allowed_extensions,
        allowed_key_usage=CONF.x509.allowed_key_usage,
        allow_ca=CONF.x509.allow_ca,
        validity_days=CONF.x509.term_of_validity)
    return pem.decode('ascii')


def _delete_quietly(context, manager, ref):
    try:
        manager.delete_cert(context, ref)
    except Exception as err:
        LOG.warning('Could not delete certificate %s: %s', ref, err)


def delete_cluster_certificates(context, cluster, manager=None):
    """Delete all four certificates of the cluster.

    Refs that are unset or already gone are skipped. Every ref is attempted
    even if one fails; the first failure is then re-raised.
    """
    manager = manager or cert_manager()
    context = _as_owner(context, cluster)
    failures = []
    for field in REF_FIELDS:
        ref = getattr(cluster, field, None)
        if not ref:
            continue
        try:
            manager.delete_cert(context, ref)
        except exception.ResourceNotFound:
            pass
        except Exception as err:
            LOG.warning('Could not delete %s %s of cluster %s: %s',
                        field, ref, cluster.uuid, err)
            failures.append(err)
    if failures:
        raise failures[0]
