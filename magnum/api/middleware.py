"""WSGI middleware around the pecan app: request ids, microversion
negotiation and headers, identity from trusted headers (noauth) and JSON
error bodies for anything that escapes pecan. Plain WSGI: a request that
succeeds builds no webob objects outside pecan."""
import json
import re

from oslo_context import context
from oslo_middleware import request_id
import webob

from magnum.api import errors
from magnum.api import microversion

VERSION_ENV = 'magnum.api_version'
REQUESTED_ENV = 'magnum.api_requested_version'


class RequestId:
    """oslo.middleware's RequestId, request for request: a new id in the
    environ and in the x-openstack-request-id response header, and a
    well-formed inbound X-OpenStack-Request-ID kept as the global id."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        inbound = environ.get('HTTP_X_OPENSTACK_REQUEST_ID', '')
        if re.match(request_id.ID_FORMAT, inbound):
            environ[request_id.GLOBAL_REQ_ID] = inbound
        req_id = context.generate_request_id()
        environ[request_id.ENV_REQUEST_ID] = req_id
        header = request_id.HTTP_RESP_HEADER_REQUEST_ID

        def start(status, headers, exc_info=None):
            if all(name.lower() != header for name, _ in headers):
                headers = headers + [(header, req_id)]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


class Microversion:
    """Negotiates the version of /v1 requests and stamps the headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path in ('', '/'):
            return self.app(environ, start_response)
        # Clients rely on trailing slashes being tolerated.
        environ['PATH_INFO'] = path.rstrip('/')
        raw = environ.get('HTTP_OPENSTACK_API_VERSION')
        try:
            version, requested = microversion.parse(raw)
        except microversion.NotAcceptable as e:
            resp = webob.Response(status=406, json_body=e.body)
            resp.headers.update(microversion.response_headers(
                (raw.split() or [''])[-1]))
            return resp(environ, start_response)
        environ[VERSION_ENV] = version
        environ[REQUESTED_ENV] = requested
        stamped = list(microversion.response_headers(requested).items())
        names = {name.lower() for name, _ in stamped}

        def start(status, headers, exc_info=None):
            kept = [h for h in headers if h[0].lower() not in names]
            return start_response(status, kept + stamped, exc_info)

        return self.app(environ, start)


class NoAuth:
    """Development mode, no Keystone. The X-* identity headers are taken
    as given; a client that can only send a token (the ``openstack`` CLI
    with ``--os-auth-type admin_token``) may name its identity in it as
    ``<user_id>:<project_id>:<role>[,<role>...]``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        token = environ.get('HTTP_X_AUTH_TOKEN', '')
        if 'HTTP_X_USER_ID' not in environ and token.count(':') == 2:
            user, project, roles = token.split(':')
            environ.update(HTTP_X_USER_ID=user, HTTP_X_PROJECT_ID=project,
                           HTTP_X_ROLES=roles)
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        return self.app(environ, start_response)


class JSONErrors:
    """Turns any non-JSON 4xx/5xx body (webob, routing, auth) into
    Magnum's error format; title and detail are filled only for clients
    that accept JSON, as upstream does. Other responses pass untouched."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        failed = []

        def start(status, headers, exc_info=None):
            if int(status[:3]) < 400:
                return start_response(status, headers, exc_info)
            failed[:] = [status, headers]
            return failed.append

        body = self.app(environ, start)
        if not failed:
            return body
        try:
            data = b''.join(failed[2:] + list(body))
        finally:
            getattr(body, 'close', lambda: None)()
        resp = webob.Response(status=failed[0], headerlist=failed[1],
                              body=data)
        return self._rewrite(webob.Request(environ), resp)(environ,
                                                           start_response)

    @staticmethod
    def _rewrite(req, resp):
        if _is_magnum_error(resp):
            return resp
        wants_json = 'json' in (req.accept.header_value or '')
        body = errors.error_body(resp.status_int, '', code='')
        if wants_json:
            body['errors'][0].update(title=resp.status.split(' ', 1)[1],
                                     detail=_plain_detail(resp))
        kept = {k: v for k, v in resp.headers.items()
                if k in ('WWW-Authenticate', 'Allow', 'Vary')
                or k.startswith('OpenStack-API')}
        new = webob.Response(status=resp.status, json_body=body)
        new.headers.update(kept)
        return new


def _is_magnum_error(resp):
    if resp.content_type != 'application/json':
        return False
    try:
        return 'errors' in json.loads(resp.body)
    except ValueError:
        return False


def _plain_detail(resp):
    """The explanation in a webob or keystonemiddleware error page."""
    text = resp.text.strip()
    try:
        body = json.loads(text)
        return (body.get('description') or
                body.get('error', {}).get('message', ''))
    except (ValueError, AttributeError):
        pass
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # webob's plain text page: "404 Not Found", then the explanation
    return ' '.join(lines[1:])
