"""Paths, ports and credentials of the sandbox; all overridable by env."""

import hashlib
import os
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent          # tools/sandbox
REPO = HERE.parent.parent


def _env(name, default):
    return os.environ.get(name, default)


STATE = Path(_env('SANDBOX_DIR', str(REPO / '.sandbox'))).resolve()
ETC = STATE / 'etc'
LOG = STATE / 'log'
RUN = STATE / 'run'
SIMCLOUD_DB = STATE / 'simcloud.sqlite'
CONSTRAINTS = Path(_env('SANDBOX_CONSTRAINTS', str(HERE / 'constraints.txt')))
PLUGIN_DIR = HERE / 'heat_plugin'
# The project's own virtualenv (tools/install-venv): magnum-*, openstack.
MAGNUM_VENV = REPO / '.venv'

HOST = '127.0.0.1'
KEYSTONE_PORT = int(_env('SANDBOX_KEYSTONE_PORT', '47500'))
HEAT_PORT = int(_env('SANDBOX_HEAT_PORT', '47004'))
SIMCLOUD_PORT = int(_env('SANDBOX_SIMCLOUD_PORT', '47990'))
MAGNUM_PORT = int(_env('SANDBOX_MAGNUM_PORT', '9511'))
HEAT_CFN_PORT = int(_env('SANDBOX_HEAT_CFN_PORT', '47000'))   # not started

KEYSTONE_URL = 'http://%s:%d' % (HOST, KEYSTONE_PORT)
AUTH_URL = KEYSTONE_URL + '/v3'
HEAT_URL = 'http://%s:%d/v1/%%(tenant_id)s' % (HOST, HEAT_PORT)
SIMCLOUD_URL = 'http://%s:%d' % (HOST, SIMCLOUD_PORT)
MAGNUM_URL = _env('SANDBOX_MAGNUM_URL',
                  'http://%s:%d/v1' % (HOST, MAGNUM_PORT))
REGION = 'RegionOne'

MYSQL_HOST = _env('SANDBOX_MYSQL_HOST', '127.0.0.1')
MYSQL_PORT = int(_env('SANDBOX_MYSQL_PORT', '3306'))
MYSQL_USER = _env('SANDBOX_MYSQL_USER', 'root')
MYSQL_PASSWORD = _env('SANDBOX_MYSQL_PASSWORD', '')
DB_PREFIX = _env('SANDBOX_DB_PREFIX', 'sandbox_')
RABBIT_HOST = _env('SANDBOX_RABBIT_HOST', '127.0.0.1')
RABBIT_PORT = int(_env('SANDBOX_RABBIT_PORT', '5672'))
# A RabbitMQ vhost of this state dir's own: services an earlier sandbox
# left running elsewhere (a removed clone) never consume its queues.
TRANSPORT_URL = _env('SANDBOX_TRANSPORT_URL',
                     'rabbit://guest:guest@%s:%d/sandbox-%s' % (
                         RABBIT_HOST, RABBIT_PORT,
                         hashlib.sha1(str(STATE).encode()).hexdigest()[:8]))
VHOST = urllib.parse.unquote(
    urllib.parse.urlsplit(TRANSPORT_URL).path[1:]) or '/'

# Fixed, documented test passwords: the sandbox binds loopback only.
PASSWORDS = {
    'admin': 'adminpass',
    'demo': 'demopass',
    'alt_demo': 'altdemopass',
    'heat': 'heatpass',
    'heat_domain_admin': 'heatdomainpass',
    'magnum': 'magnumpass',
    'magnum_domain_admin': 'magnumdomainpass',
}

INSTALLER = _env('SANDBOX_INSTALLER', 'uv')          # uv | pip
PYTHON = _env('SANDBOX_PYTHON', 'python3.11')
SLEEP_SCALE = _env('SANDBOX_SLEEP_SCALE', '0.1')
AUTOSIGNAL = _env('SANDBOX_AUTOSIGNAL', '1')
SERVER_DELAY = _env('SANDBOX_SERVER_DELAY', '0')
HEAT_ENGINE_WORKERS = int(_env('SANDBOX_HEAT_ENGINE_WORKERS', '2'))

VENVS = {
    'keystone': ['keystone==30.0.0', 'gunicorn', 'PyMySQL'],
    'heat': ['openstack-heat==27.0.1', 'gunicorn', 'PyMySQL'],
}


def db_url(name, driver='pymysql'):
    """Keystone and Heat keep PyMySQL; our services take mysqldb."""
    auth = MYSQL_USER + (':' + MYSQL_PASSWORD if MYSQL_PASSWORD else '')
    return 'mysql+%s://%s@%s:%d/%s%s?charset=utf8' % (
        driver, auth, MYSQL_HOST, MYSQL_PORT, DB_PREFIX, name)


def venv(name):
    return STATE / ('venv-' + name)
