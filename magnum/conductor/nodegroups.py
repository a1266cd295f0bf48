"""Nodegroup workflows: create, update and delete non-default nodegroups.

The nodegroup's own status is checked (reference section 2); the cluster
goes UPDATE_IN_PROGRESS with it. On a driver error the nodegroup gets the
operation's failed status and the cluster UPDATE_FAILED. Notifications are
``magnum.nodegroup.<action>`` (upstream sends none; ours follow the
cluster's shape).
"""
from oslo_log import log as logging

from magnum.common import notifications as notes
from magnum.conductor import states
from magnum.conductor import workflow
from magnum.db import nodegroups as nodegroup_db
from magnum.drivers import views

LOG = logging.getLogger(__name__)


def _run(env, context, cluster_uuid, nodegroup_uuid, op_name, call):
    op = states.operation(op_name)
    nodegroup = nodegroup_db.get_by_uuid(context, cluster_uuid, nodegroup_uuid)
    if op_name == 'nodegroup_create' and nodegroup.stack_id:
        LOG.info('Nodegroup %s already has stack %s', nodegroup_uuid,
                 nodegroup.stack_id)
        return
    try:
        op.check(nodegroup.status)
    except Exception:
        workflow.notify_nodegroup(env, context, op.action, notes.FAILURE,
                                  cluster_uuid, nodegroup_uuid)
        raise
    nodegroup_db.update(context, nodegroup_uuid, {
        'status': op.nodegroup_progress, 'status_reason': None})
    workflow.set_cluster_status(context, cluster_uuid, op.progress,
                                default_nodegroups=False)
    workflow.notify_nodegroup(env, context, op.action, notes.PENDING,
                              cluster_uuid, nodegroup_uuid)
    try:
        target = env.drivers.load(context, cluster_uuid)
        dctx = env.drivers.context(
            context, target.driver,
            timeout_mins=target.cluster.create_timeout)
        ng_view = views.NodeGroupView.from_row(
            target.nodegroup(nodegroup_uuid))
        with env.builds:
            result = call(target.driver, dctx, target.spec, ng_view)
    except Exception as err:
        LOG.warning('%s of nodegroup %s failed: %s', op_name, nodegroup_uuid,
                    err)
        reason = workflow.reason_of(err)
        nodegroup_db.update(context, nodegroup_uuid, {
            'status': op.nodegroup_failed, 'status_reason': reason})
        workflow.set_cluster_status(context, cluster_uuid, op.failed, reason,
                                    default_nodegroups=False)
        workflow.notify_nodegroup(env, context, op.action, notes.FAILURE,
                                  cluster_uuid, nodegroup_uuid)
        return None
    return result


def create(env, context, cluster_uuid, nodegroup_uuid):
    stack_id = _run(env, context, cluster_uuid, nodegroup_uuid,
                    'nodegroup_create',
                    lambda d, dctx, spec, ng: d.create_nodegroup(dctx, spec,
                                                                 ng))
    if stack_id:
        nodegroup_db.update(context, nodegroup_uuid, {'stack_id': stack_id})


def update(env, context, cluster_uuid, nodegroup_uuid):
    _run(env, context, cluster_uuid, nodegroup_uuid, 'nodegroup_update',
         lambda d, dctx, spec, ng: d.update_nodegroup(dctx, spec, ng))


def delete(env, context, cluster_uuid, nodegroup_uuid):
    _run(env, context, cluster_uuid, nodegroup_uuid, 'nodegroup_delete',
         lambda d, dctx, spec, ng: d.delete_nodegroup(dctx, spec, ng))
