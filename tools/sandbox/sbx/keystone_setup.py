"""Idempotent Keystone contents, created over the REST API (stdlib only).

A handful of HTTP calls instead of ~20 `openstack` CLI runs (2 s each).
"""

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request

from . import settings as S

ROLES = ('admin', 'member', 'reader', 'service', 'heat_stack_owner',
         'heat_stack_user')
PROJECTS = ('service', 'demo', 'alt_demo')
# user -> (project, roles)
USERS = {
    'demo': ('demo', ('member', 'reader')),
    'alt_demo': ('alt_demo', ('member', 'reader')),
    'heat': ('service', ('admin', 'service')),
    'magnum': ('service', ('admin', 'service')),
}
# domain -> its admin user (admin role on the domain)
DOMAINS = {'heat': 'heat_domain_admin', 'magnum': 'magnum_domain_admin'}
INTERFACES = ('public', 'internal', 'admin')


def catalog():
    """(service type, service name, url) registered besides identity."""
    return (
        ('orchestration', 'heat', S.HEAT_URL),
        ('container-infra', 'magnum', S.MAGNUM_URL),
        ('image', 'glance', S.SIMCLOUD_URL + '/image'),
        ('compute', 'nova', S.SIMCLOUD_URL + '/compute/v2.1'),
        ('network', 'neutron', S.SIMCLOUD_URL + '/network'),
    )


class Keystone(object):
    def __init__(self, url=S.AUTH_URL):
        self.url = url
        self.token = None

    def login(self, user='admin', project='admin'):
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'domain': {'id': 'default'},
                'password': S.PASSWORDS[user]}}},
            'scope': {'project': {'name': project,
                                  'domain': {'id': 'default'}}}}}
        resp = self._call('POST', '/auth/tokens', body, raw=True)
        self.token = resp.headers['X-Subject-Token']
        return json.loads(resp.read())['token']

    def _call(self, method, path, body=None, raw=False):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data,
                                     method=method)
        req.add_header('Content-Type', 'application/json')
        if self.token:
            req.add_header('X-Auth-Token', self.token)
        resp = urllib.request.urlopen(req, timeout=60)
        if raw:
            return resp
        with resp:
            text = resp.read()
        return json.loads(text) if text else {}

    def find(self, collection, **query):
        path = '/%s?%s' % (collection, urllib.parse.urlencode(query))
        items = self._call('GET', path)[collection]
        return items[0] if items else None

    def ensure(self, collection, body, **query):
        """The id of the object matching query, created from body if
        missing. collection is plural ('users'); body is the object."""
        found = self.find(collection, **query)
        if found:
            return found['id']
        key = collection[:-1]
        return self._call('POST', '/' + collection, {key: body})[key]['id']

    def grant(self, role_id, user_id, project_id=None, domain_id=None):
        target = ('projects/%s' % project_id if project_id else
                  'domains/%s' % domain_id)
        self._call('PUT', '/%s/users/%s/roles/%s' % (target, user_id,
                                                     role_id))

    def ensure_endpoints(self, service_id, url):
        for iface in INTERFACES:
            found = self.find('endpoints', service_id=service_id,
                              interface=iface)
            if found and found['url'] == url:
                continue
            if found:
                self._call('PATCH', '/endpoints/' + found['id'],
                           {'endpoint': {'url': url}})
            else:
                self._call('POST', '/endpoints', {'endpoint': {
                    'service_id': service_id, 'interface': iface,
                    'url': url, 'region_id': S.REGION}})


def _fingerprint():
    spec = [ROLES, PROJECTS, USERS, DOMAINS, catalog(), S.PASSWORDS]
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()
                          ).hexdigest()


def ensure(stamp):
    """setup() unless `stamp` records a setup with the same inputs (fast
    path for a second `up`). Returns {name: id} of the projects."""
    try:
        recorded = json.loads(stamp.read_text())
        if recorded['fingerprint'] == _fingerprint():
            return recorded['projects']
    except (OSError, ValueError, KeyError):
        pass
    projects = setup()
    stamp.write_text(json.dumps({'fingerprint': _fingerprint(),
                                 'projects': projects}))
    return projects


def setup():
    """Create all sandbox objects; returns {name: id} of the projects."""
    ks = Keystone()
    ks.login()
    roles = {r: ks.ensure('roles', {'name': r}, name=r) for r in ROLES}
    projects = {p: ks.ensure('projects', {
        'name': p, 'domain_id': 'default',
        'description': 'sandbox project'}, name=p, domain_id='default')
        for p in PROJECTS}
    for user, (project, user_roles) in USERS.items():
        uid = ks.ensure('users', {
            'name': user, 'domain_id': 'default',
            'password': S.PASSWORDS[user],
            'default_project_id': projects[project]},
            name=user, domain_id='default')
        for role in user_roles:
            ks.grant(roles[role], uid, project_id=projects[project])
    for domain, admin in DOMAINS.items():
        did = ks.ensure('domains', {'name': domain,
                                    'description': 'stack users'},
                        name=domain)
        uid = ks.ensure('users', {'name': admin, 'domain_id': did,
                                  'password': S.PASSWORDS[admin]},
                        name=admin, domain_id=did)
        ks.grant(roles['admin'], uid, domain_id=did)
    for stype, name, url in catalog():
        sid = ks.ensure('services', {'type': stype, 'name': name,
                                     'enabled': True}, type=stype)
        ks.ensure_endpoints(sid, url)
    return projects
