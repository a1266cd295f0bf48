"""The contract every COE driver implements.

A driver declares what it provides, its version and its labels; the
conductor calls its lifecycle operations with a ``DriverContext`` (request
context, orchestration client, values only the conductor knows) and a
``ClusterSpec`` (frozen snapshots of the template, cluster and nodegroups).
Operations a driver cannot do raise ``errors.NotSupported``.
"""
import abc
import collections
import dataclasses
from typing import Any, Optional

from magnum.common import exception
from magnum.drivers import errors
from magnum.drivers import labels as labels_mod
from magnum.drivers import views

Provides = collections.namedtuple('Provides', 'server_type os coe')


@dataclasses.dataclass(frozen=True)
class DriverContext:
    """What an operation needs besides the cluster itself.

    ``values`` carries what only the conductor knows (magnum_url, auth_url,
    region_name, trust credentials, CA bundle, service-account keys...);
    ``orchestrator`` is the client the driver drives (a HeatEngine for Heat
    drivers); ``timeout_mins`` bounds a create or update.
    """
    request_context: Any = None
    orchestrator: Any = None
    values: dict = dataclasses.field(default_factory=dict)
    timeout_mins: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class ClusterSpec:
    template: views.TemplateView
    cluster: views.ClusterView
    nodegroups: tuple = ()

    def default(self, role):
        for ng in self.nodegroups:
            if ng.is_default and ng.role == role:
                return ng
        for ng in self.nodegroups:
            if ng.role == role:
                return ng
        return None

    @property
    def master(self):
        return self.default('master')

    @property
    def worker(self):
        return self.default('worker')

    def nodegroup(self, name_or_uuid):
        for ng in self.nodegroups:
            if name_or_uuid in (ng.name, ng.uuid):
                return ng
        raise exception.NodeGroupNotFound(nodegroup=name_or_uuid)

    def with_nodegroup(self, nodegroup):
        """A copy where ``nodegroup`` replaces the one with its uuid."""
        others = tuple(ng for ng in self.nodegroups
                       if ng.uuid != nodegroup.uuid)
        return dataclasses.replace(self, nodegroups=others + (nodegroup,))

    @property
    def labels(self):
        """Effective labels: the cluster's, else the template's."""
        return dict(self.cluster.labels or self.template.labels or {})


class Driver(abc.ABC):
    """Base class of COE drivers; subclasses set the class attributes."""

    #: entry-point name, e.g. ``k8s_fedora_coreos_v1``
    name = None
    #: tuple of Provides(server_type, os, coe)
    provides = ()
    #: the driver's release, reported as the cluster's container_version
    version = None
    #: beta drivers load only when named in [drivers] enabled_beta_drivers
    beta = False
    #: LabelSchema of the labels the driver understands
    labels = labels_mod.LabelSchema({})

    # -- validation (called by the API) ---------------------------------------
    def validate_labels(self, labels):
        """Raise InvalidLabels (400) naming the first bad label."""
        self.labels.validate(labels)

    def label_values(self, labels):
        """Typed values of every declared label, defaults filled in."""
        return self.labels.values(labels)

    def validate_master_size(self, size):
        if size < 1 or size % 2 == 0:
            raise exception.MasterNGSizeInvalid(requested_size=size)

    def validate_master_resize(self, size):
        raise exception.MasterNGResizeNotSupported()

    # -- lifecycle ------------------------------------------------------------
    @abc.abstractmethod
    def create_cluster(self, dctx, spec):
        """Start building the cluster; return the driver's cluster id."""

    @abc.abstractmethod
    def update_cluster(self, dctx, spec):
        """Converge the infrastructure on ``spec`` (e.g. new node counts)."""

    @abc.abstractmethod
    def resize_cluster(self, dctx, spec, nodegroup, node_count,
                       nodes_to_remove=()):
        """Set ``nodegroup``'s size, removing the named servers first."""

    @abc.abstractmethod
    def delete_cluster(self, dctx, spec):
        """Start tearing the cluster down; safe to call again."""

    @abc.abstractmethod
    def observe_cluster(self, dctx, spec):
        """Return a views.Observation of the cluster."""

    @abc.abstractmethod
    def create_nodegroup(self, dctx, spec, nodegroup):
        """Start building a non-default nodegroup; return its stack id."""

    @abc.abstractmethod
    def update_nodegroup(self, dctx, spec, nodegroup):
        """Converge a nodegroup on its row (count, min/max)."""

    @abc.abstractmethod
    def delete_nodegroup(self, dctx, spec, nodegroup):
        """Start deleting a non-default nodegroup; safe to call again."""

    @abc.abstractmethod
    def observe_nodegroup(self, dctx, spec, nodegroup):
        """Return a views.Observation of one non-default nodegroup."""

    # -- optional -------------------------------------------------------------
    def _unsupported(self, operation):
        raise errors.NotSupported(operation=operation, driver=self.name)

    def upgrade_cluster(self, dctx, spec, new_template, max_batch_size=1,
                        nodegroup=None):
        self._unsupported('upgrade_cluster')

    def rotate_ca_certificate(self, dctx, spec):
        """Make the nodes switch to the cluster's new CAs, which the API
        already serves. ``dctx.values``: ``ca_rotation_id`` (SHA-256
        fingerprint of the new cluster CA) and ``new_cert_refs``. Return
        once the change is under way; raise having told no node (the
        conductor then restores the old CAs)."""
        self._unsupported('rotate_ca_certificate')

    def rotate_credential(self, dctx, spec):
        self._unsupported('rotate_credential')

    def pre_delete_cluster(self, dctx, spec):
        """Clean up what the orchestrator does not own; nothing by default."""

    # -- description (magnum-driver-manage) -----------------------------------
    def describe(self):
        return {'name': self.name, 'version': self.version,
                'beta': self.beta,
                'provides': [dict(p._asdict()) for p in self.provides]}
