from oslo_config import cfg
from oslo_db import options as db_options

_DEFAULT_CONNECTION = 'sqlite:////var/lib/magnum/magnum.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=_DEFAULT_CONNECTION)


def list_opts():
    return {'database': db_options.database_opts}


__all__ = ['cfg', 'register_opts', 'list_opts']
