"""CA rotation end to end: our services on the sandbox's real Keystone and
Heat, driven by the real ``openstack coe`` CLI as the demo project member.

One cluster with an extra nodegroup is rotated; then its stack is
suspended (a stack Heat refuses to update) and rotated again. The scenario
runs once per driver (Kubernetes, Docker swarm mode) and each test checks
one part of what it saw. Fingerprints are computed with openssl, not with
our code.

Skipped unless MAGNUM_E2E=1 or the sandbox is up (see conftest.py).
"""
import subprocess

import pytest

from tests.e2e import magnum_rest as rest
from tests.e2e.test_magnum_e2e import World
from tests.e2e.test_magnum_e2e import _csr
from tests.e2e.test_magnum_e2e import _name
from tests.e2e.test_magnum_e2e import _pem
from tests.e2e.test_magnum_e2e import _stack_id
from tests.e2e.test_magnum_e2e import _verifies
from tests.e2e import test_swarm_e2e

# driver -> how to make a template for it
TEMPLATES = {
    'k8s_fedora_coreos_v1':
        lambda world: world.create_template('k8s_fedora_coreos_v1'),
    'swarm_fedora_atomic_v2': test_swarm_e2e.swarm_mode_template,
}


def _fingerprint(pem):
    """What a node compares: lowercase hex SHA-256 of the CA's DER."""
    out = subprocess.run(['openssl', 'x509', '-noout', '-fingerprint',
                          '-sha256'], input=pem, text=True, check=True,
                         capture_output=True).stdout
    return out.strip().split('=', 1)[1].replace(':', '').lower()


def _announced(world, stack_id):
    stack = world.service_api.stack(stack_id)
    return stack['parameters']['ca_rotation_id']


def _servers_metadata(world, addresses):
    """Nova metadata of the (simulated) servers holding ``addresses``."""
    found = {}
    for server_id, _ips in world.worker_server_ids(addresses):
        status, body = world.demo_api.get('compute', '/servers/%s'
                                          % server_id)
        assert status == 200, body
        found[server_id] = body['server']['metadata']
    return found


def _ca_and_signed(world, name, tag):
    ca = _pem(world.demo.run('coe', 'ca', 'show', name).stdout)
    csr = _csr(world.workdir, '%s-%s' % (name, tag))
    signed = _pem(world.demo.run('coe', 'ca', 'sign', name, csr).stdout)
    return ca, signed


@pytest.fixture(scope='module')
def world(sandbox_env, alt_demo_env, admin_env):
    return World(sandbox_env, alt_demo_env, admin_env)


@pytest.fixture(scope='module', params=sorted(TEMPLATES))
def seen(world, request):
    """Run the scenario with one driver; what it observed, by step."""
    facts = {}
    api, cli = world.demo_api, world.demo
    template = TEMPLATES[request.param](world)
    name = _name('carot')
    uuid = world.create_cluster(template, name)
    try:
        cluster = rest.wait_cluster(api, uuid, 'CREATE_COMPLETE')
        cli.run('coe', 'nodegroup', 'create', name, 'ng-extra',
                '--node-count', 1)
        rest.wait_cluster(api, uuid, 'UPDATE_COMPLETE')
        nodegroup = api.nodegroup(uuid, 'ng-extra')
        stacks = (_stack_id(cluster), nodegroup['stack_id'])
        addresses = (cluster['master_addresses'] + cluster['node_addresses']
                     + nodegroup['node_addresses'])
        facts['announced_at_create'] = [_announced(world, s) for s in stacks]

        facts['ca_before'], facts['signed_before'] = _ca_and_signed(
            world, name, 'before')
        cli.run('coe', 'ca', 'rotate', name)
        facts['rotated'] = rest.wait_cluster(api, uuid, 'UPDATE_COMPLETE')
        facts['nodegroup_after'] = api.nodegroup(uuid, 'ng-extra')
        facts['ca_after'], facts['signed_after'] = _ca_and_signed(
            world, name, 'after')
        facts['announced'] = [_announced(world, s) for s in stacks]
        facts['servers'] = _servers_metadata(world, addresses)
        facts['server_count'] = len(addresses)

        # A stack Heat refuses to update: suspended.
        world.service.run('stack', 'suspend', stacks[0])
        rest.wait_until(lambda: world.service_api.stack(stacks[0]),
                        lambda s: s['stack_status'] == 'SUSPEND_COMPLETE',
                        'stack %s to suspend' % stacks[0])
        facts['refused'] = cli.fails('coe', 'ca', 'rotate', name)
        facts['after_refusal'] = api.cluster(uuid)
        facts['ca_kept'], facts['signed_after_refusal'] = _ca_and_signed(
            world, name, 'refused')
        facts['announced_after_refusal'] = [_announced(world, s)
                                            for s in stacks]
    finally:
        cli.run('coe', 'cluster', 'delete', name)
        rest.wait_cluster(api, uuid, None)
        api.request('container-infra', '/clustertemplates/%s'
                    % template['uuid'], 'DELETE')
    return facts


def test_users_certificates_follow_the_new_ca(seen, world):
    before, after = seen['ca_before'], seen['ca_after']
    assert before.strip() != after.strip()
    assert _verifies(before, seen['signed_before'], world.workdir)
    # Signed before the rotation: no longer valid for the cluster.
    assert not _verifies(after, seen['signed_before'], world.workdir)
    assert _verifies(after, seen['signed_after'], world.workdir)


def test_every_stack_and_server_is_told_the_new_ca(seen, world):
    assert seen['announced_at_create'] == ['', '']
    wanted = _fingerprint(seen['ca_after'])
    assert seen['announced'] == [wanted, wanted]
    assert seen['rotated']['status_reason'] is None
    assert seen['nodegroup_after']['status'] == 'UPDATE_COMPLETE'
    # masters, default workers and the extra nodegroup's worker
    assert len(seen['servers']) == seen['server_count'] == 3
    for metadata in seen['servers'].values():
        assert metadata['magnum_ca_rotation'] == wanted, metadata


def test_rotation_heat_refuses_keeps_the_ca(seen, world):
    output = seen['refused']
    assert '(HTTP 400)' in output, output
    assert 'suspended' in output, output
    kept = seen['ca_kept']
    assert kept.strip() == seen['ca_after'].strip()
    assert _verifies(kept, seen['signed_after_refusal'], world.workdir)
    assert seen['announced_after_refusal'] == seen['announced']
    cluster = seen['after_refusal']
    assert cluster['status'] == 'UPDATE_FAILED'
    assert 'suspended' in cluster['status_reason']
