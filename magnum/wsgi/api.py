"""WSGI entry point for uwsgi, gunicorn or mod_wsgi:
``magnum.wsgi.api:application``. The configuration file is
$MAGNUM_CONFIG_FILE, else /etc/magnum/magnum.conf when it exists."""
import os

from magnum.api import app as api_app
from magnum.cmd import common

_conf = os.environ.get('MAGNUM_CONFIG_FILE', '/etc/magnum/magnum.conf')
common.prepare(['--config-file', _conf] if os.path.exists(_conf) else [])
application = api_app.build_app()
