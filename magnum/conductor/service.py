"""One conductor: the RPC server, its heartbeat, the reservation renewer,
the reconcile loop and (optionally) the listener for Heat's notifications.

Several conductors may run at once (each with its own ``host``): they
share the RPC topic, split the reconcile work on a hash ring over their
heartbeats, and never drive one cluster together (reservations).
Threads only: the oslo.messaging threading executor for RPC and plain
threads for the periodic work.
"""
import threading

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from magnum.common import context as magnum_context
from magnum.common import rpc
from magnum.conductor import driving
from magnum.conductor import locks
from magnum.conductor import manager
from magnum.conductor import reconcile
from magnum.conductor import workflow
from magnum.db import magnum_services as service_db
from magnum.drivers.heat import engine

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

HEAT_EXCHANGE = 'heat'


class Heartbeat:
    """Keeps this conductor's ``magnum_service`` row fresh."""

    def __init__(self, host, binary=reconcile.BINARY, interval=None):
        self.host = host
        self.binary = binary
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None

    def beat(self):
        service_db.report_up(magnum_context.make_admin_context(),
                             self.host, self.binary)

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name='heartbeat',
                                        daemon=True)
        self._thread.start()

    def _loop(self):
        interval = self.interval or CONF.conductor.heartbeat_interval
        while not self._stop.wait(interval):
            try:
                self.beat()
            except Exception:
                LOG.exception('Heartbeat of %s failed', self.host)

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)


def notification_pool():
    """The queue all conductors share for Heat's notifications.

    oslo.messaging's rabbit driver names a pool's queue after the pool, and
    the RPC server's queue after the topic: the two must differ, or RPC
    casts land in the listener (and are dropped) and notifications land in
    the RPC server.
    """
    return '%s.heat-notifications' % CONF.conductor.topic


class HeatNotifications:
    """Notification endpoint: a stack operation ended (``.end``) or failed
    (``.error``) -> reconcile its cluster now, with the state Heat
    announced. Every one also tells the reconciler that Heat's
    notifications are flowing."""

    filter_rule = messaging.NotificationFilter(
        event_type=r'^orchestration\.stack\.[a-z_]+\.(end|error)$')

    def __init__(self, reconciler):
        self.reconciler = reconciler

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self.reconciler.heard()
        identity = (payload or {}).get('stack_identity') or ''
        stack_id = identity.rstrip('/').rsplit('/', 1)[-1]
        if stack_id:
            LOG.debug('%s for stack %s heard %s s after Heat sent it',
                      event_type, stack_id, _age(metadata))
            self.reconciler.poke_stack(
                stack_id, engine.magnum_status((payload or {}).get('state')))
        return messaging.NotificationResult.HANDLED

    error = info


def _age(metadata):
    """Seconds since a notification's ``timestamp`` (UTC), '?' if none."""
    try:
        sent = timeutils.parse_isotime(
            metadata['timestamp'].replace(' ', 'T'))
    except (KeyError, TypeError, AttributeError, ValueError):
        return '?'
    return '%.3f' % timeutils.delta_seconds(
        timeutils.normalize_time(sent), timeutils.utcnow())


class ConductorService:
    """``driver_registry`` (a magnum.drivers.loader.DriverRegistry) and
    ``orchestrators`` (driver -> client) replace the installed entry points
    and the real clients (tests)."""

    def __init__(self, host=None, driver_registry=None, orchestrators=None):
        self.host = host or CONF.host
        self.env = workflow.Env(self.host, driving.Drivers(driver_registry,
                                                           orchestrators))
        self.locks = locks.LockManager(self.host, CONF.conductor.lock_lease)
        self.heartbeat = Heartbeat(self.host)
        self.reconciler = reconcile.Reconciler(self.env, self.locks)
        self.manager = manager.ConductorManager(self.env, self.locks)
        self._server = None
        self._listener = None
        self._stopped = threading.Event()

    def start(self):
        self.heartbeat.beat()
        self.heartbeat.start()
        self.locks.start()
        target = messaging.Target(topic=CONF.conductor.topic,
                                  server=self.host)
        self._server = rpc.get_server(target, [self.manager])
        self._server.start(override_pool_size=CONF.conductor.workers)
        if CONF.periodic_enable:
            self.reconciler.start()
        if CONF.conductor.listen_heat_notifications:
            self._start_listener()
        LOG.info('magnum-conductor %s listening on topic %s', self.host,
                 CONF.conductor.topic)

    def _start_listener(self):
        targets = [messaging.Target(topic=topic, exchange=HEAT_EXCHANGE)
                   for topic in CONF.oslo_messaging_notifications.topics]
        try:
            self._listener = messaging.get_notification_listener(
                rpc.get_notification_transport(), targets,
                [HeatNotifications(self.reconciler)], executor='threading',
                pool=notification_pool())
            self._listener.start()
        except Exception:
            LOG.exception('Not listening to Heat notifications; the '
                          'periodic reconcile still runs')
            self._listener = None

    def stop(self):
        """Stop taking work, finish what runs, then let go."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        for server in (self._server, self._listener):
            if server is not None:
                server.stop()
        self.reconciler.stop()
        for server in (self._server, self._listener):
            if server is not None:
                server.wait()
        self.locks.stop()
        self.heartbeat.stop()
        LOG.info('magnum-conductor %s stopped', self.host)

    def wait(self):
        self._stopped.wait()
