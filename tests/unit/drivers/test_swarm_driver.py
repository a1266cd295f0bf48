"""The swarm drivers: what they provide, their labels, and their lifecycle
through the Heat engine (against the in-memory Heat)."""
import dataclasses

import pytest

from magnum.common import exception
from magnum.drivers import loader
from drivers.swarm_fedora_atomic_v1 import driver as v1
from drivers.swarm_fedora_atomic_v2 import driver as v2
from tests.unit.drivers import fixtures
from tests.unit.drivers.test_heat_driver import ROTATION_ID
from tests.unit.drivers.test_heat_driver import _dctx
from tests.unit.drivers.test_heat_driver import _with_nodegroup
from tests.unit.drivers.test_heat_driver import heat  # noqa: F401
from tests.unit.drivers import variants

# The swarm labels of the user guide (its label table and Swarm section).
GUIDE_LABELS = ('swarm_strategy', 'rexray_preempt', 'docker_volume_type',
                'availability_zone', 'flannel_network_cidr',
                'flannel_backend', 'flannel_network_subnetlen',
                'boot_volume_size', 'boot_volume_type',
                'container_infra_prefix')


def _spec(template_fields=None, **kwargs):
    return fixtures.spec(dict(variants.SWARM_TEMPLATE,
                              **(template_fields or {})), **kwargs)


def _created(heat, spec, driver=v2.Driver):  # noqa: F811
    fake, client = heat
    stack_id = driver().create_cluster(_dctx(client), spec)
    cluster = dataclasses.replace(spec.cluster, stack_id=stack_id)
    return dataclasses.replace(spec, cluster=cluster), stack_id


def test_installed_and_found_by_what_they_provide():
    registry = loader.load()
    assert registry.get('vm', 'fedora-atomic', 'swarm-mode').name == (
        'swarm_fedora_atomic_v2')
    assert registry.get('vm', 'fedora-atomic', 'swarm').name == (
        'swarm_fedora_atomic_v1')


def test_guide_labels_are_declared():
    schema = v1.Driver().labels.properties
    assert [name for name in GUIDE_LABELS if name not in schema] == []
    # swarm mode schedules by itself: no classic strategy to set
    assert 'swarm_strategy' not in v2.Driver().labels.properties
    assert 'kube_tag' not in schema


@pytest.mark.parametrize('driver, given, label, words', [
    (v2.Driver, {'rexray_preempt': 'maybe'}, 'rexray_preempt', 'true or'),
    (v2.Driver, {'flannel_backend': 'gre'}, 'flannel_backend', 'gre'),
    (v2.Driver, {'etcd_volume_size': '-1'}, 'etcd_volume_size', 'minimum'),
    (v1.Driver, {'swarm_strategy': 'fastest'}, 'swarm_strategy', 'fastest'),
])
def test_bad_labels_give_a_400_naming_the_label(driver, given, label, words):
    with pytest.raises(exception.InvalidLabels) as caught:
        driver().validate_labels(given)
    assert caught.value.code == 400
    assert label in str(caught.value) and words in str(caught.value)


def test_labels_reach_the_nodes_typed():
    rendered = v1.Driver().render_cluster(_spec({'coe': 'swarm', 'labels': {
        'swarm_strategy': 'binpack', 'rexray_preempt': 'True'}}),
        fixtures.CONTEXT_VALUES)
    env = dict(line.split('=', 1)
               for line in rendered.parameters['node_env'].splitlines())
    assert env['SWARM_STRATEGY'] == 'binpack'
    assert env['REXRAY_PREEMPT'] == 'true'
    assert env['COE'] == 'swarm' and env['SWARM_API_PORT'] == '2376'
    assert rendered.parameters['swarm_version'] == '1.2.9'


@pytest.mark.parametrize('tls_disabled, url', [
    (False, 'tcp://172.24.4.10:2376'), (True, 'tcp://172.24.4.10:2375')])
def test_observe_maps_outputs_back(heat, tls_disabled, url):  # noqa: F811
    fake, client = heat
    spec, stack_id = _created(heat, _spec({'tls_disabled': tls_disabled}))
    fake.finish(stack_id, 'CREATE_COMPLETE', {
        'api_address': '172.24.4.10', 'swarm_masters': ['172.24.4.11'],
        'swarm_nodes': ['172.24.4.12', '172.24.4.13']})
    fake.stacks_by_id[stack_id]['parameters'] = {
        'number_of_masters': '1', 'number_of_nodes': '2'}
    seen = v2.Driver().observe_cluster(_dctx(client), spec)
    assert seen.api_address == url
    assert seen.coe_version is None
    assert seen.container_version == '2.0.0'
    assert seen.nodegroup('default-master').node_addresses == (
        '172.24.4.11',)
    worker = seen.nodegroup('default-worker')
    assert worker.node_addresses == ('172.24.4.12', '172.24.4.13')
    assert worker.node_count == 2


def test_create_sends_the_api_port_with_tls(heat):  # noqa: F811
    fake, client = heat
    _created(heat, _spec())
    (call,) = [c for c in fake.calls if c[0] == 'create']
    assert call[2]['parameters']['swarm_api_port'] == 2376
    assert call[2]['template'].startswith('heat_template_version')
    assert 'kubenode.yaml' in call[2]['files']


def test_resize_removes_named_servers(heat):  # noqa: F811
    fake, client = heat
    spec, stack_id = _created(heat, _spec(workers=3))
    fake.server_group(stack_id, 'swarm_nodes', 3)
    v2.Driver().resize_cluster(_dctx(client), spec, spec.worker, 2,
                               nodes_to_remove=['srv-2'])
    (update,) = [c for c in fake.calls if c[0] == 'update']
    assert update[2]['existing'] is True
    assert update[2]['parameters'] == {'number_of_masters': 1,
                                       'number_of_nodes': 2,
                                       'nodes_to_remove': '2'}


def test_nodegroup_joins_the_primary_manager(heat):  # noqa: F811
    fake, client = heat
    spec, stack_id = _created(heat, _spec())
    fake.finish(stack_id, 'CREATE_COMPLETE', {
        'fixed_network': 'net-1', 'fixed_subnet': 'sub-1',
        'worker_security_groups': ['sg-a', 'sg-b'],
        'primary_manager_private_address': '10.0.0.4'})
    ng = fixtures.extra_nodegroup(stack_id=None)
    ng_stack = v2.Driver().create_nodegroup(_dctx(client),
                                            spec.with_nodegroup(ng), ng)
    parameters = fake.stacks_by_id[ng_stack]['parameters']
    assert parameters['primary_manager_address'] == '10.0.0.4'
    assert parameters['fixed_network'] == 'net-1'
    assert parameters['security_groups'] == 'sg-a,sg-b'
    assert parameters['number_of_nodes'] == 3
    assert parameters['node_flavor'] == 'g1.large'


@pytest.mark.parametrize('driver', [v1.Driver, v2.Driver])
def test_ca_rotation_reaches_every_stack(heat, driver):  # noqa: F811
    fake, client = heat
    spec, stack_id = _created(heat, _spec(), driver)
    spec, ng_stack = _with_nodegroup(heat, spec)
    assert driver().supports_ca_rotation()
    driver().rotate_ca_certificate(
        _dctx(client, ca_rotation_id=ROTATION_ID), spec)
    updates = [(c[1], c[2]['parameters']) for c in fake.calls
               if c[0] == 'update']
    assert updates == [(stack_id, {'ca_rotation_id': ROTATION_ID}),
                       (ng_stack, {'ca_rotation_id': ROTATION_ID})]
