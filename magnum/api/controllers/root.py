"""/ and /v1: the version documents."""
import pecan
from pecan import rest

from magnum.api import microversion
from magnum.api.controllers import base
from magnum.api.controllers.v1 import certificates
from magnum.api.controllers.v1 import clusters
from magnum.api.controllers.v1 import clustertemplates
from magnum.api.controllers.v1 import credentials
from magnum.api.controllers.v1 import mservices
from magnum.api.controllers.v1 import quotas
from magnum.api.controllers.v1 import stats

DESCRIPTION = ('Magnum is an OpenStack project which aims to provide '
               'container cluster management.')
V1_RESOURCES = ('clustertemplates', 'clusters', 'quotas', 'certificates',
                'mservices', 'stats', 'federations', 'credentials')


def _v1_link(rel='self'):
    return {'href': '%s/v1/' % base.base_url(), 'rel': rel}


class V1Controller(rest.RestController):
    clustertemplates = clustertemplates.ClusterTemplatesController()
    clusters = clusters.ClustersController()
    quotas = quotas.QuotasController()
    stats = stats.StatsController()
    mservices = mservices.MagnumServicesController()
    certificates = certificates.CertificatesController()
    credentials = credentials.CredentialsController()

    @pecan.expose('json')
    def get(self):
        url = base.base_url()
        doc = {'id': 'v1',
               'links': [_v1_link(),
                         {'href': 'http://docs.openstack.org/developer/'
                                  'magnum/dev/api-spec-v1.html',
                          'rel': 'describedby', 'type': 'text/html'}],
               'media_types': [{'base': 'application/json',
                                'type': 'application/vnd.openstack.magnum.'
                                        'v1+json'}]}
        for res in V1_RESOURCES:
            doc[res] = [{'href': '%s/v1/%s/' % (url, res), 'rel': 'self'},
                        {'href': '%s/%s/' % (url, res), 'rel': 'bookmark'}]
        ng = 'clusters/{cluster_id}/nodegroups'
        doc['nodegroups'] = [{'href': '%s/v1/%s' % (url, ng), 'rel': 'self'},
                             {'href': '%s/%s' % (url, ng), 'rel': 'bookmark'}]
        return doc


class RootController(rest.RestController):
    v1 = V1Controller()

    @pecan.expose('json')
    def get(self):
        low, high = microversion.MIN, microversion.MAX
        return {'name': 'OpenStack Magnum API', 'description': DESCRIPTION,
                'versions': [{'id': 'v1', 'status': 'CURRENT',
                              'min_version': microversion.fmt(low),
                              'max_version': microversion.fmt(high),
                              'links': [_v1_link()]}]}

    @pecan.expose()
    def _route(self, args, request=None):
        # Upstream quirk clients rely on: /clusters means /v1/clusters.
        if args and args[0] and args[0] != 'v1':
            args = ['v1'] + list(args)
        return super()._route(args, request)
