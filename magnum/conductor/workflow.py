"""What every workflow shares: the conductor's environment, writing the
statuses the transition table chose, and notifications with fresh rows."""
import dataclasses
import threading

from oslo_config import cfg
from oslo_log import log as logging

from magnum.common import context as magnum_context
from magnum.common import notifications
from magnum.conductor import driving
from magnum.db import clusters as cluster_db
from magnum.db import nodegroups as nodegroup_db

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def _build_slots():
    return threading.BoundedSemaphore(CONF.conductor.build_concurrency)


@dataclasses.dataclass
class Env:
    """A conductor as its workflows see it. ``builds`` is held around each
    driver call that builds or changes infrastructure (see
    ``[conductor] build_concurrency``)."""
    host: str
    drivers: driving.Drivers = dataclasses.field(
        default_factory=driving.Drivers)
    builds: threading.BoundedSemaphore = dataclasses.field(
        default_factory=_build_slots)


def cluster_context(cluster):
    """An admin context acting for the cluster's owner, for work nobody
    asked for just now (the reconcile loop): what it stores (certificates)
    belongs to the cluster's project, as if its user had asked."""
    return magnum_context.RequestContext(
        is_admin=True, all_tenants=True, roles=['admin'],
        project_id=cluster.project_id, user_id=cluster.user_id,
        overwrite=False)


def set_cluster_status(context, cluster_uuid, status, reason=None,
                       default_nodegroups=True, **values):
    """Write ``status`` (from states) on the cluster and, by default, its
    default nodegroups (they share the cluster's stack)."""
    cluster_db.update(context, cluster_uuid,
                      dict(values, status=status, status_reason=reason))
    if default_nodegroups:
        nodegroup_db.update_defaults(
            context, cluster_uuid, {'status': status,
                                    'status_reason': reason})


def notify(env, context, action, outcome, cluster_uuid):
    """A magnum.cluster.<action> notification about the row as it is now."""
    cluster = cluster_db.find_by_uuid(context, cluster_uuid)
    nodegroups = (nodegroup_db.for_clusters(context, [cluster_uuid])
                  if cluster is not None else ())
    notifications.notify_cluster(context, action, outcome, cluster,
                                 nodegroups, host=env.host)


def notify_nodegroup(env, context, action, outcome, cluster_uuid, ng_uuid):
    try:
        nodegroup = nodegroup_db.get_by_uuid(context, cluster_uuid, ng_uuid)
    except Exception:
        return
    notifications.notify_nodegroup(context, action, outcome, nodegroup,
                                   host=env.host)


def reason_of(err):
    return str(err) or type(err).__name__
