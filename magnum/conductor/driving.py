"""What a workflow needs to ask a driver something: the rows as typed views
(a ``ClusterSpec``), the driver for the cluster's template and a
``DriverContext``.

The driver registry is injectable (tests hand in a registry holding a test
driver); by default it is the process-wide stevedore registry of the
``magnum.drivers`` entry points.
"""
import dataclasses
import functools
import time

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_log import log as logging

from magnum.common import exception
from magnum.db import cluster_templates as template_db
from magnum.db import clusters as cluster_db
from magnum.db import nodegroups as nodegroup_db
from magnum.drivers import base
from magnum.drivers import loader
from magnum.drivers import views

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Target:
    """One cluster as read at the start of a step."""
    cluster: object           # Record of the cluster row
    template: object          # Record of its template row
    nodegroups: tuple         # Records of its nodegroup rows
    driver: base.Driver

    @property
    def spec(self):
        return spec_of(self.template, self.cluster, self.nodegroups)

    def nodegroup(self, uuid):
        for ng in self.nodegroups:
            if ng.uuid == uuid:
                return ng
        return None

    def default_nodegroup(self, role):
        for ng in self.nodegroups:
            if ng.is_default and ng.role == role:
                return ng
        return None


def spec_of(template, cluster, nodegroups, **cluster_overrides):
    return base.ClusterSpec(
        views.TemplateView.from_row(template),
        views.ClusterView.from_row(cluster, **cluster_overrides),
        tuple(views.NodeGroupView.from_row(ng) for ng in nodegroups))


class Drivers:
    """Finds drivers and builds their inputs.

    ``registry``: a loader.DriverRegistry (default: the installed entry
    points); ``orchestrators``: driver -> the client it drives (default:
    ``orchestrator_for``). Both are injectable for tests.
    """

    def __init__(self, registry=None, orchestrators=None):
        self._registry = registry
        self._orchestrators = orchestrators or orchestrator_for

    @property
    def registry(self):
        return self._registry or loader.registry()

    def for_template(self, template):
        return self.registry.get(template.server_type,
                                 template.cluster_distro, template.coe,
                                 getattr(template, 'driver', None))

    def load(self, context, cluster_uuid):
        """Read the cluster, its template and nodegroups; find its driver
        (ClusterTypeNotSupported & co. when none fits)."""
        cluster = cluster_db.get_by_uuid(context, cluster_uuid)
        template = template_db.get_by_uuid(context,
                                           cluster.cluster_template_id)
        nodegroups = tuple(nodegroup_db.for_clusters(context, [cluster_uuid]))
        return Target(cluster, template, nodegroups,
                      self.for_template(template))

    def context(self, request_context, driver, timeout_mins=None,
                **extra_values):
        values = dict(context_values(), **extra_values)
        return base.DriverContext(
            request_context=request_context,
            orchestrator=self._orchestrators(driver),
            values=values, timeout_mins=timeout_mins)

    def for_pass(self, wrap):
        """A Drivers sharing one orchestrator per driver for one reconcile
        pass, each passed through ``wrap`` (e.g. a status-first reader)."""
        shared = {}

        def orchestrators(driver):
            if driver.name not in shared:
                shared[driver.name] = wrap(self._orchestrators(driver))
            return shared[driver.name]

        return Drivers(self._registry, orchestrators)


# -- what only the conductor knows --------------------------------------------
def _read(path):
    if not path:
        return None
    try:
        with open(path) as f:
            return f.read()
    except OSError as err:
        LOG.warning('Cannot read %s: %s', path, err)
        return None


def context_values():
    """Values from configuration (and the service catalog) the renderers
    may use. Trust credentials (trust_id, trustee_*) are not produced here
    yet: that is the trust work's seam."""
    values = {
        'magnum_url': CONF.magnum_client.endpoint_override,
        'region_name': (CONF.heat_client.region_name
                        or CONF.magnum_client.region_name),
        'verify_ca': CONF.drivers.verify_ca,
        'openstack_ca': _read(CONF.drivers.openstack_ca_file),
        'nodes_affinity_policy': CONF.cluster.nodes_affinity_policy,
        'default_docker_volume_type':
            CONF.cinder.default_docker_volume_type or None,
        'default_etcd_volume_type':
            CONF.cinder.default_etcd_volume_type or None,
        'default_boot_volume_type':
            CONF.cinder.default_boot_volume_type or None,
        'default_boot_volume_size':
            CONF.cinder.default_boot_volume_size or None,
    }
    service = service_session()
    if service is not None:
        values['auth_url'] = _keystone_v3(CONF.keystone_auth.auth_url)
        if not values['magnum_url']:
            values['magnum_url'] = _catalog_magnum_url(service)
    return {k: v for k, v in values.items() if v is not None}


def _keystone_v3(url):
    if not url:
        return None
    url = url.rstrip('/')
    return url if url.endswith('/v3') else url + '/v3'


_service = {}


def service_session():
    """The ``[keystone_auth]`` service user's keystoneauth session, or None
    when no auth_type is configured. One per process."""
    if 'session' not in _service:
        auth = ks_loading.load_auth_from_conf_options(CONF, 'keystone_auth')
        _service['session'] = None if auth is None else \
            ks_loading.load_session_from_conf_options(
                CONF, 'keystone_auth', auth=auth)
    return _service['session']


def _catalog_magnum_url(session):
    """Magnum's public endpoint (what nodes call back), from the catalog."""
    url, expires = _service.get('magnum_url', (None, 0))
    if time.monotonic() < expires:
        return url
    try:
        url = session.get_endpoint(
            service_type='container-infra',
            interface=CONF.magnum_client.endpoint_type.replace('URL', ''),
            region_name=CONF.magnum_client.region_name)
    except Exception as err:
        LOG.warning('No container-infra endpoint in the catalog: %s', err)
        url = None
    url = url and url.rstrip('/')
    if url and not url.endswith('/v1'):
        url += '/v1'
    # Found: keep it; not found: ask again in a minute, not on every call.
    _service['magnum_url'] = (url, float('inf') if url else
                              time.monotonic() + 60)
    return url


def reset():
    """Forget the service session and catalog answers (config changed)."""
    _service.clear()


def service_account_keys():
    """A fresh RSA key pair for a new stack's Kubernetes service accounts."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        'kube_service_account_private_key': key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode('ascii'),
        'kube_service_account_key': key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode('ascii'),
    }


# -- orchestrators ------------------------------------------------------------
class _Lazy:
    """Builds the orchestrator on first use, so drivers that never touch it
    (and operations that do not need it) never authenticate."""

    def __init__(self, factory):
        self._factory = factory

    @functools.cached_property
    def _target(self):
        return self._factory()

    def __getattr__(self, name):
        return getattr(self._target, name)


def _heat_engine():
    from magnum.drivers.heat import engine
    session = service_session()
    if session is None:
        raise exception.ConfigInvalid(
            error_msg='[keystone_auth] has no auth_type: the conductor '
                      'cannot reach Heat')
    client = engine.make_client(
        session, region_name=CONF.heat_client.region_name,
        interface=CONF.heat_client.endpoint_type.replace('URL', ''),
        endpoint_override=CONF.heat_client.endpoint_override)
    return engine.HeatEngine(client)


def orchestrator_for(driver):
    """The client a driver drives: a HeatEngine for Heat drivers, None for
    the others.

    Heat is reached as the ``[keystone_auth]`` service user (stacks live in
    its project), so the reconcile loop can always observe a stack whatever
    happened to the user's token; per-cluster trusts are the trust work's
    seam.
    """
    from magnum.drivers.heat import driver as heat_driver
    if isinstance(driver, heat_driver.HeatDriver):
        return _Lazy(_heat_engine)
    return None
