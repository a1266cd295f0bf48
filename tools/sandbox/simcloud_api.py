#!/usr/bin/env python3
"""HTTP face of the sandbox's *simulated* cloud (not a real Glance/Nova/
Neutron): answers the read-only calls Magnum makes to validate images,
flavors, keypairs and networks, from the SQLite file the Heat plugin writes.

Tokens: an X-Auth-Token header is required on resource calls but it is NOT
validated (loopback test sandbox only). Version documents need no token.

Usage: simcloud_api.py --port 47990 --db STATE/simcloud.sqlite [--seed PID]
"""

import argparse
import http.server
import json
import os
import re
import socketserver
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'heat_plugin'))
import simcloud  # noqa: E402

PAGING_KEYS = {'fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'sort',
               'member_status', 'visibility', 'is_public', 'minDisk',
               'minRam'}
INTERNAL_KEYS = {'kind', 'props', 'heat_stack_id', 'heat_resource',
                 'owned_by'}


def matches(rec, query):
    for key, values in query.items():
        if key in PAGING_KEYS:
            continue
        field = rec.get(key)
        if isinstance(field, bool):
            field = str(field).lower()
        if str(field).lower() not in [v.lower() for v in values]:
            return False
    return True


def public(rec):
    return {k: v for k, v in rec.items() if k not in INTERNAL_KEYS}


class Api(object):
    """Route table: (method-less) path regex -> handler(match, query)."""

    def __init__(self, cloud, base_url):
        self.cloud = cloud
        self.base = base_url
        self.routes = [
            (r'/?', self.root, False),
            (r'/image/?(versions/?)?', self.image_versions, False),
            (r'/image/v2/images/?', self.images, True),
            (r'/image/v2/images/([^/]+)', self.image, True),
            (r'/image/v2/schemas/(image|images)', self.image_schema, True),
            (r'/compute/?', self.compute_versions, False),
            (r'/compute/v2\.1/?', self.compute_version, False),
            (r'/compute/v2\.1/flavors(/detail)?/?', self.flavors, True),
            (r'/compute/v2\.1/flavors/([^/]+)', self.flavor, True),
            (r'/compute/v2\.1/flavors/([^/]+)/os-extra_specs/?',
             self.extra_specs, True),
            (r'/compute/v2\.1/os-keypairs/?', self.keypairs, True),
            (r'/compute/v2\.1/os-keypairs/([^/]+)', self.keypair, True),
            (r'/compute/v2\.1/servers(/detail)?/?', self.servers, True),
            (r'/compute/v2\.1/servers/([^/]+)', self.server, True),
            (r'/network/?', self.network_versions, False),
            (r'/network/v2\.0/extensions(\.json)?/?', self.extensions, True),
            (r'/network/v2\.0/([a-z_-]+?)(\.json)?/?', self.net_list, True),
            (r'/network/v2\.0/([a-z_-]+)/([^/.]+)(\.json)?', self.net_show,
             True),
        ]

    def dispatch(self, path, query, has_token):
        for pattern, handler, needs_token in self.routes:
            match = re.fullmatch(pattern, path)
            if match:
                if needs_token and not has_token:
                    return 401, {'error': {'message': 'X-Auth-Token '
                                           'required', 'code': 401}}
                return handler(match, query)
        return 404, {'error': {'message': 'not found: ' + path}}

    # ---- helpers
    def _list(self, kind, query):
        return [public(self.cloud.view(r['id']))
                for r in self.cloud.list(kind) if matches(r, query)]

    def _one(self, kind, ident, key, by_name=False):
        rec = self.cloud.get(ident, kind) or (
            self.cloud.find(kind, ident) if by_name else None)
        if not rec:
            return 404, {'itemNotFound': {'code': 404, 'message':
                                          '%s %s not found' % (kind, ident)}}
        view = public(self.cloud.view(rec['id']))
        return 200, ({key: view} if key else view)

    def _versions(self, vid, path, **extra):
        version = dict(id=vid, status='CURRENT', links=[
            {'rel': 'self', 'href': self.base + path}], **extra)
        return 200, {'versions': [version]}

    # ---- routes
    def root(self, match, query):
        return 200, {'simulated_cloud': True, 'services': {
            'image': self.base + '/image', 'compute': self.base +
            '/compute/v2.1', 'network': self.base + '/network'}}

    def image_versions(self, match, query):
        return self._versions('v2.16', '/image/v2/')

    def images(self, match, query):
        return 200, {'images': [_image(i) for i in
                                self._list('image', query)],
                     'first': '/v2/images', 'schema': '/v2/schemas/images'}

    def image(self, match, query):
        code, body = self._one('image', match.group(1), None)
        return code, (_image(body) if code == 200 else body)

    def image_schema(self, match, query):
        """python-glanceclient builds its image model from this (and
        fails without it); a subset of Glance's: extra properties such as
        os_distro are strings."""
        image = {'name': 'image', 'additionalProperties': {'type': 'string'},
                 'properties': {k: {'type': t} for k, t in (
                     ('id', 'string'), ('name', ['null', 'string']),
                     ('status', 'string'), ('visibility', 'string'),
                     ('owner', ['null', 'string']),
                     ('min_disk', 'integer'), ('min_ram', 'integer'),
                     ('tags', 'array'), ('created_at', 'string'),
                     ('updated_at', 'string'))},
                 'links': [{'rel': 'self', 'href': '{self}'}]}
        if match.group(1) == 'images':
            return 200, {'name': 'images', 'properties': {'images': {
                'type': 'array', 'items': image}}}
        return 200, image

    def compute_versions(self, match, query):
        return self._versions('v2.1', '/compute/v2.1/', version='2.96',
                              min_version='2.1')

    def compute_version(self, match, query):
        return 200, {'version': {
            'id': 'v2.1', 'status': 'CURRENT', 'version': '2.96',
            'min_version': '2.1', 'links': [
                {'rel': 'self', 'href': self.base + '/compute/v2.1/'}]}}

    def flavors(self, match, query):
        return 200, {'flavors': [_flavor(f) for f in
                                 self._list('flavor', query)]}

    def flavor(self, match, query):
        code, body = self._one('flavor', match.group(1), 'flavor', True)
        if code == 200:
            body['flavor'] = _flavor(body['flavor'])
        return code, body

    def extra_specs(self, match, query):
        return 200, {'extra_specs': {}}

    def keypairs(self, match, query):
        return 200, {'keypairs': [{'keypair': _keypair(k)} for k in
                                  self._list('keypair', query)]}

    def keypair(self, match, query):
        rec = self.cloud.find('keypair', urllib.parse.unquote(
            match.group(1)))
        if not rec:
            return 404, {'itemNotFound': {
                'code': 404, 'message': 'Keypair %s not found' %
                match.group(1)}}
        return 200, {'keypair': _keypair(public(rec))}

    def servers(self, match, query):
        return 200, {'servers': self._list('server', query)}

    def server(self, match, query):
        return self._one('server', match.group(1), 'server')

    def network_versions(self, match, query):
        return self._versions('v2.0', '/network/v2.0/')

    def extensions(self, match, query):
        names = ('external-net', 'router', 'security-group', 'quotas',
                 'port-security', 'subnet_allocation')
        return 200, {'extensions': [{'alias': n, 'name': n,
                                     'description': n, 'links': []}
                                    for n in names]}

    def net_list(self, match, query):
        kind = NEUTRON_KINDS.get(match.group(1))
        if not kind:
            return 404, {'NeutronError': {'message': 'unknown resource'}}
        return 200, {match.group(1).replace('-', '_'):
                     self._list(kind, query)}

    def net_show(self, match, query):
        plural = match.group(1)
        kind = NEUTRON_KINDS.get(plural)
        if not kind:
            return 404, {'NeutronError': {'message': 'unknown resource'}}
        key = plural[:-1].replace('-', '_')
        return self._one(kind, match.group(2), key)


NEUTRON_KINDS = {'networks': 'network', 'subnets': 'subnet',
                 'ports': 'port', 'routers': 'router',
                 'floatingips': 'floatingip',
                 'security-groups': 'generic'}


def _image(rec):
    view = {k: v for k, v in rec.items()
            if k not in ('project_id', 'tenant_id')}
    view['owner'] = rec.get('project_id')
    return view


def _flavor(rec):
    return dict(rec, **{'OS-FLV-EXT-DATA:ephemeral': 0, 'swap': '',
                        'rxtx_factor': 1.0,
                        'os-flavor-access:is_public': True, 'links': []})


def _keypair(rec):
    return {'name': rec['name'], 'public_key': rec['public_key'],
            'fingerprint': rec.get('fingerprint', ''),
            'type': rec.get('type', 'ssh'), 'user_id': rec.get('user_id'),
            'created_at': rec.get('created_at'), 'deleted': False, 'id': 1}


class Handler(http.server.BaseHTTPRequestHandler):
    api = None
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        has_token = bool(self.headers.get('X-Auth-Token'))
        try:
            code, body = self.api.dispatch(url.path, query, has_token)
        except Exception as exc:  # report, keep serving
            code, body = 500, {'error': {'message': repr(exc)}}
        self._reply(code, body)

    do_HEAD = do_GET

    def _reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.log_date_time_string(),
                                      fmt % args))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=47990)
    parser.add_argument('--db', required=True)
    parser.add_argument('--seed-project', help='project owning seeds')
    args = parser.parse_args()
    cloud = simcloud.Cloud(args.db)
    cloud.seed(args.seed_project)
    Handler.api = Api(cloud, 'http://%s:%d' % (args.host, args.port))
    server = Server((args.host, args.port), Handler)
    server.serve_forever()


if __name__ == '__main__':
    main()
