"""Reservations on the real databases."""
import threading
import time

import pytest

from magnum.common import context as magnum_context
from magnum.common import exception
from magnum.conductor import locks
from magnum.db import clusters as cluster_db
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import wait_for


@pytest.fixture
def cluster(any_database, rows):
    return rows.cluster()


def test_one_holder_at_a_time(cluster):
    a = locks.LockManager('host-a', lease_seconds=30)
    b = locks.LockManager('host-b', lease_seconds=30)
    with a.cluster(cluster):
        assert cluster_row(cluster)['reservation'] == 'host-a'
        with pytest.raises(exception.ClusterBusy) as err:
            with b.cluster(cluster):
                pass
        assert 'host-a' in str(err.value) and err.value.code == 409
        # Threads of one conductor exclude each other too.
        assert not a.try_acquire(cluster)
    assert cluster_row(cluster)['reservation'] is None
    with b.cluster(cluster):
        assert cluster_row(cluster)['reservation'] == 'host-b'


def test_many_threads_race_for_one_cluster(cluster):
    managers = [locks.LockManager('host-%d' % i, 30) for i in range(8)]
    barrier = threading.Barrier(len(managers))
    won = []

    def race(manager):
        barrier.wait()
        if manager.try_acquire(cluster):
            won.append(manager.owner)

    threads = [threading.Thread(target=race, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(won) == 1
    assert cluster_row(cluster)['reservation'] == won[0]


def test_expired_lease_can_be_taken(cluster):
    admin = magnum_context.make_admin_context()
    assert cluster_db.reserve(admin, cluster, 'dead-host', -1)
    b = locks.LockManager('host-b', 30)
    with b.cluster(cluster):
        assert cluster_row(cluster)['reservation'] == 'host-b'


def test_waiting_for_a_lock(cluster):
    a = locks.LockManager('host-a', 30, poll_interval=0.05)
    b = locks.LockManager('host-b', 30, poll_interval=0.05)
    assert a.try_acquire(cluster)
    threading.Timer(0.3, a.release, args=(cluster,)).start()
    with b.cluster(cluster, wait=30):
        assert cluster_row(cluster)['reservation'] == 'host-b'


def test_a_waiter_of_the_same_conductor_takes_over_on_release(cluster):
    """No polling delay between threads of one conductor: the waiter wakes
    when the holder lets go, long before its next poll would."""
    a = locks.LockManager('host-a', 30, poll_interval=20)
    assert a.try_acquire(cluster)
    threading.Timer(0.3, a.release, args=(cluster,)).start()
    started = time.monotonic()
    with a.cluster(cluster, wait=30):
        assert cluster_row(cluster)['reservation'] == 'host-a'
    assert time.monotonic() - started < a.poll_interval / 2


def test_held_leases_are_renewed(cluster):
    a = locks.LockManager('host-a', lease_seconds=2)
    a.start()
    try:
        with a.cluster(cluster):
            first = cluster_row(cluster)['reservation_expires']
            wait_for(lambda: cluster_row(cluster)['reservation_expires']
                     > first, what='a renewal')
    finally:
        a.stop()


def test_restart_releases_own_leases(cluster):
    admin = magnum_context.make_admin_context()
    assert cluster_db.reserve(admin, cluster, 'host-a', 300)
    again = locks.LockManager('host-a', 30)
    again.start()
    again.stop()
    assert cluster_row(cluster)['reservation'] is None


def test_unknown_cluster(any_database):
    with pytest.raises(exception.ClusterNotFound):
        with locks.LockManager('host-a', 30).cluster('nope'):
            pass
