"""/v1/mservices: the Magnum services and whether they are up."""
import pecan
from pecan import rest

from magnum.api.controllers import base
from magnum.api.views import magnum_service as view
from magnum.common import policy
from magnum import objects


class MagnumServicesController(rest.RestController):

    @pecan.expose('json')
    def get_all(self):
        ctx = base.context()
        policy.enforce(ctx, 'magnum-service:get_all')
        return {'mservices': [view.show(service) for service in
                              objects.MagnumService.list(ctx)]}
