"""/v1/clusters/{ident}/actions/resize (≥1.7) and .../upgrade (≥1.8)."""
import pecan
from pecan import rest

from magnum.api import microversion
from magnum.api.controllers import base
from magnum.api.controllers.v1 import conductor
from magnum.api.types import cluster as cluster_type
from magnum.common import exception
from magnum.common import policy
from magnum import objects

RESIZE_VERSION = (1, 7)
UPGRADE_VERSION = (1, 8)
ZERO_NODES_VERSION = (1, 10)


def check_zero_nodes(request, node_count):
    if node_count == 0 and request.version < ZERO_NODES_VERSION:
        raise exception.ZeroNodeCountNotSupported()


def cluster_target(cluster):
    return {'project_id': cluster.project_id, 'user_id': cluster.user_id}


def _nodegroup(ctx, cluster, ident):
    if ident:
        return objects.NodeGroup.get(ctx, cluster.uuid, ident)
    return cluster.default_worker


class ActionsController(rest.RestController):

    _custom_actions = {'resize': ['POST'], 'upgrade': ['POST']}

    @pecan.expose('json')
    def resize(self, cluster_ident):
        ctx, req = base.context(), pecan.request
        microversion.require(req, RESIZE_VERSION, 'resize')
        body = base.parse(cluster_type.ClusterResize,
                          base.json_body('cluster_resize_req'),
                          'cluster_resize_req')
        check_zero_nodes(req, body.node_count)
        base.scope_all_projects(ctx, 'cluster', 'resize')
        cluster = objects.Cluster.get(ctx, cluster_ident)
        policy.enforce(ctx, 'cluster:resize', target=cluster_target(cluster))
        ng = _nodegroup(ctx, cluster, body.nodegroup)
        if ng is None:
            raise exception.NodeGroupNotFound(nodegroup='default-worker')
        if ng.is_master:
            raise exception.MasterNGResizeNotSupported()
        if body.node_count < (ng.min_node_count or 0) or (
                ng.max_node_count is not None
                and body.node_count > ng.max_node_count):
            raise exception.NGResizeOutBounds(
                nodegroup=ng.name, min_nc=ng.min_node_count,
                max_nc=ng.max_node_count)
        conductor.api().cluster_resize(
            ctx, cluster.uuid, body.node_count,
            list(body.nodes_to_remove or ()), ng.uuid)
        pecan.response.status = 202
        return {'uuid': cluster.uuid}

    @pecan.expose('json')
    def upgrade(self, cluster_ident):
        ctx, req = base.context(), pecan.request
        microversion.require(req, RESIZE_VERSION, 'upgrade')
        if req.version < UPGRADE_VERSION:
            raise exception.ClusterUpgradeNotSupported()
        body = base.parse(cluster_type.ClusterUpgrade,
                          base.json_body('cluster_upgrade_req'),
                          'cluster_upgrade_req')
        base.scope_all_projects(ctx, 'cluster', 'upgrade')
        cluster = objects.Cluster.get(ctx, cluster_ident)
        policy.enforce(ctx, 'cluster:upgrade', target=cluster_target(cluster))
        template = objects.ClusterTemplate.get(ctx, body.cluster_template)
        ng = _nodegroup(ctx, cluster, body.nodegroup)
        if ng is not None and not ng.is_default and \
                template.uuid != cluster.cluster_template_id:
            raise exception.InvalidClusterTemplateForUpgrade(
                reason='nodegroup %s can only be upgraded to the cluster\'s '
                       'own template %s' % (ng.name,
                                            cluster.cluster_template_id))
        conductor.api().cluster_upgrade(
            ctx, cluster.uuid, template.uuid, body.max_batch_size,
            ng.uuid if ng is not None else None)
        pecan.response.status = 202
        return {'uuid': cluster.uuid}
