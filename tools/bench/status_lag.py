#!/usr/bin/env python3
"""Status lag on the sandbox: how long after Heat finishes a stack does our
API say CREATE_COMPLETE, and how many Heat API calls does the conductor
make meanwhile. A benchmark, not a test.

    tools/sandbox/sandbox up
    .venv/bin/python tools/bench/status_lag.py [-k 5 20 50] [--poll 0.25]
        [--magnum-url URL] [--heat-user magnum [demo ...]]

For each K (repeat a K to measure it again): one template, K clusters
created at once (POST /v1/clusters from K threads, as the demo user).
Then:

* Heat's completion time per stack: the ``timestamp`` of Heat's own
  ``orchestration.stack.create.end`` notification (microseconds), read
  from a queue of our own bound to Heat's notification exchange on the
  sandbox RabbitMQ; the stack's CREATE_COMPLETE event time from Heat's
  events API (whole seconds) is the fallback;
* our time: the first GET /v1/clusters (one list call every --poll
  seconds) that shows the cluster CREATE_COMPLETE;
* lag = ours - Heat's; the distribution is printed (it includes up to one
  poll interval of our own sampling), and the conductor's share of it:
  the time of its "CREATE_IN_PROGRESS -> CREATE_COMPLETE" log line minus
  Heat's;
* Heat API calls made by the conductor: the "Processing request" lines in
  heat-api's log whose request context is the ``magnum`` service user,
  counted from the first create to the last CREATE_COMPLETE, per minute.

Another Magnum API (e.g. upstream 22.0.0 run by tools/bench/upstream22.py)
is measured the same way with ``--magnum-url`` (the catalog's
``container-infra`` endpoint otherwise) and ``--heat-user``: the sandbox
users whose Heat calls are counted (default ``magnum``). Upstream creates
its stacks with the cluster owner's token and polls them with trust-scoped
tokens of the owner's per-cluster trustee, with impersonation, so Heat sees
the owner: ``--heat-user demo magnum`` (this script makes no Heat calls as
demo while it counts).

The clusters are deleted at the end (their deletion is not measured).
"""
import argparse
import concurrent.futures
import datetime
import json
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tools' / 'sandbox'))
from sbx import configs  # noqa: E402
from sbx import settings as S  # noqa: E402

HEAT_API_LOG = S.LOG / 'heat-api.log'
CONDUCTOR_LOG = S.LOG / 'magnum-conductor.log'
HTTP_TIMEOUT = 60
# The conductor's "status written" line: ours (INFO), or upstream's DEBUG
# "Status for cluster <uuid> updated to CREATE_COMPLETE" (its periodic
# sync logs it after every poll; the first one counts).
WRITTEN = re.compile(r'Cluster (\S+): CREATE_IN_PROGRESS -> CREATE_COMPLETE$'
                     r'|Status for cluster (\S+) updated to CREATE_COMPLETE ')


class Session:
    def __init__(self, user, project, magnum_url=None):
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'password': S.PASSWORDS[user],
                'domain': {'name': 'Default'}}}},
            'scope': {'project': {'name': project,
                                  'domain': {'name': 'Default'}}}}}
        req = urllib.request.Request(
            S.AUTH_URL + '/auth/tokens', method='POST',
            data=json.dumps(body).encode(),
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=30) as resp:
            self.token = resp.headers['X-Subject-Token']
            token = json.loads(resp.read())['token']
        self.user_id = token['user']['id']
        self.catalog = {svc['type']: next(
            e['url'] for e in svc['endpoints'] if e['interface'] == 'public')
            for svc in token['catalog']}
        if magnum_url:
            self.catalog['container-infra'] = magnum_url

    def call(self, service, path, method='GET', body=None):
        headers = {'X-Auth-Token': self.token,
                   'OpenStack-API-Version': 'container-infra latest',
                   'Content-Type': 'application/json'}
        req = urllib.request.Request(
            self.catalog[service].rstrip('/') + path, method=method,
            headers=headers,
            data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors='replace')


class HeatEnds:
    """orchestration.stack.create.end timestamps by stack id, from a queue
    of our own on Heat's notification exchange."""

    def __init__(self):
        import oslo_messaging as messaging
        from oslo_config import cfg
        conf = cfg.ConfigOpts()
        conf([], project='status-lag')
        transport = messaging.get_notification_transport(
            conf, url=S.TRANSPORT_URL)
        self.ends = {}
        self._lock = threading.Lock()
        outer = self

        class Endpoint:
            filter_rule = messaging.NotificationFilter(
                event_type=r'^orchestration\.stack\.create\.end$')

            def info(self, ctxt, publisher_id, event_type, payload,
                     metadata):
                stack_id = (payload.get('stack_identity') or '').rstrip(
                    '/').rsplit('/', 1)[-1]
                stamp = _utc(metadata.get('timestamp'))
                with outer._lock:
                    outer.ends.setdefault(stack_id, stamp)
                return messaging.NotificationResult.HANDLED

        self.listener = messaging.get_notification_listener(
            transport, [messaging.Target(topic='notifications',
                                         exchange='heat')],
            [Endpoint()], executor='threading',
            pool='status-lag-%s' % uuid.uuid4().hex[:8])
        self.listener.start()

    def get(self, stack_id):
        with self._lock:
            return self.ends.get(stack_id)

    def stop(self):
        self.listener.stop()
        self.listener.wait()


def _utc(text):
    if not text:
        return None
    text = text.replace('Z', '').replace('T', ' ')
    fmt = '%Y-%m-%d %H:%M:%S.%f' if '.' in text else '%Y-%m-%d %H:%M:%S'
    return datetime.datetime.strptime(text, fmt).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def heat_event_end(service, stack_name, stack_id):
    """The stack's own CREATE_COMPLETE event time (whole seconds)."""
    status, body = service.call(
        'orchestration', '/stacks/%s/%s/events?resource_name=%s'
        '&resource_status=COMPLETE&resource_action=CREATE'
        % (stack_name, stack_id, stack_name))
    if status != 200 or not body['events']:
        return None
    return _utc(body['events'][-1]['event_time'])


def _log_time(line):
    """Epoch of an oslo.log line's local timestamp (milliseconds kept)."""
    stamp, millis = line[:23].split('.')
    return time.mktime(time.strptime(stamp, '%Y-%m-%d %H:%M:%S')) + \
        int(millis) / 1000.0


def conductor_writes(uuids, log=None):
    """When the conductor wrote CREATE_COMPLETE, by cluster uuid (its INFO
    line "Cluster <uuid>: CREATE_IN_PROGRESS -> CREATE_COMPLETE")."""
    wanted, written = set(uuids), {}
    with open(log or CONDUCTOR_LOG, errors='replace') as f:
        for line in f:
            match = WRITTEN.search(line.rstrip())
            uuid_ = match and (match.group(1) or match.group(2))
            if uuid_ in wanted and uuid_ not in written:
                written[uuid_] = _log_time(line)
    return written


def heat_calls(user_ids, since, until):
    """(count, per-minute, by kind) of heat-api requests by ``user_ids``."""
    pattern = re.compile(r'^(\S+ \S+) .* (?:%s) [0-9a-f]{32} .*Processing '
                         r'request: (\w+) (\S+)' % '|'.join(user_ids))
    times, kinds = [], {}
    with open(HEAT_API_LOG, errors='replace') as f:
        for line in f:
            match = pattern.match(line)
            if not match:
                continue
            when = time.mktime(time.strptime(match.group(1)[:19],
                                             '%Y-%m-%d %H:%M:%S'))
            if since - 1 <= when <= until + 1:
                times.append(when)
                path = re.sub(r'[0-9a-f-]{32,36}', '<id>', match.group(3))
                path = re.sub(r'/stacks/[^/?]+/<id>', '/stacks/<n>/<id>',
                              path)
                path = re.sub(r'/stacks/(?!<)[^/?]+$', '/stacks/<n>', path)
                key = '%s %s' % (match.group(2), path.split('?')[0])
                kinds[key] = kinds.get(key, 0) + 1
    minutes = max((until - since) / 60.0, 1 / 60.0)
    return len(times), len(times) / minutes, kinds


def create_template(demo):
    status, body = demo.call('container-infra', '/clustertemplates', 'POST', {
        'name': 'bench-%s' % uuid.uuid4().hex[:6], 'coe': 'kubernetes',
        'image_id': 'fedora-coreos-latest', 'external_network_id': 'public',
        'flavor_id': 'm1.small', 'master_flavor_id': 'm1.small',
        'keypair_id': 'default', 'network_driver': 'flannel'})
    assert status == 201, (status, body)
    return body['uuid']


def create_clusters(demo, template_uuid, names):
    """POST /v1/clusters for every name at once; their uuids."""
    def create(name):
        status, body = demo.call('container-infra', '/clusters', 'POST', {
            'name': name, 'cluster_template_id': template_uuid,
            'master_count': 1, 'node_count': 1})
        assert status == 202, (status, body)
        return body['uuid']

    with concurrent.futures.ThreadPoolExecutor(len(names) or 1) as pool:
        return list(pool.map(create, names))


def delete_clusters(demo, uuids, batch=10):
    """Delete ``batch`` at a time (the sandbox's heat-engine
    thrashes on 50 stack deletes at once), each batch gone (bounded)
    before the next."""
    for first in range(0, len(uuids), batch):
        some = uuids[first:first + batch]
        for cid in some:
            demo.call('container-infra', '/clusters/%s' % cid, 'DELETE')
        deadline = time.time() + 300
        while time.time() < deadline and any(
                demo.call('container-infra', '/clusters/%s' % cid)[0] != 404
                for cid in some):
            time.sleep(2)


def delete_template(demo, template_uuid):
    """The template goes once its clusters are gone."""
    deadline = time.time() + 300
    while time.time() < deadline:
        status, _ = demo.call('container-infra', '/clustertemplates/%s'
                              % template_uuid, 'DELETE')
        if status in (204, 404):
            return
        time.sleep(3)


def user_ids(names):
    """The Keystone ids of these sandbox users (whose Heat calls count)."""
    return [Session(name, 'service' if name in ('magnum', 'heat')
                    else name).user_id for name in names]


def run(k, poll, demo, service, heat_ends, template_uuid, heat_users,
        conductor_log=None):
    names = ['lag%d-%s-%02d' % (k, uuid.uuid4().hex[:4], i)
             for i in range(k)]
    started = time.time()
    uuids = create_clusters(demo, template_uuid, names)
    seen = {}
    deadline = time.time() + 300 + 15 * k
    while len(seen) < k and time.time() < deadline:
        status, body = demo.call('container-infra', '/clusters?limit=1000')
        now = time.time()
        for c in body['clusters']:
            if c['uuid'] in uuids and c['uuid'] not in seen:
                if c['status'] == 'CREATE_COMPLETE':
                    seen[c['uuid']] = now
                elif c['status'].endswith('FAILED'):
                    raise SystemExit('%s: %s' % (c['name'], c))
        time.sleep(poll)
    finished = time.time()
    lags, sources = [], {'notification': 0, 'events API': 0}
    written, ours = conductor_writes(uuids, conductor_log), []
    for cid in uuids:
        status, c = demo.call('container-infra', '/clusters/%s' % cid)
        stack_id = c.get('cluster_id') or c.get('stack_id')
        heat_done = heat_ends.get(stack_id)
        if heat_done is None:
            stack_name = '%s-%s' % (c['name'][:30], cid.replace('-', '')[:10])
            heat_done = heat_event_end(service, stack_name.lower(), stack_id)
            sources['events API'] += 1
        else:
            sources['notification'] += 1
        if cid in seen and heat_done:
            lags.append(seen[cid] - heat_done)
            if cid in written:
                ours.append(written[cid] - heat_done)
    time.sleep(2)        # let heat-api flush its log
    calls, per_minute, kinds = heat_calls(heat_users, started, finished)
    delete_clusters(demo, uuids)      # gone before the next round
    return {'k': k, 'completed': len(seen), 'wall_s': finished - started,
            'lags': sorted(lags), 'written': sorted(ours),
            'sources': sources,
            'heat_users': heat_users,
            'heat_calls': calls, 'heat_calls_per_min': per_minute,
            'kinds': kinds}


def _distribution(title, values):
    if not values:
        return
    q = (statistics.quantiles(values, n=20, method='inclusive')
         if len(values) > 1 else values)
    print('  %s s: min %.2f  median %.2f  p95 %.2f  max %.2f  mean %.2f' % (
        title, min(values), statistics.median(values), q[-1], max(values),
        statistics.mean(values)))


def _report(r):
    lags = r['lags']
    print('K=%d: %d/%d CREATE_COMPLETE in %.1f s (Heat end time from: %s)'
          % (r['k'], r['completed'], r['k'], r['wall_s'], r['sources']))
    _distribution('lag (our API - Heat)', lags)
    _distribution('of which the conductor (status written - Heat)',
                  r['written'])
    if lags:
        print('  all: %s' % ' '.join('%.2f' % x for x in lags))
    print('  Heat API calls by %s: %d (%.1f/min)' % (
        r.get('heat_user_names', 'the magnum user'), r['heat_calls'],
        r['heat_calls_per_min']))
    for kind, count in sorted(r['kinds'].items(), key=lambda kv: -kv[1]):
        print('    %5d  %s' % (count, kind))


def main():
    global HTTP_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-k', type=int, nargs='+', default=[5, 20, 50])
    parser.add_argument('--poll', type=float, default=0.25)
    parser.add_argument('--json', action='store_true')
    parser.add_argument('--magnum-url', help='the Magnum API measured '
                        "(default: the catalog's container-infra endpoint)")
    parser.add_argument('--heat-user', nargs='+', default=['magnum'],
                        choices=sorted(S.PASSWORDS),
                        help='count the Heat calls of these sandbox users')
    parser.add_argument('--conductor-log', help="the measured conductor's "
                        'log (default: the sandbox magnum-conductor.log)')
    parser.add_argument('--http-timeout', type=float, default=60,
                        help='seconds a Magnum API request may take')
    args = parser.parse_args()
    HTTP_TIMEOUT = args.http_timeout
    env = configs.os_env('demo')
    assert env['OS_AUTH_URL'] == S.AUTH_URL
    demo = Session('demo', 'demo', args.magnum_url)
    service = Session('magnum', 'service')
    heat_users = user_ids(args.heat_user)
    template_uuid = create_template(demo)
    heat_ends = HeatEnds()
    results = []
    try:
        for k in args.k:
            result = run(k, args.poll, demo, service, heat_ends,
                         template_uuid, heat_users, args.conductor_log)
            result['heat_user_names'] = (
                'the magnum user' if args.heat_user == ['magnum']
                else 'the users ' + ' + '.join(args.heat_user))
            results.append(result)
            _report(result)
    finally:
        heat_ends.stop()
        delete_template(demo, template_uuid)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
