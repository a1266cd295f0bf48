"""POST /v1/clusters/{ident}/actions/resize and .../upgrade, with a
stand-in conductor on the real RabbitMQ."""
import pytest

from magnum.common import context
from magnum.common import exception
from magnum import objects
from tests.functional.api import test_clusters
from tests.functional.api.test_clusters import error
from tests.functional.api.test_clusters import make_cluster
from tests.functional.api.test_clusters import make_template
from tests.functional.api.test_clusters import set_nodegroup

RESIZE = '/v1/clusters/c1/actions/resize'
UPGRADE = '/v1/clusters/c1/actions/upgrade'

conductor = test_clusters.conductor
template = test_clusters.template


@pytest.fixture
def cluster(api, template, conductor):
    uuid = make_cluster(api, node_count=2)
    assert conductor.next()[0] == 'cluster_create'
    return objects.Cluster.get(context.make_admin_context(), uuid)


def _extra_nodegroup(cluster, **values):
    ng = objects.NodeGroup(context.make_admin_context(),
                           cluster_id=cluster.uuid, project_id='project-1',
                           name='pool', role='worker', node_count=2,
                           min_node_count=1, max_node_count=5, **values)
    return ng.create()


def test_resize_casts_for_the_default_worker(api, cluster, conductor):
    resp = api.post_json(RESIZE, {'node_count': 5,
                                  'nodes_to_remove': ['server-1']})
    assert resp.status_int == 202 and resp.json == {'uuid': cluster.uuid}
    assert conductor.next() == ('cluster_resize', {
        'cluster_uuid': cluster.uuid, 'node_count': 5,
        'nodes_to_remove': ['server-1'],
        'nodegroup_uuid': cluster.default_worker.uuid})


def test_resize_a_named_nodegroup_within_its_bounds(api, cluster, conductor):
    pool = _extra_nodegroup(cluster)
    api.post_json(RESIZE, {'node_count': 5, 'nodegroup': 'pool'})
    assert conductor.next() == ('cluster_resize', {
        'cluster_uuid': cluster.uuid, 'node_count': 5, 'nodes_to_remove': [],
        'nodegroup_uuid': pool.uuid})


@pytest.mark.parametrize('body, version, status, detail', [
    ({'node_count': 3}, '1.6', 406, 'Version 1.6 was requested but the '
     'requested API resize is not supported for this version.'),
    ({'node_count': 0}, '1.9', 400, 'Resizing a nodegroup to zero is not '
     'supported in the provided microversion.'),
    ({}, 'latest', 400, "Invalid input for field/attribute node_count. "
     "Value: 'None'. Mandatory field missing."),
    ({'node_count': -1}, 'latest', 400,
     "Invalid input for field/attribute node_count. Value: '-1'. Value "
     "should be greater or equal to 0"),
    ({'node_count': 2, 'bogus': 1}, 'latest', 400,
     'Unknown attribute for argument cluster_resize_req: bogus'),
    ({'node_count': 3, 'nodegroup': 'default-master'}, 'latest', 400,
     'Resizing the master nodegroup is not supported by this driver.'),
    ({'node_count': 3, 'nodegroup': 'nope'}, 'latest', 404,
     'Nodegroup nope could not be found.'),
    ({'node_count': 6, 'nodegroup': 'pool'}, 'latest', 400,
     'Resizing pool outside the allowed range: min_node_count = 1, '
     'max_node_count = 5'),
    ({'node_count': 0, 'nodegroup': 'pool'}, 'latest', 400,
     'Resizing pool outside the allowed range: min_node_count = 1, '
     'max_node_count = 5'),
])
def test_resize_errors(api, cluster, conductor, body, version, status,
                       detail):
    _extra_nodegroup(cluster)
    resp = api.as_(version=version).post_json(RESIZE, body,
                                              expect_errors=True)
    assert error(resp, status) == detail
    assert conductor.received.empty()


def test_resize_below_the_worker_minimum_label(api, template, conductor):
    make_cluster(api, node_count=3, labels={'min_node_count': 2})
    resp = api.post_json(RESIZE, {'node_count': 1}, expect_errors=True)
    assert error(resp, 400) == ('Resizing default-worker outside the allowed '
                                'range: min_node_count = 2, max_node_count = '
                                'None')


def test_upgrade_is_a_call_to_the_conductor(api, cluster, conductor):
    new = make_template(api, name='k8s-new', labels={'kube_tag': 'v1.31.0'})
    resp = api.post_json(UPGRADE, {'cluster_template': 'k8s-new',
                                   'max_batch_size': 2})
    assert resp.status_int == 202 and resp.json == {'uuid': cluster.uuid}
    assert conductor.next() == ('cluster_upgrade', {
        'cluster_uuid': cluster.uuid, 'cluster_template_uuid': new['uuid'],
        'max_batch_size': 2, 'nodegroup_uuid': cluster.default_worker.uuid})


def test_upgrade_surfaces_the_conductors_refusal(api, cluster, conductor):
    conductor.upgrade_error = exception.NotSupported(
        'Upgrading a cluster that uses this driver is not supported.')
    resp = api.post_json(UPGRADE, {'cluster_template': 'k8s'},
                         expect_errors=True)
    assert error(resp, 400) == \
        'Upgrading a cluster that uses this driver is not supported.'
    assert conductor.next()[0] == 'cluster_upgrade'


def test_upgrade_without_a_conductor_is_unavailable(api, template, conf):
    conf.set_override('rpc_response_timeout', 1)
    make_cluster(api)
    resp = api.post_json(UPGRADE, {'cluster_template': 'k8s'},
                         expect_errors=True)
    assert resp.status_int == 503
    assert resp.json['errors'][0]['detail'] == \
        'No conductor answered the cluster_upgrade request in time.'


def test_upgrade_a_non_default_nodegroup_only_to_the_clusters_template(
        api, cluster, conductor):
    pool = _extra_nodegroup(cluster)
    make_template(api, name='k8s-new')
    resp = api.post_json(UPGRADE, {'cluster_template': 'k8s-new',
                                   'nodegroup': 'pool'}, expect_errors=True)
    assert error(resp, 409).startswith(
        'Cluster Template is not valid for upgrade: nodegroup pool')
    api.post_json(UPGRADE, {'cluster_template': 'k8s', 'nodegroup': 'pool'})
    assert conductor.next()[1]['nodegroup_uuid'] == pool.uuid


@pytest.mark.parametrize('body, version, status, detail', [
    ({'cluster_template': 'k8s'}, '1.6', 406, 'Version 1.6 was requested but '
     'the requested API upgrade is not supported for this version.'),
    ({'cluster_template': 'k8s'}, '1.7', 400,
     'Cluster upgrade is not supported in the provided microversion.'),
    ({'cluster_template': 'nope'}, 'latest', 404,
     'ClusterTemplate nope could not be found.'),
    ({}, 'latest', 400, "Invalid input for field/attribute cluster_template. "
     "Value: 'None'. Mandatory field missing."),
    ({'cluster_template': 'k8s', 'max_batch_size': 0}, 'latest', 400,
     'Value should be greater or equal to 1'),
    ({'cluster_template': 'k8s', 'nodegroup': 'nope'}, 'latest', 404,
     'Nodegroup nope could not be found.'),
])
def test_upgrade_errors(api, cluster, conductor, body, version, status,
                        detail):
    resp = api.as_(version=version).post_json(UPGRADE, body,
                                              expect_errors=True)
    assert detail in error(resp, status)
    assert conductor.received.empty()


def test_actions_on_a_missing_cluster(api, template):
    for url, body in ((RESIZE, {'node_count': 1}),
                      (UPGRADE, {'cluster_template': 'k8s'})):
        resp = api.post_json(url, body, expect_errors=True)
        assert error(resp, 404) == 'Cluster c1 could not be found.'


def test_reader_cannot_resize(api, cluster):
    resp = api.as_(roles='reader').post_json(RESIZE, {'node_count': 1},
                                             expect_errors=True)
    assert error(resp, 403) == \
        "Policy doesn't allow cluster:resize to be performed."


def test_resize_counts_set_by_the_conductor_are_read_back(api, cluster):
    set_nodegroup(cluster.uuid, 'default-worker', max_node_count=2)
    resp = api.post_json(RESIZE, {'node_count': 3}, expect_errors=True)
    assert error(resp, 400).endswith('max_node_count = 2')
