"""``magnum-conductor`` processes: the real console script with a config
file, on RabbitMQ and MariaDB/PostgreSQL; one of them killed with SIGKILL
in the middle of a create."""
import signal

from magnum.db import models
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import read
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for


def test_subprocess_conductor_creates_and_deletes(
        server_database, rows, ctx, rpc_client, conductor_process, cloud,
        notes):
    proc = conductor_process('proc-a', server_database)
    wait_for(lambda: _ping(rpc_client, ctx), what='the conductor to answer')
    uuid = rows.cluster(name='sub')

    rpc_client.cluster_create(ctx, uuid, 60)
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE',
             what='CREATE_COMPLETE')
    assert [c['cluster'] for c in cloud.calls('create_cluster')] == [uuid]
    wait_for(lambda: [s for s in read(models.MagnumService, host='proc-a',
                                      binary='magnum-conductor')
                      if s['report_count'] >= 2 and s['last_seen_up']],
             what='heartbeats')

    rpc_client.cluster_delete(ctx, uuid)
    wait_for(lambda: cluster_row(uuid) is None, what='the row to go')
    assert cloud.stacks() == []
    wait_for(lambda: len(notes.about(uuid)) >= 4, what='notifications')
    assert notes.about(uuid) == [
        ('magnum.cluster.create', 'pending'),
        ('magnum.cluster.create', 'success'),
        ('magnum.cluster.delete', 'pending'),
        ('magnum.cluster.delete', 'success')]

    proc.proc.send_signal(signal.SIGTERM)
    assert proc.proc.wait(60) == 0, proc.output()


def _ping(rpc_client, ctx):
    # Short timeouts: a call sent before the server declared its queue is
    # lost, and the default timeout is 60 s.
    try:
        return rpc_client.client.prepare(timeout=2).call(ctx,
                                                         'ping_conductor')
    except Exception:
        return False


def test_killed_conductor_create_is_finished_by_another(
        server_database, rows, ctx, rpc_client, conductor_process, cloud):
    cloud.flag('block_create')
    first = conductor_process('proc-first', server_database)
    wait_for(lambda: _ping(rpc_client, ctx), what='the conductor to answer')
    uuid = rows.cluster(name='killed')

    rpc_client.cluster_create(ctx, uuid, 60)
    wait_for(lambda: cloud.has('create-entered'),
             what='the driver to be inside create_cluster')
    assert cluster_row(uuid)['reservation'] == 'proc-first'
    first.kill()
    cloud.flag('block_create', on=False)

    conductor_process('proc-second', server_database)
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE', timeout=90,
             what='the second conductor to finish the create')
    creates = cloud.calls('create_cluster')
    assert [c['cluster'] for c in creates] == [uuid, uuid]
    assert len({c['who'] for c in creates}) == 2
    assert len(cloud.stacks()) == 1
    assert cluster_row(uuid)['stack_id'] == cloud.stacks()[0]['id']
