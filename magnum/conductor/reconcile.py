"""Reconcile, don't trust: bring every in-progress cluster's status in line
with what its driver observes.

Each pass lists the clusters in ``*_IN_PROGRESS`` and keeps the ones this
conductor owns on a hash ring over the live conductors (``magnum_service``
rows of magnum-conductor seen within ``service_down_time``), so N
conductors split the work. For each owned cluster, under its reservation
(busy clusters are skipped: their holder is working on them):

* CREATE_IN_PROGRESS for longer than ``create_timeout`` minutes ->
  CREATE_FAILED "Cluster create timed out after N minutes";
* CREATE_IN_PROGRESS without a stack, older than one lease -> the create
  is driven again (its conductor died, or the cast was lost);
* otherwise the driver observes the cluster (and its non-default
  nodegroups) and ``states`` decides the next statuses; a cluster being
  deleted whose stack is not being deleted gets its delete re-driven;
* DELETE_COMPLETE -> certificates, nodegroup rows and the cluster row go.

Every step is idempotent, so a restarted conductor just continues.

The fast path: when Heat announces that a stack finished, its cluster is
reconciled at once (``poke_stack``, from the notification listener),
waiting for the cluster's reservation if someone holds it. Once Heat has
been heard on the bus, the periodic pass is only the backstop for a lost
announcement: it reads at most ``[conductor] backstop_poll_limit``
clusters from Heat (the least recently read first), so its Heat calls stay
flat however many clusters are in progress.
"""
import datetime
import threading
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from magnum.common import context as magnum_context
from magnum.common import exception
from magnum.common import notifications as notes
from magnum.conductor import clusters
from magnum.conductor import hashring
from magnum.conductor import states
from magnum.conductor import workflow
from magnum.db import clusters as cluster_db
from magnum.db import magnum_services as service_db
from magnum.db import nodegroups as nodegroup_db
from magnum.drivers import views

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
BINARY = 'magnum-conductor'
# Seconds between re-reads of a cluster Heat said was finished but that
# still reads as in progress: Heat announces a stack's state just before
# it stores it.
POKE_RETRIES = (0.2, 0.5, 1, 2, 4)


class Reconciler:
    def __init__(self, env, locks, interval=None):
        self.env = env
        self.locks = locks
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None
        self.passes = 0
        self._read_at = {}        # cluster uuid -> when Heat was last asked
        self._heard = threading.Event()

    def heard(self):
        """A notification from Heat arrived: Heat tells this bus about its
        stacks."""
        self._heard.set()

    # -- partitioning ---------------------------------------------------------
    def ring(self, context):
        hosts = set(service_db.live_hosts(
            context, BINARY, CONF.service_down_time))
        hosts.add(self.env.host)  # we are alive, whatever the table says
        return hashring.HashRing(hosts)

    def owned(self, context):
        """The in-progress clusters this conductor owns (rows)."""
        ring = self.ring(context)
        return [c for c in cluster_db.list_by_status(context,
                                                     states.IN_PROGRESS)
                if ring.owns(self.env.host, c.uuid)]

    # -- passes ---------------------------------------------------------------
    def run_once(self):
        context = magnum_context.make_admin_context()
        listing = CONF.conductor.stack_list_sync
        drivers = self.env.drivers.for_pass(StatusFirst.wrapper(listing))
        rows = self.owned(context)
        self._read_at = {r.uuid: self._read_at.get(r.uuid) for r in rows}
        limit = CONF.conductor.backstop_poll_limit
        to_read = (self._least_recently_read(rows, limit)
                   if limit and not listing and self._heard.is_set() else
                   {r.uuid for r in rows})
        now = timeutils.utcnow()
        started = time.monotonic()
        for row in rows:
            if self._stop.is_set():
                break
            if row.uuid in to_read or _care(row, now):
                self.sync(row.uuid, context, drivers)
        self.passes += 1
        LOG.debug('Reconcile pass: %d clusters in progress here, %d looked '
                  'at, in %.2f s', len(rows), len(to_read),
                  time.monotonic() - started)

    def _least_recently_read(self, rows, limit):
        never = float('-inf')
        rows = sorted(rows, key=lambda r: self._read_at[r.uuid] or never)
        return {r.uuid for r in rows[:limit]}

    def sync(self, cluster_uuid, context=None, drivers=None, patience=0,
             announced=None, watch=None):
        """Reconcile one cluster now; False when it was gone, failed, or
        stayed reserved by someone else for ``patience`` seconds (a holder
        in this process hands over the moment it lets go; waiting ends when
        the reconciler stops). ``announced``: the status Heat announced for
        the cluster's own stack (see states.announced); ``watch``: a
        Stopwatch marking the steps."""
        context = context or magnum_context.make_admin_context()
        watch = watch or Stopwatch()
        deadline = time.monotonic() + patience
        while True:
            wait = min(1.0, max(0.0, deadline - time.monotonic()))
            try:
                with self.locks.cluster(cluster_uuid, wait=wait):
                    watch.mark('reserved')
                    cluster = cluster_db.find_by_uuid(context, cluster_uuid)
                    if cluster is not None:
                        self._sync(workflow.cluster_context(cluster),
                                   cluster, drivers or self.env.drivers,
                                   announced, watch)
                return True
            except exception.ClusterBusy:
                if self._stop.is_set() or time.monotonic() >= deadline:
                    return False
            except exception.ClusterNotFound:
                return False
            except Exception:
                LOG.exception('Reconciling cluster %s failed', cluster_uuid)
                return False

    def poke_stack(self, stack_id, status=None, attempt=0):
        """Heat says a stack finished (in ``status``, if known): reconcile
        its cluster at once, waiting for its reservation as long as a cast
        would (one lease). A cluster still in progress afterwards is read
        again after POKE_RETRIES delays, then left to the periodic pass."""
        watch = Stopwatch()
        context = magnum_context.make_admin_context()
        cluster = cluster_db.find_by_stack(context, stack_id,
                                           states.IN_PROGRESS)
        if cluster is None:
            return
        watch.mark('found')
        synced = self.sync(
            cluster.uuid, context, patience=CONF.conductor.lock_lease,
            announced=status if cluster.stack_id == stack_id else None,
            watch=watch)
        LOG.debug('Poke %d of cluster %s for stack %s: %s', attempt,
                  cluster.uuid, stack_id, watch)
        if not synced:
            return
        if attempt < len(POKE_RETRIES) and not self._stop.is_set():
            still = cluster_db.find_by_uuid(context, cluster.uuid)
            if still is not None and still.status in states.IN_PROGRESS:
                timer = threading.Timer(POKE_RETRIES[attempt],
                                        self.poke_stack,
                                        (stack_id, status, attempt + 1))
                timer.daemon = True
                timer.start()

    # -- one cluster ----------------------------------------------------------
    def _sync(self, context, cluster, drivers, announced, watch):
        uuid = cluster.uuid
        if cluster.status not in states.IN_PROGRESS:
            return
        care = _care(cluster, timeutils.utcnow())
        if care == TIMED_OUT:
            change = states.timeout_transition(cluster.create_timeout)
            LOG.warning('Cluster %s: %s', uuid, change.reason)
            workflow.set_cluster_status(context, uuid, change.status,
                                        change.reason)
            workflow.notify(self.env, context, 'create', notes.FAILURE, uuid)
        elif care == ABANDONED:
            LOG.info('Cluster %s has no stack yet: driving its create', uuid)
            clusters.create(self.env, context, uuid)
        elif cluster.stack_id or cluster.status != states.CREATE_IN_PROGRESS:
            self._read_at[uuid] = time.monotonic()
            self._observe(context, cluster, drivers, announced, watch)

    def _observe(self, context, cluster, drivers, announced, watch):
        uuid = cluster.uuid
        target = drivers.load(context, uuid)
        driver, spec = target.driver, target.spec
        dctx = drivers.context(context, driver)
        watch.mark('asking')
        observation = driver.observe_cluster(dctx, spec)
        watch.mark('observed %s' % observation.status)
        seen = states.announced(cluster.status, observation, announced)
        if states.must_redrive_delete(cluster.status, seen):
            LOG.info('Cluster %s is being deleted but its stack is %s: '
                     'asking the driver again', uuid, seen.status)
            clusters.drive_delete(self.env, context, uuid)
            return
        change = states.observed(cluster.status, seen)
        default_status = change.status or cluster.status

        defaults, others = {}, []
        for ng in target.nodegroups:
            if ng.is_default:
                defaults[ng.uuid] = dict(
                    _observed_counts(ng, seen), status=default_status,
                    status_reason=change.reason if default_status in
                    states.FAILED else None)
                continue
            status = self._observe_nodegroup(context, dctx, driver, spec,
                                             cluster, ng)
            if status is not None:
                others.append((ng.name, status))

        total = states.aggregate(cluster.status, default_status, others)
        status = total.status or default_status
        reason = (total.reason or change.reason) if status in \
            states.FAILED else None
        values = {}
        if seen.found:
            for field in ('api_address', 'coe_version', 'container_version',
                          'stack_id'):
                if getattr(seen, field):
                    values[field] = getattr(seen, field)
        cluster_db.write_observation(context, uuid, dict(
            values, status=status, status_reason=reason), defaults)
        watch.mark('written')
        if status != cluster.status:
            LOG.info('Cluster %s: %s -> %s', uuid, cluster.status, status)
            outcome = states.notification_outcome(status)
            if outcome:
                workflow.notify(self.env, context, outcome[0], outcome[1],
                                uuid)
        if status == states.DELETE_COMPLETE:
            clusters.finish_delete(self.env, context, cluster)

    def _observe_nodegroup(self, context, dctx, driver, spec, cluster, ng):
        """The nodegroup's status after observing it (None: row removed)."""
        if ng.status not in states.IN_PROGRESS:
            return ng.status
        seen = driver.observe_nodegroup(dctx, spec,
                                        views.NodeGroupView.from_row(ng))
        change = states.observed(ng.status, seen)
        if change.status == states.DELETE_COMPLETE:
            nodegroup_db.destroy(context, ng.uuid)
            notes.notify_nodegroup(context, 'delete', notes.SUCCESS, ng,
                                   host=self.env.host)
            return None
        if change.status and change.status != ng.status:
            # One write: a reader never sees the new status without the
            # addresses and count that came with it.
            nodegroup_db.update(context, ng.uuid, dict(
                _observed_counts(ng, seen), status=change.status,
                status_reason=change.reason))
            outcome = states.notification_outcome(change.status)
            if outcome:
                workflow.notify_nodegroup(self.env, context, outcome[0],
                                          outcome[1], cluster.uuid, ng.uuid)
        return change.status or ng.status

    # -- the loop -------------------------------------------------------------
    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name='reconcile',
                                        daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(60)

    def _loop(self):
        interval = self.interval or CONF.conductor.sync_interval
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                LOG.exception('Reconcile pass failed')
            self._stop.wait(interval)


class Stopwatch:
    """Seconds since it was made at each named step (DEBUG timings)."""

    def __init__(self):
        self._start = time.monotonic()
        self._steps = []

    def mark(self, step):
        self._steps.append((step, time.monotonic() - self._start))

    def __str__(self):
        return ', '.join('%s %.3f s' % step for step in self._steps)


TIMED_OUT = 'timed out'
ABANDONED = 'abandoned'


def _care(cluster, now):
    """What an in-progress cluster needs whatever Heat says: TIMED_OUT
    (CREATE_IN_PROGRESS beyond its create_timeout), ABANDONED (no stack
    one lease after it was created: its conductor died or the cast was
    lost) or None."""
    if states.timed_out(cluster.status, cluster.created_at,
                        cluster.create_timeout, now):
        return TIMED_OUT
    grace = datetime.timedelta(seconds=CONF.conductor.lock_lease)
    if cluster.status == states.CREATE_IN_PROGRESS and \
            not cluster.stack_id and cluster.created_at and \
            now - cluster.created_at > grace:
        return ABANDONED
    return None


class StatusFirst:
    """An orchestrator for one reconcile pass: it asks the cheap question
    first -- is the stack still in progress? -- and reads a stack in full
    (outputs, failure reasons) only once it has finished. The cheap answer
    comes from one list of the stacks in progress per pass (``[conductor]
    stack_list_sync``) or from a read without outputs. Orchestrators
    without ``list_stacks`` (not Heat-like) pass through."""

    def __init__(self, orchestrator, listing):
        self._orchestrator = orchestrator
        self._listing = listing
        self._listed = None

    @classmethod
    def wrapper(cls, listing):
        def wrap(orchestrator):
            if orchestrator is None or \
                    not hasattr(orchestrator, 'list_stacks'):
                return orchestrator
            return cls(orchestrator, listing)
        return wrap

    def __getattr__(self, name):
        return getattr(self._orchestrator, name)

    def get_stack(self, stack_id, name=None):
        if self._listing:
            state = self._in_progress().get(stack_id)
        else:
            state = self._orchestrator.get_stack(stack_id, name,
                                                 outputs=False)
            if state is None:
                return None
        if state is not None and state.status in states.IN_PROGRESS:
            return state
        return self._orchestrator.get_stack(stack_id, name)

    def _in_progress(self):
        if self._listed is None:
            try:
                self._listed = self._orchestrator.list_stacks(
                    global_tenant=CONF.conductor.stack_list_global_tenant)
            except Exception as err:
                LOG.warning('Listing stacks failed (%s); reading them one '
                            'by one', err)
                self._listed = {}
        return self._listed


def _observed_counts(nodegroup, seen):
    """The node addresses and count an observation reports for a
    nodegroup, as row values."""
    observed = seen.nodegroup(nodegroup.name) if seen.found else None
    if observed is None:
        return {}
    values = {}
    if observed.node_addresses is not None:
        values['node_addresses'] = list(observed.node_addresses)
    if observed.node_count is not None:
        values['node_count'] = observed.node_count
    return values
