"""The conductor's RPC endpoints (server side of rpcapi 1.x).

Each endpoint is: expected exceptions -> the cluster's reservation -> one
workflow call.

When the cluster is reserved by someone else:
* calls wait briefly (``[conductor] call_lock_wait``: holders keep a
  reservation only for the seconds a driver call takes), then answer 409
  ClusterBusy, which the API relays;
* casts have nobody to answer, so they wait up to one lease. If it stays
  taken, a create is left to the reconcile loop (it drives every
  CREATE_IN_PROGRESS cluster without a stack once a lease has passed), so
  nothing is lost; any other cast is dropped with an error log and a
  failure notification (the only channel that reaches anyone).
"""
import contextlib

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from magnum.common import exception
from magnum.common import notifications as notes
from magnum.conductor import certificates
from magnum.conductor import clusters
from magnum.conductor import nodegroups
from magnum.conductor import workflow

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

_CAST_ACTIONS = {'cluster_delete': 'delete'}


@contextlib.contextmanager
def _wire_safe_errors():
    """Magnum errors reach the caller as themselves (not logged as server
    errors). Only magnum.common.exception classes can be rebuilt on the
    caller's side, so others (the drivers' typed errors) travel as their
    nearest ancestor there, with the same message and code."""
    try:
        yield
    except exception.MagnumException as err:
        wire = err
        if type(err).__module__ != exception.__name__:
            wire = next(cls for cls in type(err).__mro__
                        if cls.__module__ == exception.__name__)(
                            message=str(err))
        try:
            raise wire
        except exception.MagnumException:
            # ExpectedException carries the exception being handled.
            raise messaging.ExpectedException()


class ConductorManager:
    target = messaging.Target(version='1.0')

    def __init__(self, env, locks):
        self.env = env
        self.locks = locks

    def _cast(self, context, name, cluster_uuid, step, *args):
        try:
            with self.locks.cluster(cluster_uuid,
                                    wait=CONF.conductor.lock_lease):
                step(self.env, context, cluster_uuid, *args)
        except exception.ClusterBusy as err:
            if name == 'cluster_create':
                LOG.warning('Create of cluster %s deferred to the reconcile '
                            'loop: %s', cluster_uuid, err)
                return
            LOG.error('%s of cluster %s dropped: %s', name, cluster_uuid,
                      err)
            workflow.notify(self.env, context,
                            _CAST_ACTIONS.get(name, 'update'),
                            notes.FAILURE, cluster_uuid)
        except exception.MagnumException as err:
            LOG.warning('%s of cluster %s refused: %s', name, cluster_uuid,
                        err)
        except Exception:
            LOG.exception('%s of cluster %s failed', name, cluster_uuid)

    def _call(self, context, cluster_uuid, step, *args):
        with _wire_safe_errors():
            with self.locks.cluster(cluster_uuid,
                                    wait=CONF.conductor.call_lock_wait):
                return step(self.env, context, cluster_uuid, *args)

    def _read(self, step, *args):
        with _wire_safe_errors():
            return step(*args)

    # -- clusters -------------------------------------------------------------
    def cluster_create(self, context, cluster_uuid, create_timeout=None):
        self._cast(context, 'cluster_create', cluster_uuid, clusters.create,
                   create_timeout)

    def cluster_update(self, context, cluster_uuid, node_count=None,
                       health_status=None, health_status_reason=None,
                       rollback=False):
        self._cast(context, 'cluster_update', cluster_uuid, clusters.update,
                   node_count, health_status, health_status_reason, rollback)

    def cluster_delete(self, context, cluster_uuid):
        self._cast(context, 'cluster_delete', cluster_uuid, clusters.delete)

    def cluster_resize(self, context, cluster_uuid, node_count,
                       nodes_to_remove=None, nodegroup_uuid=None):
        self._cast(context, 'cluster_resize', cluster_uuid, clusters.resize,
                   node_count, nodes_to_remove, nodegroup_uuid)

    def cluster_upgrade(self, context, cluster_uuid, cluster_template_uuid,
                        max_batch_size=1, nodegroup_uuid=None):
        return self._call(context, cluster_uuid, clusters.upgrade,
                          cluster_template_uuid, max_batch_size,
                          nodegroup_uuid)

    # -- nodegroups -----------------------------------------------------------
    def nodegroup_create(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_create', cluster_uuid,
                   nodegroups.create, nodegroup_uuid)

    def nodegroup_update(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_update', cluster_uuid,
                   nodegroups.update, nodegroup_uuid)

    def nodegroup_delete(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_delete', cluster_uuid,
                   nodegroups.delete, nodegroup_uuid)

    # -- certificates and credentials (calls) ---------------------------------
    def get_ca_certificate(self, context, cluster_uuid, ca_cert_type=None):
        return self._read(certificates.get_ca_certificate, context,
                          cluster_uuid, ca_cert_type)

    def sign_certificate(self, context, cluster_uuid, csr,
                         ca_cert_type=None):
        return self._read(certificates.sign_certificate, context,
                          cluster_uuid, csr, ca_cert_type)

    def rotate_ca_certificate(self, context, cluster_uuid):
        return self._call(context, cluster_uuid,
                          certificates.rotate_ca_certificate)

    def credential_rotate(self, context, cluster_uuid):
        return self._call(context, cluster_uuid,
                          certificates.credential_rotate)

    def ping_conductor(self, context):
        return True
