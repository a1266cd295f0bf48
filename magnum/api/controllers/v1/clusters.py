"""/v1/clusters: the cluster row and its two default nodegroups are stored
in CREATE_IN_PROGRESS before the conductor is told, so the uuid a 202
returns can be read back at once."""
import pecan
from pecan import rest
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import strutils
import wsme.exc

from magnum.api import validation
from magnum.api.controllers import base
from magnum.api.controllers.v1 import actions
from magnum.api.controllers.v1 import conductor
from magnum.api.controllers.v1 import nodegroups
from magnum.api.types import cluster as cluster_type
from magnum.api.views import cluster as view
from magnum.common import exception
from magnum.common import names
from magnum.common import policy
from magnum import objects
from magnum.objects import quota

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

ROLLBACK_VERSION = (1, 3)
# Below 1.10 an unknown template on create is a bad request, not a 404.
TEMPLATE_404_VERSION = (1, 10)
PATCHABLE = ('node_count', 'health_status', 'health_status_reason')
INTERNAL = ('/api_address', '/node_addresses', '/master_addresses',
            '/stack_id', '/cluster_id', '/ca_cert_ref', '/magnum_cert_ref',
            '/etcd_ca_cert_ref', '/front_proxy_ca_cert_ref')
# Taken from the template when the request leaves them unset (or falsy).
FROM_TEMPLATE = {'keypair': 'keypair_id',
                 'docker_volume_size': 'docker_volume_size',
                 'master_flavor_id': 'master_flavor_id',
                 'flavor_id': 'flavor_id', 'fixed_network': 'fixed_network',
                 'fixed_subnet': 'fixed_subnet'}
COLUMNS = ('name', 'keypair', 'docker_volume_size', 'labels',
           'master_flavor_id', 'flavor_id', 'create_timeout',
           'discovery_url', 'fixed_network', 'fixed_subnet',
           'floating_ip_enabled', 'master_lb_enabled', 'health_status',
           'health_status_reason')


def _template(ctx, ident, version):
    try:
        return objects.ClusterTemplate.get(ctx, ident)
    except exception.ClusterTemplateNotFound as e:
        if version < TEMPLATE_404_VERSION:
            e.code = 400
        raise


def _labels(values, template):
    given = values.get('labels')
    if not given:
        return dict(template.labels or {})
    if values.get('merge_labels'):
        return dict(template.labels or {}, **given)
    return given


def _fill_from_template(values, template):
    for key, source in FROM_TEMPLATE.items():
        if not values.get(key):
            values[key] = getattr(template, source)
    for flag in ('floating_ip_enabled', 'master_lb_enabled'):
        if values.get(flag) is None:
            values[flag] = getattr(template, flag)
    values['labels'] = _labels(values, template)
    values.setdefault('create_timeout', CONF.cluster.create_timeout)
    return values


def _check_master_lb(values):
    if values['master_count'] > 1 and not values['master_lb_enabled']:
        raise exception.InvalidParameterValue(
            err='master_count must be 1 when master_lb_enabled is False')


def _default_nodegroups(ctx, values, template):
    labels = values['labels']
    raw = labels.get('min_node_count', 0)
    try:
        min_workers = int(raw)
    except ValueError:
        min_workers = -1
    if min_workers < 0:
        raise exception.InvalidParameterValue(
            err='min_node_count label must be a non-negative integer, not '
                '%r' % raw)
    nodegroups.check_counts('default-worker', values['node_count'],
                            min_workers, None)
    common = dict(is_default=True, image_id=template.image_id,
                  docker_volume_size=values['docker_volume_size'],
                  status='CREATE_IN_PROGRESS', node_addresses=[],
                  node_labels={}, node_taints=[])
    return [
        objects.NodeGroup(ctx, name='default-master', role='master',
                          node_count=values['master_count'],
                          min_node_count=0,
                          flavor_id=values['master_flavor_id'],
                          labels=dict(labels), **common),
        objects.NodeGroup(ctx, name='default-worker', role='worker',
                          node_count=values['node_count'],
                          min_node_count=min_workers,
                          flavor_id=values['flavor_id'],
                          labels=dict(labels), **common),
    ]


def _rollback(req, params):
    unknown = sorted(set(params) - {'rollback'})
    if unknown or (params and req.version < ROLLBACK_VERSION):
        raise wsme.exc.UnknownArgument((unknown or ['rollback'])[0])
    try:
        return strutils.bool_from_string(params.get('rollback', False),
                                         strict=True)
    except ValueError as e:
        raise wsme.exc.InvalidInput('rollback', params['rollback'], str(e))


class ClustersController(rest.RestController):

    _custom_actions = {'detail': ['GET']}
    actions = actions.ActionsController()
    nodegroups = nodegroups.NodeGroupsController()

    @pecan.expose('json')
    def get_all(self, **params):
        return self._list('get_all', params, 'clusters', detail=False)

    @pecan.expose('json')
    def detail(self, **params):
        return self._list('detail', params, 'clusters/detail', detail=True)

    def _list(self, action, params, path, detail):
        ctx = base.context()
        policy.enforce(ctx, 'cluster:%s' % action)
        base.scope_all_projects(ctx, 'cluster', action)
        page = base.page_params(**params)
        clusters = objects.Cluster.list(ctx, **page)
        labels = (objects.Cluster.template_labels(ctx, clusters)
                  if detail else {})
        version, url = pecan.request.version, base.base_url()
        items = [view.show(c, version, labels.get(c.cluster_template_id),
                           detail=detail, url=url) for c in clusters]
        return base.collection('clusters', items, page, path)

    @pecan.expose('json')
    def get_one(self, ident):
        ctx = base.context()
        base.scope_all_projects(ctx, 'cluster', 'get_one')
        cluster, labels = objects.Cluster.get_with_template_labels(ctx, ident)
        policy.enforce(ctx, 'cluster:get',
                       target=actions.cluster_target(cluster))
        doc = view.show(cluster, pecan.request.version, labels)
        if cluster.faults is not None:
            doc['faults'] = cluster.faults
        return doc

    @pecan.expose('json')
    def post(self):
        ctx, req = base.context(), pecan.request
        parsed = base.parse(cluster_type.Cluster, base.json_body('cluster'),
                            'cluster')
        values = {k: v for k, v in base.as_values(parsed).items()
                  if v is not None}
        values.setdefault('node_count', 1)
        values.setdefault('master_count', 1)
        actions.check_zero_nodes(req, values['node_count'])
        template = _template(ctx, values['cluster_template_id'], req.version)
        validation.docker_storage(
            template.docker_storage_driver,
            values.get('docker_volume_size') or template.docker_volume_size)
        if values['master_count'] % 2 == 0:
            raise exception.MasterNGSizeInvalid(
                requested_size=values['master_count'])
        policy.enforce(ctx, 'cluster:create')
        quota.check_cluster_limit(ctx, ctx.project_id)
        if template.hidden and not ctx.is_admin:
            raise exception.NotAuthorized()
        values = _fill_from_template(values, template)
        values = validation.cluster_resources(ctx, values, template)
        _check_master_lb(values)
        cluster = objects.Cluster(
            ctx, nodegroups=_default_nodegroups(ctx, values, template),
            project_id=ctx.project_id, user_id=ctx.user_id,
            cluster_template_id=template.uuid, status='CREATE_IN_PROGRESS',
            **{k: values.get(k) for k in COLUMNS})
        cluster.name = cluster.name or names.generate('cluster')
        cluster.create()
        try:
            conductor.api().cluster_create(ctx, cluster.uuid,
                                           cluster.create_timeout)
        except exception.ConductorUnavailable as err:
            # The stored cluster is not lost: a conductor's reconcile pass
            # drives a create that has no stack after one lock lease.
            LOG.warning('Cluster %s stored but not cast (%s); the periodic '
                        'sync will create it', cluster.uuid, err)
        pecan.response.status = 202
        return {'uuid': cluster.uuid}

    @pecan.expose('json')
    def patch(self, ident):
        ctx, req = base.context(), pecan.request
        rollback = _rollback(req, dict(req.GET))
        patch = base.validate_patch(base.json_body('patch'), internal=INTERNAL)
        base.scope_all_projects(ctx, 'cluster', 'update')
        cluster = objects.Cluster.get(ctx, ident)
        target = actions.cluster_target(cluster)
        policy.enforce(ctx, 'cluster:update', target=target)
        old = view.show(cluster, req.version)
        doc = base.apply_patch(old, patch)
        changed = [k for k in old if doc.get(k) != old[k]]
        refused = [k for k in changed if k not in PATCHABLE]
        if refused:
            raise exception.InvalidParameterValue(
                err='cannot change cluster property(ies) %s.'
                    % ', '.join(refused))
        new = base.as_values(base.parse(
            cluster_type.Cluster,
            dict({k: doc.get(k) for k in changed},
                 cluster_template_id=cluster.cluster_template_id),
            'cluster'))
        if 'node_count' in changed:
            if new['node_count'] is None:
                raise wsme.exc.InvalidInput('node_count', None,
                                            'Mandatory field missing.')
            actions.check_zero_nodes(req, new['node_count'])
        if {'health_status', 'health_status_reason'} & set(changed):
            policy.enforce(ctx, 'cluster:update_health_status', target=target)
        conductor.api().cluster_update(
            ctx, cluster.uuid, rollback=rollback,
            **{k: new[k] for k in changed})
        pecan.response.status = 202
        return {'uuid': cluster.uuid}

    @pecan.expose(content_type='application/json')    # 204: no body
    def delete(self, ident):
        ctx = base.context()
        base.scope_all_projects(ctx, 'cluster', 'delete')
        cluster = objects.Cluster.get(ctx, ident)
        policy.enforce(ctx, 'cluster:delete',
                       target=actions.cluster_target(cluster))
        conductor.api().cluster_delete(ctx, cluster.uuid)
        pecan.response.status = 204
