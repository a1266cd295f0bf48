"""Small REST helpers for the e2e tests: Keystone tokens, Magnum and Heat
reads, bounded polling. The operations under test go through the real
``openstack`` CLI; these only observe (one CLI run costs seconds)."""

import json
import subprocess
import time
import urllib.error
import urllib.request

MAGNUM_VERSION = 'container-infra latest'


class Session:
    """A project-scoped Keystone token and its catalog (public URLs)."""

    def __init__(self, env):
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': env['OS_USERNAME'], 'password': env['OS_PASSWORD'],
                'domain': {'name': env['OS_USER_DOMAIN_NAME']}}}},
            'scope': {'project': {
                'name': env['OS_PROJECT_NAME'],
                'domain': {'name': env['OS_PROJECT_DOMAIN_NAME']}}}}}
        req = urllib.request.Request(
            env['OS_AUTH_URL'] + '/auth/tokens', method='POST',
            data=json.dumps(body).encode(),
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=30) as resp:
            self.token = resp.headers['X-Subject-Token']
            token = json.loads(resp.read())['token']
        self.project_id = token['project']['id']
        self.catalog = {
            svc['type']: next(e['url'] for e in svc['endpoints']
                              if e['interface'] == 'public')
            for svc in token['catalog']}

    def request(self, service, path, method='GET', body=None):
        """(status, decoded body) of a call to ``service``'s endpoint."""
        url = self.catalog[service].rstrip('/') + path
        headers = {'X-Auth-Token': self.token, 'Accept': 'application/json',
                   'OpenStack-API-Version': MAGNUM_VERSION}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
        req = urllib.request.Request(url, method=method, data=data,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, raw.decode(errors='replace')

    def get(self, service, path):
        return self.request(service, path)

    def cluster(self, ident):
        """The cluster document, or None after a 404."""
        status, body = self.get('container-infra', '/clusters/%s' % ident)
        if status == 404:
            return None
        assert status == 200, (status, body)
        return body

    def nodegroup(self, cluster, ident):
        status, body = self.get('container-infra', '/clusters/%s/nodegroups'
                                '/%s' % (cluster, ident))
        if status == 404:
            return None
        assert status == 200, (status, body)
        return body

    def stack(self, ident):
        """A Heat stack of this session's project, or None (gone or
        DELETE_COMPLETE)."""
        status, body = self.get('orchestration', '/stacks/%s' % ident)
        if status == 404:
            return None
        assert status == 200, (status, body)
        stack = body['stack']
        return None if stack['stack_status'] == 'DELETE_COMPLETE' else stack


def wait_until(fetch, done, what, timeout=420, interval=2):
    """Poll ``fetch()`` until ``done(value)``; fail naming the last value."""
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(interval)
    raise AssertionError('timed out after %ss waiting for %s; last seen: %s'
                         % (timeout, what, _brief(value)))


def _brief(value):
    if isinstance(value, dict):
        keys = ('name', 'status', 'status_reason', 'stack_status',
                'stack_status_reason', 'node_count')
        return {k: value[k] for k in keys if k in value}
    return value


def wait_cluster(session, ident, want, timeout=420):
    """Wait for the cluster to leave *_IN_PROGRESS; assert it reached
    ``want`` (None: gone), naming status_reason otherwise."""
    def settled(c):
        # DELETE_COMPLETE is shown for a moment before the row goes.
        return c is None or not c['status'].endswith(
            ('_IN_PROGRESS', 'DELETE_COMPLETE'))

    cluster = wait_until(lambda: session.cluster(ident), settled,
                         'cluster %s to reach %s' % (ident, want), timeout)
    if want is None:
        assert cluster is None, 'cluster %s is %s: %s' % (
            ident, cluster['status'], cluster['status_reason'])
    else:
        assert cluster is not None, 'cluster %s is gone' % ident
        assert cluster['status'] == want, 'cluster %s is %s: %s' % (
            ident, cluster['status'], cluster['status_reason'])
    return cluster


def mysql(sql):
    return subprocess.run(['mysql', '-h', '127.0.0.1', '-u', 'root', '-N',
                           '-B', '-e', sql], check=True, capture_output=True,
                          text=True).stdout.strip()
