"""The fast path: Heat's orchestration.stack.*.end notification on the bus
makes the owning conductor reconcile the cluster at once."""
import time
import uuid

import oslo_messaging as messaging

from magnum.common import rpc
from magnum.conf import CONF
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for


def _heat_notifies(stack_id, event_type='orchestration.stack.create.end'):
    """Publish as Heat does: exchange 'heat', <topic>.info, messaging v2."""
    message = {'message_id': str(uuid.uuid4()),
               'publisher_id': 'orchestration.test-host',
               'event_type': event_type, 'priority': 'INFO',
               'payload': {'stack_identity':
                           'arn:openstack:heat::project-1:stacks/x/%s'
                           % stack_id,
                           'state': 'CREATE_COMPLETE'},
               'timestamp': time.strftime('%Y-%m-%d %H:%M:%S')}
    topic = CONF.oslo_messaging_notifications.topics[0]
    rpc.get_notification_transport()._send_notification(
        messaging.Target(topic='%s.info' % topic, exchange='heat'), {},
        message, version=2.0)


def _in_progress_after_a_pass(name, rows, cloud, conductor_conf,
                              start_conductor):
    """A cluster whose stack ``stack-<name>`` stays CREATE_IN_PROGRESS, and
    a conductor (periodic pass every hour) that has made its first pass:
    (cluster uuid, conductor service)."""
    conductor_conf.set_override('sync_interval', 3600, group='conductor')
    cloud.flag('hold')
    cluster = rows.cluster(name=name, stack_id='stack-' + name)
    cloud.put({'id': 'stack-' + name, 'name': name,
               'status': 'CREATE_IN_PROGRESS'})
    svc = start_conductor('conductor-a')
    wait_for(lambda: svc.reconciler.passes >= 1, what='the first pass')
    return cluster, svc


def test_stack_end_notification_triggers_a_reconcile(
        database, rows, cloud, conductor_conf, start_conductor):
    cluster, svc = _in_progress_after_a_pass(
        'fast', rows, cloud, conductor_conf, start_conductor)
    assert status_of(cluster) == 'CREATE_IN_PROGRESS'

    cloud.set('stack-fast', status='CREATE_COMPLETE')
    _heat_notifies('stack-unrelated')
    _heat_notifies('stack-fast')

    wait_for(lambda: status_of(cluster) == 'CREATE_COMPLETE',
             what='the notification-driven reconcile')
    assert svc.reconciler.passes == 1


def test_heats_word_wins_over_a_read_that_trails_it(
        database, rows, cloud, conductor_conf, start_conductor):
    """Heat announces a stack's new state just before storing it: a read
    that still shows the create in progress does not hold the cluster
    back."""
    cluster, svc = _in_progress_after_a_pass(
        'trailing', rows, cloud, conductor_conf, start_conductor)

    _heat_notifies('stack-trailing')      # Heat: CREATE_COMPLETE

    wait_for(lambda: status_of(cluster) == 'CREATE_COMPLETE',
             what='the announced completion')
    assert cloud.stack('stack-trailing')['status'] == 'CREATE_IN_PROGRESS'


def test_a_notification_for_a_busy_cluster_is_not_lost(
        database, rows, cloud, conductor_conf, start_conductor):
    """Heat's event can arrive while another conductor holds the cluster,
    or before Heat's own status reads complete: the cluster still
    completes without waiting for a periodic pass."""
    from magnum.conductor import locks

    cluster, svc = _in_progress_after_a_pass(
        'busy', rows, cloud, conductor_conf, start_conductor)

    other = locks.LockManager('conductor-b', lease_seconds=30)
    assert other.try_acquire(cluster)
    _heat_notifies('stack-busy')          # arrives while conductor-b holds it
    time.sleep(0.3)
    cloud.set('stack-busy', status='CREATE_COMPLETE')
    other.release(cluster)

    wait_for(lambda: status_of(cluster) == 'CREATE_COMPLETE',
             what='the re-poked reconcile')
    assert svc.reconciler.passes == 1


def test_a_notification_waits_out_a_long_reservation(
        database, rows, cloud, conductor_conf, start_conductor):
    """A holder that keeps the cluster longer than the re-reads after a
    notification span (0.2 + 0.5 + 1 + 2 + 4 s) does not send it to the
    periodic pass: it completes once the holder lets go."""
    from magnum.conductor import locks

    conductor_conf.set_override('lock_lease', 30, group='conductor')
    cluster, svc = _in_progress_after_a_pass(
        'held', rows, cloud, conductor_conf, start_conductor)

    other = locks.LockManager('conductor-b', lease_seconds=30)
    assert other.try_acquire(cluster)
    cloud.set('stack-held', status='CREATE_COMPLETE')
    _heat_notifies('stack-held')
    time.sleep(9)
    assert status_of(cluster) == 'CREATE_IN_PROGRESS'
    other.release(cluster)

    wait_for(lambda: status_of(cluster) == 'CREATE_COMPLETE', timeout=10,
             what='the waiting reconcile')
    assert svc.reconciler.passes == 1
