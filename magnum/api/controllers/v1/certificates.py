"""/v1/certificates: a cluster's CA certificates, signing CSRs with them,
and CA rotation. The CA private keys live only in the conductors, so every
operation is an RPC call.

Unlike upstream, an admin reaches any project's cluster here; anyone else
only their own project's (404 otherwise). Reading the CA and signing keep
upstream's rule of "admin, or the cluster's creator" through the policy
target (the cluster's project and user).
"""
import pecan
from pecan import rest
import wsme.exc

from magnum.api.controllers import base
from magnum.api.controllers.v1 import conductor
from magnum.api.types import certificate as cert_type
from magnum.api.views import certificate as view
from magnum.common import exception
from magnum.common import policy
from magnum import objects

# ca_cert_type as sent -> as the conductor knows it; other values (or
# none) select the cluster's main CA.
CA_TYPES = {'etcd': 'etcd', 'front_proxy': 'front_proxy',
            'front-proxy': 'front_proxy'}


def _cluster(ctx, ident):
    base.scope_all_projects(ctx, 'cluster', 'get_one')
    return objects.Cluster.get(ctx, ident)


def _enforce(ctx, rule, cluster):
    policy.enforce(ctx, rule, target={'project_id': cluster.project_id,
                                      'user_id': cluster.user_id})


class CertificatesController(rest.RestController):

    @pecan.expose('json')
    def get_one(self, cluster_ident, **params):
        ca_cert_type = params.pop('ca_cert_type', None)
        if params:
            raise wsme.exc.ClientSideError(
                'Unknown argument: %s' % ', '.join(sorted(params)))
        ctx = base.context()
        cluster = _cluster(ctx, cluster_ident)
        _enforce(ctx, 'certificate:get', cluster)
        pem = conductor.api().get_ca_certificate(
            ctx, cluster.uuid, CA_TYPES.get(ca_cert_type))
        return view.ca(cluster.uuid, pem)

    @pecan.expose('json')
    def post(self):
        ctx = base.context()
        values = base.as_values(base.parse(
            cert_type.Certificate, base.json_body('certificate'),
            'certificate'))
        try:
            cluster = _cluster(ctx, values['cluster_uuid'])
        except exception.ClusterNotFound as e:
            # The cluster is named in the body: a bad request, not a 404.
            raise exception.Invalid(str(e))
        _enforce(ctx, 'certificate:create', cluster)
        pem = conductor.api().sign_certificate(
            ctx, cluster.uuid, values['csr'],
            CA_TYPES.get(values.get('ca_cert_type')))
        pecan.response.status = 201
        return view.signed(cluster.uuid, values['csr'], pem)

    @pecan.expose('json')
    def patch(self, cluster_ident):
        """Rotate the CAs; any body is ignored (the client sends none)."""
        ctx = base.context()
        cluster = _cluster(ctx, cluster_ident)
        _enforce(ctx, 'certificate:rotate_ca', cluster)
        template = objects.ClusterTemplate.get(ctx.elevated(),
                                               cluster.cluster_template_id)
        if template.tls_disabled:
            raise exception.NotSupported(
                'Rotating the CA certificate on a non-TLS cluster is not '
                'supported')
        conductor.api().rotate_ca_certificate(ctx, cluster.uuid)
        pecan.response.status = 202
        return {'uuid': cluster.uuid}
