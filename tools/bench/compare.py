"""Upstream Magnum vs ours, same machine, same run, same conditions.

Both APIs run under gunicorn (2 sync workers, 1 thread each) on 127.0.0.1,
against the same MariaDB server (separate databases seeded with identical
rows: N templates, N clusters with 2 nodegroups each, in the caller's
project). tools/bench/load.py, a separate process, drives each endpoint at
each concurrency with bounded request and time budgets; each cell runs
--repeat times, alternating which service goes first, and the medians
are reported. After every run the service is left to drain what is still
queued (a closed-loop client at concurrency C leaves up to C requests
behind when it stops) before the next run starts. Each service first
gets a few unmeasured requests of every workload (warm-up); its RSS
(gunicorn master + workers) is read then ("idle") and after every cell
(the last: "loaded"), so a leak shows as a trail that keeps climbing.
Last, the harness floor: tools/bench/floor_wsgi.py, served the same way,
answers the `cluster` workload with the bytes of our cluster GET and does
nothing else -- the most any API can reach under this harness on this
machine. Results: a table with ours/upstream ratios (req/s of successful
requests), the floor, and JSON.

Each API reaches MariaDB through the driver its deployments use: upstream
through PyMySQL (``mysql+pymysql``, as its install guide writes the
connection), ours through mysqlclient (``mysql+mysqldb``: a C driver that
holds its thread while it waits, harmless where, as in ours, every worker
is a native thread and nothing runs eventlet). ``--upstream-driver
mysqldb`` runs upstream on mysqlclient too, to show how much of a ratio is
the driver.

    .venv/bin/python tools/bench/compare.py [--sizes 100,10000]
        [--concurrency 1,8,32] [--seconds 20] [--repeat 1]
        [--auth header|keystone] [--workloads clusters,cluster,...]
        [--port 8611] [--db-prefix bench_] [--upstream-driver pymysql]
        [--out bench-results/compare.json]

Two identity modes (each row says which it used):

* ``header`` (the default; read workloads only): no Keystone. Ours runs
  with ``auth_strategy = noauth``; upstream runs its own pecan app
  without authtoken (tools/bench/upstream_wsgi.py), whose ContextHook
  reads the same X-User-Id/X-Project-Id/X-Roles headers.
* ``keystone`` (needed by the template POST/PATCH/DELETE workload): both
  APIs behind keystonemiddleware's authtoken, configured from the running
  sandbox's magnum.conf (tools/sandbox; ``source .sandbox-env`` first for
  a private instance): its Keystone validates tokens, and the catalog in
  each token sends the image, flavor and network look-ups of template
  validation to its simulated Glance/Nova/Neutron. One demo-user token is
  fetched before the run and every request carries it (X-Auth-Token); the
  rows are seeded in that token's project. Upstream 23.0.0 ships no
  driver, and refuses a template without one for the image's
  (server_type, os_distro, coe): tools/bench/upstream_driver, a
  benchmark-only package installed into the upstream venv alone,
  registers one for the sandbox's fedora-coreos image (it can accept
  templates, not build clusters). Upstream looks up every resource in
  the cloud on every create and PATCH; ours caches found resources per
  project for ``[api] lookup_cache_ttl`` seconds (misses never).

Workloads: ``clusters`` (GET /v1/clusters?limit=1000), ``cluster`` (GET
of one cluster), ``templates`` (GET /v1/clustertemplates?limit=1000) and
``template-writes`` (keystone mode: each thread loops POST a template,
PATCH its name, DELETE it; one row per step).
"""
import argparse
import configparser
import json
import os
import pathlib
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / 'tools' / 'bench'
WORK = ROOT / '.bench'
UPSTREAM_VENV = WORK / 'venv-upstream'
UPSTREAM_PIN = 'magnum==23.0.0'
DB_SERVER = 'root@127.0.0.1:3306'
RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/'
SERVICES = ('upstream', 'ours')
API_HEADERS = {'Accept': 'application/json',
               'OpenStack-API-Version': 'container-infra latest'}
CLUSTER = str(uuid.UUID(int=10**9))          # the first seeded cluster
TEMPLATE = {'coe': 'kubernetes', 'image_id': 'fedora-coreos-latest',
            'flavor_id': 'm1.small', 'master_flavor_id': 'm1.small',
            'external_network_id': 'public', 'network_driver': 'flannel',
            'labels': {'kube_tag': 'v1.30.1'}, 'name': 'bench-write'}
DRAIN_LIMIT = 900
FLOOR_BODY = WORK / 'floor-body.json'


def sh(*cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def _uv_install(venv, *packages):
    sh('uv', 'pip', 'install', '-q', '--python', str(venv / 'bin' / 'python'),
       '-c', str(ROOT / 'tools' / 'constraints.txt'), *packages)


def ensure_venvs():
    if not (UPSTREAM_VENV / 'bin' / 'gunicorn').exists():
        sh('uv', 'venv', '-q', '--python', 'python3', str(UPSTREAM_VENV))
        _uv_install(UPSTREAM_VENV, UPSTREAM_PIN, 'gunicorn', 'PyMySQL')
    _uv_install(UPSTREAM_VENV, str(BENCH / 'upstream_driver'), 'mysqlclient')
    if not (ROOT / '.venv' / 'bin' / 'gunicorn').exists():
        _uv_install(ROOT / '.venv', 'gunicorn')


# -- identities ---------------------------------------------------------------
def header_identity():
    """(request headers, project id, user id) of a noauth caller."""
    project, user = 'bench-project', 'bench-user'
    return dict(API_HEADERS, **{'X-User-Id': user, 'X-Project-Id': project,
                                'X-Roles': 'member,reader'}), project, user


def _sandbox():
    sys.path.insert(0, str(ROOT / 'tools' / 'sandbox'))
    from sbx import configs
    from sbx import settings
    return configs, settings


def keystone_identity():
    """The same for one token of the sandbox's demo user, fetched once."""
    configs, _ = _sandbox()
    env = configs.os_env('demo')
    body = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': env['OS_USERNAME'], 'password': env['OS_PASSWORD'],
            'domain': {'name': env['OS_USER_DOMAIN_NAME']}}}},
        'scope': {'project': {'name': env['OS_PROJECT_NAME'], 'domain': {
            'name': env['OS_PROJECT_DOMAIN_NAME']}}}}}
    req = urllib.request.Request(
        env['OS_AUTH_URL'] + '/auth/tokens', json.dumps(body).encode(),
        {'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as resp:
        token = resp.headers['X-Subject-Token']
        info = json.load(resp)['token']
    return (dict(API_HEADERS, **{'X-Auth-Token': token}),
            info['project']['id'], info['user']['id'])


# -- services -----------------------------------------------------------------
def _venv(service):
    return UPSTREAM_VENV if service == 'upstream' else ROOT / '.venv'


def _db_name(args, service):
    return '%s%s' % (args.db_prefix, service)


def _db_url(args, service):
    driver = args.upstream_driver if service == 'upstream' else 'mysqldb'
    return 'mysql+%s://%s/%s?charset=utf8mb4' % (
        driver, DB_SERVER, _db_name(args, service))


def write_config(args, service):
    """Header mode: noauth. Keystone mode: the sandbox's own magnum.conf
    (authtoken, service user, [*_client] regions) with our database."""
    configs, _ = _sandbox()
    conf = configparser.ConfigParser(interpolation=None)
    if args.auth == 'keystone':
        conf.read(configs.magnum_conf_path())
        conf.remove_section('api')
        for name in ('log_dir', 'use_stderr'):
            conf.remove_option('DEFAULT', name)
    values = {
        'DEFAULT': {'host': 'bench', 'transport_url': RABBIT,
                    'debug': 'false',
                    'auth_strategy': ('keystone' if args.auth == 'keystone'
                                      else 'noauth')},
        'database': {'connection': _db_url(args, service)},
        'api': {'max_limit': '1000'},
        'oslo_messaging_notifications': {'driver': 'noop'},
    }
    path = WORK / ('%s.conf' % service)
    configs.write_ini(path, values, conf)
    return path


def create_schema(args, service, config):
    import sqlalchemy as sa
    admin = sa.create_engine('mysql+mysqldb://%s/' % DB_SERVER,
                             isolation_level='AUTOCOMMIT')
    name = _db_name(args, service)
    with admin.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
        conn.execute(sa.text('CREATE DATABASE %s CHARACTER SET utf8mb4'
                             % name))
    admin.dispose()
    manage = _venv(service) / 'bin' / 'magnum-db-manage'
    sh(str(manage), '--config-file', str(config), 'upgrade',
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


APPS = {'upstream': 'upstream_wsgi:application',
        'ours': 'magnum.wsgi.api:application',
        'floor': 'floor_wsgi:application'}


def start(args, service, config=None):
    port = args.port + (SERVICES + ('floor',)).index(service)
    env = dict(os.environ, MAGNUM_CONFIG_FILE=str(config),
               BENCH_AUTH=args.auth, BENCH_FLOOR_BODY=str(FLOOR_BODY))
    log = open(WORK / ('%s.log' % service), 'w')
    proc = subprocess.Popen(
        [str(_venv(service) / 'bin' / 'gunicorn'), '--bind',
         '127.0.0.1:%d' % port, '--workers', '2', '--threads', '1',
         '--worker-class', 'sync', '--timeout', '300',
         '--no-control-socket', '--chdir', str(BENCH), APPS[service]],
        env=env, stdout=log, stderr=log, start_new_session=True,
        cwd=str(BENCH))
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


def drain(url):
    """Seconds until the service answers its root document at once, i.e.
    has served what the last run left queued."""
    start = time.monotonic()
    while time.monotonic() - start < DRAIN_LIMIT:
        asked = time.monotonic()
        try:
            urllib.request.urlopen(url + '/', timeout=DRAIN_LIMIT).read()
        except OSError:
            time.sleep(1)
            continue
        if time.monotonic() - asked < 1:
            break
    return round(time.monotonic() - start, 1)


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


# -- workloads ----------------------------------------------------------------
def _get(path):
    return {'name': path, 'method': 'GET', 'path': path}


WORKLOADS = {
    'clusters': [_get('/v1/clusters?limit=1000')],
    'cluster': [dict(_get('/v1/clusters/%s' % CLUSTER),
                     name='/v1/clusters/{id}')],
    'templates': [_get('/v1/clustertemplates?limit=1000')],
    'template-writes': [
        {'name': '/v1/clustertemplates', 'method': 'POST',
         'path': '/v1/clustertemplates', 'body': TEMPLATE},
        {'name': '/v1/clustertemplates/{id}', 'method': 'PATCH',
         'path': '/v1/clustertemplates/{uuid}',
         'body': [{'op': 'replace', 'path': '/name',
                   'value': 'bench-patched'}]},
        {'name': '/v1/clustertemplates/{id}', 'method': 'DELETE',
         'path': '/v1/clustertemplates/{uuid}'},
    ],
}
READS = ('clusters', 'cluster', 'templates')


def load(url, headers, steps, concurrency, requests, seconds):
    spec = {'url': url, 'headers': headers, 'concurrency': concurrency,
            'requests': requests, 'seconds': seconds, 'steps': steps}
    out = subprocess.run([sys.executable, str(BENCH / 'load.py'),
                          json.dumps(spec)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def _summary(runs):
    """The median of each measure over repeated runs (error counts
    summed), with every run's req/s kept."""
    return {
        'rps': statistics.median(r['rps'] for r in runs),
        'p50_ms': statistics.median(r['p50_ms'] for r in runs),
        'p99_ms': statistics.median(r['p99_ms'] for r in runs),
        'requests': sum(r['requests'] for r in runs),
        'errors_5xx': sum(r['errors_5xx'] for r in runs),
        'errors_4xx': sum(r['errors_4xx'] for r in runs),
        'lost': sum(r['lost'] for r in runs),
        'runs_rps': [round(r['rps'], 1) for r in runs],
    }


def warm_up(procs, headers, names):
    """A few requests of every workload on each service, unmeasured: the
    first ones of a worker pay for imports, driver loading and, with
    Keystone, the service token and the caller's token validation."""
    for _, url in procs.values():
        for name in names:
            steps = WORKLOADS[name]
            load(url, headers, steps, 4, 8 * len(steps), DRAIN_LIMIT)
            drain(url)


def run_cell(procs, headers, steps, concurrency, args):
    """{step: {service: summary}} and the drain seconds after each run."""
    runs = {s: [] for s in SERVICES}
    drains = {s: [] for s in SERVICES}
    for i in range(args.repeat):
        for service in (SERVICES if i % 2 == 0 else SERVICES[::-1]):
            url = procs[service][1]
            runs[service].append(load(url, headers, steps, concurrency,
                                      args.requests, args.seconds))
            drains[service].append(drain(url))
    return {step: {s: _summary([r[step] for r in runs[s]])
                   for s in SERVICES}
            for step in runs['upstream'][0]}, drains


def save_floor_body(url, headers):
    req = urllib.request.Request(url + WORKLOADS['cluster'][0]['path'],
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=60) as resp:
        FLOOR_BODY.write_bytes(resp.read())


def measure_floor(args, headers):
    """The harness alone (floor_wsgi.py answering a cluster GET's bytes),
    one row per concurrency."""
    proc, url = start(args, 'floor')
    try:
        load(url, headers, WORKLOADS['cluster'], 4, 32, DRAIN_LIMIT)
        rows = []
        for conc in [int(x) for x in args.concurrency.split(',')]:
            runs = [load(url, headers, WORKLOADS['cluster'], conc,
                         args.requests, args.seconds)
                    for _ in range(args.repeat)]
            rows.append(dict(_summary([r[s] for r in runs for s in r]),
                             floor=True, concurrency=conc))
            print('floor c=%-3d %7.1f req/s p50 %.1f p99 %.1f' % (
                conc, rows[-1]['rps'], rows[-1]['p50_ms'],
                rows[-1]['p99_ms']), flush=True)
        return rows
    finally:
        stop(proc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='100,10000')
    parser.add_argument('--concurrency', default='1,8,32')
    parser.add_argument('--seconds', type=float, default=20)
    parser.add_argument('--requests', type=int, default=2000)
    parser.add_argument('--repeat', type=int, default=1)
    parser.add_argument('--auth', choices=('header', 'keystone'),
                        default='header')
    parser.add_argument('--workloads',
                        help='comma-separated, from: %s (default: the '
                             'reads; all of them with --auth keystone)'
                             % ', '.join(WORKLOADS))
    parser.add_argument('--port', type=int, default=8611,
                        help='upstream listens here, ours on the next port')
    parser.add_argument('--db-prefix', default='bench_')
    parser.add_argument('--upstream-driver', choices=('pymysql', 'mysqldb'),
                        default='pymysql',
                        help="upstream's MySQL driver (ours: mysqldb)")
    parser.add_argument('--out', default=str(ROOT / 'bench-results' /
                                             'compare.json'))
    args = parser.parse_args()
    names = (args.workloads.split(',') if args.workloads else
             list(WORKLOADS) if args.auth == 'keystone' else list(READS))
    if 'template-writes' in names and args.auth != 'keystone':
        parser.error('template-writes needs --auth keystone')
    WORK.mkdir(exist_ok=True)
    ensure_venvs()
    sys.path.insert(0, str(BENCH))
    import seed

    headers, project, user = (keystone_identity() if args.auth == 'keystone'
                              else header_identity())
    configs = {s: write_config(args, s) for s in SERVICES}
    results = []
    for size in [int(x) for x in args.sizes.split(',')]:
        for service, config in configs.items():
            create_schema(args, service, config)
            seed.seed(_db_url(args, service), size, project, user)
        procs = {s: start(args, s, c) for s, c in configs.items()}
        try:
            warm_up(procs, headers, names)
            save_floor_body(procs['ours'][1], headers)
            idle = {s: rss_mib(p) for s, (p, _) in procs.items()}
            trail = {s: [] for s in procs}
            for name in names:
                for conc in [int(x) for x in args.concurrency.split(',')]:
                    cell, drains = run_cell(procs, headers, WORKLOADS[name],
                                            conc, args)
                    for endpoint, by_service in cell.items():
                        row = dict(by_service, n=size, auth=args.auth,
                                   endpoint=endpoint, concurrency=conc,
                                   drain_s=drains,
                                   upstream_driver=args.upstream_driver)
                        results.append(row)
                        print(format_row(row), flush=True)
                    for s, (p, _) in procs.items():
                        trail[s].append(rss_mib(p))
            loaded = {s: rss[-1] for s, rss in trail.items()}
            results.append({'n': size, 'rss_mib': {
                'idle': idle, 'loaded': loaded, 'after_each_cell': trail}})
            print('n=%d RSS MiB idle %s loaded %s' % (size, idle, loaded))
        finally:
            for proc, _ in procs.values():
                stop(proc)
    results.extend(measure_floor(args, headers))
    out = pathlib.Path(args.out)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print('\n' + table(results))
    print('\nwritten to %s' % out)


def _ratio(row):
    up, ours = row['upstream']['rps'], row['ours']['rps']
    return ours / up if up else float('inf')


def format_row(row):
    up, ours = row['upstream'], row['ours']
    return ('n=%-6d c=%-3d %-8s %-38s upstream %7.1f req/s p50 %8.1f p99 '
            '%8.1f 5xx %d lost %d | ours %7.1f req/s p50 %7.1f p99 %7.1f '
            '5xx %d lost %d | x%.1f  (runs %s / %s)' % (
                row['n'], row['concurrency'], row['auth'], row['endpoint'],
                up['rps'], up['p50_ms'], up['p99_ms'], up['errors_5xx'],
                up['lost'], ours['rps'], ours['p50_ms'], ours['p99_ms'],
                ours['errors_5xx'], ours['lost'], _ratio(row),
                up['runs_rps'], ours['runs_rps']))


def table(results):
    """An RST table (README.rst's Performance section)."""
    widths = (6, 9, 38, 3, 8, 7, 7, 14, 14, 11)
    rule = '  '.join('=' * w for w in widths)
    head = ('N', 'auth', 'endpoint', 'c', 'upstream', 'ours', 'ratio',
            'upstream p50/', 'ours p50/', '5xx+lost')
    head2 = ('', '', '', '', 'req/s', 'req/s', '', 'p99 ms', 'p99 ms',
             'up/ours')
    lines = [rule]
    for cells in (head, head2):
        lines.append('  '.join(c.ljust(w) for c, w in zip(cells, widths))
                     .rstrip())
    lines.append(rule)
    for row in results:
        if 'endpoint' not in row:
            continue
        up, ours = row['upstream'], row['ours']
        cells = (str(row['n']), row['auth'], row['endpoint'],
                 str(row['concurrency']), '%.1f' % up['rps'],
                 '%.1f' % ours['rps'], '%.1f×' % _ratio(row),
                 '%.0f/%.0f' % (up['p50_ms'], up['p99_ms']),
                 '%.1f/%.1f' % (ours['p50_ms'], ours['p99_ms']),
                 '%d/%d' % (up['errors_5xx'] + up['lost'],
                            ours['errors_5xx'] + ours['lost']))
        lines.append('  '.join(c.ljust(w) for c, w in zip(cells, widths))
                     .rstrip())
    lines.append(rule)
    for row in results:
        if row.get('floor'):
            lines.append('Harness floor, c=%d (a static WSGI app answering '
                         'the same bytes as a cluster GET): %.1f req/s, '
                         'p50/p99 %.1f/%.1f ms' % (
                             row['concurrency'], row['rps'], row['p50_ms'],
                             row['p99_ms']))
    for row in results:
        if 'rss_mib' in row:
            rss = row['rss_mib']
            lines.append('N=%d RSS MiB (master + workers) idle → loaded: '
                         'upstream %s → %s, ours %s → %s' % (
                             row['n'], rss['idle']['upstream'],
                             rss['loaded']['upstream'], rss['idle']['ours'],
                             rss['loaded']['ours']))
            for service, trail in rss['after_each_cell'].items():
                lines.append('  %s after each cell: %s' % (
                    service, ' '.join('%.0f' % mib for mib in trail)))
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
