"""/v1/credentials (1.12+): rotate the credential a cluster's driver uses.

As upstream, only members of the cluster's own project may (the lookup
stays in the caller's project, admins included); the rotation itself is a
call to the conductor.
"""
import pecan
from pecan import rest

from magnum.api.controllers import base
from magnum.api.controllers.v1 import conductor
from magnum.api import microversion
from magnum.common import policy
from magnum import objects


class CredentialsController(rest.RestController):

    @pecan.expose('json')
    def patch(self, cluster_ident):
        microversion.require(pecan.request, (1, 12), 'patch')
        ctx = base.context()
        cluster = objects.Cluster.get(ctx, cluster_ident)
        policy.enforce(ctx, 'credential:rotate',
                       target={'project_id': cluster.project_id,
                               'user_id': cluster.user_id})
        conductor.api().credential_rotate(ctx, cluster.uuid)
        pecan.response.status = 202
        return {'uuid': cluster.uuid}
