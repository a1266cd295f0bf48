"""ClusterTemplate → wire dict."""
import operator

from magnum.api.controllers import base

FIELDS = ('uuid', 'name', 'coe', 'image_id', 'flavor_id', 'master_flavor_id',
          'keypair_id', 'dns_nameserver', 'external_network_id',
          'fixed_network', 'fixed_subnet', 'network_driver', 'volume_driver',
          'apiserver_port', 'docker_volume_size', 'docker_storage_driver',
          'cluster_distro', 'http_proxy', 'https_proxy', 'no_proxy',
          'registry_enabled', 'insecure_registry', 'labels', 'tls_disabled',
          'public', 'hidden', 'server_type', 'master_lb_enabled',
          'floating_ip_enabled', 'tags', 'driver', 'project_id', 'user_id')
_values = operator.attrgetter(*FIELDS)


def show(ct, url=None):
    """``url``: the request's base URL, when a list already has it."""
    doc = dict(zip(FIELDS, _values(ct)))
    doc['links'] = base.links('clustertemplates', ct.uuid, url)
    doc['created_at'] = base.timestamp(ct.created_at)
    doc['updated_at'] = base.timestamp(ct.updated_at)
    return doc
