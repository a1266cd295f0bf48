"""Upstream Magnum vs ours, same machine, same run, same conditions.

Both APIs run under gunicorn (2 sync workers, 1 thread each) on 127.0.0.1,
against the same MariaDB server (separate databases), trusting the same
X-* identity headers (ours in noauth mode; upstream's own pecan app
without authtoken — its ContextHook reads the same headers). Identical
rows are seeded into both; tools/bench/load.py, a separate process,
drives each endpoint at each concurrency with bounded request and time
budgets. Results: a table with ours/upstream ratios, and JSON.

    .venv/bin/python tools/bench/compare.py [--sizes 100,10000]
        [--concurrency 1,8,32] [--seconds 20]
        [--out bench-results/compare.json]

Write endpoints (template POST/PATCH/DELETE) need Glance/Nova/Neutron for
upstream's validation, which only the sandbox provides: they are measured
with --auth keystone (not yet wired; see README.rst) and reported as n/a
here.
"""
import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORK = ROOT / '.bench'
UPSTREAM_VENV = WORK / 'venv-upstream'
UPSTREAM_PIN = 'magnum==23.0.0'
DB_SERVER = 'mysql+pymysql://root@127.0.0.1:3306'
RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/'
PROJECT, USER = 'bench-project', 'bench-user'
HEADERS = {'X-User-Id': USER, 'X-Project-Id': PROJECT,
           'X-Roles': 'member,reader', 'Accept': 'application/json',
           'OpenStack-API-Version': 'container-infra latest'}
SERVICES = {'upstream': 47611, 'ours': 47612}


def sh(*cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def ensure_venvs():
    if not (UPSTREAM_VENV / 'bin' / 'gunicorn').exists():
        sh('uv', 'venv', '-q', '--python', 'python3', str(UPSTREAM_VENV))
        sh('uv', 'pip', 'install', '-q', '--python',
           str(UPSTREAM_VENV / 'bin' / 'python'), '-c',
           str(ROOT / 'tools' / 'constraints.txt'), UPSTREAM_PIN,
           'gunicorn', 'PyMySQL')
    if not (ROOT / '.venv' / 'bin' / 'gunicorn').exists():
        sh('uv', 'pip', 'install', '-q', '--python',
           str(ROOT / '.venv' / 'bin' / 'python'), '-c',
           str(ROOT / 'tools' / 'constraints.txt'), 'gunicorn')


def _venv(service):
    return UPSTREAM_VENV if service == 'upstream' else ROOT / '.venv'


def _db_url(service):
    return '%s/bench_%s?charset=utf8mb4' % (DB_SERVER, service)


def write_config(service):
    path = WORK / ('%s.conf' % service)
    path.write_text(
        '[DEFAULT]\nhost = bench\ntransport_url = %s\nauth_strategy = noauth\n'
        'debug = false\n[database]\nconnection = %s\n'
        '[api]\nmax_limit = 1000\n'
        '[oslo_messaging_notifications]\ndriver = noop\n'
        % (RABBIT, _db_url(service)))
    return path


def create_schema(service, config):
    import sqlalchemy as sa
    admin = sa.create_engine(DB_SERVER + '/', isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS bench_%s' % service))
        conn.execute(sa.text('CREATE DATABASE bench_%s CHARACTER SET utf8mb4'
                             % service))
    admin.dispose()
    manage = _venv(service) / 'bin' / 'magnum-db-manage'
    sh(str(manage), '--config-file', str(config), 'upgrade',
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start(service, config):
    port = SERVICES[service]
    app = ('upstream_wsgi:application' if service == 'upstream'
           else 'magnum.wsgi.api:application')
    env = dict(os.environ, MAGNUM_CONFIG_FILE=str(config))
    log = open(WORK / ('%s.log' % service), 'w')
    proc = subprocess.Popen(
        [str(_venv(service) / 'bin' / 'gunicorn'), '--bind',
         '127.0.0.1:%d' % port, '--workers', '2', '--threads', '1',
         '--worker-class', 'sync', '--timeout', '300',
         '--no-control-socket', '--chdir', str(ROOT / 'tools' / 'bench'),
         app], env=env, stdout=log, stderr=log, start_new_session=True,
        cwd=str(ROOT / 'tools' / 'bench'))
    url = 'http://127.0.0.1:%d' % port
    for _ in range(120):
        try:
            urllib.request.urlopen(url + '/', timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError('%s failed to start; see %s.log'
                                   % (service, service))
            time.sleep(0.5)
    raise RuntimeError('%s did not answer' % service)


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def rss_mib(proc):
    """Resident memory of the gunicorn master and its workers."""
    pids = [proc.pid] + [int(p) for p in subprocess.run(
        ['pgrep', '-P', str(proc.pid)], capture_output=True,
        text=True).stdout.split()]
    total = 0
    for pid in pids:
        try:
            for line in open('/proc/%d/status' % pid):
                if line.startswith('VmRSS:'):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def workloads(cluster_uuid):
    return {
        'GET /v1/clusters?limit=1000':
            [{'name': 'clusters', 'method': 'GET',
              'path': '/v1/clusters?limit=1000'}],
        'GET /v1/clusters/{id}':
            [{'name': 'cluster', 'method': 'GET',
              'path': '/v1/clusters/%s' % cluster_uuid}],
        'GET /v1/clustertemplates?limit=1000':
            [{'name': 'templates', 'method': 'GET',
              'path': '/v1/clustertemplates?limit=1000'}],
    }


def load(url, steps, concurrency, seconds, requests):
    spec = {'url': url, 'headers': HEADERS, 'concurrency': concurrency,
            'requests': requests, 'seconds': seconds, 'steps': steps}
    out = subprocess.run([sys.executable, str(ROOT / 'tools' / 'bench' /
                                              'load.py'), json.dumps(spec)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='100,10000')
    parser.add_argument('--concurrency', default='1,8,32')
    parser.add_argument('--seconds', type=float, default=20)
    parser.add_argument('--requests', type=int, default=2000)
    parser.add_argument('--out', default=str(ROOT / 'bench-results' /
                                             'compare.json'))
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    ensure_venvs()
    sys.path.insert(0, str(ROOT / 'tools' / 'bench'))
    import seed

    configs = {s: write_config(s) for s in SERVICES}
    results = []
    for size in [int(x) for x in args.sizes.split(',')]:
        for service, config in configs.items():
            create_schema(service, config)
            seed.seed(_db_url(service), size, PROJECT, USER)
        cluster = '%s' % __import__('uuid').UUID(int=10**9)
        procs = {s: start(s, c) for s, c in configs.items()}
        try:
            idle = {s: rss_mib(p) for s, (p, _) in procs.items()}
            for name, steps in workloads(cluster).items():
                for conc in [int(x) for x in args.concurrency.split(',')]:
                    row = {'n': size, 'endpoint': name, 'concurrency': conc}
                    for service, (proc, url) in procs.items():
                        res = next(iter(load(url, steps, conc, args.seconds,
                                             args.requests).values()))
                        row[service] = res
                    results.append(row)
                    print(format_row(row), flush=True)
            loaded = {s: rss_mib(p) for s, (p, _) in procs.items()}
            results.append({'n': size, 'rss_mib': {'idle': idle,
                                                   'loaded': loaded}})
            print('n=%d RSS MiB idle %s loaded %s' % (size, idle, loaded))
        finally:
            for proc, _ in procs.values():
                stop(proc)
    out = pathlib.Path(args.out)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print('\n' + table(results))
    print('\nwritten to %s' % out)


def format_row(row):
    up, ours = row['upstream'], row['ours']
    return ('n=%-6d c=%-3d %-38s upstream %8.1f req/s p50 %8.1f p99 %8.1f '
            '5xx %d | ours %8.1f req/s p50 %7.1f p99 %7.1f 5xx %d | x%.1f'
            % (row['n'], row['concurrency'], row['endpoint'], up['rps'],
               up['p50_ms'], up['p99_ms'], up['errors_5xx'], ours['rps'],
               ours['p50_ms'], ours['p99_ms'], ours['errors_5xx'],
               ours['rps'] / up['rps'] if up['rps'] else float('inf')))


def table(results):
    lines = ['| N | endpoint | c | upstream req/s | ours req/s | ratio | '
             'upstream p50/p99 ms | ours p50/p99 ms | 5xx up/ours |',
             '|---|---|---|---|---|---|---|---|---|']
    for row in results:
        if 'endpoint' not in row:
            continue
        up, ours = row['upstream'], row['ours']
        lines.append('| %d | %s | %d | %.1f | %.1f | %.1f× | %.1f/%.1f | '
                     '%.1f/%.1f | %d/%d |' % (
                         row['n'], row['endpoint'], row['concurrency'],
                         up['rps'], ours['rps'],
                         ours['rps'] / up['rps'] if up['rps'] else 0,
                         up['p50_ms'], up['p99_ms'], ours['p50_ms'],
                         ours['p99_ms'], up['errors_5xx'],
                         ours['errors_5xx']))
    for row in results:
        if 'rss_mib' in row:
            lines.append('| %d | RSS MiB idle → loaded | | %s → %s | %s → %s '
                         '| | | | |' % (
                             row['n'], row['rss_mib']['idle']['upstream'],
                             row['rss_mib']['loaded']['upstream'],
                             row['rss_mib']['idle']['ours'],
                             row['rss_mib']['loaded']['ours']))
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
