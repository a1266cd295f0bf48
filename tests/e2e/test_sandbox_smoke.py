"""Smoke test of the loopback sandbox: real Keystone, real Heat, and the
sandbox's simulated cloud behind Heat's Nova/Neutron/Cinder/Octavia types.

Skipped unless MAGNUM_E2E=1 or the sandbox is up (see conftest.py).
"""

import ipaddress
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

STACK_TIMEOUT = 240


def _name(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


@pytest.fixture(scope='module')
def token(openstack):
    """A demo-user token issued by the openstack CLI."""
    return openstack('token', 'issue')['id']


@pytest.fixture(scope='module')
def catalog(sandbox_env, token):
    """Service type -> public URL, from Keystone with the CLI's token.
    Later calls go over REST: one CLI run costs 2-10 s on a busy box."""
    body = _get(sandbox_env['OS_AUTH_URL'] + '/auth/catalog', token)
    return {svc['type']: next(e['url'] for e in svc['endpoints']
                              if e['interface'] == 'public')
            for svc in body['catalog']}


@pytest.fixture(scope='module')
def heat(catalog, token):
    return catalog['orchestration'], token


def _show(heat, name):
    """The stack as a dict, or None once it is gone."""
    url, token = heat
    try:
        return _get('%s/stacks/%s' % (url, name), token)['stack']
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def _wait_stack(heat, name):
    """Poll until the stack leaves *_IN_PROGRESS (None: it is gone)."""
    deadline = time.time() + STACK_TIMEOUT
    while time.time() < deadline:
        stack = _show(heat, name)
        if stack is None or not stack['stack_status'].endswith(
                '_IN_PROGRESS'):
            return stack
        time.sleep(0.5)
    pytest.fail('stack %s still in progress after %ss' % (
        name, STACK_TIMEOUT))


def _outputs(stack):
    return {o['output_key']: o['output_value'] for o in stack['outputs']}


def _delete(openstack, heat, name):
    openstack('stack', 'delete', '-y', name, as_json=False)
    stack = _wait_stack(heat, name)
    assert stack is None or stack['stack_status'] == 'DELETE_COMPLETE'


def test_token_issue_as_demo(openstack, sandbox_env, token):
    assert token
    assert sandbox_env['OS_PROJECT_NAME'] == 'demo'


def test_kitchen_sink_stack_lifecycle(openstack, heat):
    name = _name('smoke')
    openstack('stack', 'create', '-t', 'kitchen_sink.yaml', name)
    try:
        stack = _wait_stack(heat, name)
        assert stack['stack_status'] == 'CREATE_COMPLETE', \
            stack['stack_status_reason']
        out = _outputs(stack)
        assert ipaddress.ip_address(out['master_address']).version == 4
        assert ipaddress.ip_address(out['lb_vip_address'])
        fip = ipaddress.ip_address(out['master_floating_ip'])
        assert fip in ipaddress.ip_network('172.24.4.0/24')
        assert out['master_floating_ip'] in out['master_networks'][
            'smoke-net']
        assert out['deploy_stdout'] == 'sandbox auto-signal'
        assert out['volume_status'] == 'in-use'
        assert len(out['node_ips']) == 1

        for count in (3, 1):
            openstack('stack', 'update', '--existing', '--parameter',
                      'node_count=%d' % count, name, as_json=False)
            stack = _wait_stack(heat, name)
            assert stack['stack_status'] == 'UPDATE_COMPLETE', \
                stack['stack_status_reason']
            ips = _outputs(stack)['node_ips']
            assert len(ips) == count and len(set(ips)) == count
            assert all(ipaddress.ip_address(ip) for ip in ips)
    finally:
        _delete(openstack, heat, name)


def test_injected_create_failure(openstack, heat):
    name = _name('smoke-fail')
    openstack('stack', 'create', '-t', 'fail_create.yaml', name)
    try:
        stack = _wait_stack(heat, name)
        assert stack['stack_status'] == 'CREATE_FAILED'
        assert 'broken-sandbox-fail-create' in stack['stack_status_reason']
    finally:
        _delete(openstack, heat, name)


def test_injected_delete_failure_happens_once(openstack, heat):
    name = _name('smoke-fail-delete')
    openstack('stack', 'create', '-t', 'fail_delete.yaml', name)
    assert _wait_stack(heat, name)['stack_status'] == 'CREATE_COMPLETE'
    openstack('stack', 'delete', '-y', name, as_json=False)
    stack = _wait_stack(heat, name)
    assert stack['stack_status'] == 'DELETE_FAILED'
    assert 'sticky-sandbox-fail-delete' in stack['stack_status_reason']
    _delete(openstack, heat, name)


def _get(url, token=None):
    req = urllib.request.Request(url)
    if token:
        req.add_header('X-Auth-Token', token)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_simulated_cloud_image_lookup_via_catalog(catalog, token):
    image_url = catalog['image']
    found = _get(image_url + '/v2/images?name=fedora-coreos-latest', token)
    assert [i['os_distro'] for i in found['images']] == ['fedora-coreos']
    image = _get('%s/v2/images/%s' % (image_url, found['images'][0]['id']),
                 token)
    assert image['name'] == 'fedora-coreos-latest'
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(image_url + '/v2/images')
    assert err.value.code == 401

    compute_url = catalog['compute']
    flavors = _get(compute_url + '/flavors/detail', token)['flavors']
    small = next(f for f in flavors if f['name'] == 'm1.small')
    flavor = _get('%s/flavors/%s' % (compute_url, small['id']), token)
    assert flavor['flavor']['disk'] == 20
    keypair = _get(compute_url + '/os-keypairs/default', token)['keypair']
    assert keypair['public_key'].startswith('ssh-')
    network_url = catalog['network']
    nets = _get(network_url + '/v2.0/networks?name=public', token)
    assert nets['networks'][0]['router:external'] is True


def _password_token(env, user, project):
    body = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': user, 'domain': {'id': 'default'},
            'password': env['OS_PASSWORD']}}},
        'scope': {'project': {'name': project,
                              'domain': {'id': 'default'}}}}}
    req = urllib.request.Request(
        env['OS_AUTH_URL'] + '/auth/tokens', method='POST',
        data=json.dumps(body).encode(),
        headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.headers['X-Subject-Token'], json.loads(resp.read())


def test_keystone_contents(sandbox_env, admin_env, alt_demo_env):
    _, alt = _password_token(alt_demo_env, 'alt_demo', 'alt_demo')
    assert {r['name'] for r in alt['token']['roles']} == {'member',
                                                          'reader'}
    token, admin = _password_token(admin_env, 'admin', 'admin')
    types = {s['type']: s for s in admin['token']['catalog']}
    assert {'identity', 'orchestration', 'container-infra', 'image',
            'compute', 'network'} <= set(types)
    url = admin_env['OS_AUTH_URL']
    for user in ('heat', 'magnum'):
        found = _get('%s/users?name=%s' % (url, user), token)['users']
        grants = _get('%s/role_assignments?user.id=%s&include_names=1'
                      % (url, found[0]['id']), token)['role_assignments']
        assert ('admin', 'service') in {
            (g['role']['name'], g['scope']['project']['name'])
            for g in grants if 'project' in g['scope']}
    domain = _get(url + '/domains?name=heat', token)['domains'][0]
    users = _get('%s/users?domain_id=%s' % (url, domain['id']), token)
    assert [u['name'] for u in users['users']] == ['heat_domain_admin']
