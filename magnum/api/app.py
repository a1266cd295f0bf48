"""The WSGI application: paste pipeline factories and the pecan app."""
import os

from oslo_config import cfg
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
import pecan

from magnum.api import hooks
from magnum.api import middleware
from magnum.api import pecan_argspec
from magnum.db import api as db_api

CONF = cfg.CONF
PUBLIC_ROUTES = ('/', '/v1')


def setup_app():
    """The bare pecan app (no auth), wrapped for versions and errors."""
    pecan_argspec.install()
    app = pecan.make_app(
        'magnum.api.controllers.root.RootController',
        hooks=[hooks.ContextHook(), hooks.SingleValuedQueryHook(),
               hooks.ErrorHook()],
        force_canonical=False, guess_content_type_from_ext=False,
        logging=False)
    return middleware.JSONErrors(middleware.Microversion(app))


def build_app(conf=CONF):
    """The full stack the service runs: request id, proxy headers (when
    enabled), auth, versions and errors; /healthcheck beside it."""
    db_api.configure(conf)
    app = setup_app()
    if conf.auth_strategy == 'keystone':
        from magnum.api import auth
        # Our parsed configuration (--config-file included), not the
        # default files keystonemiddleware would look up by project name.
        app = auth.AuthTokenMiddleware(app, PUBLIC_ROUTES,
                                       {'oslo_config_config': conf})
    else:
        app = middleware.NoAuth(app)
    conf.register_opts(http_proxy_to_wsgi.OPTS, group='oslo_middleware')
    if conf.oslo_middleware.enable_proxy_headers_parsing:
        # Without the option, the middleware would leave every request as is.
        app = http_proxy_to_wsgi.HTTPProxyToWSGI(app)
    app = middleware.RequestId(app)
    health = healthcheck.Healthcheck(None, {
        'backends': 'disable_by_file',
        'disable_by_file_path': os.path.join(
            os.path.dirname(conf.config_file[0]) if conf.config_file
            else '/etc/magnum', 'healthcheck_disable')})
    return _Dispatch(app, {'/healthcheck': health})


class _Dispatch:
    """Route a few fixed paths beside the API."""

    def __init__(self, app, extra):
        self.app = app
        self.extra = extra

    def __call__(self, environ, start_response):
        target = self.extra.get(environ.get('PATH_INFO', '').rstrip('/'))
        return (target or self.app)(environ, start_response)
