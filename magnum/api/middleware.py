"""WSGI middleware around the pecan app: microversion negotiation and
headers, identity from trusted headers (noauth) and JSON error bodies for
anything that escapes pecan."""
import json

import webob
import webob.dec

from magnum.api import errors
from magnum.api import microversion

VERSION_ENV = 'magnum.api_version'
REQUESTED_ENV = 'magnum.api_requested_version'


class Microversion:
    """Negotiates the version of /v1 requests and stamps the headers."""

    def __init__(self, app):
        self.app = app

    @webob.dec.wsgify
    def __call__(self, req):
        if req.path_info in ('', '/'):
            return req.get_response(self.app)
        # Clients rely on trailing slashes being tolerated.
        req.path_info = req.path_info.rstrip('/')
        try:
            version, requested = microversion.parse(req.headers)
        except microversion.NotAcceptable as e:
            resp = webob.Response(status=406, json_body=e.body)
            requested = req.headers.get(microversion.HEADER, '').split()[-1:]
            resp.headers.update(microversion.response_headers(
                requested[0] if requested else ''))
            return resp
        req.environ[VERSION_ENV] = version
        req.environ[REQUESTED_ENV] = requested
        resp = req.get_response(self.app)
        resp.headers.update(microversion.response_headers(requested))
        return resp


class NoAuth:
    """Development mode, no Keystone. The X-* identity headers are taken
    as given; a client that can only send a token (the ``openstack`` CLI
    with ``--os-auth-type admin_token``) may name its identity in it as
    ``<user_id>:<project_id>:<role>[,<role>...]``."""

    def __init__(self, app):
        self.app = app

    @webob.dec.wsgify
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token', '')
        if 'X-User-Id' not in req.headers and token.count(':') == 2:
            user, project, roles = token.split(':')
            req.headers.update({'X-User-Id': user, 'X-Project-Id': project,
                                'X-Roles': roles})
        req.headers['X-Identity-Status'] = 'Confirmed'
        return req.get_response(self.app)


class JSONErrors:
    """Turns any non-JSON 4xx/5xx body (webob, routing, auth) into
    Magnum's error format; title and detail are filled only for clients
    that accept JSON, as upstream does."""

    def __init__(self, app):
        self.app = app

    @webob.dec.wsgify
    def __call__(self, req):
        resp = req.get_response(self.app)
        if resp.status_int < 400 or _is_magnum_error(resp):
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
