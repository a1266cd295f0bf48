"""[<service>_client] groups: where to reach the OpenStack services."""
from oslo_config import cfg

SERVICES = ('glance', 'nova', 'neutron', 'cinder', 'heat', 'octavia',
            'barbican', 'magnum')


def _opts(service):
    return [
        cfg.StrOpt('region_name', help='Region of the %s endpoint.' % service),
        cfg.StrOpt('endpoint_type', default='publicURL',
                   help='Catalog interface of the %s endpoint.' % service),
        cfg.URIOpt('endpoint_override',
                   help='Use this %s URL instead of the catalog.' % service),
        cfg.BoolOpt('insecure', default=False,
                    help='Skip TLS verification towards %s.' % service),
        cfg.StrOpt('ca_file', help='CA bundle for %s.' % service),
    ]


GROUPS = {cfg.OptGroup('%s_client' % s): _opts(s) for s in SERVICES}


def register_opts(conf):
    for group, opts in GROUPS.items():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts():
    return GROUPS
