"""The installed k8s_fedora_coreos_v1 driver and the generic Heat engine
driven by a running conductor, with an in-memory heatclient stand-in in
place of Heat (the real Heat is the e2e suite's job)."""
import pytest

from magnum.certificates import x509
from magnum.common import exception
from magnum.conductor import service
from magnum.db import models
from magnum.drivers.heat import engine
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import read
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for
from tests.unit.drivers import fake_heat


class CountingGets:
    """Counts stacks.get calls on the stand-in client, and those that
    asked for outputs."""

    def __init__(self, stacks):
        self._stacks = stacks
        self.gets = self.full_gets = 0

    def __getattr__(self, name):
        return getattr(self._stacks, name)

    def get(self, *args, **kwargs):
        self.gets += 1
        self.full_gets += kwargs.get('resolve_outputs', True)
        return self._stacks.get(*args, **kwargs)


@pytest.fixture
def heat_conductor(database, conductor_conf):
    conductor_conf.set_override('endpoint_override',
                                'http://127.0.0.1:9511/v1',
                                group='magnum_client')
    heat, client = fake_heat.client()
    client.stacks = CountingGets(client.stacks)
    heat_engine = engine.HeatEngine(client)
    svc = service.ConductorService(host='conductor-h',
                                   orchestrators=lambda driver: heat_engine)
    yield svc, heat, client.stacks
    svc.stop()


@pytest.mark.parametrize('stack_list', [False, True])
def test_create_and_delete_through_the_heat_engine(
        heat_conductor, rows, ctx, rpc_client, conductor_conf, stack_list):
    conductor_conf.set_override('stack_list_sync', stack_list,
                                group='conductor')
    svc, heat, stacks = heat_conductor
    svc.start()
    rows.distro = 'fedora-coreos'
    uuid = rows.cluster(name='heat-demo')

    rpc_client.cluster_create(ctx, uuid, 60)
    stack_id = wait_for(lambda: cluster_row(uuid)['stack_id'],
                        what='the stack id')
    [create] = [c for c in heat.calls if c[0] == 'create']
    assert create[2]['stack_name'] == 'heat-demo-%s' % uuid.replace(
        '-', '')[:10]
    assert create[2]['timeout_mins'] == 60
    assert create[2]['parameters']['number_of_minions'] == 2

    # While the stack builds (and the create has let go of the cluster),
    # passes observe it.
    wait_for(lambda: cluster_row(uuid)['reservation'] is None,
             what='the create to let go')
    passes, gets = svc.reconciler.passes, stacks.gets
    full_gets = stacks.full_gets
    wait_for(lambda: svc.reconciler.passes >= passes + 3, what='passes')
    assert status_of(uuid) == 'CREATE_IN_PROGRESS'
    lists = [c for c in heat.calls if c[0] == 'list']
    if stack_list:
        assert stacks.gets == gets and len(lists) >= 3
    else:
        assert stacks.gets >= gets + 3 and not lists
    # In progress, nobody needs the outputs: Heat is spared resolving them.
    assert stacks.full_gets == full_gets

    heat.finish(stack_id, 'CREATE_COMPLETE', outputs={
        'api_address': '172.24.4.10', 'kube_masters': ['172.24.4.10'],
        'kube_minions': ['10.0.0.5', '10.0.0.6']})
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE', what='complete')
    row = cluster_row(uuid)
    assert row['api_address'] == 'https://172.24.4.10:6443'
    workers = [ng for ng in read(models.NodeGroup, cluster_id=uuid)
               if ng['role'] == 'worker']
    assert workers[0]['node_addresses'] == ['10.0.0.5', '10.0.0.6']

    # A resize in progress, read without outputs, keeps the addresses.
    rpc_client.cluster_resize(ctx, uuid, 3, None, None)
    wait_for(lambda: status_of(uuid) == 'UPDATE_IN_PROGRESS',
             what='the resize')
    passes = svc.reconciler.passes
    wait_for(lambda: svc.reconciler.passes >= passes + 2, what='passes')
    workers = [ng for ng in read(models.NodeGroup, cluster_id=uuid)
               if ng['role'] == 'worker']
    assert workers[0]['node_addresses'] == ['10.0.0.5', '10.0.0.6']
    heat.finish(stack_id, 'UPDATE_COMPLETE', outputs={
        'api_address': '172.24.4.10', 'kube_masters': ['172.24.4.10'],
        'kube_minions': ['10.0.0.5', '10.0.0.6', '10.0.0.7']})
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='resized')

    rpc_client.cluster_delete(ctx, uuid)
    wait_for(lambda: heat.stacks_by_id[stack_id]['stack_status'] ==
             'DELETE_IN_PROGRESS', what='the stack delete')
    heat.finish(stack_id, 'DELETE_COMPLETE')
    wait_for(lambda: cluster_row(uuid) is None, what='the row to go')


def test_heat_failure_reason_reaches_the_cluster(heat_conductor, rows, ctx,
                                                 rpc_client):
    svc, heat, _ = heat_conductor
    svc.start()
    rows.distro = 'fedora-coreos'
    uuid = rows.cluster(name='heat-fail')
    rpc_client.cluster_create(ctx, uuid, 60)
    stack_id = wait_for(lambda: cluster_row(uuid)['stack_id'],
                        what='the stack id')
    heat.finish(stack_id, 'CREATE_FAILED', reason='Resource CREATE failed')
    wait_for(lambda: status_of(uuid) == 'CREATE_FAILED', what='failure')
    assert cluster_row(uuid)['status_reason'] == 'Resource CREATE failed'


def _complete_cluster(heat, rows, ctx, rpc_client, name):
    rows.distro = 'fedora-coreos'
    uuid = rows.cluster(name=name)
    rpc_client.cluster_create(ctx, uuid, 60)
    stack_id = wait_for(lambda: cluster_row(uuid)['stack_id'],
                        what='the stack id')
    heat.finish(stack_id, 'CREATE_COMPLETE', outputs={
        'api_address': '172.24.4.10', 'fixed_network': 'net-1',
        'fixed_subnet': 'subnet-1', 'kube_api_private_address': '10.0.0.3',
        'worker_security_groups': ['sg-1']})
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE', what='create')
    return uuid, stack_id


def test_ca_rotation_through_the_heat_engine(heat_conductor, rows, ctx,
                                             rpc_client):
    svc, heat, stacks = heat_conductor
    svc.start()
    uuid, stack_id = _complete_cluster(heat, rows, ctx, rpc_client, 'rot')
    ng = rows.nodegroup(uuid, 'extra')
    rpc_client.nodegroup_create(ctx, uuid, ng)
    ng_stack = wait_for(lambda: read(models.NodeGroup, uuid=ng)[0][
        'stack_id'], what='the nodegroup stack')
    heat.finish(ng_stack, 'CREATE_COMPLETE')
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='ng create')

    # What GET /certificates serves at the moment each stack is told.
    served = []
    update = heat.stacks.update

    def watched_update(stack, **args):
        served.append(cluster_row(uuid)['ca_cert_ref'])
        return update(stack, **args)
    heat.stacks.update = watched_update
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    rpc_client.rotate_ca_certificate(ctx, uuid)
    new_ca = rpc_client.get_ca_certificate(ctx, uuid)
    assert new_ca != old_ca

    announced = {'ca_rotation_id': x509.fingerprint(new_ca)}
    assert [(c[1], c[2]['parameters']) for c in heat.calls
            if c[0] == 'update'] == [(stack_id, announced),
                                     (ng_stack, announced)]
    assert served == [cluster_row(uuid)['ca_cert_ref']] * 2
    assert status_of(uuid) == 'UPDATE_IN_PROGRESS'
    assert read(models.NodeGroup, uuid=ng)[0]['status'] == \
        'UPDATE_IN_PROGRESS'

    # The cluster is done only when every stack told is.
    heat.finish(stack_id, 'UPDATE_COMPLETE')
    passes = svc.reconciler.passes
    wait_for(lambda: svc.reconciler.passes >= passes + 2, what='passes')
    assert status_of(uuid) == 'UPDATE_IN_PROGRESS'
    heat.finish(ng_stack, 'UPDATE_COMPLETE')
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='rotation')
    assert read(models.NodeGroup, uuid=ng)[0]['status'] == 'UPDATE_COMPLETE'


def test_ca_rotation_heat_refuses_keeps_the_old_ca(heat_conductor, rows, ctx,
                                                   rpc_client):
    svc, heat, _ = heat_conductor
    svc.start()
    uuid, stack_id = _complete_cluster(heat, rows, ctx, rpc_client, 'rot2')
    before = cluster_row(uuid)
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    heat.refuse_updates.add(stack_id)
    with pytest.raises(exception.InvalidParameterValue,
                       match='when it is suspended'):
        rpc_client.rotate_ca_certificate(ctx, uuid)
    after = cluster_row(uuid)
    assert after['ca_cert_ref'] == before['ca_cert_ref']
    assert rpc_client.get_ca_certificate(ctx, uuid) == old_ca
    assert len(read(models.X509KeyPair)) == 4
    assert after['status'] == 'UPDATE_FAILED'
    assert 'when it is suspended' in after['status_reason']
