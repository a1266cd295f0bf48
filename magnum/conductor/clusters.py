"""Cluster workflows: create, update, resize, upgrade, delete.

Each runs under the cluster's reservation (taken by the caller), re-reads
the rows (the API wrote them before casting), checks the operation against
``states.OPERATIONS``, writes the in-progress status, asks the driver and
records what it returned. Completion is never decided here: the reconcile
loop observes it. Every step is safe to run again (a create that already
has a stack returns at once; drivers adopt a stack of the same name).
"""
from oslo_log import log as logging

from magnum.certificates import cluster_certs
from magnum.common import exception
from magnum.common import notifications as notes
from magnum.conductor import driving
from magnum.conductor import states
from magnum.conductor import workflow
from magnum.db import cluster_templates as template_db
from magnum.db import clusters as cluster_db
from magnum.db import nodegroups as nodegroup_db
from magnum.drivers import errors as driver_errors
from magnum.drivers import views

LOG = logging.getLogger(__name__)


def _fail(env, context, cluster_uuid, op, err, action=None):
    LOG.warning('%s of cluster %s failed: %s', op.name, cluster_uuid, err)
    workflow.set_cluster_status(context, cluster_uuid, op.failed,
                                workflow.reason_of(err))
    workflow.notify(env, context, action or op.action, notes.FAILURE,
                    cluster_uuid)


# -- create -------------------------------------------------------------------
def ensure_certificates(context, cluster):
    """Generate the four certificates unless the cluster has them."""
    if all(getattr(cluster, f) for f in cluster_certs.REF_FIELDS):
        return
    refs = cluster_certs.generate_cluster_certificates(context, cluster)
    cluster_db.update(context, cluster.uuid, refs.as_dict())


def create(env, context, cluster_uuid, create_timeout=None):
    """Certificates, then the driver's create; stores the stack id on the
    cluster and its default nodegroups. Failure -> CREATE_FAILED."""
    op = states.operation('create')
    cluster = cluster_db.get_by_uuid(context, cluster_uuid)
    if cluster.status != op.progress or cluster.stack_id:
        LOG.info('Cluster %s is %s (stack %s): nothing to create',
                 cluster_uuid, cluster.status, cluster.stack_id)
        return
    try:
        ensure_certificates(context, cluster)
        workflow.notify(env, context, 'create', notes.PENDING, cluster_uuid)
        target = env.drivers.load(context, cluster_uuid)
        timeout = create_timeout or target.cluster.create_timeout
        dctx = env.drivers.context(context, target.driver,
                                   timeout_mins=timeout,
                                   **driving.service_account_keys())
        with env.builds:
            stack_id = target.driver.create_cluster(dctx, target.spec)
    except Exception as err:
        _fail(env, context, cluster_uuid, op, err)
        return
    cluster_db.update(context, cluster_uuid, {
        'stack_id': stack_id,
        'container_version': target.driver.version})
    nodegroup_db.update_defaults(context, cluster_uuid,
                                 {'stack_id': stack_id})
    LOG.info('Cluster %s: stack %s is being created', cluster_uuid, stack_id)


# -- update (node_count of the default worker, or health) ---------------------
def update(env, context, cluster_uuid, node_count=None, health_status=None,
           health_status_reason=None, rollback=False):
    cluster = cluster_db.get_by_uuid(context, cluster_uuid)
    health = {}
    if health_status is not None:
        health['health_status'] = health_status
    if health_status_reason is not None:
        health['health_status_reason'] = health_status_reason
    worker = _default(context, cluster_uuid, 'worker')
    resizing = (node_count is not None and worker is not None
                and worker.node_count != node_count)
    op = states.operation('update' if resizing else 'update_health')
    try:
        op.check(cluster.status)
    except exception.NotSupported:
        workflow.notify(env, context, 'update', notes.FAILURE, cluster_uuid)
        raise
    if health:
        cluster_db.update(context, cluster_uuid, health)
    if not resizing:
        return
    _scale(env, context, cluster_uuid, op, worker, node_count,
           lambda target, dctx, spec, ng: target.driver.update_cluster(
               dctx, spec))


def _default(context, cluster_uuid, role):
    for ng in nodegroup_db.for_clusters(context, [cluster_uuid]):
        if ng.is_default and ng.role == role:
            return ng
    return None


def _scale(env, context, cluster_uuid, op, nodegroup, node_count, call):
    """Set ``nodegroup``'s count and status, call the driver; on failure
    restore the count and mark both cluster and nodegroup failed."""
    old_count = nodegroup.node_count
    workflow.notify(env, context, 'update', notes.PENDING, cluster_uuid)
    nodegroup_db.update(context, nodegroup.uuid, {
        'node_count': node_count, 'status': op.progress,
        'status_reason': None})
    workflow.set_cluster_status(context, cluster_uuid, op.progress,
                                default_nodegroups=False)
    try:
        target = env.drivers.load(context, cluster_uuid)
        dctx = env.drivers.context(context, target.driver)
        ng_view = views.NodeGroupView.from_row(
            target.nodegroup(nodegroup.uuid))
        with env.builds:
            call(target, dctx, target.spec, ng_view)
    except Exception as err:
        nodegroup_db.update(context, nodegroup.uuid, {
            'node_count': old_count, 'status': op.failed,
            'status_reason': workflow.reason_of(err)})
        workflow.set_cluster_status(context, cluster_uuid, op.failed,
                                    workflow.reason_of(err),
                                    default_nodegroups=False)
        workflow.notify(env, context, 'update', notes.FAILURE, cluster_uuid)
        raise


# -- resize -------------------------------------------------------------------
def resize(env, context, cluster_uuid, node_count, nodes_to_remove=None,
           nodegroup_uuid=None):
    op = states.operation('resize')
    cluster = cluster_db.get_by_uuid(context, cluster_uuid)
    try:
        op.check(cluster.status)
        nodegroup = (nodegroup_db.get_by_uuid(context, cluster_uuid,
                                              nodegroup_uuid)
                     if nodegroup_uuid else
                     _default(context, cluster_uuid, 'worker'))
        if nodegroup is None:
            raise exception.NodeGroupNotFound(nodegroup='default-worker')
    except exception.MagnumException:
        workflow.notify(env, context, 'update', notes.FAILURE, cluster_uuid)
        raise
    _scale(env, context, cluster_uuid, op, nodegroup, node_count,
           lambda target, dctx, spec, ng: target.driver.resize_cluster(
               dctx, spec, ng, node_count, tuple(nodes_to_remove or ())))


# -- upgrade ------------------------------------------------------------------
def upgrade(env, context, cluster_uuid, cluster_template_uuid,
            max_batch_size=1, nodegroup_uuid=None):
    """Driver first: a driver that cannot upgrade (NotSupported) leaves the
    cluster exactly as it was; any other error -> UPDATE_FAILED."""
    op = states.operation('upgrade')
    target = env.drivers.load(context, cluster_uuid)
    try:
        op.check(target.cluster.status)
        new_template = template_db.get_by_uuid(context, cluster_template_uuid)
        nodegroup = (target.nodegroup(nodegroup_uuid) if nodegroup_uuid
                     else target.default_nodegroup('master'))
        if nodegroup is None:
            raise exception.NodeGroupNotFound(nodegroup=nodegroup_uuid)
        workflow.notify(env, context, 'update', notes.PENDING, cluster_uuid)
        dctx = env.drivers.context(context, target.driver)
        with env.builds:
            target.driver.upgrade_cluster(
                dctx, target.spec, views.TemplateView.from_row(new_template),
                max_batch_size or 1, views.NodeGroupView.from_row(nodegroup))
    except (exception.NotSupported, exception.ResourceNotFound,
            exception.Invalid):
        workflow.notify(env, context, 'update', notes.FAILURE, cluster_uuid)
        raise
    except Exception as err:
        _fail(env, context, cluster_uuid, op, err)
        raise
    values = {'status': op.progress, 'status_reason': None}
    if nodegroup.is_default:
        values['cluster_template_id'] = new_template.uuid
    cluster_db.update(context, cluster_uuid, values)
    nodegroup_db.update(context, nodegroup.uuid, {
        'status': op.progress, 'status_reason': None})


# -- delete -------------------------------------------------------------------
def delete(env, context, cluster_uuid):
    """Any state -> DELETE_IN_PROGRESS, then the driver's delete (which is
    safe to repeat: the reconcile loop re-drives it if needed)."""
    op = states.operation('delete')
    cluster_db.get_by_uuid(context, cluster_uuid)
    workflow.set_cluster_status(context, cluster_uuid, op.progress)
    for ng in nodegroup_db.for_clusters(context, [cluster_uuid]):
        if not ng.is_default:
            nodegroup_db.update(context, ng.uuid, {
                'status': op.progress, 'status_reason': None})
    workflow.notify(env, context, 'delete', notes.PENDING, cluster_uuid)
    try:
        drive_delete(env, context, cluster_uuid)
    except Exception as err:
        _fail(env, context, cluster_uuid, op, err)


def drive_delete(env, context, cluster_uuid):
    target = env.drivers.load(context, cluster_uuid)
    dctx = env.drivers.context(context, target.driver)
    target.driver.pre_delete_cluster(dctx, target.spec)
    target.driver.delete_cluster(dctx, target.spec)


def finish_delete(env, context, cluster):
    """DELETE_COMPLETE: remove the certificates, nodegroups and the row."""
    try:
        cluster_certs.delete_cluster_certificates(context, cluster)
    except Exception as err:
        LOG.warning('Certificates of cluster %s not deleted: %s',
                    cluster.uuid, err)
    cluster_db.destroy(context, cluster.uuid)
    LOG.info('Cluster %s deleted', cluster.uuid)


# Driver errors the API may see from calls (kept importable for manager).
EXPECTED = (exception.MagnumException, driver_errors.NotSupported)
