"""The API when no conductor can be reached: a cast to an unreachable bus,
or a call no conductor answers, ends in bounded time with a 503 in
Magnum's error format, and nothing already stored is lost.

(A call while the bus is down is not bounded: oslo.messaging builds its
reply-queue connection without a retry limit.)"""
import socket

import pytest

from magnum.common import rpc
from tests.functional.api.test_clusters import make_cluster
from tests.functional.api.test_clusters import make_template
from tests.functional.api.test_clusters import set_cluster

NG_HEADERS = {'OpenStack-API-Version': 'container-infra 1.9'}


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def cluster(api):
    """A stored, running cluster, made while RabbitMQ was up."""
    make_template(api)
    uuid = make_cluster(api)
    set_cluster(uuid, status='CREATE_COMPLETE',
                api_address='https://192.0.2.10:6443')
    return uuid


@pytest.fixture
def dead_bus(conf, cluster):
    conf.set_override('transport_url', 'rabbit://guest:guest@127.0.0.1:%d/'
                      % _closed_port())
    conf.set_override('rpc_send_retries', 1, group='conductor')
    rpc.cleanup()


def _unavailable(resp, method):
    assert resp.status_int == 503, resp.body
    (err,) = resp.json['errors']
    assert (err['status'], err['code']) == (503, 'server')
    assert method in err['detail']


def test_update_and_delete_answer_503_and_keep_the_cluster(
        api, cluster, dead_bus):
    resp = api.patch_json('/v1/clusters/%s' % cluster,
                          [{'op': 'replace', 'path': '/node_count',
                            'value': 3}], expect_errors=True)
    _unavailable(resp, 'cluster_update')
    resp = api.delete('/v1/clusters/%s' % cluster, expect_errors=True)
    _unavailable(resp, 'cluster_delete')
    kept = api.get('/v1/clusters/%s' % cluster).json
    assert (kept['status'], kept['node_count']) == ('CREATE_COMPLETE', 1)


def test_nodegroup_create_is_undone(api, cluster, dead_bus):
    resp = api.post_json('/v1/clusters/%s/nodegroups' % cluster,
                         {'name': 'extra', 'node_count': 1},
                         headers=NG_HEADERS, expect_errors=True)
    _unavailable(resp, 'nodegroup_create')
    names = [ng['name'] for ng in api.get(
        '/v1/clusters/%s/nodegroups' % cluster,
        headers=NG_HEADERS).json['nodegroups']]
    assert sorted(names) == ['default-master', 'default-worker']


def test_a_call_no_conductor_answers_is_503(api, cluster, conf):
    conf.set_override('rpc_response_timeout', 1)
    resp = api.get('/v1/certificates/%s' % cluster, expect_errors=True)
    _unavailable(resp, 'get_ca_certificate')


def test_cluster_create_is_kept_for_the_periodic_sync(
        api, cluster, dead_bus):
    """The row is stored before the cast (reconcile drives a create with
    no stack after one lease), so the tenant gets the usual 202."""
    uuid = make_cluster(api, name='c2')
    stored = api.get('/v1/clusters/%s' % uuid).json
    assert stored['status'] == 'CREATE_IN_PROGRESS'
