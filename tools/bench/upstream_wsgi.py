"""WSGI shim serving upstream Magnum's API under gunicorn for compare.py:
request-id and proxy middleware around upstream's own pecan app, behind
upstream's own authtoken middleware (public routes / and /v1) when
$BENCH_AUTH is "keystone"; otherwise without it, and upstream's
ContextHook reads the X-* identity headers a noauth client sends. The
configuration file is $MAGNUM_CONFIG_FILE."""
import os
import sys

from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id

from magnum.api import app as upstream_app
from magnum.api.middleware import auth_token
from magnum.common import service
import magnum.conf

service.prepare_service([sys.argv[0], '--config-file',
                         os.environ['MAGNUM_CONFIG_FILE']])
application = upstream_app.setup_app()
if os.environ.get('BENCH_AUTH') == 'keystone':
    application = auth_token.AuthTokenMiddleware(
        application, {'oslo_config_config': magnum.conf.CONF},
        public_api_routes=['/', '/v1'])
application = request_id.RequestId(
    http_proxy_to_wsgi.HTTPProxyToWSGI(application))
