"""Config files and WSGI shims, rendered into STATE/etc on every `up`."""
import configparser

from . import settings as S

KEYSTONE_CONF = """\
[DEFAULT]
log_file = {log}/keystone.log
use_stderr = false

[database]
connection = {db}

[token]
provider = fernet
expiration = 14400

[fernet_tokens]
key_repository = {etc}/keystone/fernet-keys

[credential]
key_repository = {etc}/keystone/credential-keys
"""

# oslo.config would parse gunicorn's argv (pitfall 1): reset it first.
KEYSTONE_SHIM = """\
import sys
sys.argv = sys.argv[:1]
from keystone.server import wsgi
application = wsgi.initialize_public_application()
"""

HEAT_SHIM = """\
import sys
sys.argv = ['heat-api', '--config-file', {conf!r}, '--log-file', {log!r}]
from heat.api.openstack import wsgi
application = wsgi.init_application()
"""

HEAT_CONF = """\
[DEFAULT]
transport_url = {transport}
plugin_dirs = {plugin_dir}
environment_dir = {etc}/heat/environment.d
template_dir = {heat_venv}/etc/heat/templates
num_engine_workers = {engine_workers}
graceful_shutdown_timeout = 5
use_stderr = false
region_name_for_services = {region}
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = {pw[heat_domain_admin]}
heat_metadata_server_url = http://{host}:{cfn_port}
heat_waitcondition_server_url = http://{host}:{cfn_port}/v1/waitcondition
default_software_config_transport = POLL_SERVER_HEAT
default_deployment_signal_transport = HEAT_SIGNAL
max_nested_stack_depth = 10

[database]
connection = {db}

[paste_deploy]
api_paste_config = {heat_venv}/etc/heat/api-paste.ini

[oslo_messaging_notifications]
driver = messagingv2
topics = notifications

[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {keystone_url}
auth_type = password
username = heat
password = {pw[heat]}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = {region}

[trustee]
auth_type = password
auth_url = {keystone_url}
username = heat
password = {pw[heat]}
user_domain_name = Default

[clients_keystone]
auth_uri = {keystone_url}

[ec2authtoken]
auth_uri = {auth_url}
"""


# Our magnum-api and magnum-conductor (run by `up`, see cli.py).
MAGNUM_CONF = """\
[DEFAULT]
transport_url = {transport}
auth_strategy = keystone
host = sandbox
log_dir = {log}
use_stderr = false

[api]
host = {host}
port = {magnum_port}

[database]
connection = {db}

[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {keystone_url}
auth_type = password
username = magnum
password = {pw[magnum]}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = {region}
interface = public

[keystone_auth]
auth_type = password
auth_url = {auth_url}
username = magnum
password = {pw[magnum]}
project_name = service
user_domain_name = Default
project_domain_name = Default

[certificates]
cert_manager_type = x509keypair
encryption_key_file = {etc}/magnum/encryption.key
storage_path = {state}/magnum/certificates

[cluster]
temp_cache_dir = {state}/magnum/certificate-cache

[conductor]
heartbeat_interval = 5

[quotas]
# Room for tools/bench/status_lag.py and heat_calls.py (K=100) beside the
# e2e tests.
max_clusters_per_project = 250

[oslo_messaging_notifications]
driver = messagingv2
"""
CLIENT_SECTIONS = ('heat_client', 'glance_client', 'nova_client',
                   'neutron_client', 'cinder_client', 'octavia_client',
                   'magnum_client')


def magnum_conf_path():
    return S.ETC / 'magnum' / 'magnum.conf'


def _magnum_conf():
    text = MAGNUM_CONF.format(
        transport=S.TRANSPORT_URL, host=S.HOST, magnum_port=S.MAGNUM_PORT,
        auth_url=S.AUTH_URL, keystone_url=S.KEYSTONE_URL, pw=S.PASSWORDS,
        log=S.LOG, db=S.db_url('magnum', 'mysqldb'), region=S.REGION,
        etc=S.ETC, state=S.STATE)
    for section in CLIENT_SECTIONS:
        text += '\n[%s]\nregion_name = %s\nendpoint_type = publicURL\n' % (
            section, S.REGION)
    return text


def _heat_conf():
    return HEAT_CONF.format(
        transport=S.TRANSPORT_URL, plugin_dir=S.PLUGIN_DIR, etc=S.ETC,
        heat_venv=S.venv('heat'), region=S.REGION, pw=S.PASSWORDS,
        host=S.HOST, cfn_port=S.HEAT_CFN_PORT, db=S.db_url('heat'),
        engine_workers=S.HEAT_ENGINE_WORKERS,
        auth_url=S.AUTH_URL, keystone_url=S.KEYSTONE_URL)


def heat_conf_path():
    return S.ETC / 'heat' / 'heat.conf'


def keystone_conf_path():
    return S.ETC / 'keystone' / 'keystone.conf'


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def write_ini(path, values, base=None):
    """Write ``values`` ({section: {option: value}}) to ``path`` as an INI
    file, set over ``base`` (a ConfigParser already read) when given: how
    benchmarks configure another magnum beside the sandbox."""
    conf = base or configparser.ConfigParser(interpolation=None)
    for section, options in values.items():
        if section != 'DEFAULT' and not conf.has_section(section):
            conf.add_section(section)
        for key, value in options.items():
            conf.set(section, key, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'w') as f:
        conf.write(f)


def render_all():
    _write(keystone_conf_path(), KEYSTONE_CONF.format(
        log=S.LOG, db=S.db_url('keystone'), etc=S.ETC))
    _write(S.ETC / 'keystone' / 'keystone_wsgi.py', KEYSTONE_SHIM)
    _write(heat_conf_path(), _heat_conf())
    _write(S.ETC / 'heat' / 'heat_api_wsgi.py', HEAT_SHIM.format(
        conf=str(heat_conf_path()), log=str(S.LOG / 'heat-api.log')))
    _write(S.ETC / 'heat' / 'environment.d' / 'sandbox.yaml',
           'resource_registry:\n  "OS::Quantum*": "OS::Neutron*"\n')
    _write(magnum_conf_path(), _magnum_conf())
    for user in ('demo', 'alt_demo', 'admin'):
        _write(S.ETC / ('openrc-' + user), openrc(user))


def os_env(user='demo'):
    """OS_* variables for `user` in the project of the same name."""
    return {
        'OS_AUTH_URL': S.AUTH_URL,
        'OS_AUTH_TYPE': 'password',
        'OS_IDENTITY_API_VERSION': '3',
        'OS_USERNAME': user,
        'OS_PASSWORD': S.PASSWORDS[user],
        'OS_PROJECT_NAME': user,
        'OS_USER_DOMAIN_NAME': 'Default',
        'OS_PROJECT_DOMAIN_NAME': 'Default',
        'OS_REGION_NAME': S.REGION,
        'OS_INTERFACE': 'public',
    }


def openrc(user='demo'):
    return ''.join('export %s=%s\n' % kv for kv in os_env(user).items())
