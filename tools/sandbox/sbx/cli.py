"""`sandbox up|down|status|env|clean`: real Keystone + Heat on loopback."""

import argparse
import concurrent.futures
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
import urllib.request

from . import configs
from . import install
from . import keystone_setup
from . import procs
from . import settings as S

SANDBOX_SERVICES = ('keystone', 'heat-api', 'heat-engine', 'simcloud')
# Ours, started by the magnum hook below.
MAGNUM_SERVICES = ('magnum-api', 'magnum-conductor')
SERVICES = SANDBOX_SERVICES + MAGNUM_SERVICES


# ---- commands ---------------------------------------------------------------

def cmd_up(args):
    started = time.time()
    for path in (S.ETC, S.LOG, S.RUN):
        path.mkdir(parents=True, exist_ok=True)
    _check_ports()
    procs.ensure_mariadb()
    procs.ensure_rabbitmq()
    _claim_state_dir()
    procs.ensure_vhost(S.VHOST)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        ours = pool.submit(_install_magnum_venv)
        install.install_all()
        ours.result()
    configs.render_all()
    try:
        _start_services()
    except BaseException:
        # Leave no half-started sandbox holding ports for the next try.
        procs.stop(SERVICES)
        raise
    procs.log('up in %.1fs' % (time.time() - started))
    print(USAGE.format(sandbox=os.path.relpath(sys.argv[0]),
                       venv=os.path.relpath(S.MAGNUM_VENV),
                       conf=configs.magnum_conf_path(), log=S.LOG))
    return 0


def _start_services():
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        keystone = pool.submit(_keystone_up)
        heat = pool.submit(_heat_start)
        projects = keystone.result()
        heat.result()
    _simcloud_start(projects['demo'])
    _wait_heat(projects)
    start_magnum_services()


USAGE = '''
Magnum API on {{url}} (Keystone auth), conductor on RabbitMQ; config
{conf}, logs in {log}/.
Use it as the demo user (project demo):

    export PATH=$PWD/{venv}/bin:$PATH
    eval "$({sandbox} env)"
    openstack coe cluster template list

Admin: `{sandbox} env --admin`; second project: `{sandbox} env --user
alt_demo`. Stop: `{sandbox} down`; wipe: `{sandbox} clean`.
'''.replace('{{url}}', S.MAGNUM_URL)


def cmd_down(args):
    busy = _stacks_in_progress() if procs.pid_of('heat-engine') else []
    if busy:
        procs.log('warning: interrupting stacks in progress: %s'
                  % ', '.join(busy))
    left = {}
    # Keystone last: stopping engines still talk to it.
    for group in (MAGNUM_SERVICES, ('heat-api', 'heat-engine', 'simcloud'),
                  ('keystone',)):
        left.update(procs.stop(group))
    if left:
        procs.log('killed after timeout: %s' % ', '.join(left))
    procs.log('stopped')
    return 0


def cmd_status(args):
    rows = _status_rows()
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        for row in rows:
            print('%-17s %-8s pid=%-8s rss=%6.0f MB  %s' % (
                row['service'], 'running' if row['pid'] else 'stopped',
                row['pid'] or '-', row['rss_mb'], row['url'] or ''))
    return 0 if all(r['pid'] for r in rows
                    if r['service'] in SERVICES) else 3


def cmd_env(args):
    user = 'admin' if args.admin else args.user
    print(configs.openrc(user), end='')
    return 0


DATABASES = ('keystone', 'heat', 'magnum')
CLAIMED = 'databases-claimed'


def _drop_databases():
    for db in DATABASES:
        procs.mysql('DROP DATABASE IF EXISTS %s%s' % (S.DB_PREFIX, db))


def _claim_state_dir():
    """A new state dir starts from empty databases and no processes: ones
    left by an earlier state dir (a removed clone at this path or
    elsewhere, a machine reused by CI) hold Keystone objects, stacks and
    clusters this one has no keys or records for."""
    stamp = S.RUN / CLAIMED
    if stamp.exists():
        return
    procs.stop_strays(S.STATE)
    procs.log('new state dir: dropping any %s* databases left by another'
              % S.DB_PREFIX)
    _drop_databases()
    stamp.write_text('ok\n')


def cmd_clean(args):
    cmd_down(args)
    if procs.port_open(S.MYSQL_PORT, S.MYSQL_HOST):
        _drop_databases()
    procs.delete_vhost(S.VHOST)
    shutil.rmtree(S.STATE, ignore_errors=True)
    procs.log('removed %s, the %s* databases and RabbitMQ vhost %s'
              % (S.STATE, S.DB_PREFIX, S.VHOST))
    return 0


def _check_ports():
    """Refuse to start if a port we need is held by someone else."""
    ports = {'keystone': S.KEYSTONE_PORT, 'heat-api': S.HEAT_PORT,
             'simcloud': S.SIMCLOUD_PORT, 'magnum-api': S.MAGNUM_PORT}
    for name, port in ports.items():
        if not procs.pid_of(name) and procs.port_open(port):
            raise SystemExit('port %d (%s) is in use by another process; '
                             'set SANDBOX_%s_PORT' % (
                                 port, name, name.split('-')[0].upper()))


# ---- keystone ---------------------------------------------------------------

def _keystone_up():
    _keystone_db()
    venv = S.venv('keystone')
    procs.start('keystone', [
        venv / 'bin' / 'gunicorn', '--chdir', S.ETC / 'keystone',
        '--bind', '%s:%d' % (S.HOST, S.KEYSTONE_PORT),
        # sync workers: threads leaked request contexts (pitfall 4)
        '--workers', '2', '--threads', '1', '--timeout', '120',
        '--graceful-timeout', '5',
        '--no-control-socket',
        '--error-logfile', S.LOG / 'keystone-gunicorn.log',
        '--name', 'sandbox-keystone', 'keystone_wsgi:application'],
        env={'OS_KEYSTONE_CONFIG_FILES': str(configs.keystone_conf_path())})
    procs.wait_for(lambda: procs.http_ok(S.AUTH_URL), 'keystone', 90)
    projects = keystone_setup.ensure(S.RUN / 'keystone-objects.json')
    procs.log('keystone ready at %s' % S.AUTH_URL)
    return projects


def _keystone_db():
    db = S.DB_PREFIX + 'keystone'
    manage = [S.venv('keystone') / 'bin' / 'keystone-manage',
              '--config-file', configs.keystone_conf_path()]
    stamp = S.RUN / 'keystone-bootstrapped'
    if stamp.exists() and procs.db_has_table(db, 'project'):
        return
    procs.log('keystone: db_sync + bootstrap')
    (S.RUN / 'keystone-objects.json').unlink(missing_ok=True)
    procs.mysql('CREATE DATABASE IF NOT EXISTS %s' % db)
    for sub in (['db_sync'],
                ['fernet_setup', '--keystone-user', 'root',
                 '--keystone-group', 'root'],
                ['credential_setup', '--keystone-user', 'root',
                 '--keystone-group', 'root'],
                ['bootstrap', '--bootstrap-password', S.PASSWORDS['admin'],
                 '--bootstrap-admin-url', S.AUTH_URL,
                 '--bootstrap-internal-url', S.AUTH_URL,
                 '--bootstrap-public-url', S.AUTH_URL,
                 '--bootstrap-region-id', S.REGION]):
        procs.run(manage + sub, log_name='keystone-manage.log')
    stamp.write_text('ok\n')


# ---- heat -------------------------------------------------------------------

def _heat_start():
    db = S.DB_PREFIX + 'heat'
    venv = S.venv('heat')
    conf = configs.heat_conf_path()
    if not procs.db_has_table(db, 'stack'):
        procs.log('heat: db_sync')
        procs.mysql('CREATE DATABASE IF NOT EXISTS %s' % db)
        procs.run([venv / 'bin' / 'heat-manage', '--config-file', conf,
                   'db_sync'], log_name='heat-manage.log')
    if not procs.pid_of('heat-engine'):
        _reset_interrupted_stacks(venv, conf)
    plugin_env = {'SANDBOX_SIMCLOUD_DB': str(S.SIMCLOUD_DB),
                  'SANDBOX_SLEEP_SCALE': S.SLEEP_SCALE,
                  'SANDBOX_AUTOSIGNAL': S.AUTOSIGNAL,
                  'SANDBOX_SERVER_DELAY': S.SERVER_DELAY}
    procs.start('heat-engine', [
        venv / 'bin' / 'heat-engine', '--config-file', conf,
        '--log-file', S.LOG / 'heat-engine.log'], env=plugin_env)
    procs.start('heat-api', [
        venv / 'bin' / 'gunicorn', '--chdir', S.ETC / 'heat',
        '--bind', '%s:%d' % (S.HOST, S.HEAT_PORT),
        '--workers', '1', '--threads', '4', '--timeout', '120',
        '--graceful-timeout', '5',
        '--no-control-socket', '--error-logfile', S.LOG / 'heat-gunicorn.log',
        '--name', 'sandbox-heat-api', 'heat_api_wsgi:application'],
        env=plugin_env)


def _reset_interrupted_stacks(venv, conf):
    """Stacks a previous heat-engine left IN_PROGRESS become FAILED, so
    their owners can delete or update them."""
    ids = _stacks_in_progress(column='id')
    if ids:
        procs.log('heat: marking %d interrupted stack(s) FAILED' % len(ids))
        procs.run([venv / 'bin' / 'python', S.HERE / 'sbx' / 'heat_reset.py',
                   conf] + ids, log_name='heat-manage.log')


def _wait_heat(projects):
    """heat-api answers and heat-engine consumes RPC (a validate call)."""
    procs.wait_for(lambda: procs.http_ok('http://%s:%d/' % (
        S.HOST, S.HEAT_PORT)), 'heat-api', 90)
    ks = keystone_setup.Keystone()
    ks.login()
    template = {'heat_template_version': '2018-08-31', 'resources': {}}
    url = 'http://%s:%d/v1/%s/validate' % (S.HOST, S.HEAT_PORT,
                                           _admin_project(ks))
    req = urllib.request.Request(url, method='POST', data=json.dumps(
        {'template': template}).encode(), headers={
            'X-Auth-Token': ks.token, 'Content-Type': 'application/json'})
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(req, timeout=90).read()
            break
        except OSError as exc:
            if time.time() > deadline:
                raise RuntimeError('heat-engine not answering: %s' % exc)
            time.sleep(1)
    procs.log('heat ready at http://%s:%d' % (S.HOST, S.HEAT_PORT))


def _stacks_in_progress(column="CONCAT(name, ':', action)"):
    """Top-level stacks Heat is working on (any project)."""
    try:
        out = procs.mysql(
            "SELECT %s FROM %sheat.stack WHERE deleted_at IS NULL AND "
            "owner_id IS NULL AND status = 'IN_PROGRESS'"
            % (column, S.DB_PREFIX))
    except Exception:     # no database yet
        return []
    return out.split()


def _admin_project(ks):
    return ks.find('projects', name='admin')['id']


# ---- simulated cloud endpoint -----------------------------------------------

def _simcloud_start(demo_project):
    procs.start('simcloud', [
        sys.executable, S.HERE / 'simcloud_api.py', '--host', S.HOST,
        '--port', S.SIMCLOUD_PORT, '--db', S.SIMCLOUD_DB,
        '--seed-project', demo_project])
    procs.wait_for(lambda: procs.http_ok(S.SIMCLOUD_URL + '/'),
                   'simulated cloud endpoint', 30)


# ---- HOOK: magnum -----------------------------------------------------------

def _install_magnum_venv():
    """The project's own .venv (magnum-api, magnum-conductor, the CLI)."""
    started = time.time()
    procs.run([S.REPO / 'tools' / 'install-venv'],
              log_name='install-magnum.log')
    took = time.time() - started
    if took > 5:
        procs.log('.venv ready in %.1fs' % took)


def _magnum_db():
    """Create sandbox_magnum and migrate it to head (idempotent)."""
    procs.mysql('CREATE DATABASE IF NOT EXISTS %smagnum' % S.DB_PREFIX)
    procs.run([S.MAGNUM_VENV / 'bin' / 'magnum-db-manage', '--config-file',
               configs.magnum_conf_path(), 'upgrade'],
              log_name='magnum-db-manage.log')


def start_magnum_services():
    """magnum-api (SANDBOX_MAGNUM_PORT, 127.0.0.1) and magnum-conductor
    from the project's .venv with STATE/etc/magnum/magnum.conf; managed
    like the other services (pid file, log, stopped by `down`).

    SANDBOX_MAGNUM_API_CMD / SANDBOX_MAGNUM_CONDUCTOR_CMD (shell command
    lines) replace the default commands.
    """
    (S.STATE / 'magnum').mkdir(exist_ok=True)
    if not all(procs.pid_of(name) for name in MAGNUM_SERVICES):
        _magnum_db()        # 5-20 s: only when something is to start
    conf = str(configs.magnum_conf_path())
    defaults = {
        'magnum-api': [S.MAGNUM_VENV / 'bin' / 'magnum-api',
                       '--config-file', conf],
        'magnum-conductor': [S.MAGNUM_VENV / 'bin' / 'magnum-conductor',
                             '--config-file', conf],
    }
    conductor_log = S.LOG / 'magnum-conductor.log'
    offset = conductor_log.stat().st_size if conductor_log.exists() else 0
    started = []
    for name, var in (('magnum-api', 'SANDBOX_MAGNUM_API_CMD'),
                      ('magnum-conductor', 'SANDBOX_MAGNUM_CONDUCTOR_CMD')):
        command = os.environ.get(var)
        cmd = ['/bin/sh', '-c', command] if command else defaults[name]
        if procs.start(name, cmd, env={'PYTHONUNBUFFERED': '1'}):
            started.append(name)
    procs.wait_for(lambda: _alive('magnum-api') and procs.http_ok(
        S.MAGNUM_URL), 'magnum-api', 90)
    if 'magnum-conductor' in started and not os.environ.get(
            'SANDBOX_MAGNUM_CONDUCTOR_CMD'):
        procs.wait_for(lambda: _alive('magnum-conductor') and _log_has(
            conductor_log, offset, b' listening on topic '),
            'magnum-conductor', 90)
    procs.log('magnum ready at %s (%s)' % (
        S.MAGNUM_URL, 'started ' + ', '.join(started) if started
        else 'already running'))


def _alive(name):
    if not procs.pid_of(name):
        raise RuntimeError('%s exited; see %s' % (
            name, S.LOG / (name + '.out')))
    return True


def _log_has(path, offset, needle):
    try:
        with open(path, 'rb') as f:
            f.seek(offset)
            return needle in f.read()
    except OSError:
        return False


# ---- status -----------------------------------------------------------------

def _status_rows():
    urls = {'keystone': S.AUTH_URL,
            'heat-api': 'http://%s:%d' % (S.HOST, S.HEAT_PORT),
            'simcloud': S.SIMCLOUD_URL,
            'magnum-api': S.MAGNUM_URL}
    rows = []
    for name in SERVICES:
        pid = procs.pid_of(name)
        rows.append({'service': name, 'pid': pid, 'url': urls.get(name),
                     'rss_mb': procs.group_rss_mb(pid) if pid else 0.0})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='sandbox', description=__doc__.strip() + ' State: %s' % S.STATE)
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('up', help='install (if needed) and start everything')
    sub.add_parser('down', help='stop the sandbox processes')
    status = sub.add_parser('status', help='processes, pids, RSS')
    status.add_argument('--json', action='store_true')
    env = sub.add_parser('env', help='print export OS_... lines')
    env.add_argument('--admin', action='store_true')
    env.add_argument('--user', default='demo', choices=('demo', 'alt_demo'))
    sub.add_parser('clean', help='down, drop its databases, rm state dir')
    args = parser.parse_args(argv)
    handler = {'up': cmd_up, 'down': cmd_down, 'status': cmd_status,
               'env': cmd_env, 'clean': cmd_clean}[args.command]
    if args.command in ('up', 'down', 'clean'):
        with _exclusive():
            return handler(args)
    return handler(args)


@contextlib.contextmanager
def _exclusive():
    """Serialise up/down/clean of one state dir (shared working tree)."""
    key = hashlib.sha1(str(S.STATE).encode()).hexdigest()[:12]
    with open('/tmp/sandbox-%s.lock' % key, 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
