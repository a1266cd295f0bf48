#!/usr/bin/env python3
"""Upstream Magnum 22.0.0 (PyPI ``magnum==22.0.0``, the last release with a
Heat driver, k8s_fedora_coreos_v1) beside a running sandbox, for
tools/bench/status_lag.py and heat_calls.py. A benchmark aid, not a test.

    tools/sandbox/sandbox up
    .venv/bin/python tools/bench/upstream22.py up      # install + start
    .venv/bin/python tools/bench/status_lag.py -k 5 20 \\
        --magnum-url http://127.0.0.1:9617/v1 --heat-user demo magnum
    .venv/bin/python tools/bench/upstream22.py down    # stop
    .venv/bin/python tools/bench/upstream22.py clean   # + db, vhost, domain

What ``up`` does (idempotent; the sandbox must be up):

* virtualenv .bench/venv-up22: magnum==22.0.0, PyMySQL, gunicorn,
  constrained by tools/constraints.txt (the sandbox's own versions);
* database ``<SANDBOX_DB_PREFIX>upstream22`` on the sandbox's MariaDB
  (PyMySQL, as upstream's install guide writes it), migrated with
  upstream's ``magnum-db-manage upgrade``;
* a RabbitMQ vhost of its own (``<sandbox vhost>-upstream22``) for its
  RPC, so it never shares a topic with our conductor;
* in the sandbox Keystone, a trustee domain ``upstream22`` and its admin
  ``upstream22_domain_admin`` (upstream creates one trustee user per
  cluster there, and a trust from the cluster's owner to it);
* STATE/upstream22/magnum.conf: the sandbox's own magnum.conf (authtoken,
  [keystone_auth] = the ``magnum`` service user, [*_client] regions) with
  upstream's database, vhost, port, [trust], x509keypair certificates,
  [quotas] room for K=100 and [cluster] etcd_discovery_service_endpoint_format
  pointing at a local stub (upstream's k8s driver asks
  discovery.etcd.io for a URL on every create; this machine has no
  Internet, and the URL is only passed into the template);
* processes, managed like the sandbox's (pid files in STATE/run, logs in
  STATE/log): ``upstream22-api`` (upstream's pecan app behind its own
  authtoken middleware, tools/bench/upstream_wsgi.py under gunicorn, 2
  sync workers, 127.0.0.1:$UPSTREAM22_PORT, default sandbox magnum port +
  10), ``upstream22-conductor`` (upstream's ``magnum-conductor``: its own
  defaults, i.e. one process per CPU and the periodic status sync every
  10 s in the parent), ``upstream22-discovery`` (the stub).

Nothing is registered in the Keystone catalog: the catalog's
``container-infra`` stays ours; clients reach upstream by URL.

Measured 2026-11-21 (same sandbox, same run order, load 3-10; ours first):

===== ======= ================== ================== =======================
K     who     all CREATE_COMPLETE lag API median/p95  Heat calls (per min)
===== ======= ================== ================== =======================
5     ours    13.5 s             0.12 / 0.24 s      20 (89/min)
5     up 22   46.7 s             5.36 / 9.09 s      85 (109/min)
20    ours    52.1 s             0.39 / 0.66 s      88 (101/min)
20    up 22   214.9 s            56.8 / 119.5 s     696 (194/min)
===== ======= ================== ================== =======================

Upstream's conductor share (status written - Heat): K=5 2.69 / 6.35 s,
K=20 7.06 / 20.18 s (a 10 s periodic sync; per cluster and tick: a
trust-scoped token for its trustee, then GET /stacks/<id> and its
redirect once per nodegroup, again with resolve_outputs once complete).
The rest of its API-visible lag is its API: every tenant-scoped DB query
authenticates the trustee domain admin to Keystone anew
(``_add_tenant_filters`` -> ``trustee_domain_id``), and GET /v1/clusters
reads each cluster's nodegroups four times, so one list of K clusters
costs 1 + 4K Keystone password authentications. With 20 clusters held in
progress (heat_calls.py) the sandbox Keystone (2 sync workers) saturated:
creates reached Heat over 6 minutes, token requests timed out, and no
steady-state Heat calls/min could be read.
"""
import argparse
import configparser
import http.server
import json
import os
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tools' / 'sandbox'))
from sbx import configs  # noqa: E402
from sbx import keystone_setup  # noqa: E402
from sbx import procs  # noqa: E402
from sbx import settings as S  # noqa: E402

PIN = 'magnum==22.0.0'
VENV = REPO / '.bench' / 'venv-up22'
HOME = S.STATE / 'upstream22'
CONF = HOME / 'magnum.conf'
PORT = int(os.environ.get('UPSTREAM22_PORT', S.MAGNUM_PORT + 10))
DISCOVERY_PORT = int(os.environ.get('UPSTREAM22_DISCOVERY_PORT', PORT + 1))
URL = 'http://%s:%d/v1' % (S.HOST, PORT)
DB = S.DB_PREFIX + 'upstream22'
VHOST = S.VHOST + '-upstream22'
TRANSPORT_URL = 'rabbit://guest:guest@%s:%d/%s' % (
    S.RABBIT_HOST, S.RABBIT_PORT, urllib.parse.quote(VHOST, safe=''))
DOMAIN, DOMAIN_ADMIN = 'upstream22', 'upstream22_domain_admin'
DOMAIN_ADMIN_PASSWORD = 'upstream22domainpass'      # loopback test value
SERVICES = ('upstream22-api', 'upstream22-conductor', 'upstream22-discovery')


def install():
    if not (VENV / 'bin' / 'magnum-conductor').exists():
        subprocess.run(['uv', 'venv', '-q', '--python', 'python3.11',
                        str(VENV)], check=True)
    subprocess.run(['uv', 'pip', 'install', '-q', '--python',
                    str(VENV / 'bin' / 'python'), '-c',
                    str(REPO / 'tools' / 'constraints.txt'),
                    PIN, 'PyMySQL', 'gunicorn'], check=True)


def trustee_domain():
    """The trustee domain and its admin (admin role on the domain)."""
    ks = keystone_setup.Keystone()
    ks.login()
    role = ks.ensure('roles', {'name': 'admin'}, name='admin')
    did = ks.ensure('domains', {'name': DOMAIN, 'description':
                                'upstream 22.0.0 trustees'}, name=DOMAIN)
    uid = ks.ensure('users', {'name': DOMAIN_ADMIN, 'domain_id': did,
                              'password': DOMAIN_ADMIN_PASSWORD},
                    name=DOMAIN_ADMIN, domain_id=did)
    ks.grant(role, uid, domain_id=did)
    return ks, did


def write_config():
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(configs.magnum_conf_path())       # the sandbox's, for ours
    for section in ('api', 'conductor', 'quotas', 'certificates',
                    'cluster'):
        conf.remove_section(section)
    values = {
        'DEFAULT': {'transport_url': TRANSPORT_URL, 'host': 'upstream22',
                    'log_dir': str(S.LOG), 'log_file': 'upstream22-api.log',
                    'debug': 'false',
                    # "Status for cluster <uuid> updated to <status>" after
                    # each poll: status_lag.py --conductor-log reads it.
                    'default_log_levels': ','.join((
                        'magnum.service.periodic=DEBUG', 'amqp=WARN',
                        'oslo.messaging=INFO', 'oslo_messaging=INFO',
                        'keystonemiddleware=WARN', 'urllib3=WARN',
                        'stevedore=WARN', 'neutronclient=ERROR'))},
        'api': {'host': S.HOST, 'port': str(PORT)},
        'database': {'connection': S.db_url('upstream22')},
        'trust': {'trustee_domain_name': DOMAIN,
                  'trustee_domain_admin_name': DOMAIN_ADMIN,
                  'trustee_domain_admin_domain_name': DOMAIN,
                  'trustee_domain_admin_password': DOMAIN_ADMIN_PASSWORD,
                  'trustee_keystone_interface': 'public'},
        'certificates': {'cert_manager_type': 'x509keypair'},
        'cluster': {'etcd_discovery_service_endpoint_format':
                    'http://%s:%d/new?size=%%(size)d'
                    % (S.HOST, DISCOVERY_PORT),
                    'temp_cache_dir': str(HOME / 'certificate-cache')},
        'quotas': {'max_clusters_per_project': '250'},
        'drivers': {'send_cluster_metrics': 'false'},
        'oslo_messaging_notifications': {'driver': 'noop'},
    }
    configs.write_ini(CONF, values, conf)


def database():
    procs.mysql('CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8'
                % DB)
    procs.run([VENV / 'bin' / 'magnum-db-manage', '--config-file', CONF,
               'upgrade'], log_name='upstream22-db-manage.log')


def cmd_up(args):
    if not procs.http_ok(S.AUTH_URL):
        raise SystemExit('the sandbox is not up (%s)' % S.AUTH_URL)
    install()
    procs.ensure_vhost(VHOST)
    trustee_domain()
    write_config()
    database()
    started = []
    env = {'PYTHONUNBUFFERED': '1', 'MAGNUM_CONFIG_FILE': str(CONF),
           'BENCH_AUTH': 'keystone'}
    commands = {
        'upstream22-discovery': [sys.executable, Path(__file__).resolve(),
                                 'discovery-stub'],
        'upstream22-api': [
            VENV / 'bin' / 'gunicorn', '--chdir', REPO / 'tools' / 'bench',
            '-w', str(args.api_workers), '-b', '%s:%d' % (S.HOST, PORT),
            '--timeout', '120', 'upstream_wsgi:application'],
        'upstream22-conductor': [VENV / 'bin' / 'magnum-conductor',
                                 '--config-file', CONF, '--log-file',
                                 'upstream22-conductor.log'],
    }
    for name, cmd in commands.items():
        if procs.start(name, cmd, env=env):
            started.append(name)
    log = S.LOG / 'upstream22-conductor.log'
    procs.wait_for(lambda: _alive('upstream22-api') and procs.http_ok(URL),
                   'upstream22-api', 120)
    procs.wait_for(lambda: _alive('upstream22-conductor') and log.exists()
                   and b'Starting server in PID' in log.read_bytes(),
                   'upstream22-conductor', 120)
    procs.log('upstream 22.0.0 at %s (%s); config %s; logs %s/upstream22*'
              % (URL, ', '.join(started) or 'already running', CONF, S.LOG))


def _alive(name):
    if not procs.pid_of(name):
        raise RuntimeError('%s exited; see %s' % (
            name, S.LOG / (name + '.out')))
    return True


def cmd_down(args):
    left = procs.stop(SERVICES)
    procs.log('upstream 22.0.0 stopped%s' % (
        ' (killed %s)' % ', '.join(left) if left else ''))


def cmd_clean(args):
    cmd_down(args)
    procs.mysql('DROP DATABASE IF EXISTS %s' % DB)
    procs.delete_vhost(VHOST)
    if procs.http_ok(S.AUTH_URL):
        ks = keystone_setup.Keystone()
        ks.login()
        domain = ks.find('domains', name=DOMAIN)
        if domain:
            for user in ks._call('GET', '/users?domain_id=%s'
                                 % domain['id'])['users']:
                ks._call('DELETE', '/users/%s' % user['id'])
            ks._call('PATCH', '/domains/%s' % domain['id'],
                     {'domain': {'enabled': False}})
            ks._call('DELETE', '/domains/%s' % domain['id'])
    procs.log('upstream 22.0.0: database %s, vhost %s, domain %s removed'
              % (DB, VHOST, DOMAIN))


class Discovery(http.server.BaseHTTPRequestHandler):
    """A stand-in for discovery.etcd.io: /new?size=N answers a URL of
    its own; <url>/_config/size answers the size, as etcd's v2 API."""

    sizes = {}

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == '/new':
            size = urllib.parse.parse_qs(url.query).get('size', ['1'])[0]
            token = uuid.uuid4().hex
            self.sizes[token] = size
            body = 'http://%s:%d/%s' % (S.HOST, DISCOVERY_PORT, token)
        elif url.path.endswith('/_config/size'):
            token = url.path.split('/')[1]
            body = json.dumps({'node': {'key': '/_config/size',
                                        'value': self.sizes.get(token, '1')}})
        else:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


def cmd_discovery_stub(args):
    http.server.ThreadingHTTPServer(
        (S.HOST, DISCOVERY_PORT), Discovery).serve_forever()


def cmd_env(args):
    print('export UPSTREAM22_URL=%s' % URL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    up = sub.add_parser('up')
    up.add_argument('--api-workers', type=int, default=2)
    for name in ('down', 'clean', 'discovery-stub', 'env'):
        sub.add_parser(name)
    args = parser.parse_args()
    return {'up': cmd_up, 'down': cmd_down, 'clean': cmd_clean,
            'discovery-stub': cmd_discovery_stub, 'env': cmd_env}[
        args.command](args) or 0


if __name__ == '__main__':
    sys.exit(main())
