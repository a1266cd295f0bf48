"""A Kubernetes driver's lifecycle through the Heat engine."""
import dataclasses

import pytest

from magnum.common import exception
from magnum.drivers import base
from magnum.drivers import errors
from magnum.drivers import views
from magnum.drivers.heat import driver as heat_driver
from magnum.drivers.heat import engine
from magnum.drivers.heat import render
from drivers.k8s_fedora_coreos_v1 import driver as fcos
from tests.unit.drivers import fake_heat
from tests.unit.drivers import fixtures


@pytest.fixture
def heat():
    return fake_heat.client()


def _dctx(client, **values):
    return base.DriverContext(
        orchestrator=engine.HeatEngine(client),
        values=dict(fixtures.CONTEXT_VALUES, **values))


def _created(heat, spec):
    fake, client = heat
    stack_id = fcos.Driver().create_cluster(_dctx(client), spec)
    cluster = dataclasses.replace(spec.cluster, stack_id=stack_id)
    return dataclasses.replace(spec, cluster=cluster), stack_id


def test_create_names_the_stack_and_uses_the_cluster_timeout(heat):
    fake, client = heat
    spec = fixtures.spec(cluster_fields={'create_timeout': 45})
    spec, stack_id = _created(heat, spec)
    (call,) = [c for c in fake.calls if c[0] == 'create']
    assert call[2]['stack_name'] == 'demo-5d12f6fda1'
    assert call[2]['timeout_mins'] == 45
    assert call[2]['parameters']['number_of_minions'] == 2


def test_create_rejects_bad_labels_before_heat(heat):
    fake, client = heat
    spec = fixtures.spec(cluster_fields={'labels': {'etcd_volume_size': 'x'}})
    with pytest.raises(exception.InvalidLabels):
        fcos.Driver().create_cluster(_dctx(client), spec)
    assert fake.calls == []


def test_observe_maps_outputs_back(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec(workers=2))
    fake.finish(stack_id, 'CREATE_COMPLETE', {
        'api_address': '172.24.4.10',
        'kube_masters': ['172.24.4.11'],
        'kube_minions': ['172.24.4.12', '172.24.4.13']})
    fake.stacks_by_id[stack_id]['parameters'] = {
        'number_of_masters': '1', 'number_of_minions': '2',
        'kube_tag': 'v1.18.2'}
    seen = fcos.Driver().observe_cluster(_dctx(client), spec)
    assert seen.status == views.CREATE_COMPLETE
    assert seen.api_address == 'https://172.24.4.10:6443'
    assert seen.coe_version == 'v1.18.2'
    assert seen.container_version == fcos.Driver.version
    assert seen.nodegroup('default-master').node_addresses == (
        '172.24.4.11',)
    worker = seen.nodegroup('default-worker')
    assert worker.node_addresses == ('172.24.4.12', '172.24.4.13')
    assert worker.node_count == 2


def test_observe_without_tls_gives_http_8080(heat):
    fake, client = heat
    spec, stack_id = _created(
        heat, fixtures.spec(template_fields={'tls_disabled': True}))
    fake.finish(stack_id, 'CREATE_COMPLETE', {'api_address': '10.0.0.3'})
    seen = fcos.Driver().observe_cluster(_dctx(client), spec)
    assert seen.api_address == 'http://10.0.0.3:8080'


def test_observe_a_vanished_stack(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    del fake.stacks_by_id[stack_id]
    seen = fcos.Driver().observe_cluster(_dctx(client), spec)
    assert seen.found is False and seen.status is None


def test_resize_default_workers_removes_named_servers(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec(workers=3))
    fake.server_group(stack_id, 'kube_minions', 3)
    fcos.Driver().resize_cluster(_dctx(client), spec, spec.worker, 2,
                                 nodes_to_remove=['srv-1'])
    (update,) = [c for c in fake.calls if c[0] == 'update']
    assert update[1] == stack_id
    # a PATCH of the scaling parameters only: nothing else can change
    assert update[2]['existing'] is True
    assert update[2]['parameters'] == {'number_of_masters': 1,
                                       'number_of_minions': 2,
                                       'minions_to_remove': '1'}
    assert 'template' not in update[2]


def test_update_and_nodegroup_resize_patch_counts_only(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec(workers=3))
    grown = spec.with_nodegroup(dataclasses.replace(spec.worker,
                                                    node_count=5))
    fcos.Driver().update_cluster(_dctx(client), grown)
    ng_stack = fake.stacks.create(stack_name='ng')['stack']['id']
    ng = fixtures.extra_nodegroup(stack_id=ng_stack)
    fcos.Driver().resize_cluster(_dctx(client), spec.with_nodegroup(ng), ng,
                                 1)
    updates = [c for c in fake.calls if c[0] == 'update']
    assert [(u[1], u[2]['parameters']) for u in updates] == [
        (stack_id, {'number_of_masters': 1, 'number_of_minions': 5}),
        (ng_stack, {'number_of_minions': 1})]


def test_masters_cannot_be_resized(heat):
    fake, client = heat
    spec, _ = _created(heat, fixtures.spec())
    with pytest.raises(exception.MasterNGResizeNotSupported):
        fcos.Driver().resize_cluster(_dctx(client), spec, spec.master, 3)


def test_nodegroup_stack_joins_the_cluster_stack(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    fake.finish(stack_id, 'CREATE_COMPLETE', {
        'fixed_network': 'net-1', 'fixed_subnet': 'sub-1',
        'worker_security_groups': ['sg-a', 'sg-b'],
        'kube_api_private_address': '10.0.0.4'})
    ng = fixtures.extra_nodegroup(stack_id=None)
    ng_stack = fcos.Driver().create_nodegroup(_dctx(client),
                                              spec.with_nodegroup(ng), ng)
    args = fake.stacks_by_id[ng_stack]
    assert args['stack_name'] == 'demo-gpu-worke-5d12f6fda1'
    assert args['parameters']['fixed_network'] == 'net-1'
    assert args['parameters']['security_groups'] == 'sg-a,sg-b'
    assert args['parameters']['kube_api_address'] == '10.0.0.4'
    assert args['parameters']['minion_flavor'] == 'g1.large'
    assert args['parameters']['number_of_minions'] == 3


def test_delete_removes_nodegroup_stacks_then_the_cluster(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    ng_stack = fake.stacks.create(stack_name='ng')['stack']['id']
    spec = spec.with_nodegroup(fixtures.extra_nodegroup(stack_id=ng_stack))
    fcos.Driver().delete_cluster(_dctx(client), spec)
    deletes = [c[1] for c in fake.calls if c[0] == 'delete']
    assert deletes == [ng_stack, stack_id]


ROTATION_ID = 'c0ffee' * 10 + 'beef'


def _with_nodegroup(heat, spec):
    fake, client = heat
    ng_stack = fake.stacks.create(stack_name='ng')['stack']['id']
    no_stack = fixtures.extra_nodegroup(uuid='ng-new', name='new',
                                        stack_id=None)
    spec = spec.with_nodegroup(fixtures.extra_nodegroup(stack_id=ng_stack))
    return spec.with_nodegroup(no_stack), ng_stack


def test_ca_rotation_patches_only_the_rotation_id_of_every_stack(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    spec, ng_stack = _with_nodegroup(heat, spec)
    fcos.Driver().rotate_ca_certificate(
        _dctx(client, ca_rotation_id=ROTATION_ID), spec)
    updates = [c for c in fake.calls if c[0] == 'update']
    assert [(u[1], u[2]) for u in updates] == [
        (stack_id, {'parameters': {'ca_rotation_id': ROTATION_ID},
                    'existing': True, 'disable_rollback': True}),
        (ng_stack, {'parameters': {'ca_rotation_id': ROTATION_ID},
                    'existing': True, 'disable_rollback': True})]


def test_ca_rotation_refused_by_a_nodegroup_stack_is_taken_back(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    spec, ng_stack = _with_nodegroup(heat, spec)
    fake.refuse_updates.add(ng_stack)
    with pytest.raises(exception.InvalidParameterValue) as caught:
        fcos.Driver().rotate_ca_certificate(
            _dctx(client, ca_rotation_id=ROTATION_ID), spec)
    assert 'suspended' in str(caught.value)
    updates = [(c[1], c[2]['parameters']) for c in fake.calls
               if c[0] == 'update']
    assert updates == [(stack_id, {'ca_rotation_id': ROTATION_ID}),
                       (stack_id, {'ca_rotation_id': ''})]


def test_ca_rotation_refused_by_the_cluster_stack_tells_nobody(heat):
    fake, client = heat
    spec, stack_id = _created(heat, fixtures.spec())
    spec, _ = _with_nodegroup(heat, spec)
    fake.refuse_updates.add(stack_id)
    with pytest.raises(exception.InvalidParameterValue):
        fcos.Driver().rotate_ca_certificate(
            _dctx(client, ca_rotation_id=ROTATION_ID), spec)
    assert [c for c in fake.calls if c[0] == 'update'] == []


def test_ca_rotation_needs_the_parameter_in_every_stack(tmp_path):
    (tmp_path / 'with.yaml').write_text(
        'heat_template_version: 2021-04-16\n'
        'parameters:\n  ca_rotation_id: {type: string, default: ""}\n')
    (tmp_path / 'without.yaml').write_text(
        'heat_template_version: 2021-04-16\n')

    class Partial(heat_driver.HeatDriver):
        name = 'partial'
        cluster_stack = render.StackDefinition(str(tmp_path), 'with.yaml',
                                               ())
        nodegroup_stack = render.StackDefinition(str(tmp_path),
                                                 'without.yaml', ())

    assert fcos.Driver().supports_ca_rotation()
    assert not Partial().supports_ca_rotation()
    with pytest.raises(errors.NotSupported):
        Partial().rotate_ca_certificate(base.DriverContext(),
                                        fixtures.spec())


@pytest.mark.parametrize('operation, args', [
    ('upgrade_cluster', (None,)),
    ('rotate_credential', ()),
])
def test_optional_operations_raise_typed_not_supported(operation, args):
    with pytest.raises(errors.NotSupported) as caught:
        getattr(fcos.Driver(), operation)(base.DriverContext(),
                                          fixtures.spec(), *args)
    assert caught.value.code == 400
    assert operation in str(caught.value)
    assert 'k8s_fedora_coreos_v1' in str(caught.value)


@pytest.mark.parametrize('size', [0, 2, 4])
def test_master_size_must_be_odd(size):
    with pytest.raises(exception.MasterNGSizeInvalid):
        fcos.Driver().validate_master_size(size)


def test_views_build_from_rows_and_dicts():
    row = type('Row', (), {'uuid': 'u', 'name': 'n', 'labels': None,
                           'node_count': 4, 'role': 'master'})()
    ng = views.NodeGroupView.from_row(row)
    assert ng.labels == {} and ng.node_count == 4 and ng.is_master
    tpl = views.TemplateView.from_row({'uuid': 't', 'labels': {'a': '1'},
                                       'floating_ip_enabled': None})
    assert tpl.floating_ip_enabled is True and tpl.labels == {'a': '1'}
