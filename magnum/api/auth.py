"""keystonemiddleware authtoken with Magnum's public routes."""
import re

from keystonemiddleware import auth_token


class AuthTokenMiddleware(auth_token.AuthProtocol):
    """Token validation for everything but the version documents."""

    def __init__(self, app, public_routes, conf=None):
        self._public = [re.compile(r'^%s(\.json)?$' % re.escape(route))
                        for route in public_routes]
        super().__init__(app, conf or {'oslo_config_project': 'magnum'})

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '/')
        path = path.rstrip('/') or '/'
        if any(p.match(path) for p in self._public):
            environ['is_public_api'] = True
            return self._app(environ, start_response)
        return super().__call__(environ, start_response)
