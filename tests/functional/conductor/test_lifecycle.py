"""A cluster's life through a running conductor: rows written the API's
way, a cast on RabbitMQ, the test driver called, the reconcile loop
observing the result, CADF notifications on the bus."""
from magnum.db import models
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import read
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for


def test_create_reaches_complete(any_database, rows, ctx, rpc_client,
                                 start_conductor, cloud, notes):
    start_conductor('conductor-a')
    uuid = rows.cluster(name='demo', create_timeout=42)

    rpc_client.cluster_create(ctx, uuid, 42)

    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE',
             what='CREATE_COMPLETE')
    [call] = cloud.calls('create_cluster')
    assert call['cluster'] == uuid and call['who'] == 'conductor-a'
    assert call['timeout'] == 42 and call['has_sa_key']
    row = cluster_row(uuid)
    assert row['stack_id'] and row['api_address'] == 'https://10.0.0.10:6443'
    assert all(row[f] for f in ('ca_cert_ref', 'etcd_ca_cert_ref',
                                'front_proxy_ca_cert_ref',
                                'magnum_cert_ref'))
    wait_for(lambda: cluster_row(uuid)['reservation'] is None,
             what='the reservation to be released')
    nodegroups = read(models.NodeGroup, cluster_id=uuid)
    assert {ng['status'] for ng in nodegroups} == {'CREATE_COMPLETE'}
    assert {ng['stack_id'] for ng in nodegroups} == {row['stack_id']}
    worker = [ng for ng in nodegroups if ng['role'] == 'worker'][0]
    assert worker['node_addresses'] == ['10.0.1.0', '10.0.1.1']

    wait_for(lambda: len(notes.about(uuid)) >= 2, what='notifications')
    assert notes.about(uuid) == [('magnum.cluster.create', 'pending'),
                                 ('magnum.cluster.create', 'success')]


def test_ping(database, rpc_client, ctx, start_conductor):
    start_conductor('conductor-a')
    assert rpc_client.ping_conductor(ctx) is True
