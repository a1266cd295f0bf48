"""What the conductor hands a real in-tree driver renders: rows -> views ->
the k8s_fedora_coreos_v1 Heat parameters, with no Heat involved (the Heat
calls themselves are exercised against the sandbox's real Heat)."""
import json
from urllib import parse

from magnum.common import context as magnum_context
from magnum.conductor import driving
from magnum.db import api as db_api
from magnum.db import models


def test_rows_render_with_the_installed_driver(database, rows, conf):
    conf.set_override('endpoint_override', 'http://127.0.0.1:9511/v1',
                      group='magnum_client')
    uuid = rows.cluster(name='real')
    with db_api.session_for_write(magnum_context.make_admin_context()) as s:
        s.query(models.ClusterTemplate).update(
            {'cluster_distro': 'fedora-coreos', 'network_driver': 'flannel'})
    drivers = driving.Drivers()
    ctx = magnum_context.make_admin_context()

    target = drivers.load(ctx, uuid)
    assert target.driver.name == 'k8s_fedora_coreos_v1'
    dctx = drivers.context(ctx, target.driver, timeout_mins=60,
                           **driving.service_account_keys())
    rendered = target.driver.render_cluster(target.spec, dctx.values)
    params = rendered.heat_arguments()['parameters']
    assert params['cluster_uuid'] == uuid
    assert params['number_of_minions'] == 2
    # The nodes are told where Magnum is (for their certificates).
    assert 'MAGNUM_URL=http://127.0.0.1:9511/v1' in parse.unquote(
        json.dumps(params))
    # The Heat client is built only when a Heat call is made.
    assert type(dctx.orchestrator).__name__ == '_Lazy'


def test_service_credentials_feed_the_values_and_heat(database, conf):
    from keystoneauth1 import loading as ks_loading
    from magnum.drivers import loader
    from magnum.drivers.heat import engine
    plugin_opts = ks_loading.get_auth_plugin_conf_options('password')
    conf.register_opts(plugin_opts, group='keystone_auth')
    conf.set_override('auth_type', 'password', group='keystone_auth')
    # Nothing listens there: the catalog lookup fails and is skipped.
    conf.set_override('auth_url', 'http://127.0.0.1:9/', group='keystone_auth')
    conf.set_override('username', 'magnum', group='keystone_auth')
    conf.set_override('password', 'secret', group='keystone_auth')
    driving.reset()
    try:
        values = driving.context_values()
        assert values['auth_url'] == 'http://127.0.0.1:9/v3'
        assert 'magnum_url' not in values
        driver = loader.get_driver('vm', 'fedora-coreos', 'kubernetes')
        orchestrator = driving.orchestrator_for(driver)
        assert isinstance(orchestrator._target, engine.HeatEngine)
    finally:
        driving.reset()
        # auth_url is a required option: leave CONF as other tests expect.
        conf.reset()
        conf.unregister_opts(plugin_opts, group='keystone_auth')
