"""WSGI shim serving upstream Magnum's API the way ours runs in noauth
mode: request-id and proxy middleware around upstream's own pecan app
(whose ContextHook reads the X-* identity headers), without authtoken.
The configuration file is $MAGNUM_CONFIG_FILE."""
import os
import sys

from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id

from magnum.api import app as upstream_app
from magnum.common import service

service.prepare_service([sys.argv[0], '--config-file',
                         os.environ['MAGNUM_CONFIG_FILE']])
application = request_id.RequestId(
    http_proxy_to_wsgi.HTTPProxyToWSGI(upstream_app.setup_app()))
