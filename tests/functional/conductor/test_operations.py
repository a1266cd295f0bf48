"""Operations on a running cluster through RPC: update, resize, upgrade,
nodegroups, CA and credential rotation, reservations."""
import pytest

from magnum.certificates import cluster_certs
from magnum.certificates import x509
from magnum.common import context as magnum_context
from magnum.common import exception
from magnum.db import clusters as cluster_db
from magnum.db import models
from tests.functional.conductor.conftest import cluster_row
from tests.functional.conductor.conftest import read
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for
from tests.functional.api.test_certificates import issued_by


@pytest.fixture
def running(database, rows, ctx, rpc_client, start_conductor, cloud):
    """A CREATE_COMPLETE cluster and the conductor that built it."""
    svc = start_conductor('conductor-a')
    uuid = rows.cluster(name='run')
    rpc_client.cluster_create(ctx, uuid, 60)
    wait_for(lambda: status_of(uuid) == 'CREATE_COMPLETE', what='create')
    return uuid, svc


def _worker(uuid):
    return [ng for ng in read(models.NodeGroup, cluster_id=uuid)
            if ng['role'] == 'worker' and ng['is_default']][0]


def test_update_node_count(running, ctx, rpc_client, cloud, notes):
    uuid, _ = running
    rpc_client.cluster_update(ctx, uuid, node_count=3)
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='update')
    assert cloud.calls('update_cluster')[0]['workers'] == 3
    assert _worker(uuid)['node_count'] == 3
    # The create's own success notification may still be in flight when
    # the listener starts; this test is about the update's.

    def updates():
        return [n for n in notes.about(uuid)
                if n[0] == 'magnum.cluster.update']
    wait_for(lambda: len(updates()) >= 2, what='notifications')
    assert updates() == [('magnum.cluster.update', 'pending'),
                         ('magnum.cluster.update', 'success')]


def test_update_refused_by_the_cloud_restores_the_count(running, ctx,
                                                        rpc_client, cloud):
    uuid, _ = running
    cloud.flag('refuse_update')
    rpc_client.cluster_update(ctx, uuid, node_count=5)
    wait_for(lambda: status_of(uuid) == 'UPDATE_FAILED', what='failure')
    assert cluster_row(uuid)['status_reason'] == 'the cloud refused the update'
    assert _worker(uuid)['node_count'] == 2


def test_health_update_changes_no_status(running, ctx, rpc_client):
    uuid, _ = running
    rpc_client.cluster_update(ctx, uuid, health_status='HEALTHY',
                              health_status_reason={'api': 'ok'})
    wait_for(lambda: cluster_row(uuid)['health_status'] == 'HEALTHY',
             what='health')
    assert cluster_row(uuid)['health_status_reason'] == {'api': 'ok'}
    assert status_of(uuid) == 'CREATE_COMPLETE'


def test_resize_named_nodes(running, ctx, rpc_client, cloud):
    uuid, _ = running
    worker = _worker(uuid)
    rpc_client.cluster_resize(ctx, uuid, 1, ['server-1'], worker['uuid'])
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='resize')
    [call] = cloud.calls('resize_cluster')
    assert call['node_count'] == 1 and call['nodes_to_remove'] == [
        'server-1']


def test_upgrade_not_supported_changes_nothing(running, ctx, rpc_client,
                                               rows):
    uuid, _ = running
    with pytest.raises(exception.NotSupported):
        rpc_client.cluster_upgrade(ctx, uuid, rows.template(), 1, None)
    assert status_of(uuid) == 'CREATE_COMPLETE'


def test_calls_on_a_reserved_cluster_get_409(running, ctx, rpc_client):
    uuid, _ = running
    admin = magnum_context.make_admin_context()
    # (the reconcile pass that completed the create may still hold it)
    wait_for(lambda: cluster_db.reserve(admin, uuid, 'someone-else', 60),
             what='the reservation')
    with pytest.raises(exception.ClusterBusy):
        rpc_client.rotate_ca_certificate(ctx, uuid)
    cluster_db.release_reservation(admin, uuid, 'someone-else')


def test_credential_rotate_not_supported(running, ctx, rpc_client):
    uuid, _ = running
    with pytest.raises(exception.NotSupported) as err:
        rpc_client.credential_rotate(ctx, uuid)
    assert err.value.code == 400


def test_ca_get_and_sign(running, ctx, rpc_client):
    uuid, _ = running
    ca = rpc_client.get_ca_certificate(ctx, uuid)
    assert ca.startswith('-----BEGIN CERTIFICATE-----')
    etcd = rpc_client.get_ca_certificate(ctx, uuid, 'etcd')
    assert etcd != ca
    csr = x509.generate_csr('node-1', b'pass').csr
    signed = rpc_client.sign_certificate(ctx, uuid, csr.decode())
    assert signed.startswith('-----BEGIN CERTIFICATE-----')


def test_rotate_ca_refused_keeps_the_old_ca(running, ctx, rpc_client,
                                            cloud):
    uuid, _ = running
    before = cluster_row(uuid)
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    cloud.flag('refuse_ca')
    with pytest.raises(exception.NotSupported) as err:
        rpc_client.rotate_ca_certificate(ctx, uuid)
    assert err.value.code == 400
    after = cluster_row(uuid)
    assert [after[f] for f in cluster_certs.REF_FIELDS] == \
        [before[f] for f in cluster_certs.REF_FIELDS]
    assert after['status'] == 'CREATE_COMPLETE'
    assert rpc_client.get_ca_certificate(ctx, uuid) == old_ca
    # The certificates generated for the refused rotation are gone.
    assert len(read(models.X509KeyPair)) == 4


def test_rotate_ca_accepted_stores_the_new_ca(running, ctx, rpc_client,
                                              cloud):
    uuid, _ = running
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    rpc_client.rotate_ca_certificate(ctx, uuid)
    new_ca = rpc_client.get_ca_certificate(ctx, uuid)
    assert new_ca != old_ca
    [call] = cloud.calls('rotate_ca_certificate')
    assert call['new_refs'] == sorted(cluster_certs.REF_FIELDS)
    # The driver announces the new CA by its fingerprint.
    assert call['rotation_id'] == x509.fingerprint(new_ca)
    assert len(read(models.X509KeyPair)) == 4
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='rotation')


def test_rotate_ca_failing_in_the_driver_keeps_the_old_ca(
        running, ctx, rpc_client, cloud):
    uuid, _ = running
    before = cluster_row(uuid)
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    cloud.flag('refuse_rotation')
    with pytest.raises(Exception, match='the cloud refused the rotation'):
        rpc_client.rotate_ca_certificate(ctx, uuid)
    after = cluster_row(uuid)
    assert after['status'] == 'UPDATE_FAILED'
    assert after['status_reason'] == 'the cloud refused the rotation'
    assert [after[f] for f in cluster_certs.REF_FIELDS] == \
        [before[f] for f in cluster_certs.REF_FIELDS]
    assert rpc_client.get_ca_certificate(ctx, uuid) == old_ca
    assert len(read(models.X509KeyPair)) == 4
    # Still usable: what it signs now verifies against that CA.
    csr = x509.generate_csr('after-failure', b'pass').csr
    signed = rpc_client.sign_certificate(ctx, uuid, csr.decode())
    assert issued_by(signed, old_ca)


def test_rotation_by_an_admin_of_another_project(running, ctx, rpc_client):
    uuid, _ = running
    admin = magnum_context.RequestContext(
        user_id='admin-user', project_id='admin-project', roles=['admin'],
        is_admin=True, all_tenants=True)
    old_ca = rpc_client.get_ca_certificate(ctx, uuid)
    rpc_client.rotate_ca_certificate(admin, uuid)
    # The certificates stay the owner's, who can still read the new CA.
    assert {(r['project_id'], r['user_id'])
            for r in read(models.X509KeyPair)} == {('project-1', 'user-1')}
    assert len(read(models.X509KeyPair)) == 4
    assert rpc_client.get_ca_certificate(ctx, uuid) != old_ca


def test_nodegroup_create_and_delete(running, ctx, rpc_client, rows, cloud,
                                     notes):
    uuid, _ = running
    ng = rows.nodegroup(uuid, 'gpu', count=2)
    rpc_client.nodegroup_create(ctx, uuid, ng)
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='ng create')
    [row] = read(models.NodeGroup, uuid=ng)
    assert row['status'] == 'CREATE_COMPLETE' and row['stack_id']

    rpc_client.nodegroup_delete(ctx, uuid, ng)
    wait_for(lambda: not read(models.NodeGroup, uuid=ng), what='ng delete')
    wait_for(lambda: status_of(uuid) == 'UPDATE_COMPLETE', what='cluster')
    wait_for(lambda: len([e for e in notes.events
                          if e['payload']['target']['id'] == ng]) >= 4,
             what='nodegroup notifications')
    events = [(e['event_type'], e['payload']['outcome'])
              for e in notes.events
              if e['payload']['target']['id'] == ng]
    assert events == [('magnum.nodegroup.create', 'pending'),
                      ('magnum.nodegroup.create', 'success'),
                      ('magnum.nodegroup.delete', 'pending'),
                      ('magnum.nodegroup.delete', 'success')]


def test_nodegroup_create_refused(running, ctx, rpc_client, rows, cloud):
    uuid, _ = running
    cloud.flag('refuse_nodegroup')
    ng = rows.nodegroup(uuid, 'gpu', count=2)
    rpc_client.nodegroup_create(ctx, uuid, ng)
    wait_for(lambda: status_of(uuid) == 'UPDATE_FAILED', what='failure')
    [row] = read(models.NodeGroup, uuid=ng)
    assert row['status'] == 'CREATE_FAILED'
    assert row['status_reason'] == 'the cloud refused the nodegroup'


def test_delete_removes_everything(running, ctx, rpc_client, cloud):
    uuid, _ = running
    rpc_client.cluster_delete(ctx, uuid)
    wait_for(lambda: cluster_row(uuid) is None, what='delete')
    assert read(models.NodeGroup, cluster_id=uuid) == []
    assert read(models.X509KeyPair) == []
    assert cloud.stacks() == []


def test_delete_of_a_failed_create_without_stack(database, rows, ctx,
                                                 rpc_client, start_conductor):
    start_conductor('conductor-a')
    uuid = rows.cluster(name='never', status='CREATE_FAILED')
    rpc_client.cluster_delete(ctx, uuid)
    wait_for(lambda: cluster_row(uuid) is None, what='delete')
