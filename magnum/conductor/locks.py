"""Per-cluster reservations: who drives a cluster, until when.

A reservation is taken with one conditional UPDATE on the cluster row
(free, expired, or already ours), renewed by one background thread while
work runs, and released afterwards. A conductor that dies stops renewing,
so its lease expires after ``[conductor] lock_lease`` seconds and any other
conductor may take over. Leases compare the conductors' clocks
(``utcnow``): keep them in sync (NTP), as for every OpenStack service.

The owner is the conductor's host name, so a conductor restarted on the
same host takes its old reservations back at once (``release_all`` at
start). Threads of one process share the owner, so an in-process set keeps
them from driving the same cluster together, and a thread waiting for a
cluster another thread of this process holds wakes the moment it is let go.

Waiting (see manager): holders keep a lock only for the few seconds a
driver call takes, so RPC *calls* wait a little (``call_lock_wait``) and
then answer 409 ClusterBusy; *casts* cannot report 409 back to anyone, so
they wait up to one lease before they give up.
"""
import contextlib
import threading
import time

from oslo_log import log as logging

from magnum.common import context as magnum_context
from magnum.common import exception
from magnum.db import clusters as cluster_db

LOG = logging.getLogger(__name__)


class LockManager:
    """The reservations held by one conductor."""

    def __init__(self, owner, lease_seconds, poll_interval=0.2):
        self.owner = owner
        self.lease = lease_seconds
        self.poll_interval = poll_interval
        self._held = set()
        self._mutex = threading.Lock()
        self._released = threading.Condition(self._mutex)
        self._stop = threading.Event()
        self._renewer = None
        self._ctx = magnum_context.make_admin_context()

    # -- lifecycle ----------------------------------------------------------
    def start(self):
        released = cluster_db.release_all_reservations(self._ctx, self.owner)
        if released:
            LOG.info('Released %d reservations left by a previous run of %s',
                     released, self.owner)
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop,
                                         name='lock-renewer', daemon=True)
        self._renewer.start()

    def stop(self):
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(self.lease)

    def _renew_loop(self):
        while not self._stop.wait(max(self.lease / 3.0, 0.5)):
            with self._mutex:
                held = set(self._held)
            try:
                kept = cluster_db.renew_reservations(self._ctx, held,
                                                     self.owner, self.lease)
            except Exception:
                LOG.exception('Renewing cluster reservations failed')
                continue
            for lost in held - kept:
                if lost in self._held:
                    LOG.warning('Reservation of cluster %s was lost', lost)

    # -- locking --------------------------------------------------------------
    def try_acquire(self, cluster_uuid):
        with self._mutex:
            if cluster_uuid in self._held:
                return False
            self._held.add(cluster_uuid)
        try:
            if cluster_db.reserve(self._ctx, cluster_uuid, self.owner,
                                  self.lease):
                return True
        except Exception:
            self._forget(cluster_uuid)
            raise
        self._forget(cluster_uuid)
        return False

    def release(self, cluster_uuid):
        try:
            cluster_db.release_reservation(self._ctx, cluster_uuid, self.owner)
        finally:
            self._forget(cluster_uuid)

    def _forget(self, cluster_uuid):
        with self._mutex:
            self._held.discard(cluster_uuid)
            self._released.notify_all()

    def _wait(self, cluster_uuid, seconds):
        """Sleep up to ``seconds``; sooner once this process lets go of the
        cluster, if this process is the holder."""
        with self._mutex:
            if cluster_uuid in self._held:
                self._released.wait_for(
                    lambda: cluster_uuid not in self._held, seconds)
                return
        time.sleep(seconds)

    @contextlib.contextmanager
    def cluster(self, cluster_uuid, wait=0):
        """Hold the cluster's reservation for the block; ClusterBusy (409)
        if another holder keeps it for longer than ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while not self.try_acquire(cluster_uuid):
            row = cluster_db.find_by_uuid(self._ctx, cluster_uuid)
            if row is None:
                raise exception.ClusterNotFound(cluster=cluster_uuid)
            if time.monotonic() >= deadline:
                raise exception.ClusterBusy(
                    cluster=cluster_uuid,
                    holder=row.reservation or 'this conductor')
            self._wait(cluster_uuid, max(0, min(
                self.poll_interval, deadline - time.monotonic())))
        try:
            yield
        finally:
            self.release(cluster_uuid)
