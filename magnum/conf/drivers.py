from oslo_config import cfg

group = cfg.OptGroup('drivers', title='Cluster driver options')

opts = [
    cfg.ListOpt('disabled_drivers', default=[],
                help='Entry-point names of drivers not to load.'),
    cfg.ListOpt('enabled_beta_drivers', default=[],
                help='Entry-point names of beta drivers to allow.'),
    cfg.StrOpt('default_driver',
               help='Driver used for templates whose request and image name '
                    'no driver.'),
    cfg.BoolOpt('verify_ca', default=True,
                help='Whether cluster nodes verify the OpenStack CA.'),
    cfg.StrOpt('openstack_ca_file', default='',
               help='CA bundle handed to cluster nodes.'),
]
