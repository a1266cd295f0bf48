#!/usr/bin/env python3
"""Heat API calls our conductor makes while K clusters stay in progress,
in each status-sync mode. A benchmark, not a test.

    tools/sandbox/sandbox down
    SANDBOX_SERVER_DELAY=3600 tools/sandbox/sandbox up
    .venv/bin/python tools/bench/heat_calls.py [-k 5 20 50 100] [--window 60]
    tools/sandbox/sandbox down && tools/sandbox/sandbox up   # normal again

With SANDBOX_SERVER_DELAY every simulated server takes that long to build,
so the stacks stay CREATE_IN_PROGRESS for the whole run (the script stops
if a cluster leaves CREATE_IN_PROGRESS). Clusters are
added (created at once through our API, as the demo user) until there are
K of them, for each K in turn; when every create has reached Heat, each
mode is measured in turn. For a mode, the sandbox's magnum-conductor is
restarted with one extra configuration file:

* notifications -- the defaults: Heat's notifications reconcile finished
  clusters and the periodic pass is the backstop ([conductor]
  backstop_poll_limit clusters per pass once Heat has been heard);
* poll -- [conductor] listen_heat_notifications = false: the periodic pass
  reads every cluster on every tick;
* global-list -- [DEFAULT] periodic_global_stack_list = true (upstream's
  name): one list of the stacks in progress per tick.

Then one throwaway stack is created and deleted directly in Heat (as the
demo user), so Heat is heard on the bus once, as it constantly is in a
real cloud; 15 s later the heat-api requests of the ``magnum`` service
user (the conductor) are counted for --window seconds in heat-api's log:
per minute, and per reconcile pass (the conductor logs its passes at
DEBUG for this: a pass starts [conductor] sync_interval after the last
one ended, so a slow pass makes ticks rarer). At the end the
conductor is restarted with the sandbox's own configuration and the
clusters are deleted.

With ``--magnum-url`` (another Magnum API, e.g. upstream 22.0.0 run by
tools/bench/upstream22.py; its Heat calls counted for the sandbox users
``--heat-user`` names, see status_lag.py) there is one mode, ``as-is``:
that service's conductor is not restarted nor reconfigured.
"""
import argparse
import json
import re
import sys
import time
import uuid

import status_lag
from status_lag import S

MODES = {
    'notifications': '',
    'poll': '[conductor]\nlisten_heat_notifications = false\n',
    'global-list': '[DEFAULT]\nperiodic_global_stack_list = true\n',
}
# Every mode: the reconcile passes in the log (one DEBUG line each).
PASS_LOG = '[DEFAULT]\ndefault_log_levels = magnum.conductor.reconcile=DEBUG\n'
PASS_LINE = re.compile(r'Reconcile pass: (\d+) clusters in progress here, '
                       r'(\d+) looked at')
THROWAWAY = {'heat_template_version': '2018-08-31',
             'resources': {'nothing': {'type': 'OS::Heat::None'}}}


def restart_conductor(mode):
    """The sandbox's magnum-conductor again, with ``mode``'s extra file
    (None: its own configuration alone)."""
    from sbx import configs
    from sbx import procs
    extra = S.ETC / 'magnum' / 'bench-mode.conf'
    extra.write_text(PASS_LOG + MODES.get(mode, ''))
    log = S.LOG / 'magnum-conductor.log'
    procs.stop(['magnum-conductor'])
    offset = log.stat().st_size if log.exists() else 0
    procs.start('magnum-conductor', [
        S.MAGNUM_VENV / 'bin' / 'magnum-conductor',
        '--config-file', configs.magnum_conf_path(), '--config-file', extra],
        env={'PYTHONUNBUFFERED': '1'})

    def listening():
        with open(log, 'rb') as f:
            f.seek(offset)
            return b' listening on topic ' in f.read()
    procs.wait_for(listening, 'magnum-conductor (%s)' % (mode or 'sandbox'),
                   120)


def make_heat_speak(demo):
    """One stack created and deleted in Heat: a notification on the bus."""
    status, body = demo.call('orchestration', '/stacks', 'POST', {
        'stack_name': 'speak-%s' % uuid.uuid4().hex[:8],
        'template': THROWAWAY})
    assert status == 201, (status, body)
    stack = body['stack']
    deadline = time.time() + 120
    while time.time() < deadline:
        status, body = demo.call('orchestration', '/stacks/%s' % stack['id'])
        if body['stack']['stack_status'] != 'CREATE_IN_PROGRESS':
            break
        time.sleep(0.5)
    demo.call('orchestration', '/stacks/%s' % stack['id'], 'DELETE')


def add_clusters(demo, template_uuid, uuids, k):
    """Create clusters until there are ``k``; wait until each create has
    reached Heat (a stack id) and the conductor let go of it."""
    names = ['calls-%s-%03d' % (uuid.uuid4().hex[:4], i)
             for i in range(k - len(uuids))]
    uuids += status_lag.create_clusters(demo, template_uuid, names)
    deadline = time.time() + 60 + 15 * k
    while time.time() < deadline:
        clusters = in_progress(demo, uuids)
        if all(c.get('cluster_id') or c.get('stack_id') for c in clusters):
            return
        time.sleep(2)
    raise SystemExit('creates did not all reach Heat in time')


def in_progress(demo, uuids):
    status, body = demo.call('container-infra', '/clusters?limit=1000')
    clusters = [c for c in body['clusters'] if c['uuid'] in uuids]
    done = [c['name'] for c in clusters
            if c['status'] != 'CREATE_IN_PROGRESS']
    if done or len(clusters) != len(uuids):
        raise SystemExit('clusters left CREATE_IN_PROGRESS (%s): raise '
                         'SANDBOX_SERVER_DELAY' % done)
    return clusters


def passes(since, until):
    """The reconcile passes the conductor logged between two times."""
    with open(status_lag.CONDUCTOR_LOG, errors='replace') as f:
        return [line for line in f if PASS_LINE.search(line)
                and since <= status_lag._log_time(line) <= until]


def measure(mode, k, window, demo, uuids, heat_users):
    if mode != 'as-is':
        restart_conductor(mode)
    make_heat_speak(demo)
    time.sleep(15)       # the first pass after the restart is done
    started = time.time()
    time.sleep(window)
    finished = time.time()
    in_progress(demo, uuids)
    time.sleep(2)        # let heat-api and the conductor flush their logs
    calls, per_minute, kinds = status_lag.heat_calls(heat_users, started,
                                                     finished)
    ticks = (len(passes(started, finished)) or None if mode != 'as-is'
             else None)
    return {'mode': mode, 'k': k, 'window_s': window, 'calls': calls,
            'per_minute': per_minute, 'passes': ticks,
            'per_tick': calls / ticks if ticks else None, 'kinds': kinds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-k', type=int, nargs='+', default=[5, 20, 50, 100])
    parser.add_argument('--window', type=float, default=60)
    parser.add_argument('--modes', nargs='+', default=list(MODES),
                        choices=list(MODES))
    parser.add_argument('--json', action='store_true')
    parser.add_argument('--magnum-url', help='another Magnum API, measured '
                        'as it runs (mode as-is)')
    parser.add_argument('--heat-user', nargs='+', default=['magnum'],
                        choices=sorted(S.PASSWORDS),
                        help='count the Heat calls of these sandbox users')
    parser.add_argument('--http-timeout', type=float, default=60,
                        help='seconds a Magnum API request may take')
    args = parser.parse_args()
    status_lag.HTTP_TIMEOUT = args.http_timeout
    if args.magnum_url:
        args.modes = ['as-is']
    demo = status_lag.Session('demo', 'demo', args.magnum_url)
    heat_users = status_lag.user_ids(args.heat_user)
    template_uuid = status_lag.create_template(demo)
    uuids, results = [], []
    try:
        for k in sorted(args.k):
            add_clusters(demo, template_uuid, uuids, k)
            for mode in args.modes:
                result = measure(mode, k, args.window, demo, uuids,
                                 heat_users)
                results.append(result)
                print('K=%-4d %-14s %5d calls in %.0f s: %6.1f/min; %s '
                      'passes, %s per pass  %s' % (
                          k, mode, result['calls'], args.window,
                          result['per_minute'], result['passes'],
                          '%.1f' % result['per_tick']
                          if result['per_tick'] is not None else '-',
                          json.dumps(result['kinds'])), flush=True)
    finally:
        if not args.magnum_url:
            restart_conductor(None)
        status_lag.delete_clusters(demo, uuids)
        status_lag.delete_template(demo, template_uuid)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
