"""A real driver (the SDK contract) over a tiny file-backed "cloud", for the
conductor tests only.

``FakeCloud`` keeps one JSON file per stack in a directory, so the test
process and conductor subprocesses see the same stacks. Stacks finish when
observed (the next look after a create/update/delete finds them done)
unless the cloud is put on ``hold``. A ``block_create`` flag makes
``create_cluster`` wait (it writes ``create-entered`` first) until the
flag is cleared: the test's handle to kill a conductor mid-create.

Every driver call is appended to ``calls.log`` as JSON lines
``{"who": <label>, "op": ..., "cluster": ...}``.

Subprocess conductors find the driver through a ``magnum.drivers`` entry
point in a throwaway dist-info directory put on PYTHONPATH, and the cloud
through ``MAGNUM_TEST_CLOUD``; in-process conductors get an instance.
"""
import json
import os
import time
import uuid

from magnum.drivers import base
from magnum.drivers import views

NAME = 'fake_test_v1'
PROVIDES = base.Provides('vm', 'fake-os', 'kubernetes')
_DONE = {'CREATE_IN_PROGRESS': 'CREATE_COMPLETE',
         'UPDATE_IN_PROGRESS': 'UPDATE_COMPLETE'}


class FakeCloud:
    def __init__(self, path):
        self.path = str(path)
        os.makedirs(os.path.join(self.path, 'stacks'), exist_ok=True)

    # -- files ------------------------------------------------------------
    def _file(self, *parts):
        return os.path.join(self.path, *parts)

    def _write(self, name, data):
        tmp = self._file('.%s.%s' % (os.path.basename(name),
                                     uuid.uuid4().hex))
        with open(tmp, 'w') as f:
            json.dump(data, f)
        os.replace(tmp, self._file(name))

    def _read(self, name):
        try:
            with open(self._file(name)) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def flag(self, name, on=True):
        if on:
            open(self._file(name), 'w').close()
        elif os.path.exists(self._file(name)):
            os.remove(self._file(name))

    def has(self, name):
        return os.path.exists(self._file(name))

    # -- stacks -------------------------------------------------------------
    def stack(self, stack_id):
        return self._read(os.path.join('stacks', stack_id))

    def stacks(self):
        return [self.stack(s) for s in os.listdir(self._file('stacks'))
                if not s.startswith('.')]

    def put(self, stack):
        self._write(os.path.join('stacks', stack['id']), stack)

    def create(self, name, **fields):
        for stack in self.stacks():
            if stack and stack['name'] == name:
                return stack['id']  # adopt, as the Heat engine does
        stack = dict(fields, id=str(uuid.uuid4()), name=name,
                     status='CREATE_IN_PROGRESS', reason='')
        self.put(stack)
        return stack['id']

    def set(self, stack_id, **fields):
        stack = self.stack(stack_id)
        stack.update(fields)
        self.put(stack)

    def delete(self, stack_id):
        if stack_id and self.stack(stack_id):
            self.set(stack_id, status='DELETE_IN_PROGRESS')

    def observe(self, stack_id):
        """The stack after one more look (None: gone)."""
        stack = self.stack(stack_id) if stack_id else None
        if stack is None or self.has('hold'):
            return stack
        if stack['status'] == 'DELETE_IN_PROGRESS':
            os.remove(self._file('stacks', stack_id))
            return None
        if stack['status'] in _DONE:
            stack['status'] = _DONE[stack['status']]
            self.put(stack)
        return stack

    # -- the call log ---------------------------------------------------------
    def record(self, who, op, cluster, **extra):
        line = json.dumps(dict(extra, who=who, op=op, cluster=cluster))
        with open(self._file('calls.log'), 'a') as f:
            f.write(line + '\n')

    def calls(self, op=None):
        try:
            with open(self._file('calls.log')) as f:
                calls = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []
        return [c for c in calls if op is None or c['op'] == op]


class FakeDriver(base.Driver):
    name = NAME
    provides = (PROVIDES,)
    version = '0.0.1-test'

    def __init__(self, cloud=None, who=None):
        self.cloud = cloud or FakeCloud(os.environ['MAGNUM_TEST_CLOUD'])
        self.who = who or 'pid-%d' % os.getpid()

    def _record(self, op, spec, **extra):
        self.cloud.record(self.who, op, spec.cluster.uuid, **extra)

    def create_cluster(self, dctx, spec):
        self._record('create_cluster', spec,
                     timeout=dctx.timeout_mins,
                     has_sa_key='kube_service_account_key' in dctx.values)
        if self.cloud.has('block_create'):
            self.cloud.flag('create-entered')
            deadline = time.monotonic() + 120
            while self.cloud.has('block_create') and \
                    time.monotonic() < deadline:
                time.sleep(0.1)
        return self.cloud.create('%s-%s' % (spec.cluster.name,
                                            spec.cluster.uuid[:10]))

    def update_cluster(self, dctx, spec):
        self._record('update_cluster', spec,
                     workers=spec.worker.node_count)
        self._refuse('update')
        self.cloud.set(spec.cluster.stack_id, status='UPDATE_IN_PROGRESS',
                       workers=spec.worker.node_count)

    def resize_cluster(self, dctx, spec, nodegroup, node_count,
                       nodes_to_remove=()):
        self._record('resize_cluster', spec, nodegroup=nodegroup.name,
                     node_count=node_count,
                     nodes_to_remove=list(nodes_to_remove))
        self._refuse('resize')
        self.cloud.set(spec.cluster.stack_id, status='UPDATE_IN_PROGRESS')

    def delete_cluster(self, dctx, spec):
        self._record('delete_cluster', spec)
        for ng in spec.nodegroups:
            if not ng.is_default:
                self.cloud.delete(ng.stack_id)
        self.cloud.delete(spec.cluster.stack_id)

    def observe_cluster(self, dctx, spec):
        self._record('observe_cluster', spec)
        stack = self.cloud.observe(spec.cluster.stack_id)
        if stack is None:
            return views.Observation(status=None, found=False,
                                     stack_id=spec.cluster.stack_id)
        groups = []
        if spec.master is not None:
            groups.append(views.ObservedNodeGroup(
                spec.master.name, spec.master.node_count, ('10.0.0.10',)))
        if spec.worker is not None:
            count = stack.get('workers', spec.worker.node_count)
            groups.append(views.ObservedNodeGroup(
                spec.worker.name, count,
                tuple('10.0.1.%d' % i for i in range(count))))
        return views.Observation(
            status=stack['status'], status_reason=stack.get('reason', ''),
            stack_id=stack['id'], api_address='https://10.0.0.10:6443',
            coe_version='v1.30.0', container_version=self.version,
            nodegroups=tuple(groups))

    def create_nodegroup(self, dctx, spec, nodegroup):
        self._record('create_nodegroup', spec, nodegroup=nodegroup.name)
        self._refuse('nodegroup')
        return self.cloud.create('%s-%s-%s' % (
            spec.cluster.name, nodegroup.name, spec.cluster.uuid[:10]))

    def update_nodegroup(self, dctx, spec, nodegroup):
        self._record('update_nodegroup', spec, nodegroup=nodegroup.name)
        self.cloud.set(nodegroup.stack_id, status='UPDATE_IN_PROGRESS')

    def delete_nodegroup(self, dctx, spec, nodegroup):
        self._record('delete_nodegroup', spec, nodegroup=nodegroup.name)
        self.cloud.delete(nodegroup.stack_id)

    def observe_nodegroup(self, dctx, spec, nodegroup):
        self._record('observe_nodegroup', spec, nodegroup=nodegroup.name)
        stack = self.cloud.observe(nodegroup.stack_id)
        if stack is None:
            return views.Observation(status=None, found=False,
                                     stack_id=nodegroup.stack_id)
        return views.Observation(
            status=stack['status'], status_reason=stack.get('reason', ''),
            stack_id=stack['id'], nodegroups=(views.ObservedNodeGroup(
                nodegroup.name, nodegroup.node_count, ('10.0.2.1',)),))

    def rotate_ca_certificate(self, dctx, spec):
        self._record('rotate_ca_certificate', spec,
                     new_refs=sorted(dctx.values.get('new_cert_refs', {})),
                     rotation_id=dctx.values.get('ca_rotation_id'))
        if self.cloud.has('refuse_ca'):
            self._unsupported('rotate_ca_certificate')
        self._refuse('rotation')

    def _refuse(self, what):
        if self.cloud.has('refuse_%s' % what):
            raise RuntimeError('the cloud refused the %s' % what)


def registry(driver):
    """A DriverRegistry holding only ``driver`` (in-process conductors)."""
    from stevedore import extension
    from magnum.drivers import loader
    ext = extension.Extension(NAME, None, type(driver), driver)
    return loader.load(extension.ExtensionManager.make_test_instance([ext]))


def entry_point_dir(root):
    """A dist-info declaring FakeDriver in ``magnum.drivers``; put ``root``
    on PYTHONPATH to register it in a subprocess."""
    dist = os.path.join(str(root), 'magnum_fake_test_driver-0.dist-info')
    os.makedirs(dist, exist_ok=True)
    with open(os.path.join(dist, 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: magnum-fake-test-driver\n'
                'Version: 0\n')
    with open(os.path.join(dist, 'entry_points.txt'), 'w') as f:
        f.write('[magnum.drivers]\n%s = %s:FakeDriver\n' % (NAME, __name__))
    return str(root)
