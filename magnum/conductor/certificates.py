"""Certificate and credential workflows: read and sign with a cluster's CA,
rotate the CAs, rotate the cluster's cloud credential.

CA rotation, in order:

1. new CAs (cluster, etcd, front-proxy) and a new conductor client
   certificate are generated for the cluster's owner;
2. the new refs are stored on the cluster *before* the driver is asked:
   the driver tells the nodes, the nodes fetch the new CAs from
   ``GET /v1/certificates`` at once, and they must never find the old one
   there. The driver gets ``dctx.values['ca_rotation_id']``, the SHA-256
   fingerprint of the new cluster CA, which it announces to the nodes (a
   node installs a fetched CA only when its fingerprint matches), and
   ``dctx.values['new_cert_refs']``;
3. the driver accepts (returns) -> the cluster and its non-default
   nodegroups with a stack go UPDATE_IN_PROGRESS (the reconcile loop
   observes the end) and the old certificates are deleted. It refuses
   (raises) -> the old refs are stored back and the new certificates
   deleted, so ``GET`` returns the old CA, as before (upstream saves the
   new refs anyway, reference section 2); NotSupported -> 400 and no
   status change, any other error -> UPDATE_FAILED.

A driver that raises has announced nothing (or taken its announcement
back). Once it has returned, the nodes may already be switching, so a
rotation that fails later, while the orchestrator applies it
(UPDATE_FAILED), keeps the new CA: nodes the update reached trust only the
new CA, the old CA's key is gone, and going back would strand them.
Re-driving the stack (a resize, or another rotation once the cluster is
COMPLETE again) reaches the nodes the update missed.
"""
from oslo_log import log as logging

from magnum.certificates import cluster_certs
from magnum.common import exception
from magnum.common import notifications as notes
from magnum.conductor import states
from magnum.conductor import workflow
from magnum.db import api as db_api
from magnum.db import clusters as cluster_db
from magnum.db import nodegroups as nodegroup_db

LOG = logging.getLogger(__name__)


def get_ca_certificate(context, cluster_uuid, ca_cert_type=None):
    cluster = cluster_db.get_by_uuid(context, cluster_uuid)
    return cluster_certs.get_ca(context, cluster, ca_cert_type)


def sign_certificate(context, cluster_uuid, csr, ca_cert_type=None):
    cluster = cluster_db.get_by_uuid(context, cluster_uuid)
    return cluster_certs.sign(context, cluster, csr, ca_cert_type)


def _check(env, context, op, cluster):
    try:
        op.check(cluster.status)
    except exception.NotSupported:
        workflow.notify(env, context, op.action, notes.FAILURE, cluster.uuid)
        raise


def rotate_ca_certificate(env, context, cluster_uuid):
    op = states.operation('rotate_ca')
    target = env.drivers.load(context, cluster_uuid)
    old = target.cluster
    _check(env, context, op, old)
    new_refs = cluster_certs.generate_cluster_certificates(context, old)
    new = db_api.Record(**dict(vars(old), **new_refs.as_dict()))
    try:
        rotation_id = cluster_certs.ca_fingerprint(context, new)
        cluster_db.update(context, cluster_uuid, new_refs.as_dict())
        dctx = env.drivers.context(context, target.driver,
                                   ca_rotation_id=rotation_id,
                                   new_cert_refs=new_refs.as_dict())
        target.driver.rotate_ca_certificate(dctx, target.spec)
    except Exception as err:
        _restore_old_ca(context, old, new)
        if not isinstance(err, exception.NotSupported):
            workflow.set_cluster_status(context, cluster_uuid, op.failed,
                                        workflow.reason_of(err))
        workflow.notify(env, context, op.action, notes.FAILURE, cluster_uuid)
        raise
    workflow.set_cluster_status(context, cluster_uuid, op.progress)
    for ng in target.nodegroups:
        if not ng.is_default and ng.stack_id:
            nodegroup_db.update(context, ng.uuid, {
                'status': op.progress, 'status_reason': None})
    _delete_certificates(context, old, 'old')


def _restore_old_ca(context, old, new):
    cluster_db.update(context, old.uuid, {
        field: getattr(old, field) for field in cluster_certs.REF_FIELDS})
    _delete_certificates(context, new, 'unused new')


def _delete_certificates(context, cluster, which):
    try:
        cluster_certs.delete_cluster_certificates(context, cluster)
    except Exception as err:
        LOG.warning('The %s certificates of cluster %s were not deleted: '
                    '%s', which, cluster.uuid, err)


def credential_rotate(env, context, cluster_uuid):
    op = states.operation('rotate_credential')
    target = env.drivers.load(context, cluster_uuid)
    _check(env, context, op, target.cluster)
    dctx = env.drivers.context(context, target.driver)
    target.driver.rotate_credential(dctx, target.spec)
