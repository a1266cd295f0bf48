"""/v1/clusters through the real pipeline on a real DB, with the conductor
messages checked on the real RabbitMQ."""
import queue

import oslo_messaging
import pytest
from sqlalchemy import event

from magnum.common import context
from magnum.common import exception
from magnum.common import rpc
from magnum.conf import CONF
from magnum.db import api as db_api
from magnum import objects

TEMPLATE = {'name': 'k8s', 'coe': 'kubernetes', 'image_id': 'fedora-coreos',
            'external_network_id': 'public', 'flavor_id': 'm1.small',
            'master_flavor_id': 'm1.medium',
            'labels': {'kube_tag': 'v1.30.1', 'availability_zone': 'nova'}}
LIST_KEYS = {'uuid', 'name', 'cluster_template_id', 'keypair',
             'docker_volume_size', 'labels', 'node_count', 'master_count',
             'status', 'master_flavor_id', 'flavor_id', 'create_timeout',
             'health_status', 'links', 'merge_labels', 'cluster_id'}
DETAIL_KEYS = LIST_KEYS | {
    'discovery_url', 'api_address', 'coe_version', 'container_version',
    'status_reason', 'health_status_reason', 'fixed_network', 'fixed_subnet',
    'floating_ip_enabled', 'master_lb_enabled', 'project_id', 'user_id',
    'node_addresses', 'master_addresses', 'labels_overridden',
    'labels_added', 'labels_skipped', 'created_at', 'updated_at'}


# -- helpers the action and nodegroup tests share -----------------------------
def error(resp, status):
    """The single error of a Magnum error body, checking its shape."""
    assert resp.status_int == status, resp.body
    (err,) = resp.json['errors']
    assert set(err) == {'request_id', 'code', 'status', 'title', 'detail',
                        'links'}
    assert err['status'] == status
    if status == 406:
        assert (err['code'], err['title']) == ('', 'Not Acceptable')
    else:
        assert err['code'] == 'client'
        assert err['title'] == err['detail'].split('.')[0]
    return err['detail']


def make_template(api, **extra):
    return api.post_json('/v1/clustertemplates', dict(TEMPLATE, **extra)).json


def make_cluster(api, template='k8s', **extra):
    body = dict({'name': 'c1', 'cluster_template_id': template}, **extra)
    return api.post_json('/v1/clusters', body).json['uuid']


def set_cluster(uuid, **values):
    """Stand in for the conductor: change a stored cluster row."""
    cluster = objects.Cluster.get(context.make_admin_context(), uuid)
    for name, value in values.items():
        setattr(cluster, name, value)
    cluster.save()
    return cluster


def set_nodegroup(cluster_uuid, name, **values):
    ng = objects.NodeGroup.get(context.make_admin_context(), cluster_uuid,
                               name)
    for key, value in values.items():
        setattr(ng, key, value)
    ng.save()


class RecordingConductor:
    """A stand-in conductor answering on the test's own topic over the real
    RabbitMQ: it records every message and answers upgrade calls."""
    target = oslo_messaging.Target(version='1.0')

    def __init__(self):
        self.received = queue.Queue()
        self.upgrade_error = None

    def _record(self, method, **kwargs):
        self.received.put((method, kwargs))

    def next(self):
        """The next message; waits while it is still on its way."""
        return self.received.get(timeout=30)

    def cluster_create(self, context, **kwargs):
        self._record('cluster_create', **kwargs)

    def cluster_update(self, context, **kwargs):
        self._record('cluster_update', **kwargs)

    def cluster_delete(self, context, **kwargs):
        self._record('cluster_delete', **kwargs)

    def cluster_resize(self, context, **kwargs):
        self._record('cluster_resize', **kwargs)

    @oslo_messaging.expected_exceptions(exception.MagnumException)
    def cluster_upgrade(self, context, **kwargs):
        self._record('cluster_upgrade', **kwargs)
        if self.upgrade_error:
            raise self.upgrade_error

    def nodegroup_create(self, context, **kwargs):
        self._record('nodegroup_create', **kwargs)

    def nodegroup_update(self, context, **kwargs):
        self._record('nodegroup_update', **kwargs)

    def nodegroup_delete(self, context, **kwargs):
        self._record('nodegroup_delete', **kwargs)


@pytest.fixture
def conductor(conf):
    endpoint = RecordingConductor()
    server = rpc.get_server(oslo_messaging.Target(
        topic=CONF.conductor.topic, server='test-conductor'), [endpoint])
    server.start()
    yield endpoint
    server.stop()
    server.wait()


@pytest.fixture
def template(api):
    return make_template(api)


# -- create -------------------------------------------------------------------
def test_create_stores_cluster_and_default_nodegroups_then_casts(
        api, template, conductor):
    resp = api.post_json('/v1/clusters', {
        'name': 'c1', 'cluster_template_id': 'k8s', 'node_count': 3,
        'labels': {'min_node_count': '2'}, 'create_timeout': 15})
    assert resp.status_int == 202
    uuid = resp.json['uuid']
    assert resp.json == {'uuid': uuid}
    # The row is there the moment the 202 is.
    shown = api.get('/v1/clusters/%s' % uuid).json
    assert shown['status'] == 'CREATE_IN_PROGRESS'
    assert (shown['node_count'], shown['master_count']) == (3, 1)
    assert conductor.next() == ('cluster_create', {'cluster_uuid': uuid,
                                                   'create_timeout': 15})
    ngs = {ng['name']: api.get(ng['links'][0]['href']).json for ng in
           api.get('/v1/clusters/%s/nodegroups' % uuid).json['nodegroups']}
    master, worker = ngs['default-master'], ngs['default-worker']
    assert (master['role'], master['node_count'], master['flavor_id']) == \
        ('master', 1, 'm1.medium')
    assert (worker['role'], worker['node_count'], worker['flavor_id'],
            worker['min_node_count']) == ('worker', 3, 'm1.small', 2)
    for ng in (master, worker):
        assert ng['is_default'] is True
        assert ng['status'] == 'CREATE_IN_PROGRESS'
        assert ng['image_id'] == 'fedora-coreos'
        assert ng['labels'] == {'min_node_count': '2'}
        assert ng['cluster_id'] == uuid and ng['project_id'] == 'project-1'


@pytest.mark.parametrize('extra, labels', [
    ({}, TEMPLATE['labels']),
    ({'labels': {'kube_tag': 'v1.31.0'}}, {'kube_tag': 'v1.31.0'}),
    ({'labels': {'kube_tag': 'v1.31.0', 'x': 1}, 'merge_labels': True},
     {'kube_tag': 'v1.31.0', 'availability_zone': 'nova', 'x': '1'}),
])
def test_labels_come_from_the_template_unless_given(
        api, template, extra, labels):
    uuid = make_cluster(api, **extra)
    shown = api.get('/v1/clusters/%s' % uuid).json
    assert shown['labels'] == labels
    assert shown['merge_labels'] is False
    parent = TEMPLATE['labels']
    assert shown['labels_added'] == {k: v for k, v in labels.items()
                                     if k not in parent}
    assert shown['labels_skipped'] == {k: v for k, v in parent.items()
                                       if k not in labels}
    assert shown['labels_overridden'] == {
        k: parent[k] for k in labels if k in parent and parent[k] != labels[k]}


def test_create_defaults(api, template):
    shown = api.get('/v1/clusters/%s' % make_cluster(api)).json
    assert shown['keypair'] is None
    assert (shown['flavor_id'], shown['master_flavor_id']) == \
        ('m1.small', 'm1.medium')
    assert shown['create_timeout'] == 60
    assert shown['floating_ip_enabled'] is True
    assert shown['master_lb_enabled'] is False
    assert shown['cluster_template_id'] == template['uuid']
    assert shown['health_status_reason'] == {}
    assert (shown['project_id'], shown['user_id']) == ('project-1', 'user-1')
    given = '0b6c5b8e-3f0a-4bb4-9f43-4a8c3c1e2d11'
    body = {'cluster_template_id': 'k8s', 'uuid': given,
            'status': 'CREATE_COMPLETE', 'status_reason': 'mine'}
    uuid = api.post_json('/v1/clusters', body).json['uuid']
    assert uuid != given
    generated = api.get('/v1/clusters/%s' % uuid).json
    assert generated['name'].endswith('-cluster')
    assert (generated['status'], generated['status_reason']) == \
        ('CREATE_IN_PROGRESS', None)


def test_zero_nodes_from_1_10(api, template):
    uuid = make_cluster(api, node_count=0)
    assert api.get('/v1/clusters/%s' % uuid).json['node_count'] == 0


BAD_CREATES = [
    ({'cluster_template_id': None}, 'latest', 400,
     "Invalid input for field/attribute cluster_template_id. Value: 'None'. "
     "Mandatory field missing."),
    ({'name': '1bad'}, 'latest', 400,
     'Value should match the pattern ^[a-zA-Z][a-zA-Z0-9_.-]*$'),
    ({'name': 'a' * 243}, 'latest', 400, 'Invalid input for field/attribute '
                                         'name'),
    ({'master_count': 0}, 'latest', 400,
     'Value should be greater or equal to 1'),
    ({'node_count': -1}, 'latest', 400,
     'Value should be greater or equal to 0'),
    ({'unknown_field': 1}, 'latest', 400,
     'Unknown attribute for argument cluster: unknown_field'),
    ({'api_address': '1.2.3.4'}, 'latest', 400,
     "Invalid input for field/attribute api_address. Value: '1.2.3.4'. "
     "Cannot set read only field."),
    ({'health_status': 'GREAT'}, 'latest', 400,
     'Invalid input for field/attribute health_status'),
    ({'labels': {'a': {'b': 1}}}, 'latest', 400,
     'Invalid input for field/attribute labels'),
    ({'cluster_template_id': 'nope'}, 'latest', 404,
     'ClusterTemplate nope could not be found.'),
    ({'cluster_template_id': 'nope'}, '1.9', 400,
     'ClusterTemplate nope could not be found.'),
    ({'node_count': 0}, '1.9', 400,
     'Resizing a nodegroup to zero is not supported in the provided '
     'microversion.'),
    ({'master_count': 2}, 'latest', 400,
     'master nodegroup size of 2 is invalid, size cannot be an even number.'),
    ({'master_count': 3}, 'latest', 400,
     'master_count must be 1 when master_lb_enabled is False'),
    ({'keypair': 'nope'}, 'latest', 404, 'Unable to find keypair nope.'),
    # The driver's label schema or our own check, whichever comes first.
    ({'labels': {'min_node_count': -1}}, 'latest', 400, 'min_node_count'),
    ({'labels': {'min_node_count': 2}}, 'latest', 409,
     'min_node_count for default-worker is invalid (min_node_count (2) must '
     'not exceed node_count (1)).'),
    ({'flavor_id': 'm1.zero'}, 'latest', 400,
     'Flavor with zero root volume size is not supported when '
     'boot_volume_size is zero.'),
]


@pytest.mark.parametrize('extra, version, status, detail', BAD_CREATES)
def test_create_errors(api, template, extra, version, status, detail):
    body = dict({'name': 'c1', 'cluster_template_id': 'k8s'}, **extra)
    resp = api.as_(version=version).post_json('/v1/clusters', body,
                                              expect_errors=True)
    assert detail in error(resp, status)
    assert api.get('/v1/clusters').json['clusters'] == []


def test_create_with_master_lb_allows_three_masters(api, template):
    uuid = make_cluster(api, master_count=3, master_lb_enabled=True)
    assert api.get('/v1/clusters/%s' % uuid).json['master_count'] == 3


def test_invalid_json_and_missing_body(api, template):
    resp = api.post('/v1/clusters', '{bad', content_type='application/json',
                    expect_errors=True)
    assert error(resp, 400) == 'Request is not in valid JSON format'
    resp = api.post('/v1/clusters', '', content_type='application/json',
                    expect_errors=True)
    assert error(resp, 400) == 'Missing argument: "cluster"'


def test_hidden_template_is_refused_to_non_admins(api):
    admin = api.as_(project='project-1', roles='admin,member,reader')
    make_template(admin, public=True, hidden=True)
    resp = api.post_json('/v1/clusters', {'cluster_template_id': 'k8s'},
                         expect_errors=True)
    assert error(resp, 403) == 'Not authorized.'
    assert api.get('/v1/clusters').json['clusters'] == []
    assert admin.post_json('/v1/clusters', {'cluster_template_id': 'k8s'}
                           ).status_int == 202


def test_quota_limits_clusters_per_project(api, template):
    CONF.set_override('max_clusters_per_project', 1, group='quotas')
    make_cluster(api)
    resp = api.post_json('/v1/clusters', {'cluster_template_id': 'k8s'},
                         expect_errors=True)
    assert error(resp, 403).startswith(
        'Resource limit exceeded: You have reached the maximum clusters per '
        'project, 1.')
    assert len(api.get('/v1/clusters').json['clusters']) == 1


def test_reader_cannot_create(api, template):
    reader = api.as_(roles='reader')
    resp = reader.post_json('/v1/clusters', {'cluster_template_id': 'k8s'},
                            expect_errors=True)
    assert error(resp, 403) == \
        "Policy doesn't allow cluster:create to be performed."


# -- read ---------------------------------------------------------------------
def test_list_detail_and_show_fields_by_version(api, template):
    uuid = make_cluster(api)
    set_cluster(uuid, stack_id='stack-1')
    (listed,) = api.get('/v1/clusters').json['clusters']
    assert set(listed) == LIST_KEYS
    assert listed['cluster_id'] == 'stack-1'
    (detailed,) = api.get('/v1/clusters/detail').json['clusters']
    assert set(detailed) == DETAIL_KEYS
    assert set(api.get('/v1/clusters/c1').json) == DETAIL_KEYS
    old = api.as_(version='1.12')
    (listed,) = old.get('/v1/clusters').json['clusters']
    assert set(listed) == LIST_KEYS - {'cluster_id'} | {'stack_id'}
    assert listed['stack_id'] == 'stack-1'
    assert 'cluster_id' not in old.get('/v1/clusters/c1').json
    assert listed['links'][0]['href'].endswith('/v1/clusters/' + uuid)


def test_failed_cluster_shows_faults_of_failed_nodegroups(api, template):
    uuid = make_cluster(api)
    assert 'faults' not in api.get('/v1/clusters/c1').json
    set_cluster(uuid, status='CREATE_FAILED', status_reason='worker failed')
    set_nodegroup(uuid, 'default-worker', status='CREATE_FAILED',
                  status_reason='no valid host')
    set_nodegroup(uuid, 'default-master', status='CREATE_COMPLETE')
    shown = api.get('/v1/clusters/c1').json
    assert shown['faults'] == {'default-worker': 'no valid host'}
    assert 'faults' not in api.get('/v1/clusters/detail').json['clusters'][0]


def test_counts_and_addresses_come_from_nodegroups(api, template):
    uuid = make_cluster(api, node_count=2)
    set_nodegroup(uuid, 'default-worker', node_addresses=['10.0.0.4',
                                                          '10.0.0.5'])
    set_nodegroup(uuid, 'default-master', node_addresses=['10.0.0.3'])
    objects.NodeGroup(context.make_admin_context(), cluster_id=uuid,
                      project_id='project-1', name='extra', role='worker',
                      node_count=4, node_addresses=['10.0.1.1']).create()
    shown = api.get('/v1/clusters/c1').json
    assert (shown['node_count'], shown['master_count']) == (6, 1)
    assert shown['node_addresses'] == ['10.0.0.4', '10.0.0.5', '10.0.1.1']
    assert shown['master_addresses'] == ['10.0.0.3']
    (listed,) = api.get('/v1/clusters').json['clusters']
    assert (listed['node_count'], listed['master_count']) == (6, 1)


def test_pagination_and_sorting(api, template):
    uuids = [make_cluster(api, name='c%d' % i) for i in range(5)]
    page = api.get('/v1/clusters?limit=2').json
    assert [c['uuid'] for c in page['clusters']] == uuids[:2]
    assert '/v1/clusters?sort_key=id&sort_dir=asc&limit=2&marker=%s' \
        % uuids[1] in page['next']
    nxt = api.get('/v1/clusters?limit=2&marker=%s' % uuids[1]).json
    assert [c['uuid'] for c in nxt['clusters']] == uuids[2:4]
    detail = api.get('/v1/clusters/detail?limit=2').json
    assert '/v1/clusters/detail?' in detail['next']
    desc = api.get('/v1/clusters?sort_key=name&sort_dir=desc').json
    assert [c['name'] for c in desc['clusters']] == \
        ['c4', 'c3', 'c2', 'c1', 'c0']
    for query, status, detail in [
            ('limit=0', 400, 'Limit must be positive'),
            ('sort_dir=up', 400, 'Invalid sort direction: up'),
            ('sort_key=nope', 400, 'The sort_key value "nope" is an invalid '
                                   'field for sorting'),
            ('marker=abc', 400, 'Invalid input for field/attribute marker'),
            ('marker=%s' % template['uuid'], 404,
             'Cluster %s could not be found.' % template['uuid'])]:
        resp = api.get('/v1/clusters?' + query, expect_errors=True)
        assert detail in error(resp, status)


def test_duplicate_names_are_a_conflict(api, template):
    make_cluster(api, name='twin')
    make_cluster(api, name='twin')
    resp = api.get('/v1/clusters/twin', expect_errors=True)
    assert error(resp, 409) == ('Multiple clusters exist with same name. '
                                'Please use the cluster uuid instead.')


def test_other_projects_get_404_on_every_route(api, template):
    uuid = make_cluster(api)
    set_cluster(uuid, api_address='https://10.0.0.3:6443')
    other = api.as_(project='project-2')
    assert other.get('/v1/clusters').json['clusters'] == []
    assert other.get('/v1/clusters/detail').json['clusters'] == []
    url = '/v1/clusters/%s' % uuid
    for resp in [
            other.get(url, expect_errors=True),
            other.patch_json(url, [{'op': 'replace', 'path': '/node_count',
                                    'value': 2}], expect_errors=True),
            other.delete(url, expect_errors=True),
            other.post_json(url + '/actions/resize', {'node_count': 2},
                            expect_errors=True),
            other.post_json(url + '/actions/upgrade',
                            {'cluster_template': 'k8s'}, expect_errors=True),
            other.get(url + '/nodegroups', expect_errors=True),
            other.get(url + '/nodegroups/default-worker', expect_errors=True),
            other.post_json(url + '/nodegroups', {'name': 'x'},
                            expect_errors=True),
            other.patch_json(url + '/nodegroups/default-worker',
                             [{'op': 'replace', 'path': '/min_node_count',
                               'value': 1}], expect_errors=True),
            other.delete(url + '/nodegroups/default-worker',
                         expect_errors=True)]:
        assert error(resp, 404) == 'Cluster %s could not be found.' % uuid
    assert api.get(url).json['node_count'] == 1


def test_admins_see_every_project(api, template):
    uuid = make_cluster(api)
    admin = api.as_(project='admin-project', roles='admin')
    assert [c['uuid'] for c in admin.get('/v1/clusters').json['clusters']] \
        == [uuid]
    assert admin.get('/v1/clusters/%s' % uuid).json['project_id'] == \
        'project-1'
    assert admin.get('/v1/clusters/%s/nodegroups' % uuid).json['nodegroups']


def _count_queries(api, path):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db_api.get_engine()
    event.listen(engine, 'before_cursor_execute', count)
    try:
        api.get(path)
    finally:
        event.remove(engine, 'before_cursor_execute', count)
    return len(statements)


def _store_clusters(template, n):
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    for i in range(n):
        objects.Cluster(ctx, project_id='project-1', user_id='user-1',
                        name='bulk-%d' % i, status='CREATE_COMPLETE',
                        cluster_template_id=template['uuid'], nodegroups=[
                            objects.NodeGroup(ctx, name=name, role=role,
                                              is_default=True, node_count=1)
                            for name, role in (('default-master', 'master'),
                                               ('default-worker', 'worker'))]
                        ).create()


@pytest.mark.parametrize('path, page_sizes', [
    ('/v1/clusters', (5, 50)),
    ('/v1/clusters/detail', (5, 50)),
    ('/v1/clusters?limit=3&marker={marker}', (3, 3))])
def test_list_query_count_does_not_grow_with_the_page(api, template, path,
                                                      page_sizes):
    counts = []
    for added, size in zip((5, 45), page_sizes):
        _store_clusters(template, added)
        marker = api.get('/v1/clusters?limit=1').json['clusters'][0]['uuid']
        url = path.format(marker=marker)
        assert len(api.get(url).json['clusters']) == size
        counts.append(_count_queries(api, url))
    assert counts[0] == counts[1]


# -- update and delete --------------------------------------------------------
def test_patch_node_count_and_health_cast_an_update(api, template, conductor):
    uuid = make_cluster(api)
    conductor.next()
    resp = api.patch_json('/v1/clusters/%s/?rollback=True' % uuid, [
        {'op': 'replace', 'path': '/node_count', 'value': 4}])
    assert resp.status_int == 202 and resp.json == {'uuid': uuid}
    assert conductor.next() == ('cluster_update', {
        'cluster_uuid': uuid, 'node_count': 4, 'health_status': None,
        'health_status_reason': None, 'rollback': True})
    api.patch_json('/v1/clusters/c1', [
        {'op': 'replace', 'path': '/health_status', 'value': 'UNHEALTHY'},
        {'op': 'replace', 'path': '/health_status_reason',
         'value': "{'api': 'down'}"}])
    assert conductor.next() == ('cluster_update', {
        'cluster_uuid': uuid, 'node_count': None,
        'health_status': 'UNHEALTHY',
        'health_status_reason': {'api': 'down'}, 'rollback': False})
    # The conductor applies the change; the API stored nothing itself.
    assert api.get('/v1/clusters/c1').json['node_count'] == 1


@pytest.mark.parametrize('ops, version, status, detail', [
    ([{'op': 'replace', 'path': '/name', 'value': 'x'}], 'latest', 400,
     'cannot change cluster property(ies) name.'),
    ([{'op': 'replace', 'path': '/master_count', 'value': 3},
      {'op': 'add', 'path': '/labels/x', 'value': 'y'}], 'latest', 400,
     'cannot change cluster property(ies) labels, master_count.'),
    ([{'op': 'replace', 'path': '/api_address', 'value': 'x'}], 'latest',
     400, "'/api_address' is an internal attribute and can not be updated"),
    ([{'op': 'replace', 'path': '/uuid', 'value': 'x'}], 'latest', 400,
     "'/uuid' is an internal attribute and can not be updated"),
    ([{'op': 'replace', 'path': '/node_count'}], 'latest', 400,
     "'add' and 'replace' operations needs value"),
    ([{'op': 'replace', 'path': '/node_count', 'value': -1}], 'latest', 400,
     'Value should be greater or equal to 0'),
    ([{'op': 'replace', 'path': '/node_count', 'value': 0}], '1.9', 400,
     'Resizing a nodegroup to zero is not supported in the provided '
     'microversion.'),
    ([{'op': 'replace', 'path': '/health_status', 'value': 'GREAT'}],
     'latest', 400, 'Invalid input for field/attribute health_status'),
    ([{'op': 'replace', 'path': '/health_status_reason', 'value': '{bad'}],
     'latest', 400, "Couldn't apply patch"),
    ([{'op': 'add', 'path': '/nope', 'value': 1}], 'latest', 400,
     'Adding a new attribute /nope to the root of the resource is not '
     'allowed.'),
    ({'not': 'a list'}, 'latest', 400, 'Value not a valid list'),
])
def test_patch_errors(api, template, ops, version, status, detail):
    make_cluster(api)
    resp = api.as_(version=version).patch_json('/v1/clusters/c1', ops,
                                               expect_errors=True)
    assert detail in error(resp, status)
    shown = api.get('/v1/clusters/c1').json
    assert (shown['name'], shown['node_count']) == ('c1', 1)


def test_health_is_patched_only_by_the_clusters_user(api, template,
                                                     conductor):
    make_cluster(api)
    conductor.next()
    colleague = api.as_(user='user-2')
    resp = colleague.patch_json('/v1/clusters/c1', [
        {'op': 'replace', 'path': '/health_status', 'value': 'HEALTHY'}],
        expect_errors=True)
    assert error(resp, 403) == ("Policy doesn't allow "
                                "cluster:update_health_status to be "
                                "performed.")
    assert colleague.patch_json('/v1/clusters/c1', [
        {'op': 'replace', 'path': '/node_count', 'value': 2}]
    ).status_int == 202
    assert conductor.next()[1]['node_count'] == 2
    assert conductor.received.empty()


def test_rollback_needs_1_3(api, template):
    make_cluster(api)
    ops = [{'op': 'replace', 'path': '/node_count', 'value': 2}]
    resp = api.as_(version='1.2').patch_json('/v1/clusters/c1?rollback=True',
                                             ops, expect_errors=True)
    assert error(resp, 400) == 'Unknown argument: "rollback"'
    assert api.as_(version='1.3').patch_json(
        '/v1/clusters/c1?rollback=True', ops).status_int == 202


def test_bad_patch_body_wins_over_a_missing_cluster(api):
    resp = api.patch_json('/v1/clusters/nope', {'not': 'a list'},
                          expect_errors=True)
    assert 'Value not a valid list' in error(resp, 400)


def test_delete_casts_and_keeps_the_row_for_the_conductor(api, template,
                                                          conductor):
    uuid = make_cluster(api)
    conductor.next()
    assert api.delete('/v1/clusters/c1').status_int == 204
    assert conductor.next() == ('cluster_delete', {'cluster_uuid': uuid})
    assert api.get('/v1/clusters/%s' % uuid).status_int == 200
    resp = api.delete('/v1/clusters/nope', expect_errors=True)
    assert error(resp, 404) == 'Cluster nope could not be found.'


# -- the real CLI -------------------------------------------------------------
def test_cli_cluster_lifecycle(cli, conductor):
    cli.json('cluster', 'template', 'create', 'k8s', '--coe', 'kubernetes',
             '--image', 'fedora-coreos', '--external-network', 'public',
             '--flavor', 'm1.small', '--master-flavor', 'm1.small')
    out = cli.run('cluster', 'create', 'cli-cluster', '--cluster-template',
                  'k8s', '--node-count', '2', '--labels', 'a=b',
                  '--merge-labels').stdout
    uuid = conductor.next()[1]['cluster_uuid']
    assert uuid in out
    (listed,) = cli.json('cluster', 'list')
    assert (listed['uuid'], listed['node_count'], listed['status']) == \
        (uuid, 2, 'CREATE_IN_PROGRESS')
    shown = cli.json('cluster', 'show', 'cli-cluster')
    assert shown['labels'] == {'a': 'b'} and shown['cluster_id'] is None
    cli.run('cluster', 'update', 'cli-cluster', '--node-count', '3',
            '--rollback')
    assert conductor.next() == ('cluster_update', {
        'cluster_uuid': uuid, 'node_count': 3, 'health_status': None,
        'health_status_reason': None, 'rollback': True})
    refused = cli.run('cluster', 'update', 'cli-cluster', '--name', 'other',
                      check=False)
    assert refused.returncode != 0
    assert 'cannot change cluster property(ies) name' in refused.stderr
    cli.run('cluster', 'resize', 'cli-cluster', '4')
    assert conductor.next() == ('cluster_resize', {
        'cluster_uuid': uuid, 'node_count': 4, 'nodes_to_remove': [],
        'nodegroup_uuid': objects.Cluster.get(
            context.make_admin_context(), uuid).default_worker.uuid})
    cli.run('cluster', 'upgrade', 'cli-cluster', 'k8s')
    assert conductor.next()[0] == 'cluster_upgrade'
    cli.run('cluster', 'delete', 'cli-cluster')
    assert conductor.next() == ('cluster_delete', {'cluster_uuid': uuid})


# -- the storage layer on every database --------------------------------------
def _cluster_with(ctx, *ng_names):
    return objects.Cluster(
        ctx, project_id=ctx.project_id, user_id=ctx.user_id, name='c1',
        status='CREATE_IN_PROGRESS', nodegroups=[
            objects.NodeGroup(ctx, name=name, role='worker', node_count=2,
                              is_default=True) for name in ng_names])


def test_cluster_and_nodegroups_are_stored_together(any_database):
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    cluster = _cluster_with(ctx, 'default-worker', 'pool').create()
    (listed,) = objects.Cluster.list(ctx)
    assert [ng.name for ng in listed.nodegroups] == ['default-worker', 'pool']
    assert listed.node_count == 4
    assert listed.nodegroups[0].cluster_id == cluster.uuid
    assert objects.Cluster.get(ctx, 'c1').uuid == cluster.uuid
    # A failing nodegroup insert takes the cluster row with it.
    with pytest.raises(exception.NodeGroupAlreadyExists):
        _cluster_with(ctx, 'twin', 'twin').create()
    assert [c.uuid for c in objects.Cluster.list(ctx)] == [cluster.uuid]
    other = context.RequestContext(project_id='project-2', user_id='user-2')
    assert objects.Cluster.list(other) == []
    with pytest.raises(exception.ClusterNotFound):
        objects.Cluster.get(other, cluster.uuid)
    with pytest.raises(exception.NodeGroupNotFound):
        objects.NodeGroup.get(other, cluster.uuid, 'pool')


def test_one_statement_reads_a_cluster_for_show(any_database):
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    template = objects.ClusterTemplate(
        ctx, project_id='project-1', name='t', coe='kubernetes',
        image_id='img', labels={'kube_tag': 'v1'}).create()
    cluster = _cluster_with(ctx, 'default-worker', 'pool')
    cluster.cluster_template_id = template.uuid
    cluster.create()
    bare = _cluster_with(ctx)
    bare.name = 'bare'
    bare.create()
    statements = []
    event.listen(db_api.get_engine(), 'before_cursor_execute',
                 lambda *args: statements.append(args[2]))
    shown, labels = objects.Cluster.get_with_template_labels(ctx, 'c1')
    assert len([s for s in statements if s.startswith('SELECT')]) == 1
    assert (shown.uuid, labels) == (cluster.uuid, {'kube_tag': 'v1'})
    assert [ng.name for ng in shown.nodegroups] == ['default-worker', 'pool']
    assert shown.node_count == 4
    assert objects.Cluster.get(ctx, bare.uuid).nodegroups == []
    admin = context.make_admin_context()
    assert objects.Cluster.get(admin, 'bare').uuid == bare.uuid
    _cluster_with(admin, 'default-worker').create()   # another 'c1'
    assert objects.Cluster.get(ctx, 'c1').uuid == cluster.uuid
    with pytest.raises(exception.Conflict):
        objects.Cluster.get(admin, 'c1')
