"""Against a real Heat: rendered stacks build, scale and go away.

Opt-in and slow: set MAGNUM_SANDBOX_OPENRC to an openrc file of a project
on a Heat sandbox (tools/sandbox writes .sandbox/etc/openrc-demo), e.g.

    MAGNUM_SANDBOX_OPENRC=.sandbox/etc/openrc-demo \\
        .venv/bin/pytest tests/unit/drivers/test_heat_sandbox.py
"""
import dataclasses
import json
import os
import re
import shutil
import subprocess
import time
from urllib import parse
import uuid

import pytest

from magnum.drivers import base
from magnum.drivers.heat import engine
from magnum.drivers.heat import render
from drivers.k8s_fedora_atomic_v1 import driver as atomic
from drivers.k8s_fedora_coreos_v1 import driver as fcos
from drivers.k8s_common import params
from drivers.swarm_common import params as swarm_params
from drivers.k8s_fedora_ironic_v1 import driver as ironic
from drivers.swarm_fedora_atomic_v2 import driver as swarm
from tests.unit.drivers import fixtures
from tests.unit.drivers import variants

OPENRC = os.environ.get('MAGNUM_SANDBOX_OPENRC')
pytestmark = pytest.mark.skipif(not OPENRC,
                                reason='set MAGNUM_SANDBOX_OPENRC to run')


def _engine():
    from keystoneauth1 import loading
    from keystoneauth1 import session
    with open(OPENRC) as f:
        env = dict(re.findall(r'^export (OS_\w+)=(.*)$', f.read(), re.M))
    auth = loading.get_plugin_loader('password').load_from_options(
        auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'],
        password=env['OS_PASSWORD'], project_name=env['OS_PROJECT_NAME'],
        user_domain_name=env['OS_USER_DOMAIN_NAME'],
        project_domain_name=env['OS_PROJECT_DOMAIN_NAME'])
    return engine.HeatEngine(engine.make_client(
        session.Session(auth=auth), region_name=env.get('OS_REGION_NAME')))


def _settle(observe, tries=150):
    for _ in range(tries):
        seen = observe()
        if not seen.found or not seen.status.endswith('IN_PROGRESS'):
            return seen
        time.sleep(2)
    return seen


@pytest.fixture
def dctx():
    return base.DriverContext(orchestrator=_engine(),
                              values=fixtures.CONTEXT_VALUES)


def _fresh(spec):
    cluster = dataclasses.replace(spec.cluster, uuid=str(uuid.uuid4()))
    return dataclasses.replace(spec, cluster=cluster)


def _created(driver, dctx, spec):
    stack_id = driver.create_cluster(dctx, spec)
    spec = dataclasses.replace(spec, cluster=dataclasses.replace(
        spec.cluster, stack_id=stack_id))
    return spec, _settle(lambda: driver.observe_cluster(dctx, spec))


@pytest.mark.parametrize('driver_cls, template, cluster_fields', [
    (fcos.Driver, {}, {}),
    (fcos.Driver, {'master_lb_enabled': True,
                   'labels': {'master_lb_floating_ip_enabled': 'false'}}, {}),
    (fcos.Driver, {'docker_volume_size': 5,
                   'labels': {'etcd_volume_size': '2',
                              'boot_volume_size': '10'}}, {}),
    (atomic.Driver, {'cluster_distro': 'fedora-atomic',
                     'floating_ip_enabled': False}, {}),
    (ironic.Driver, {'server_type': 'bm', 'cluster_distro': 'fedora'}, {}),
])
def test_cluster_builds_and_is_deleted(dctx, driver_cls, template,
                                       cluster_fields):
    driver = driver_cls()
    spec, seen = _created(driver, dctx, _fresh(
        fixtures.spec(template, cluster_fields)))
    try:
        assert seen.status == 'CREATE_COMPLETE', seen.status_reason
        assert seen.api_address.startswith('https://')
        assert len(seen.nodegroup('default-worker').node_addresses) == 2
    finally:
        driver.delete_cluster(dctx, spec)
    assert not _settle(lambda: driver.observe_cluster(dctx, spec)).found


def test_nodegroup_joins_and_shrinks_by_named_server(dctx):
    driver = fcos.Driver()
    spec, seen = _created(driver, dctx, _fresh(fixtures.spec()))
    try:
        assert seen.status == 'CREATE_COMPLETE', seen.status_reason
        ng = fixtures.extra_nodegroup(stack_id=None, node_count=3)
        ng = dataclasses.replace(ng, stack_id=driver.create_nodegroup(
            dctx, spec.with_nodegroup(ng), ng))
        spec = spec.with_nodegroup(ng)
        seen = _settle(lambda: driver.observe_nodegroup(dctx, spec, ng))
        assert seen.status == 'CREATE_COMPLETE', seen.status_reason
        heat = dctx.orchestrator.client
        group = heat.resources.get(ng.stack_id,
                                   'kube_minions').physical_resource_id

        def servers():
            return {r.parent_resource: r.physical_resource_id
                    for r in heat.resources.list(group, nested_depth=1)
                    if r.resource_type == 'OS::Nova::Server'}
        before = servers()
        driver.resize_cluster(dctx, spec, ng, 2, nodes_to_remove=[before['1']])
        seen = _settle(lambda: driver.observe_nodegroup(dctx, spec, ng))
        assert seen.status == 'UPDATE_COMPLETE', seen.status_reason
        assert servers() == {'0': before['0'], '2': before['2']}
    finally:
        driver.delete_cluster(dctx, spec)
    assert not _settle(lambda: driver.observe_cluster(dctx, spec)).found


def _user_data(dctx, driver, node_vars, template_fields=None,
               secrets='master_secrets'):
    """What Heat makes of the driver's user-data template for one node."""
    rendered = driver.render_cluster(_fresh(fixtures.spec(template_fields)),
                                     fixtures.CONTEXT_VALUES)
    name = rendered.environment['resource_registry']['Magnum::NodeUserData']
    files = dict(rendered.files, main=rendered.files[name])
    stack = render.RenderedStack('main', files, {
        'node_env': rendered.parameters['node_env'],
        'node_secrets': rendered.parameters[secrets],
        'node_vars': node_vars}, {})
    eng = dctx.orchestrator
    stack_id = eng.create_stack('ud-%s' % uuid.uuid4().hex[:8], stack)
    try:
        for _ in range(60):
            state = eng.get_stack(stack_id)
            if not state.status.endswith('IN_PROGRESS'):
                break
            time.sleep(1)
        assert state.status == 'CREATE_COMPLETE', state.status_reason
        return rendered, state.outputs['user_data']
    finally:
        eng.delete_stack(stack_id)


NODE_VARS = 'NODE_ROLE=master\nNODE_NAME=demo-default-master-0\n'


def test_ignition_user_data(dctx):
    rendered, user_data = _user_data(dctx, fcos.Driver(), NODE_VARS)
    config = json.loads(user_data)
    assert config['ignition']['version'] == '3.1.0'
    files = {f['path']: f for f in config['storage']['files']}

    def decoded(path):
        source = files[path]['contents']['source']
        assert source.startswith('data:,')
        return parse.unquote(source[len('data:,'):])
    script = render.read_files(params.TEMPLATES)['fragments/bootstrap.sh']
    assert decoded('/usr/local/bin/magnum-bootstrap') == script
    assert decoded('/etc/magnum/node.env') == NODE_VARS
    assert 'CLUSTER_UUID=' in decoded('/etc/magnum/cluster.env')
    assert 'TRUSTEE_PASSWORD=fake-trustee-password' in decoded(
        '/etc/magnum/secrets.env')
    assert files['/etc/magnum/secrets.env']['mode'] == 0o600
    (unit,) = config['systemd']['units']
    assert unit['enabled'] and 'magnum-bootstrap' in unit['contents']


@pytest.mark.parametrize('driver, template, secrets', [
    (atomic.Driver, None, 'master_secrets'),
    (swarm.Driver, variants.SWARM_TEMPLATE, 'node_secrets'),
], ids=['kubernetes', 'swarm'])
def test_shell_user_data_is_one_valid_script(dctx, tmp_path, driver,
                                             template, secrets):
    _rendered, user_data = _user_data(dctx, driver(), NODE_VARS, template,
                                      secrets)
    assert user_data.startswith('#!/bin/bash')
    assert '@@' not in user_data
    script = tmp_path / 'user-data.sh'
    script.write_text(user_data)
    subprocess.run(['bash', '-n', str(script)], check=True)
    if shutil.which('shellcheck'):
        result = subprocess.run(['shellcheck', str(script)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_swarm_user_data_stores_the_library_then_runs_swarm(dctx):
    _rendered, user_data = _user_data(dctx, swarm.Driver(), NODE_VARS,
                                      variants.SWARM_TEMPLATE, 'node_secrets')
    files = render.read_files(params.TEMPLATES)
    swarm_files = render.read_files(swarm_params.TEMPLATES)
    library = ("cat > /var/lib/magnum/node-lib.sh <<'MAGNUM_LIBRARY_END'\n"
               "%s\nMAGNUM_LIBRARY_END\n" % files['fragments/bootstrap.sh'])
    bootstrap = ("cat > /var/lib/magnum/bootstrap.sh "
                 "<<'MAGNUM_BOOTSTRAP_END'\n%s\nMAGNUM_BOOTSTRAP_END\n"
                 % swarm_files['fragments/swarm-bootstrap.sh'])
    assert user_data.index(library) < user_data.index(bootstrap)
    assert user_data.rstrip().endswith('exec /var/lib/magnum/bootstrap.sh')
    assert 'NODE_ROLE=master\n' in user_data


def test_every_master_knows_all_masters(dctx):
    driver = atomic.Driver()
    spec, seen = _created(driver, dctx, _fresh(fixtures.spec(
        {'cluster_distro': 'fedora-atomic', 'master_lb_enabled': True},
        masters=3, workers=1)))
    try:
        assert seen.status == 'CREATE_COMPLETE', seen.status_reason
        heat = dctx.orchestrator.client
        private = heat.stacks.get(spec.cluster.stack_id).outputs
        private = {o['output_key']: o['output_value'] for o in private}
        masters = private['kube_masters_private']
        assert len(set(masters)) == 3
        wanted = 'MASTER_ADDRESSES=%s\n' % ','.join(masters)
        user_data = [
            heat.stacks.get(r.physical_resource_id).outputs[0]['output_value']
            for r in heat.resources.list(spec.cluster.stack_id,
                                         nested_depth=3)
            if r.resource_name == 'user_data']
        with_masters = [u for u in user_data if wanted in u]
        assert len(with_masters) == 3          # every master, no worker
        for ip in masters:
            assert sum('NODE_ROLE=master' in u and ip in u
                       for u in with_masters) == 3
    finally:
        driver.delete_cluster(dctx, spec)
    assert not _settle(lambda: driver.observe_cluster(dctx, spec)).found
