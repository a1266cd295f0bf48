"""/v1/clusters/{cluster}/nodegroups (≥1.9). A new nodegroup's row is
stored in CREATE_IN_PROGRESS, and a patch is saved, before the conductor
is told."""
import pecan
from pecan import rest
import wsme.exc

from magnum.api import microversion
from magnum.api.controllers import base
from magnum.api.controllers.v1 import conductor
from magnum.api.types import nodegroup as ng_type
from magnum.api.views import nodegroup as view
from magnum.common import exception
from magnum.common import names
from magnum.common import policy
from magnum import objects

NODEGROUPS_VERSION = (1, 9)
STORED_ON_PATCH = ('min_node_count', 'max_node_count', 'node_labels',
                   'node_taints')
# merge_labels may be patched too, meaning nothing (as upstream).
PATCHABLE = STORED_ON_PATCH + ('merge_labels',)
INTERNAL = tuple('/' + name for name in view.DETAIL_FIELDS + (
    'labels_overridden', 'labels_added', 'labels_skipped')
    if name not in PATCHABLE)
TAINT_EFFECTS = ('NoSchedule', 'PreferNoSchedule', 'NoExecute')
TAINT_KEYS = {'key', 'value', 'effect'}
# Kubernetes keeps these label domains (and their subdomains) for itself,
# except for the prefixes and well-known labels a kubelet may set.
RESERVED_DOMAINS = ('kubernetes.io', 'k8s.io')
KUBELET_DOMAINS = ('kubelet.kubernetes.io', 'node.kubernetes.io')
KUBELET_LABELS = frozenset((
    'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os',
    'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type',
    'beta.kubernetes.io/os', 'failure-domain.beta.kubernetes.io/region',
    'failure-domain.beta.kubernetes.io/zone',
    'node.kubernetes.io/instance-type', 'node.kubernetes.io/windows-build',
    'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'))


def _in_domain(prefix, domains):
    return any(prefix == d or prefix.endswith('.' + d) for d in domains)


def _invalid(ng, attr, expl):
    return exception.NodeGroupInvalidInput(attr=attr, nodegroup=ng,
                                           expl=expl)


def check_counts(ng, node_count, min_count, max_count):
    if min_count > node_count:
        raise _invalid(ng, 'min_node_count', 'min_node_count (%d) must not '
                       'exceed node_count (%d)' % (min_count, node_count))
    if max_count is not None and max_count < max(node_count, min_count):
        raise _invalid(ng, 'max_node_count', 'max_node_count (%d) must be at '
                       'least node_count (%d) and min_node_count (%d)'
                       % (max_count, node_count, min_count))


def check_node_labels(ng, role, node_labels):
    if node_labels and role == 'master':
        raise _invalid(ng, 'node_labels', 'master nodegroups take no node '
                       'labels')
    for key in node_labels:
        prefix = key.rpartition('/')[0]
        if (_in_domain(prefix, RESERVED_DOMAINS)
                and not _in_domain(prefix, KUBELET_DOMAINS)
                and key not in KUBELET_LABELS):
            raise _invalid(ng, 'node_labels', 'label %s is in a namespace '
                           'reserved by Kubernetes' % key)


def check_node_taints(ng, role, taints):
    if taints and role == 'master':
        raise _invalid(ng, 'node_taints', 'master nodegroups take no node '
                       'taints')
    for taint in taints:
        if not isinstance(taint, dict) or set(taint) - TAINT_KEYS:
            raise _invalid(ng, 'node_taints', 'a taint is a dict of key, '
                           'value and effect, not %r' % (taint,))
        if not taint.get('key') or not isinstance(taint['key'], str):
            raise _invalid(ng, 'node_taints', 'a taint needs a key')
        if taint.get('effect') not in TAINT_EFFECTS:
            raise _invalid(ng, 'node_taints', 'taint effect must be one of '
                           '%s' % ', '.join(TAINT_EFFECTS))


def _check(ng, values):
    check_counts(ng, values['node_count'], values['min_node_count'],
                 values['max_node_count'])
    check_node_labels(ng, values['role'], values['node_labels'])
    check_node_taints(ng, values['role'], values['node_taints'])


def _check_patch_paths(patch):
    for op in patch:
        if op['path'].split('/')[1] not in PATCHABLE:
            raise wsme.exc.ClientSideError(
                "'%s' is an internal attribute and can not be updated"
                % op['path'])


class NodeGroupsController(rest.RestController):

    @staticmethod
    def _cluster(cluster_ident, all_projects_action=None):
        """The parent cluster; only reads may reach other projects'."""
        ctx = base.context()
        if all_projects_action:
            base.scope_all_projects(ctx, 'nodegroup', all_projects_action)
        return objects.Cluster.get(ctx, cluster_ident)

    @pecan.expose('json')
    def get_all(self, cluster_ident, **params):
        ctx = base.context()
        microversion.require(pecan.request, NODEGROUPS_VERSION, 'get_all')
        policy.enforce(ctx, 'nodegroup:get_all')
        cluster = self._cluster(cluster_ident, 'get_all')
        role = params.pop('role', None)
        page = base.page_params(**params)
        url = base.base_url()
        items = [view.show(ng, detail=False, url=url) for ng in
                 objects.NodeGroup.list(ctx, cluster.uuid, role=role, **page)]
        return base.collection('nodegroups', items, page,
                               'clusters/%s/nodegroups' % cluster.uuid)

    @pecan.expose('json')
    def get_one(self, cluster_ident, ident):
        ctx = base.context()
        microversion.require(pecan.request, NODEGROUPS_VERSION, 'get_one')
        policy.enforce(ctx, 'nodegroup:get')
        cluster = self._cluster(cluster_ident, 'get_one')
        ng = objects.NodeGroup.get(ctx, cluster.uuid, ident)
        return view.show(ng, cluster.labels)

    @pecan.expose('json')
    def post(self, cluster_ident):
        ctx = base.context()
        microversion.require(pecan.request, NODEGROUPS_VERSION, 'post')
        parsed = base.parse(ng_type.NodeGroup, base.json_body('nodegroup'),
                            'nodegroup')
        values = {k: v for k, v in base.as_values(parsed).items()
                  if v is not None}
        policy.enforce(ctx, 'nodegroup:create')
        cluster = self._cluster(cluster_ident)
        if not cluster.api_address:
            raise exception.ClusterAPIAddressUnavailable()
        name = values.get('name') or names.generate('nodegroup')
        if objects.NodeGroup.name_taken(ctx, cluster.uuid, name):
            raise exception.NodeGroupAlreadyExists(name=name,
                                                   cluster_id=cluster.name)
        values = dict({'node_count': 1, 'min_node_count': 0,
                       'max_node_count': None, 'role': 'worker',
                       'node_labels': {}, 'node_taints': []}, **values)
        _check(name, values)
        if values['role'] == 'master':
            raise exception.CreateMasterNodeGroup()
        worker = cluster.default_worker
        labels = values.get('labels')
        if not labels:
            labels = dict(cluster.labels or {})
        elif values.get('merge_labels'):
            labels = dict(cluster.labels or {}, **labels)
        ng = objects.NodeGroup(
            ctx, name=name, cluster_id=cluster.uuid,
            project_id=cluster.project_id, is_default=False,
            status='CREATE_IN_PROGRESS', node_addresses=[], labels=labels,
            image_id=values.get('image_id') or (worker and worker.image_id),
            flavor_id=values.get('flavor_id') or cluster.flavor_id,
            docker_volume_size=(values.get('docker_volume_size')
                                or cluster.docker_volume_size),
            **{k: values[k] for k in ('node_count', 'min_node_count',
                                      'max_node_count', 'role',
                                      'node_labels', 'node_taints')})
        try:
            ng.create()
        except exception.NodeGroupAlreadyExists:
            raise exception.NodeGroupAlreadyExists(name=name,
                                                   cluster_id=cluster.name)
        try:
            conductor.api().nodegroup_create(ctx, cluster.uuid, ng.uuid)
        except exception.ConductorUnavailable:
            ng.destroy()
            raise
        pecan.response.status = 202
        return view.show(ng, cluster.labels)

    @pecan.expose('json')
    def patch(self, cluster_ident, ident):
        ctx = base.context()
        microversion.require(pecan.request, NODEGROUPS_VERSION, 'patch')
        patch = base.validate_patch(base.json_body('patch'), internal=INTERNAL)
        _check_patch_paths(patch)
        policy.enforce(ctx, 'nodegroup:update')
        cluster = self._cluster(cluster_ident)
        ng = objects.NodeGroup.get(ctx, cluster.uuid, ident)
        doc = base.apply_patch(view.show(ng, cluster.labels), patch)
        new = base.as_values(base.parse(
            ng_type.NodeGroup, {k: doc.get(k) for k in PATCHABLE},
            'nodegroup'))
        values = {'node_count': ng.node_count, 'role': ng.role,
                  'min_node_count': new['min_node_count'] or 0,
                  'max_node_count': new['max_node_count'],
                  'node_labels': new['node_labels'] or {},
                  'node_taints': new['node_taints'] or []}
        _check(ng.name, values)
        for name in STORED_ON_PATCH:
            if values[name] != getattr(ng, name):
                setattr(ng, name, values[name])
        ng.save()
        conductor.api().nodegroup_update(ctx, cluster.uuid, ng.uuid)
        pecan.response.status = 202
        return view.show(ng, cluster.labels)

    @pecan.expose(content_type='application/json')    # 204: no body
    def delete(self, cluster_ident, ident):
        ctx = base.context()
        microversion.require(pecan.request, NODEGROUPS_VERSION, 'delete')
        policy.enforce(ctx, 'nodegroup:delete')
        cluster = self._cluster(cluster_ident)
        ng = objects.NodeGroup.get(ctx, cluster.uuid, ident)
        if ng.is_default:
            raise exception.DeletingDefaultNGNotSupported()
        conductor.api().nodegroup_delete(ctx, cluster.uuid, ng.uuid)
        pecan.response.status = 204
