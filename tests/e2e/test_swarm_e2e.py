"""Docker Swarm clusters and TLS-disabled templates in the sandbox: the
real ``openstack coe`` CLI against our API, clusters built by the real Heat.

Scenarios run in parallel threads like test_magnum_e2e.py (whose helpers
they use): the swarm-mode lifecycle with TLS (create, resize up and down
removing a named node, nodegroup add and delete, ``cluster config`` and its
certificates, delete), a classic swarm with TLS disabled, and a Kubernetes
cluster with TLS disabled.

Skipped unless MAGNUM_E2E=1 or the sandbox is up (see conftest.py).
"""

import concurrent.futures
from pathlib import Path
import re

import pytest
import yaml

from tests.e2e import magnum_rest as rest
from tests.e2e import test_magnum_e2e as e2e


def _template(world, coe, image, *extra):
    template = world.demo.json(
        'coe', 'cluster', 'template', 'create', e2e._name(coe),
        '--coe', coe, '--image', image, '--external-network', 'public',
        '--flavor', 'm1.small', '--master-flavor', 'm1.small',
        '--keypair', 'default', *extra)
    world.templates.append(template['uuid'])
    return template


def swarm_mode_template(world):
    return _template(world, 'swarm-mode', 'fedora-atomic-latest',
                     '--network-driver', 'docker')


def _create(world, job, template, prefix):
    """Create a 1+1 cluster; record it and its stack's outputs."""
    name = e2e._name(prefix)
    job.step('cluster create')
    cluster_uuid = world.create_cluster(template, name)
    job.facts.update(uuid=cluster_uuid, name=name)
    cluster = rest.wait_cluster(world.demo_api, cluster_uuid,
                                'CREATE_COMPLETE')
    job.facts['created'] = cluster
    stack = world.service_api.stack(e2e._stack_id(cluster))
    assert stack and stack['stack_status'] == 'CREATE_COMPLETE', stack
    job.facts['outputs'] = {o['output_key']: o['output_value']
                            for o in stack['outputs']}
    return name, cluster


def _exports(output):
    return dict(re.findall(r'^export (\w+)=(.*)$', output, re.M))


def _cluster_config(world, job, name):
    """`cluster config --output-certs` (magnumclient writes the PEM files
    only when asked): its exports and the files it wrote."""
    job.step('cluster config')
    config_dir = Path(world.workdir) / name
    config_dir.mkdir()
    out = world.demo.run('coe', 'cluster', 'config', name, '--dir',
                         config_dir, '--output-certs').stdout
    job.facts['exports'] = _exports(out)
    job.facts['config_dir'] = str(config_dir)
    job.facts['files'] = {p.name: p.read_text()
                          for p in config_dir.iterdir()}


def _swarm_mode_lifecycle(world, job):
    job.step('template create')
    template = swarm_mode_template(world)
    name, cluster = _create(world, job, template, 'swarm')
    e2e._resize_and_nodegroups(world, name, cluster['uuid'], job)
    _cluster_config(world, job, name)
    files = job.facts['files']
    job.facts['cert_verifies'] = e2e._verifies(
        files.get('ca.pem', ''), files.get('cert.pem', ''), world.workdir)
    job.facts['ca_shown'] = e2e._pem(
        world.demo.run('coe', 'ca', 'show', name).stdout)
    e2e._delete_and_check(world, name, cluster, job)
    job.step('done')


def _classic_without_tls(world, job):
    job.step('template create')
    template = _template(world, 'swarm', 'fedora-atomic-latest',
                         '--network-driver', 'flannel', '--tls-disabled',
                         '--labels', 'swarm_strategy=binpack')
    name, cluster = _create(world, job, template, 'swarm-notls')
    _cluster_config(world, job, name)
    e2e._delete_and_check(world, name, cluster, job)
    job.step('done')


def _kubernetes_without_tls(world, job):
    job.step('template create')
    template = _template(world, 'kubernetes', 'fedora-coreos-latest',
                         '--network-driver', 'flannel', '--tls-disabled')
    name, cluster = _create(world, job, template, 'k8s-notls')
    job.step('cluster config')
    config_dir = Path(world.workdir) / name
    config_dir.mkdir()
    world.demo.run('coe', 'cluster', 'config', name, '--dir', config_dir)
    job.facts['kubeconfig'] = yaml.safe_load(
        (config_dir / 'config').read_text())
    e2e._delete_and_check(world, name, cluster, job)
    job.step('done')


SCENARIOS = {'swarm-mode': _swarm_mode_lifecycle,
             'classic-no-tls': _classic_without_tls,
             'k8s-no-tls': _kubernetes_without_tls}


@pytest.fixture(scope='module')
def world(sandbox_env, alt_demo_env, admin_env):
    return e2e.World(sandbox_env, alt_demo_env, admin_env)


@pytest.fixture(scope='module')
def scenarios(world):
    pool = concurrent.futures.ThreadPoolExecutor(len(SCENARIOS))
    jobs = {}
    for name, run in SCENARIOS.items():
        job = e2e.Job()
        jobs[name] = (job, pool.submit(run, world, job))
    yield jobs
    pool.shutdown(wait=True)
    for template in world.templates:
        world.demo_api.request('container-infra',
                               '/clustertemplates/%s' % template, 'DELETE')


def _deleted(facts):
    assert facts['stack_after_delete'] is None
    assert not facts['stack_listed_after_delete']
    assert facts['rows_after_delete'] == 0
    assert '(HTTP 404)' in facts['show_after_delete']


def test_swarm_mode_lifecycle(scenarios):
    facts = e2e._outcome(scenarios, 'swarm-mode')
    created, outputs = facts['created'], facts['outputs']
    assert created['api_address'] == 'tcp://%s:2376' % outputs['api_address']
    assert created['master_addresses'] == outputs['swarm_masters']
    assert created['node_addresses'] == outputs['swarm_nodes']
    assert created['master_addresses'] and created['node_addresses']
    assert created['container_version'] == '2.0.0'
    assert facts['resized_down']['node_count'] == 1
    _deleted(facts)


def test_swarm_cluster_config_gives_docker_tls_settings(scenarios):
    facts = e2e._outcome(scenarios, 'swarm-mode')
    exports = facts['exports']
    assert exports['DOCKER_HOST'] == facts['created']['api_address']
    assert exports['DOCKER_CERT_PATH'] == facts['config_dir']
    assert exports['DOCKER_TLS_VERIFY'] == 'True'
    assert sorted(facts['files']) == ['ca.pem', 'cert.pem', 'key.pem']
    assert 'PRIVATE KEY' in facts['files']['key.pem']
    assert facts['cert_verifies'], 'cert.pem against ca.pem'
    assert e2e._pem(facts['files']['ca.pem']) == facts['ca_shown']


def test_classic_swarm_without_tls(scenarios):
    facts = e2e._outcome(scenarios, 'classic-no-tls')
    created, outputs = facts['created'], facts['outputs']
    assert created['api_address'] == 'tcp://%s:2375' % outputs['api_address']
    assert created['coe_version'] == '1.2.9'
    assert created['container_version'] == '1.0.0'
    exports = facts['exports']
    assert exports['DOCKER_HOST'] == created['api_address']
    assert exports['DOCKER_TLS_VERIFY'] == ''
    assert facts['files'] == {}
    _deleted(facts)


def test_kubernetes_without_tls_has_a_plain_kubeconfig(scenarios):
    facts = e2e._outcome(scenarios, 'k8s-no-tls')
    created, outputs = facts['created'], facts['outputs']
    assert created['api_address'] == 'http://%s:8080' % (
        outputs['api_address'])
    kubeconfig = facts['kubeconfig']
    (entry,) = kubeconfig['clusters']
    assert entry['cluster'] == {'server': created['api_address']}
    (user,) = kubeconfig['users']
    assert not user.get('user'), user
    _deleted(facts)
