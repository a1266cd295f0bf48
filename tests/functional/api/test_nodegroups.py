"""/v1/clusters/{cluster}/nodegroups through the real pipeline, with a
stand-in conductor on the real RabbitMQ."""
import pytest

from magnum.common import context
from magnum import objects
from tests.functional.api import test_clusters
from tests.functional.api.test_clusters import error
from tests.functional.api.test_clusters import make_cluster
from tests.functional.api.test_clusters import set_cluster

NGS = '/v1/clusters/c1/nodegroups'
LIST_KEYS = {'uuid', 'name', 'flavor_id', 'image_id', 'node_count', 'role',
             'is_default', 'status', 'stack_id', 'min_node_count',
             'max_node_count', 'merge_labels', 'links'}
DETAIL_KEYS = LIST_KEYS | {
    'id', 'cluster_id', 'project_id', 'docker_volume_size', 'labels',
    'node_addresses', 'status_reason', 'version', 'node_labels',
    'node_taints', 'labels_overridden', 'labels_added', 'labels_skipped',
    'created_at', 'updated_at'}

conductor = test_clusters.conductor
template = test_clusters.template


@pytest.fixture
def cluster(api, template, conductor):
    """A cluster the conductor has finished creating."""
    uuid = make_cluster(api, labels={'kube_tag': 'v1.30.1', 'a': 'b'})
    assert conductor.next()[0] == 'cluster_create'
    set_cluster(uuid, status='CREATE_COMPLETE',
                api_address='https://10.0.0.3:6443')
    return uuid


def _stored(cluster_uuid, name):
    return objects.NodeGroup.get(context.make_admin_context(), cluster_uuid,
                                 name)


def test_create_stores_the_row_then_casts(api, cluster, conductor):
    resp = api.post_json(NGS + '/', {
        'name': 'pool', 'node_count': 2, 'max_node_count': 4,
        'labels': {'x': 'y'}, 'merge_labels': True,
        'node_labels': {'node.kubernetes.io/pool': 'a',
                        'kubernetes.io/arch': 'amd64', 'team': 'b'},
        'node_taints': [{'key': 'gpu', 'value': 'yes',
                         'effect': 'NoSchedule'}, {'key': 'dedicated',
                                                   'effect': 'NoExecute'}]})
    assert resp.status_int == 202
    ng = resp.json
    assert set(ng) == DETAIL_KEYS
    assert (ng['status'], ng['role'], ng['is_default']) == \
        ('CREATE_IN_PROGRESS', 'worker', False)
    assert (ng['image_id'], ng['flavor_id']) == ('fedora-coreos', 'm1.small')
    assert ng['labels'] == {'kube_tag': 'v1.30.1', 'a': 'b', 'x': 'y'}
    assert ng['labels_added'] == {'x': 'y'}
    assert ng['cluster_id'] == cluster
    assert conductor.next() == ('nodegroup_create', {
        'cluster_uuid': cluster, 'nodegroup_uuid': ng['uuid']})
    assert api.get(NGS + '/pool').json == ng
    assert api.get('/v1/clusters/c1').json['node_count'] == 3


def test_create_defaults(api, cluster, conductor):
    ng = api.post_json(NGS, {'name': 'pool', 'flavor_id': 'm1.medium',
                             'labels': {'only': 'this'}}).json
    assert (ng['node_count'], ng['min_node_count'], ng['max_node_count']) \
        == (1, 0, None)
    assert ng['flavor_id'] == 'm1.medium'
    assert ng['labels'] == {'only': 'this'}
    assert (ng['node_labels'], ng['node_taints']) == ({}, [])
    unnamed = api.post_json(NGS, {}).json
    assert unnamed['name'].endswith('-nodegroup')


BAD_CREATES = [
    ({'name': 'default-worker'}, 409, 'A node group with name default-worker '
     'already exists in the cluster c1.'),
    ({'name': 'p', 'node_count': 1, 'min_node_count': 2}, 409,
     'min_node_count for p is invalid (min_node_count (2) must not exceed '
     'node_count (1)).'),
    ({'name': 'p', 'node_count': 3, 'max_node_count': 2}, 409,
     'max_node_count for p is invalid (max_node_count (2) must be at least '
     'node_count (3) and min_node_count (0)).'),
    ({'name': 'p', 'role': 'master', 'node_labels': {'a': 'b'}}, 409,
     'node_labels for p is invalid (master nodegroups take no node '
     'labels).'),
    ({'name': 'p', 'node_labels': {'kubernetes.io/role': 'x'}}, 409,
     'node_labels for p is invalid (label kubernetes.io/role is in a '
     'namespace reserved by Kubernetes).'),
    ({'name': 'p', 'node_labels': {'foo.k8s.io/x': 'y'}}, 409,
     'label foo.k8s.io/x is in a namespace reserved by Kubernetes'),
    ({'name': 'p', 'node_taints': [{'key': 'k', 'effect': 'Sometimes'}]},
     409, 'node_taints for p is invalid (taint effect must be one of '
     'NoSchedule, PreferNoSchedule, NoExecute).'),
    ({'name': 'p', 'node_taints': ['k=v:NoSchedule']}, 409,
     "a taint is a dict of key, value and effect, not 'k=v:NoSchedule'"),
    ({'name': 'p', 'node_taints': [{'key': 'k', 'effect': 'NoSchedule',
                                    'op': 'x'}]}, 409,
     'a taint is a dict of key, value and effect'),
    ({'name': 'p', 'node_taints': [{'key': '', 'effect': 'NoSchedule'}]},
     409, 'node_taints for p is invalid (a taint needs a key).'),
    ({'name': 'p', 'role': 'master'}, 400,
     'Creating master nodegroups is currently not supported.'),
    ({'name': 'p', 'node_count': -1}, 400,
     "Invalid input for field/attribute node_count. Value: '-1'. Value "
     "should be greater or equal to 0"),
    ({'name': 'p', 'node_taints': 'gpu'}, 400,
     'Invalid input for field/attribute node_taints'),
    ({'name': 'p', 'stack_id': 'x'}, 400,
     "Invalid input for field/attribute stack_id. Value: 'x'. Cannot set "
     "read only field."),
    ({'name': 'p', 'bogus': 1}, 400,
     'Unknown attribute for argument nodegroup: bogus'),
]


@pytest.mark.parametrize('body, status, detail', BAD_CREATES)
def test_create_errors(api, cluster, conductor, body, status, detail):
    resp = api.post_json(NGS, body, expect_errors=True)
    assert detail in error(resp, status)
    names = [ng['name'] for ng in api.get(NGS).json['nodegroups']]
    assert names == ['default-master', 'default-worker']
    assert conductor.received.empty()


def test_create_needs_an_api_address(api, template):
    make_cluster(api)
    resp = api.post_json(NGS, {'name': 'pool'}, expect_errors=True)
    assert error(resp, 409) == 'Cluster API address is not available yet'


def test_nodegroups_need_1_9(api, cluster):
    old = api.as_(version='1.8')
    for resp, method in [(old.get(NGS, expect_errors=True), 'get_all'),
                         (old.get(NGS + '/default-worker',
                                  expect_errors=True), 'get_one'),
                         (old.post_json(NGS, {'name': 'p'},
                                        expect_errors=True), 'post'),
                         (old.patch_json(NGS + '/default-worker', [],
                                         expect_errors=True), 'patch'),
                         (old.delete(NGS + '/default-worker',
                                     expect_errors=True), 'delete')]:
        assert error(resp, 406) == (
            'Version 1.8 was requested but the requested API %s is not '
            'supported for this version.' % method)


def test_list_show_filter_and_pages(api, cluster, conductor):
    api.post_json(NGS, {'name': 'pool'})
    listed = api.get(NGS + '/').json['nodegroups']
    assert [ng['name'] for ng in listed] == ['default-master',
                                             'default-worker', 'pool']
    assert all(set(ng) == LIST_KEYS for ng in listed)
    assert listed[0]['links'][0]['href'].endswith(
        '/v1/clusters/%s/nodegroups/%s' % (cluster, listed[0]['uuid']))
    masters = api.get(NGS + '?role=master').json['nodegroups']
    assert [ng['name'] for ng in masters] == ['default-master']
    page = api.get(NGS + '?limit=2&role=worker').json
    assert [ng['name'] for ng in page['nodegroups']] == ['default-worker',
                                                         'pool']
    assert '/v1/clusters/%s/nodegroups?sort_key=id&sort_dir=asc&limit=2&' \
        'marker=%s' % (cluster, page['nodegroups'][1]['uuid']) in page['next']
    rest = api.get(NGS + '?limit=2&marker=%s' % listed[1]['uuid']).json
    assert [ng['name'] for ng in rest['nodegroups']] == ['pool']
    shown = api.get(NGS + '/' + listed[1]['uuid']).json
    assert set(shown) == DETAIL_KEYS and shown['name'] == 'default-worker'
    assert shown['labels_skipped'] == {}
    resp = api.get(NGS + '/detail', expect_errors=True)
    assert error(resp, 404) == 'Nodegroup detail could not be found.'
    resp = api.get(NGS + '?marker=%s' % cluster, expect_errors=True)
    assert error(resp, 404) == 'Nodegroup %s could not be found.' % cluster
    resp = api.get(NGS + '?sort_key=nope', expect_errors=True)
    assert 'The sort_key value "nope"' in error(resp, 400)


def test_patch_saves_then_casts(api, cluster, conductor):
    pool = api.post_json(NGS, {'name': 'pool', 'node_count': 2}).json
    conductor.next()
    resp = api.patch_json(NGS + '/pool', [
        {'op': 'replace', 'path': '/min_node_count', 'value': 1},
        {'op': 'replace', 'path': '/max_node_count', 'value': 3},
        {'op': 'replace', 'path': '/node_labels',
         'value': "{'team': 'a'}"},
        {'op': 'replace', 'path': '/node_taints',
         'value': "[{'key': 'gpu', 'effect': 'NoSchedule'}]"}])
    assert resp.status_int == 202
    assert (resp.json['min_node_count'], resp.json['max_node_count']) == \
        (1, 3)
    assert conductor.next() == ('nodegroup_update', {
        'cluster_uuid': cluster, 'nodegroup_uuid': pool['uuid']})
    stored = _stored(cluster, 'pool')
    assert (stored.min_node_count, stored.max_node_count) == (1, 3)
    assert stored.node_labels == {'team': 'a'}
    assert stored.node_taints == [{'key': 'gpu', 'effect': 'NoSchedule'}]
    assert api.get(NGS + '/pool').json == resp.json
    api.patch_json(NGS + '/pool', [
        {'op': 'remove', 'path': '/max_node_count'},
        {'op': 'add', 'path': '/node_labels/extra', 'value': 'x'}])
    stored = _stored(cluster, 'pool')
    assert stored.max_node_count is None
    assert stored.node_labels == {'team': 'a', 'extra': 'x'}


@pytest.mark.parametrize('ops, status, detail', [
    ([{'op': 'replace', 'path': '/node_count', 'value': 3}], 400,
     "'/node_count' is an internal attribute and can not be updated"),
    ([{'op': 'replace', 'path': '/name', 'value': 'x'}], 400,
     "'/name' is an internal attribute and can not be updated"),
    ([{'op': 'add', 'path': '/labels/x', 'value': 'y'}], 400,
     "'/labels/x' is an internal attribute and can not be updated"),
    ([{'op': 'replace', 'path': '/min_node_count', 'value': 3}], 409,
     'min_node_count for default-worker is invalid (min_node_count (3) must '
     'not exceed node_count (1)).'),
    ([{'op': 'replace', 'path': '/min_node_count', 'value': -1}], 400,
     'Value should be greater or equal to 0'),
    ([{'op': 'replace', 'path': '/node_labels',
       'value': "{'k8s.io/x': 'y'}"}], 409,
     'label k8s.io/x is in a namespace reserved by Kubernetes'),
    ([{'op': 'replace', 'path': '/node_taints', 'value': "[{'a': 1"}], 400,
     "Couldn't apply patch"),
    ({'not': 'a list'}, 400, 'Value not a valid list'),
])
def test_patch_errors(api, cluster, ops, status, detail):
    resp = api.patch_json(NGS + '/default-worker', ops, expect_errors=True)
    assert detail in error(resp, status)
    stored = _stored(cluster, 'default-worker')
    assert (stored.node_count, stored.min_node_count, stored.node_labels) \
        == (1, 0, {})


def test_patching_the_master_refuses_node_labels(api, cluster):
    resp = api.patch_json(NGS + '/default-master', [
        {'op': 'replace', 'path': '/node_labels', 'value': "{'a': 'b'}"}],
        expect_errors=True)
    assert error(resp, 409) == ('node_labels for default-master is invalid '
                                '(master nodegroups take no node labels).')


def test_delete(api, cluster, conductor):
    pool = api.post_json(NGS, {'name': 'pool'}).json
    conductor.next()
    assert api.delete(NGS + '/pool').status_int == 204
    assert conductor.next() == ('nodegroup_delete', {
        'cluster_uuid': cluster, 'nodegroup_uuid': pool['uuid']})
    for name in ('default-worker', 'default-master'):
        resp = api.delete(NGS + '/' + name, expect_errors=True)
        assert error(resp, 400) == \
            'Deleting a default nodegroup is not supported.'
    resp = api.delete(NGS + '/nope', expect_errors=True)
    assert error(resp, 404) == 'Nodegroup nope could not be found.'
    assert conductor.received.empty()


def test_readers_read_but_do_not_write(api, cluster):
    reader = api.as_(roles='reader')
    assert len(reader.get(NGS).json['nodegroups']) == 2
    resp = reader.post_json(NGS, {'name': 'pool'}, expect_errors=True)
    assert error(resp, 403) == \
        "Policy doesn't allow nodegroup:create to be performed."


def test_admins_read_other_projects_nodegroups(api, cluster):
    admin = api.as_(project='admin-project', roles='admin')
    url = '/v1/clusters/%s/nodegroups' % cluster
    assert len(admin.get(url).json['nodegroups']) == 2
    assert admin.get(url + '/default-worker').json['project_id'] == \
        'project-1'


def test_cli_nodegroup_lifecycle(cli, conductor):
    cli.json('cluster', 'template', 'create', 'k8s', '--coe', 'kubernetes',
             '--image', 'fedora-coreos', '--external-network', 'public',
             '--flavor', 'm1.small', '--master-flavor', 'm1.small')
    cli.run('cluster', 'create', 'c1', '--cluster-template', 'k8s')
    cluster = conductor.next()[1]['cluster_uuid']
    set_cluster(cluster, status='CREATE_COMPLETE',
                api_address='https://10.0.0.3:6443')
    cli.run('nodegroup', 'create', 'c1', 'pool', '--node-count', '2',
            '--max-nodes', '4', '--labels', 'x=y',
            '--node-labels', 'team=a', '--node-taints', 'gpu=yes:NoSchedule')
    assert conductor.next()[0] == 'nodegroup_create'
    listed = cli.json('nodegroup', 'list', 'c1', '--role', 'worker')
    assert [ng['name'] for ng in listed] == ['default-worker', 'pool']
    shown = cli.json('nodegroup', 'show', 'c1', 'pool')
    assert (shown['node_count'], shown['max_node_count'],
            shown['status']) == (2, 4, 'CREATE_IN_PROGRESS')
    cli.run('nodegroup', 'update', 'c1', 'pool', '--min-nodes', '1',
            '--node-labels', 'team=b', '--node-taints', 'gpu:NoExecute')
    assert conductor.next()[0] == 'nodegroup_update'
    stored = _stored(cluster, 'pool')
    assert (stored.min_node_count, stored.node_labels) == (1, {'team': 'b'})
    assert stored.node_taints == [{'key': 'gpu', 'value': '',
                                   'effect': 'NoExecute'}]
    cli.run('nodegroup', 'delete', 'c1', 'pool')
    assert conductor.next()[0] == 'nodegroup_delete'
