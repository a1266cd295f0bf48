"""[keystone_auth]: the service user for admin contexts (keystoneauth)."""
from keystoneauth1 import loading as ks_loading

GROUP = 'keystone_auth'


def register_opts(conf):
    ks_loading.register_auth_conf_options(conf, GROUP)
    ks_loading.register_session_conf_options(conf, GROUP)


def list_opts():
    return {GROUP: (ks_loading.get_session_conf_options()
                    + ks_loading.get_auth_common_conf_options()
                    + ks_loading.get_auth_plugin_conf_options('password'))}
