"""auth_strategy=keystone: keystonemiddleware reads the configuration the
service was started with (``--config-file``), not the default files it
would look up by project name (/etc/magnum/magnum.conf)."""
from oslo_config import cfg

from magnum.api import app as api_app
import magnum.conf


def _auth_middleware(app):
    while app is not None and type(app).__name__ != 'AuthTokenMiddleware':
        app = getattr(app, 'app', None) or getattr(app, 'application', None)
    return app


def test_authtoken_options_come_from_the_given_config_file(
        database, tmp_path):
    conf_file = tmp_path / 'magnum.conf'
    conf_file.write_text(
        '[DEFAULT]\nauth_strategy = keystone\n'
        '[keystone_authtoken]\n'
        'www_authenticate_uri = http://keystone.example:5000/v3\n'
        'auth_url = http://keystone.example:5000\n'
        'auth_type = password\nusername = magnum\npassword = secret\n')
    # A private ConfigOpts: auth_token registers its (and the auth plugin's
    # required) options on the object it is given; the global CONF that
    # other tests re-parse must not get them.
    conf = cfg.ConfigOpts()
    magnum.conf.register_all(conf)
    conf(['--config-file', str(conf_file)], project='magnum',
         default_config_files=[])

    middleware = _auth_middleware(api_app.build_app(conf))

    assert middleware is not None
    assert middleware._conf.get('www_authenticate_uri') == \
        'http://keystone.example:5000/v3'
    assert middleware._conf.get('auth_type') == 'password'
