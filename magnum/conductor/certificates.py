"""Certificate and credential workflows: read and sign with a cluster's CA,
rotate the CAs, rotate the cluster's cloud credential.

CA rotation fixes upstream's bug (reference section 2: upstream saves the
new CA refs even when the driver refuses): the new CAs are generated, the
driver is asked with their refs in ``dctx.values['new_cert_refs']``, and
only when it accepts are the new refs stored (and the old certificates
removed). When it refuses, the new certificates are deleted, the old CA
stays, and the error reaches the caller (NotSupported -> 400, no status
change; any other error -> UPDATE_FAILED).
"""
from oslo_log import log as logging

from magnum.certificates import cluster_certs
from magnum.common import exception
from magnum.common import notifications as notes
from magnum.conductor import states
from magnum.conductor import workflow
from magnum.db import conductor_queries as queries

LOG = logging.getLogger(__name__)


def get_ca_certificate(context, cluster_uuid, ca_cert_type=None):
    cluster = queries.get_cluster(context, cluster_uuid)
    return cluster_certs.get_ca(context, cluster, ca_cert_type)


def sign_certificate(context, cluster_uuid, csr, ca_cert_type=None):
    cluster = queries.get_cluster(context, cluster_uuid)
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
    cluster = target.cluster
    _check(env, context, op, cluster)
    new_refs = cluster_certs.generate_cluster_certificates(context, cluster)
    try:
        dctx = env.drivers.context(context, target.driver,
                                   new_cert_refs=new_refs.as_dict())
        target.driver.rotate_ca_certificate(dctx, target.spec)
    except Exception as err:
        try:
            cluster_certs.delete_cluster_certificates(context, queries.Record(
                uuid=cluster_uuid, **new_refs.as_dict()))
        except Exception as cleanup_err:
            LOG.warning('Unused new certificates of cluster %s not deleted: '
                        '%s', cluster_uuid, cleanup_err)
        if not isinstance(err, exception.NotSupported):
            workflow.set_cluster_status(context, cluster_uuid, op.failed,
                                        workflow.reason_of(err))
        workflow.notify(env, context, op.action, notes.FAILURE, cluster_uuid)
        raise
    queries.update_cluster(context, cluster_uuid, dict(
        new_refs.as_dict(), status=op.progress, status_reason=None))
    try:
        cluster_certs.delete_cluster_certificates(context, cluster)
    except Exception as err:
        LOG.warning('Old certificates of cluster %s not deleted: %s',
                    cluster_uuid, err)


def credential_rotate(env, context, cluster_uuid):
    op = states.operation('rotate_credential')
    target = env.drivers.load(context, cluster_uuid)
    _check(env, context, op, target.cluster)
    dctx = env.drivers.context(context, target.driver)
    target.driver.rotate_credential(dctx, target.spec)
