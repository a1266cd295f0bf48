"""Conductor fixtures: rows written the API's way, conductors in-process
and as ``magnum-conductor`` subprocesses, the fake cloud, a notification
listener on RabbitMQ. Everything is real except the cloud behind the
test driver."""
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import oslo_messaging as messaging
from oslo_utils import timeutils
import pytest

from magnum.certificates import cluster_certs
from magnum.certificates import encryption
from magnum.common import context as magnum_context
from magnum.common import notifications
from magnum.common import rpc
from magnum.conductor import rpcapi
from magnum.conductor import service
from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import models
from tests.conftest import RABBIT_URL
from tests.functional.conductor import fakedriver
from tests.fixtures import databases

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CONDUCTOR = os.path.join(os.path.dirname(sys.executable), 'magnum-conductor')


def wait_for(predicate, timeout=60, interval=0.1, what='condition'):
    """Poll ``predicate`` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(interval)


@pytest.fixture(autouse=True)
def conductor_conf(conf):
    """Short leases and intervals, encrypted certificates, notifications
    on a topic of the test's own."""
    conf.set_override('encryption_keys', [encryption.generate_key()],
                      group='certificates')
    conf.set_override('lock_lease', 5, group='conductor')
    conf.set_override('heartbeat_interval', 1, group='conductor')
    conf.set_override('sync_interval', 0.5, group='conductor')
    conf.set_override('service_down_time', 4)
    conf.set_override('driver', ['messagingv2'],
                      group='oslo_messaging_notifications')
    conf.set_override('topics',
                      ['magnum-test-notif-%s' % uuid.uuid4().hex[:8]],
                      group='oslo_messaging_notifications')
    cluster_certs._managers.clear()
    notifications.reset()
    yield conf
    notifications.reset()
    cluster_certs._managers.clear()


@pytest.fixture
def cloud(tmp_path):
    return fakedriver.FakeCloud(tmp_path / 'cloud')


@pytest.fixture
def ctx():
    return magnum_context.RequestContext(user_id='user-1',
                                         project_id='project-1',
                                         roles=['member'])


class Rows:
    """Writes what the API writes before it casts (ARCHITECTURE rule 2)."""

    def __init__(self, distro='fake-os'):
        self.template_uuid = None
        self.distro = distro  # fake-os: the test driver

    def _add(self, row):
        with db_api.session_for_write(magnum_context.make_admin_context()) \
                as session:
            session.add(row)

    def template(self):
        if self.template_uuid is None:
            self.template_uuid = str(uuid.uuid4())
            self._add(models.ClusterTemplate(
                uuid=self.template_uuid, name='fake-template',
                project_id='project-1', user_id='user-1', coe='kubernetes',
                server_type='vm', cluster_distro=self.distro,
                image_id='fake-image', flavor_id='m1.small',
                master_flavor_id='m1.small', external_network_id='public',
                labels={}))
        return self.template_uuid

    def cluster(self, name='demo', create_timeout=60, workers=2,
                status='CREATE_IN_PROGRESS', age_seconds=0, **fields):
        cluster_uuid = str(uuid.uuid4())
        created = timeutils.utcnow() - datetime.timedelta(
            seconds=age_seconds)
        self._add(models.Cluster(
            uuid=cluster_uuid, name=name, project_id='project-1',
            user_id='user-1', cluster_template_id=self.template(),
            keypair='demo-key', create_timeout=create_timeout,
            status=status, labels={}, health_status_reason={},
            master_flavor_id='m1.small', flavor_id='m1.small',
            created_at=created, **fields))
        for role, count in (('master', 1), ('worker', workers)):
            self._add(models.NodeGroup(
                uuid=str(uuid.uuid4()), name='default-%s' % role,
                cluster_id=cluster_uuid, project_id='project-1',
                role=role, node_count=count, is_default=True,
                flavor_id='m1.small', image_id='fake-image',
                min_node_count=0, status=status, labels={},
                node_addresses=[], node_labels={}, node_taints=[],
                created_at=created))
        return cluster_uuid

    def nodegroup(self, cluster_uuid, name, count=1, status=None):
        ng_uuid = str(uuid.uuid4())
        self._add(models.NodeGroup(
            uuid=ng_uuid, name=name, cluster_id=cluster_uuid,
            project_id='project-1', role='worker', node_count=count,
            is_default=False, flavor_id='m1.small', image_id='fake-image',
            min_node_count=0, status=status, labels={}, node_addresses=[],
            node_labels={}, node_taints=[]))
        return ng_uuid


def read(model, **filters):
    with db_api.session_for_read(magnum_context.make_admin_context()) \
            as session:
        return [row.as_dict() for row in
                session.query(model).filter_by(**filters).all()]


def cluster_row(cluster_uuid):
    rows = read(models.Cluster, uuid=cluster_uuid)
    return rows[0] if rows else None


def status_of(cluster_uuid):
    row = cluster_row(cluster_uuid)
    return row and row['status']


@pytest.fixture
def rows():
    return Rows()


@pytest.fixture
def rpc_client():
    return rpcapi.ConductorAPI()


@pytest.fixture
def start_conductor(cloud):
    """Start in-process conductors: start_conductor('host-a')."""
    started = []

    def _start(host, driver=None, start=True):
        driver = driver or fakedriver.FakeDriver(cloud, who=host)
        svc = service.ConductorService(
            host=host, driver_registry=fakedriver.registry(driver))
        started.append(svc)
        if start:
            svc.start()
        return svc

    yield _start
    for svc in started:
        svc.stop()


@pytest.fixture(params=['mysql', 'postgresql'])
def server_database(request, tmp_path):
    """A throwaway MariaDB or PostgreSQL database (several processes)."""
    db = databases.ThrowawayDatabase(request.param, tmp_path)
    db_api.reset_for_tests(db.url)
    models.Base.metadata.create_all(db_api.get_engine())
    yield db
    db_api.get_engine().dispose()
    db.drop()


class ConductorProcess:
    """``magnum-conductor --config-file <tmp>`` with the test driver
    registered by entry point."""

    def __init__(self, tmp_path, host, db_url, cloud):
        self.host = host
        self.config = tmp_path / ('%s.conf' % host)
        self.log = tmp_path / ('%s.log' % host)
        c = CONF
        self.config.write_text('\n'.join([
            '[DEFAULT]',
            'host = %s' % host,
            'transport_url = %s' % RABBIT_URL,
            'service_down_time = %d' % c.service_down_time,
            'debug = true',
            '[database]',
            'connection = %s' % db_url,
            '[conductor]',
            'topic = %s' % c.conductor.topic,
            'lock_lease = %d' % c.conductor.lock_lease,
            'heartbeat_interval = %d' % c.conductor.heartbeat_interval,
            'sync_interval = %s' % c.conductor.sync_interval,
            '[certificates]',
            'encryption_keys = %s' % ','.join(
                c.certificates.encryption_keys),
            '[oslo_messaging_notifications]',
            'driver = messagingv2',
            'topics = %s' % ','.join(c.oslo_messaging_notifications.topics),
            '']))
        entry_points = fakedriver.entry_point_dir(tmp_path / 'entry_points')
        env = dict(os.environ, MAGNUM_TEST_CLOUD=cloud.path,
                   PYTHONPATH=os.pathsep.join([entry_points, REPO]))
        self.proc = subprocess.Popen(
            [CONDUCTOR, '--config-file', str(self.config)], env=env,
            stdout=open(self.log, 'w'), stderr=subprocess.STDOUT,
            cwd=REPO)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def terminate(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def output(self):
        return self.log.read_text()


@pytest.fixture
def conductor_process(tmp_path, cloud):
    procs = []

    def _start(host, db):
        proc = ConductorProcess(tmp_path, host, db.url, cloud)
        procs.append(proc)
        return proc

    yield _start
    for proc in procs:
        proc.terminate()


class Notifications:
    """Collects the notifications sent on the test's topic."""

    def __init__(self):
        self.events = []
        self._lock = threading.Lock()

    def _got(self, priority, publisher_id, event_type, payload):
        with self._lock:
            self.events.append(dict(priority=priority,
                                    publisher_id=publisher_id,
                                    event_type=event_type, payload=payload))

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._got('INFO', publisher_id, event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._got('ERROR', publisher_id, event_type, payload)

    def about(self, cluster_uuid):
        with self._lock:
            return [(e['event_type'], e['payload']['outcome'])
                    for e in self.events
                    if e['payload']['target']['id'] == cluster_uuid]


@pytest.fixture
def notes(conductor_conf):
    collector = Notifications()
    targets = [messaging.Target(topic=topic) for topic in
               CONF.oslo_messaging_notifications.topics]
    listener = messaging.get_notification_listener(
        rpc.get_notification_transport(), targets, [collector],
        executor='threading', pool='test-%s' % uuid.uuid4().hex[:8])
    listener.start()
    yield collector
    listener.stop()
    listener.wait()
