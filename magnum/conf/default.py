import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt('host', default=socket.gethostname(),
               sample_default='<hostname>',
               help='Name of this node, used in service records and '
                    'notification publisher ids.'),
    cfg.BoolOpt('periodic_enable', default=True,
                help='Run periodic status reconciliation in the conductor.'),
    cfg.IntOpt('periodic_interval_max', default=60, min=1,
               help='Longest interval in seconds between periodic runs.'),
    cfg.IntOpt('service_down_time', default=180, min=1,
               help='Seconds since the last heartbeat after which a '
                    'service is reported down.'),
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone',
                         'Validate tokens with keystonemiddleware.'),
                        ('noauth', 'Trust X-* identity headers; development '
                                   'and tests only.')],
               help='How the API authenticates requests.'),
]


def register_opts(conf):
    conf.register_opts(opts)


def list_opts():
    return {'DEFAULT': opts}
