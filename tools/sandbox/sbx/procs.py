"""Starting, finding and stopping the sandbox's own processes."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from . import settings as S


def log(msg):
    print('[sandbox %s] %s' % (time.strftime('%H:%M:%S'), msg), flush=True)


def port_open(port, host=S.HOST):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(check, what, timeout=120, interval=0.3):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(interval)
    raise RuntimeError('timed out after %ss waiting for %s' % (timeout, what))


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


def run(cmd, env=None, log_name=None, check=True):
    """Run a command to completion, output to a log file under LOG."""
    out = open(S.LOG / (log_name or 'commands.log'), 'ab')
    with out:
        out.write(('\n$ %s\n' % ' '.join(map(str, cmd))).encode())
        out.flush()
        proc = subprocess.run([str(c) for c in cmd], stdout=out,
                              stderr=subprocess.STDOUT, env=_env(env))
    if check and proc.returncode:
        raise RuntimeError('%s failed (rc %d), see %s' % (
            cmd[0], proc.returncode, S.LOG / (log_name or 'commands.log')))
    return proc.returncode


def _env(extra):
    env = dict(os.environ)
    env.update(extra or {})
    return env


# ---- managed services -------------------------------------------------------

def pidfile(name):
    return S.RUN / (name + '.pid')


def _start_time(pid):
    """Kernel start time of a process: with the pid, a unique identity."""
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[19]


def pid_of(name):
    """The pid of our own running service `name`, else None."""
    try:
        pid, started = pidfile(name).read_text().split()
        pid = int(pid)
        # Only trust the pid file if it is still the same process.
        if _start_time(pid) == started and _group_has_live_member(pid):
            return pid
    except (OSError, ValueError):
        pass
    return None


def start(name, cmd, env=None):
    """Start `cmd` in its own session (process group), logging to LOG."""
    if pid_of(name):
        return False
    out = open(S.LOG / (name + '.out'), 'ab')
    env = dict(env or {}, SANDBOX_SERVICE=name)
    proc = subprocess.Popen([str(c) for c in cmd], stdout=out,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=_env(env), cwd=str(S.STATE),
                            start_new_session=True)
    out.close()
    pidfile(name).write_text('%d %s\n' % (proc.pid, _start_time(proc.pid)))
    return True


def stop(names, timeout=20):
    """TERM each service's process group, then KILL what is left."""
    groups = {}
    for name in names:
        pid = pid_of(name)
        if pid:
            groups[name] = pid
            _signal_group(pid, signal.SIGTERM)
    deadline = time.time() + timeout
    while groups and time.time() < deadline:
        groups = {n: p for n, p in groups.items() if _group_alive(p)}
        time.sleep(0.2)
    for pid in groups.values():
        _signal_group(pid, signal.SIGKILL)
    for name in names:
        pidfile(name).unlink(missing_ok=True)
    return groups


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)         # pid == pgid: started with setsid
    except ProcessLookupError:
        pass


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies of our own children do not count.
    try:
        os.waitpid(-pgid, os.WNOHANG)
    except ChildProcessError:
        pass
    return _group_has_live_member(pgid)


def _proc_stats():
    """The /proc/<pid>/stat fields after the command name, per process."""
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                yield f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue


def _group_has_live_member(pgid):
    return any(int(fields[2]) == pgid and fields[0] != 'Z'
               for fields in _proc_stats())


def group_rss_mb(pgid):
    """Total RSS (MB) of the processes in a process group."""
    pages = sum(int(fields[21]) for fields in _proc_stats()
                if int(fields[2]) == pgid)
    return pages * os.sysconf('SC_PAGE_SIZE') / 1024 / 1024


# ---- shared infrastructure (never stopped by us) ----------------------------

def ensure_mariadb():
    if port_open(S.MYSQL_PORT, S.MYSQL_HOST):
        return
    log('MariaDB is not running; starting it')
    subprocess.run(['start-stop-daemon', '--start', '--oknodo',
                    '--background', '--exec', '/usr/sbin/mariadbd'],
                   check=True)
    wait_for(lambda: port_open(S.MYSQL_PORT, S.MYSQL_HOST), 'MariaDB', 60)


def ensure_rabbitmq():
    if port_open(S.RABBIT_PORT, S.RABBIT_HOST):
        return
    log('RabbitMQ is not running; starting it')
    subprocess.run(['rabbitmq-server', '-detached'], check=True)
    wait_for(lambda: port_open(S.RABBIT_PORT, S.RABBIT_HOST), 'RabbitMQ',
             120)


def ensure_vhost(vhost):
    """Create the sandbox's RabbitMQ vhost (idempotent) for guest."""
    if vhost == '/':
        return
    subprocess.run(['rabbitmqctl', '-q', 'add_vhost', vhost], check=True,
                   capture_output=True)
    subprocess.run(['rabbitmqctl', '-q', 'set_permissions', '-p', vhost,
                    'guest', '.*', '.*', '.*'], check=True,
                   capture_output=True)


def delete_vhost(vhost):
    if vhost != '/':
        subprocess.run(['rabbitmqctl', '-q', 'delete_vhost', vhost],
                       capture_output=True)


def stop_strays(path):
    """Stop processes running in ``path`` or naming it on their command
    line (their pid files went with an earlier state dir at this path;
    workers renamed by setproctitle still run in it): TERM, then KILL."""
    strays = [pid for pid in _pids() if _uses(pid, str(path))]
    if strays:
        log('stopping %d processes left by an earlier sandbox in %s'
            % (len(strays), path))
    _signal_all(strays, signal.SIGTERM)
    deadline = time.time() + 10
    while time.time() < deadline and any(
            os.path.exists('/proc/%d' % pid) for pid in strays):
        time.sleep(0.2)
    _signal_all(strays, signal.SIGKILL)
    return strays


def _pids():
    return [int(e) for e in os.listdir('/proc')
            if e.isdigit() and int(e) != os.getpid()]


def _uses(pid, path):
    try:
        cwd = os.readlink('/proc/%d/cwd' % pid)
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            cmdline = f.read().decode(errors='replace')
    except OSError:
        return False
    cwd = cwd.removesuffix(' (deleted)')
    return cwd == path or cwd.startswith(path + os.sep) or \
        path + os.sep in cmdline


def _signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def mysql(sql):
    cmd = ['mysql', '-h', S.MYSQL_HOST, '-P', str(S.MYSQL_PORT),
           '-u', S.MYSQL_USER, '-N', '-B', '-e', sql]
    if S.MYSQL_PASSWORD:
        cmd.insert(1, '-p' + S.MYSQL_PASSWORD)
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout.strip()


def db_has_table(db, table):
    return bool(mysql("SELECT 1 FROM information_schema.tables WHERE "
                      "table_schema='%s' AND table_name='%s'" % (db, table)))
