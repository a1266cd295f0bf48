"""magnum.conf: every option group registered on the global CONF object.

Most modules declare one ``group`` and its ``opts``; the few that wrap
another library's options define ``register_opts``/``list_opts``
themselves."""
from oslo_config import cfg

from magnum.conf import api
from magnum.conf import certificates
from magnum.conf import cinder
from magnum.conf import clients
from magnum.conf import cluster
from magnum.conf import cluster_template
from magnum.conf import conductor
from magnum.conf import database
from magnum.conf import default
from magnum.conf import drivers
from magnum.conf import keystone
from magnum.conf import messaging
from magnum.conf import quotas
from magnum.conf import x509

CONF = cfg.CONF

GROUP_MODULES = (default, api, conductor, database, cluster, cluster_template,
                 drivers, quotas, certificates, x509, cinder, clients,
                 keystone, messaging)


def register_all(conf):
    for module in GROUP_MODULES:
        if hasattr(module, 'register_opts'):
            module.register_opts(conf)
        else:
            conf.register_group(module.group)
            conf.register_opts(module.opts, group=module.group)


def options_of(module):
    """{group: options} of one module, for the sample generator."""
    if hasattr(module, 'list_opts'):
        return module.list_opts()
    return {module.group: module.opts}


register_all(CONF)
