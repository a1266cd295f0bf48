"""Our magnum-api and magnum-conductor in the sandbox, driven by the real
``openstack coe`` CLI (python-magnumclient) as the demo project member,
authenticated by the real Keystone; clusters become real Heat stacks.

Creates take 10-30 s each on a quiet 2-core box, so the cluster work runs
in parallel: a module fixture starts one job per scenario in threads (the
full lifecycle for every Kubernetes driver, a failing stack, another
project's view, Heat's OS::Magnum::* resources) and each test
asserts on its own job's outcome. Each job is a chain of CLI calls and
bounded REST polls; an AssertionError names the step and the cluster's
status_reason.

Skipped unless MAGNUM_E2E=1 or the sandbox is up (see conftest.py).
"""

import base64
import concurrent.futures
import json
import os
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import yaml

from tests.e2e import magnum_rest as rest

TEMPLATES = Path(__file__).resolve().parent / 'templates'
DB = os.environ.get('SANDBOX_DB_PREFIX', 'sandbox_') + 'magnum'
CLI_TIMEOUT = 300

# driver -> (image in the simulated cloud, server type)
DRIVERS = {
    'k8s_fedora_atomic_v1': ('fedora-atomic-latest', 'vm'),
    'k8s_fedora_coreos_v1': ('fedora-coreos-latest', 'vm'),
    'k8s_coreos_v1': ('coreos-stable', 'vm'),
    'k8s_fedora_ironic_v1': ('ironic-fedora', 'bm'),
}


def _name(prefix):
    return 'e2e-%s-%s' % (prefix, uuid.uuid4().hex[:6])


class CLI:
    """The real ``openstack`` CLI with one user's OS_* environment."""

    def __init__(self, env):
        # `coe cluster config` picks its export syntax from $SHELL, which
        # a tenant's terminal always has and a CI runner may not.
        self.env = dict(env, SHELL=env.get('SHELL') or '/bin/bash')
        repo = Path(__file__).resolve().parents[2]
        self.binary = os.environ.get('SANDBOX_OPENSTACK') or str(
            repo / '.venv' / 'bin' / 'openstack')

    def run(self, *args, check=True):
        cmd = [self.binary] + [str(a) for a in args]
        proc = subprocess.run(cmd, env=self.env, text=True,
                              capture_output=True, timeout=CLI_TIMEOUT,
                              cwd=str(TEMPLATES))
        if check and proc.returncode:
            raise AssertionError('`%s` failed (%d):\n%s%s' % (
                ' '.join(cmd[1:]), proc.returncode, proc.stdout,
                proc.stderr))
        return proc

    def json(self, *args):
        out = self.run(*(args + ('-f', 'json'))).stdout
        # Some magnumclient commands print a sentence before the document.
        return json.loads(out[out.index('{'):])

    def output(self, *args):
        """stdout + stderr of a command expected to be refused (some
        magnumclient commands, e.g. template delete, exit 0 regardless)."""
        proc = self.run(*args, check=False)
        return proc.stdout + proc.stderr

    def fails(self, *args):
        """Run a command that must fail; its stdout + stderr."""
        proc = self.run(*args, check=False)
        assert proc.returncode != 0, '`%s` succeeded:\n%s' % (
            ' '.join(map(str, args)), proc.stdout)
        return proc.stdout + proc.stderr


def _openssl(*args, check=True):
    return subprocess.run(['openssl'] + [str(a) for a in args], text=True,
                          capture_output=True, check=check)


def _verifies(ca_pem, cert_pem, workdir):
    ca = Path(workdir) / ('ca-%s.pem' % uuid.uuid4().hex[:6])
    cert = Path(workdir) / ('cert-%s.pem' % uuid.uuid4().hex[:6])
    ca.write_text(ca_pem)
    cert.write_text(cert_pem)
    proc = _openssl('verify', '-CAfile', ca, cert, check=False)
    return proc.returncode == 0 and ': OK' in proc.stdout


def _csr(workdir, cn):
    key = Path(workdir) / ('%s.key' % cn)
    csr = Path(workdir) / ('%s.csr' % cn)
    _openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
             '-out', csr, '-subj', '/CN=%s/O=system:masters' % cn)
    return csr


def _pem(text):
    match = re.search(r'-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE'
                      r'-----', text, re.S)
    assert match, 'no PEM certificate in:\n%s' % text
    return match.group(0) + '\n'


def _created_uuid(proc):
    match = re.search(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                      r'[0-9a-f]{12}', proc.stdout)
    assert match, 'no uuid in:\n%s' % proc.stdout
    return match.group(0)


def _stack_id(cluster):
    # 'cluster_id' from microversion 1.13 on (the Heat stack id).
    stack_id = cluster.get('cluster_id') or cluster.get('stack_id')
    assert stack_id, cluster
    return stack_id


def _rows_left(cluster_uuid):
    return int(rest.mysql(
        "SELECT (SELECT COUNT(*) FROM %(db)s.cluster WHERE uuid='%(u)s') + "
        "(SELECT COUNT(*) FROM %(db)s.nodegroup WHERE cluster_id='%(u)s')"
        % {'db': DB, 'u': cluster_uuid}))


# ---- the world the jobs share -----------------------------------------------

class World:
    def __init__(self, demo_env, alt_env, admin_env):
        self.demo = CLI(demo_env)
        self.alt = CLI(alt_env)
        self.admin = CLI(admin_env)
        self.demo_api = rest.Session(demo_env)
        self.alt_api = rest.Session(alt_env)
        service_env = dict(admin_env, OS_USERNAME='magnum',
                           OS_PASSWORD='magnumpass', OS_PROJECT_NAME='service')
        # Stacks live in the service project (the conductor's user).
        self.service_api = rest.Session(service_env)
        self.service = CLI(service_env)
        self.workdir = tempfile.mkdtemp(prefix='magnum-e2e-')
        self.templates = []

    def create_template(self, driver):
        image, server_type = DRIVERS[driver]
        name = _name(driver.replace('_', '-')[:16])
        template = self.demo.json(
            'coe', 'cluster', 'template', 'create', name,
            '--coe', 'kubernetes', '--image', image,
            '--server-type', server_type, '--external-network', 'public',
            '--flavor', 'm1.small', '--master-flavor', 'm1.small',
            '--keypair', 'default', '--network-driver', 'flannel',
            '--docker-storage-driver', 'overlay2')
        self.templates.append(template['uuid'])
        return template

    def create_cluster(self, template, name, node_count=1, master_count=1,
                       options=()):
        proc = self.demo.run('coe', 'cluster', 'create', name,
                             '--cluster-template', template['uuid'],
                             '--master-count', master_count,
                             '--node-count', node_count, *options)
        return _created_uuid(proc)

    def worker_server_ids(self, addresses):
        """Simulated servers holding one of ``addresses`` (floating IPs)."""
        status, body = self.demo_api.get('compute', '/servers/detail')
        assert status == 200, body
        found = []
        for server in body['servers']:
            ips = {a['addr'] for nets in server['addresses'].values()
                   for a in nets}
            if ips & set(addresses):
                found.append((server['id'], ips))
        return found


class Job:
    """A scenario run in a thread; ``steps`` says how far it got."""

    def __init__(self):
        self.steps = []
        self.facts = {}

    def step(self, name):
        self.steps.append(name)


def _resize_and_nodegroups(world, name, cluster_uuid, job):
    """Resize the default workers to 3 and back to 1 removing a named node,
    then add and delete a nodegroup: the same for every Heat driver."""
    api = world.demo_api
    cli = world.demo
    job.step('resize to 3')
    cli.run('coe', 'cluster', 'resize', name, 3)
    cluster = rest.wait_cluster(api, cluster_uuid, 'UPDATE_COMPLETE')
    assert len(cluster['node_addresses']) == 3, cluster
    assert cluster['node_count'] == 3, cluster
    job.facts['resized_up'] = cluster

    job.step('resize to 1 removing a named node')
    servers = world.worker_server_ids(cluster['node_addresses'])
    assert len(servers) == 3, servers
    victim, victim_ips = servers[1]
    cli.run('coe', 'cluster', 'resize', name, 1, '--nodes-to-remove',
            victim)
    cluster = rest.wait_cluster(api, cluster_uuid, 'UPDATE_COMPLETE')
    assert cluster['node_count'] == 1, cluster
    assert len(cluster['node_addresses']) == 1, cluster
    assert not victim_ips & set(cluster['node_addresses']), (victim_ips,
                                                             cluster)
    status, _ = api.get('compute', '/servers/%s' % victim)
    assert status == 404, 'removed server %s still exists' % victim
    job.facts['resized_down'] = cluster

    job.step('nodegroup create')
    cli.run('coe', 'nodegroup', 'create', name, 'ng-extra',
            '--node-count', 1, '--role', 'extra')
    ng = rest.wait_until(
        lambda: api.nodegroup(cluster_uuid, 'ng-extra'),
        lambda n: n and not n['status'].endswith('_IN_PROGRESS'),
        'nodegroup ng-extra of %s' % name)
    assert ng['status'] == 'CREATE_COMPLETE', ng
    assert len(ng['node_addresses']) == 1, ng
    ng_stack = world.service_api.stack(ng['stack_id'])
    assert ng_stack and ng_stack['stack_status'] == 'CREATE_COMPLETE'
    job.step('nodegroup delete')
    cli.run('coe', 'nodegroup', 'delete', name, 'ng-extra')
    rest.wait_until(lambda: api.nodegroup(cluster_uuid, 'ng-extra'),
                    lambda n: n is None, 'nodegroup ng-extra to go')
    assert world.service_api.stack(ng['stack_id']) is None


def _delete_and_check(world, name, cluster, job):
    """Delete the cluster; record what is left of it."""
    api = world.demo_api
    cluster_uuid = cluster['uuid']
    job.step('cluster delete')
    world.demo.run('coe', 'cluster', 'delete', name)
    rest.wait_cluster(api, cluster_uuid, None)
    job.facts['stack_after_delete'] = world.service_api.stack(
        _stack_id(cluster))
    job.facts['stack_listed_after_delete'] = _stack_id(cluster) in [
        s['ID'] for s in json.loads(world.service.run(
            'stack', 'list', '-f', 'json').stdout)]
    job.facts['rows_after_delete'] = _rows_left(cluster_uuid)
    job.facts['show_after_delete'] = world.demo.fails(
        'coe', 'cluster', 'show', cluster_uuid)


def _lifecycle(world, driver, job):
    api = world.demo_api
    cli = world.demo
    job.step('template create')
    template = world.create_template(driver)
    name = _name('k8s')
    job.step('cluster create')
    cluster_uuid = world.create_cluster(template, name)
    job.facts['uuid'] = cluster_uuid
    cluster = rest.wait_cluster(api, cluster_uuid, 'CREATE_COMPLETE')
    job.facts['created'] = cluster
    job.step('stack outputs')
    stack = world.service_api.stack(_stack_id(cluster))
    assert stack and stack['stack_status'] == 'CREATE_COMPLETE', stack
    outputs = {o['output_key']: o['output_value']
               for o in stack['outputs']}
    job.facts['outputs'] = outputs

    _resize_and_nodegroups(world, name, cluster_uuid, job)

    job.step('cluster config')
    config_dir = Path(world.workdir) / name
    config_dir.mkdir()
    cli.run('coe', 'cluster', 'config', name, '--dir', config_dir)
    kubeconfig = yaml.safe_load((config_dir / 'config').read_text())
    job.facts['kubeconfig'] = kubeconfig
    job.step('ca show')
    ca_pem = _pem(cli.run('coe', 'ca', 'show', name).stdout)
    user = kubeconfig['users'][0]['user']
    client_pem = base64.b64decode(user['client-certificate-data']).decode()
    job.facts['client_cert_verifies'] = _verifies(ca_pem, client_pem,
                                                  world.workdir)
    kube_ca = base64.b64decode(kubeconfig['clusters'][0]['cluster'][
        'certificate-authority-data']).decode()
    job.facts['kubeconfig_ca_matches'] = (_pem(kube_ca).strip()
                                          == ca_pem.strip())
    job.step('ca sign')
    csr = _csr(world.workdir, name)
    signed = _pem(cli.run('coe', 'ca', 'sign', name, csr).stdout)
    job.facts['signed_verifies'] = _verifies(ca_pem, signed, world.workdir)

    _delete_and_check(world, name, cluster, job)
    job.step('done')


def _failing_stack(world, job):
    template = world.create_template('k8s_fedora_coreos_v1')
    name = _name('sandbox-fail-create')
    cluster_uuid = world.create_cluster(template, name)
    job.facts['uuid'] = cluster_uuid
    job.facts['cluster'] = rest.wait_cluster(world.demo_api, cluster_uuid,
                                             'CREATE_FAILED')
    stack = world.service_api.stack(_stack_id(job.facts['cluster']))
    job.facts['stack'] = stack
    job.step('delete')
    world.demo.run('coe', 'cluster', 'delete', name)
    rest.wait_cluster(world.demo_api, cluster_uuid, None)
    job.facts['rows_after_delete'] = _rows_left(cluster_uuid)
    job.step('done')


def _rotation_and_isolation(world, job):
    template = world.create_template('k8s_fedora_coreos_v1')
    name = _name('rotate')
    cluster_uuid = world.create_cluster(template, name)
    job.facts.update(uuid=cluster_uuid, name=name, template=template)
    rest.wait_cluster(world.demo_api, cluster_uuid, 'CREATE_COMPLETE')

    job.step('other project')
    alt = world.alt
    seen = {}
    for what, args in (
            ('template show', ('coe', 'cluster', 'template', 'show',
                               template['uuid'])),
            ('template delete', ('coe', 'cluster', 'template', 'delete',
                                 template['uuid'])),
            ('cluster show', ('coe', 'cluster', 'show', cluster_uuid)),
            ('cluster resize', ('coe', 'cluster', 'resize', cluster_uuid,
                                2)),
            ('cluster delete', ('coe', 'cluster', 'delete', cluster_uuid)),
            ('ca show', ('coe', 'ca', 'show', cluster_uuid))):
        seen[what] = alt.output(*args)
    job.facts['alt_cli'] = seen
    rest_seen = {}
    for path in ('/clustertemplates/%s' % template['uuid'],
                 '/clusters/%s' % cluster_uuid,
                 '/clusters/%s/nodegroups' % cluster_uuid,
                 '/certificates/%s' % cluster_uuid):
        rest_seen[path] = world.alt_api.get('container-infra', path)[0]
    status, body = world.alt_api.get('container-infra', '/clusters')
    rest_seen['list'] = [c['uuid'] for c in body['clusters']]
    status, body = world.alt_api.get('container-infra', '/clustertemplates')
    rest_seen['template list'] = [t['uuid'] for t in body['clustertemplates']]
    job.facts['alt_rest'] = rest_seen
    job.facts['after_alt'] = world.demo_api.cluster(cluster_uuid)

    # CA rotation itself: test_ca_rotation_e2e.py.
    job.step('delete')
    cli = world.demo
    cli.run('coe', 'cluster', 'delete', name)
    rest.wait_cluster(world.demo_api, cluster_uuid, None)
    job.step('done')


def _three_masters(world, job):
    """Each master takes its own one of the ports the cluster stack made
    for all three (by its index in the group), behind the API's load
    balancer (several masters need one)."""
    template = world.create_template('k8s_fedora_coreos_v1')
    name = _name('three-masters')
    cluster_uuid = world.create_cluster(template, name, master_count=3,
                                        options=['--master-lb-enabled'])
    job.facts['cluster'] = rest.wait_cluster(world.demo_api, cluster_uuid,
                                             'CREATE_COMPLETE')
    stack = world.service_api.stack(_stack_id(job.facts['cluster']))
    job.facts['outputs'] = {o['output_key']: o['output_value']
                            for o in stack['outputs']}
    job.step('delete')
    world.demo.run('coe', 'cluster', 'delete', name)
    rest.wait_cluster(world.demo_api, cluster_uuid, None)
    job.step('done')


def _heat_magnum_resources(world, job):
    name = _name('heat-magnum')
    world.demo.run('stack', 'create', '-t', 'magnum_resources.yaml',
                   '--parameter', 'name=%s' % name, name)
    stack = rest.wait_until(
        lambda: world.demo_api.stack(name),
        lambda s: s and not s['stack_status'].endswith('_IN_PROGRESS'),
        'stack %s' % name, timeout=480)
    job.facts['stack'] = stack
    outputs = {o['output_key']: o['output_value']
               for o in stack.get('outputs') or ()}
    job.facts['cluster'] = (world.demo_api.cluster(outputs['cluster_id'])
                            if outputs.get('cluster_id') else None)
    job.step('stack delete')
    world.demo.run('stack', 'delete', '-y', name)
    job.facts['after_delete'] = rest.wait_until(
        lambda: world.demo_api.stack(name),
        lambda s: s is None or not s['stack_status'].endswith(
            '_IN_PROGRESS'), 'stack %s to go' % name, timeout=480)
    if job.facts['cluster']:
        job.facts['cluster_after_delete'] = world.demo_api.cluster(
            job.facts['cluster']['uuid'])
    job.step('done')


SCENARIOS = dict({'lifecycle-%s' % d: (lambda d: lambda w, j: _lifecycle(
    w, d, j))(d) for d in DRIVERS},
    failing=_failing_stack, rotation=_rotation_and_isolation,
    three_masters=_three_masters, heat_resources=_heat_magnum_resources)


@pytest.fixture(scope='module')
def world(sandbox_env, alt_demo_env, admin_env):
    return World(sandbox_env, alt_demo_env, admin_env)


@pytest.fixture(scope='module')
def scenarios(world):
    """Start every scenario at once; name -> (job, future)."""
    pool = concurrent.futures.ThreadPoolExecutor(len(SCENARIOS))
    jobs = {}
    for name, run in SCENARIOS.items():
        job = Job()
        jobs[name] = (job, pool.submit(run, world, job))
    yield jobs
    pool.shutdown(wait=True)
    for template in world.templates:     # their clusters are gone
        world.demo_api.request('container-infra',
                               '/clustertemplates/%s' % template, 'DELETE')


def _outcome(scenarios, name):
    job, future = scenarios[name]
    try:
        future.result(timeout=1800)
    except Exception as exc:
        raise AssertionError('%s failed at step %r: %s' % (
            name, job.steps[-1] if job.steps else None, exc)) from exc
    return job.facts


# ---- template validation (no cluster needed) --------------------------------

def _template_args(image, coe='kubernetes', network_driver='flannel',
                   server_type='vm'):
    return ('coe', 'cluster', 'template', 'create', _name('bad'),
            '--coe', coe, '--image', image, '--server-type', server_type,
            '--external-network', 'public', '--flavor', 'm1.small',
            '--keypair', 'default', '--network-driver', network_driver)


@pytest.mark.parametrize('args, status, message', [
    (_template_args('no-such-image'), 400, 'no-such-image'),
    (_template_args('no-distro-image'), 400, 'os_distro'),
    (_template_args('fedora-coreos-latest', coe='swarm'), 400,
     'not supported'),
    (_template_args('fedora-coreos-latest', network_driver='weave'), 400,
     'weave'),
], ids=['unknown-image', 'image-without-os_distro', 'distro-for-coe',
        'network-driver'])
def test_template_create_validation(scenarios, world, args, status,
                                    message):
    # ``scenarios``: the cluster jobs run meanwhile.
    name = args[4]
    output = world.demo.fails(*args)
    assert '(HTTP %d)' % status in output, output
    assert message.lower() in output.lower(), output
    status, body = world.demo_api.get('container-infra', '/clustertemplates')
    assert name not in [t['name'] for t in body['clustertemplates']]


# ---- every Kubernetes driver ------------------------------------------------

@pytest.mark.parametrize('driver', sorted(DRIVERS))
def test_driver_lifecycle(scenarios, driver):
    facts = _outcome(scenarios, 'lifecycle-%s' % driver)
    created = facts['created']
    outputs = facts['outputs']
    assert created['api_address'] == 'https://%s:6443' % (
        outputs['api_address'])
    assert created['master_addresses'] == outputs['kube_masters']
    assert created['node_addresses'] == outputs['kube_minions']
    assert created['master_addresses'] and created['node_addresses']
    assert facts['client_cert_verifies'], 'kubeconfig client cert'
    assert facts['kubeconfig_ca_matches']
    assert facts['signed_verifies'], 'ca sign'
    assert facts['stack_after_delete'] is None
    assert not facts['stack_listed_after_delete']
    assert facts['rows_after_delete'] == 0
    assert '(HTTP 404)' in facts['show_after_delete']


def test_three_masters_each_on_its_own_port(scenarios):
    facts = _outcome(scenarios, 'three_masters')
    assert facts['cluster']['master_count'] == 3
    assert len(set(facts['cluster']['master_addresses'])) == 3, facts
    private = facts['outputs']['kube_masters_private']
    assert len(set(private)) == 3 and all(private), private


def test_failing_stack_reports_resource_and_heat_message(scenarios):
    facts = _outcome(scenarios, 'failing')
    reason = facts['cluster']['status_reason']
    assert 'sandbox: injected create failure' in reason, reason
    assert facts['stack']['stack_status'] == 'CREATE_FAILED'
    # The failing resource is named (Heat's own "Resource CREATE failed").
    assert re.search(r'resources\.\w+', reason), reason
    assert facts['rows_after_delete'] == 0


def test_other_project_sees_nothing(scenarios):
    facts = _outcome(scenarios, 'rotation')
    for what, output in facts['alt_cli'].items():
        assert '(HTTP 404)' in output, (what, output)
    rest_seen = facts['alt_rest']
    for path in ('/clustertemplates/%s' % facts['template']['uuid'],
                 '/clusters/%s' % facts['uuid'],
                 '/clusters/%s/nodegroups' % facts['uuid'],
                 '/certificates/%s' % facts['uuid']):
        assert rest_seen[path] == 404, (path, rest_seen[path])
    assert facts['uuid'] not in rest_seen['list']
    assert facts['template']['uuid'] not in rest_seen['template list']
    # Nothing the other project tried changed the cluster.
    assert facts['after_alt']['status'] == 'CREATE_COMPLETE'
    assert facts['after_alt']['node_count'] == 1


def test_heat_os_magnum_resources(scenarios):
    facts = _outcome(scenarios, 'heat_resources')
    stack = facts['stack']
    assert stack['stack_status'] == 'CREATE_COMPLETE', stack.get(
        'stack_status_reason')
    cluster = facts['cluster']
    assert cluster and cluster['status'] == 'CREATE_COMPLETE', cluster
    assert cluster['node_addresses']
    assert facts['after_delete'] is None, facts['after_delete']
    assert facts['cluster_after_delete'] is None
