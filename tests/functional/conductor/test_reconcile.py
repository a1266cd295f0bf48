"""The periodic reconcile: partitioned over live conductors, our own
create_timeout, resuming abandoned creates, finishing deletes."""
from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from magnum.common import context as magnum_context
from magnum.db import clusters as cluster_db
from magnum.db import models
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import read
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for


def _observers(cloud, uuids):
    """{cluster uuid: {conductors that observed it}}"""
    seen = {u: set() for u in uuids}
    for call in cloud.calls('observe_cluster'):
        if call['cluster'] in seen:
            seen[call['cluster']].add(call['who'])
    return seen


def test_two_conductors_split_the_clusters(any_database, rows, cloud,
                                           start_conductor):
    cloud.flag('hold')  # stacks stay in progress: every pass polls them
    uuids = [rows.cluster(name='c%d' % i, stack_id='stack-%d' % i)
             for i in range(12)]
    for i in range(12):
        cloud.put({'id': 'stack-%d' % i, 'name': 'c%d' % i,
                   'status': 'CREATE_IN_PROGRESS'})
    a = start_conductor('conductor-a', start=False)
    b = start_conductor('conductor-b', start=False)
    a.heartbeat.beat()
    b.heartbeat.beat()
    a.start()
    b.start()

    wait_for(lambda: a.reconciler.passes >= 3 and b.reconciler.passes >= 3,
             what='three passes of each conductor')
    seen = _observers(cloud, uuids)
    by_a = {u for u, who in seen.items() if 'conductor-a' in who}
    by_b = {u for u, who in seen.items() if 'conductor-b' in who}
    assert by_a and by_b
    assert not by_a & by_b
    assert by_a | by_b == set(uuids)


def test_once_heat_notifies_a_pass_reads_a_few_clusters_in_turn(
        database, rows, cloud, conductor_conf, start_conductor):
    """Until Heat is heard on the bus every pass reads every cluster;
    then a pass reads backstop_poll_limit of them, the least recently
    read first."""
    conductor_conf.set_override('backstop_poll_limit', 3, group='conductor')
    cloud.flag('hold')
    uuids = [rows.cluster(name='c%d' % i, stack_id='stack-%d' % i)
             for i in range(7)]
    for i in range(7):
        cloud.put({'id': 'stack-%d' % i, 'name': 'c%d' % i,
                   'status': 'CREATE_IN_PROGRESS'})
    reconciler = start_conductor('conductor-a', start=False).reconciler

    def reads_of_one_pass():
        before = len(cloud.calls('observe_cluster'))
        reconciler.run_once()
        return [c['cluster'] for c in cloud.calls('observe_cluster')[before:]]

    assert sorted(reads_of_one_pass()) == sorted(uuids)
    reconciler.heard()
    turns = [reads_of_one_pass() for _ in range(3)]
    assert [len(t) for t in turns] == [3, 3, 3]
    assert set(turns[0] + turns[1] + turns[2]) == set(uuids)
    assert not set(turns[0]) & set(turns[1])


def test_create_timeout(database, rows, cloud, start_conductor, notes):
    cloud.flag('hold')
    uuid = rows.cluster(name='slow', create_timeout=1, age_seconds=61,
                        stack_id='stack-slow')
    cloud.put({'id': 'stack-slow', 'name': 'slow',
               'status': 'CREATE_IN_PROGRESS'})
    fresh = rows.cluster(name='fresh', create_timeout=1,
                         stack_id='stack-fresh')
    cloud.put({'id': 'stack-fresh', 'name': 'fresh',
               'status': 'CREATE_IN_PROGRESS'})
    svc = start_conductor('conductor-a')

    wait_for(lambda: status_of(uuid) == 'CREATE_FAILED', what='the timeout')
    row = cluster_row(uuid)
    assert row['status_reason'] == \
        'Cluster create timed out after 1 minutes'
    assert {ng['status'] for ng in read(models.NodeGroup, cluster_id=uuid)} \
        == {'CREATE_FAILED'}
    wait_for(lambda: svc.reconciler.passes >= 2, what='another pass')
    assert status_of(fresh) == 'CREATE_IN_PROGRESS'
    wait_for(lambda: notes.about(uuid), what='the failure notification')
    assert notes.about(uuid) == [('magnum.cluster.create', 'failure')]
    assert notes.events[0]['priority'] == 'ERROR'


def test_abandoned_create_is_resumed(database, rows, cloud, conductor_conf,
                                     start_conductor):
    # Written by the API, but the cast never reached a conductor.
    uuid = rows.cluster(name='orphan',
                        age_seconds=conductor_conf.conductor.lock_lease + 1)
    start_conductor('conductor-a')
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE',
             what='the reconcile to drive the create')
    assert [c['cluster'] for c in cloud.calls('create_cluster')] == [uuid]


def test_lost_delete_is_driven_again(database, rows, cloud, start_conductor):
    # DELETE_IN_PROGRESS written, but the driver was never asked.
    uuid = rows.cluster(name='gone', status='DELETE_IN_PROGRESS',
                        stack_id='stack-gone')
    cloud.put({'id': 'stack-gone', 'name': 'gone',
               'status': 'CREATE_COMPLETE'})
    start_conductor('conductor-a')
    wait_for(lambda: cluster_row(uuid) is None, what='the delete to finish')
    assert [c['cluster'] for c in cloud.calls('delete_cluster')] == [uuid]
    assert read(models.NodeGroup, cluster_id=uuid) == []


def test_stack_failure_is_reported(database, rows, cloud, start_conductor,
                                   notes):
    uuid = rows.cluster(name='broken', stack_id='stack-broken')
    cloud.put({'id': 'stack-broken', 'name': 'broken',
               'status': 'CREATE_FAILED', 'reason': 'quota exceeded'})
    start_conductor('conductor-a')
    wait_for(lambda: status_of(uuid) == 'CREATE_FAILED', what='the failure')
    assert cluster_row(uuid)['status_reason'] == 'quota exceeded'
    wait_for(lambda: notes.about(uuid), what='the notification')
    assert notes.about(uuid) == [('magnum.cluster.create', 'failure')]


def test_an_observation_is_written_all_or_nothing(database, rows):
    """The cluster's new status and its default nodegroups' statuses and
    addresses land in one transaction: a reader never sees one without
    the other."""
    ctx = magnum_context.make_admin_context()
    uuid = rows.cluster(name='atomic', stack_id='stack-atomic')
    nodegroups = {ng['uuid']: {'status': 'CREATE_COMPLETE',
                               'node_addresses': ['10.0.0.%d' % i]}
                  for i, ng in enumerate(read(models.NodeGroup,
                                              cluster_id=uuid))}
    with pytest.raises((sa.exc.SQLAlchemyError, db_exc.DBError)):
        cluster_db.write_observation(ctx, uuid, {'no_such_column': 1},
                                     nodegroups)
    assert [(ng['status'], ng['node_addresses']) for ng in
            read(models.NodeGroup, cluster_id=uuid)] == \
        [('CREATE_IN_PROGRESS', [])] * 2

    cluster_db.write_observation(ctx, uuid, {
        'status': 'CREATE_COMPLETE', 'api_address': 'https://10.0.0.0:6443'},
        nodegroups)
    assert cluster_row(uuid)['api_address'] == 'https://10.0.0.0:6443'
    assert status_of(uuid) == 'CREATE_COMPLETE'
    assert sorted(ng['node_addresses'][0] for ng in
                  read(models.NodeGroup, cluster_id=uuid)) == \
        ['10.0.0.0', '10.0.0.1']
