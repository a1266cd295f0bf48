"""Closed-loop HTTP load generator (a separate process from the servers).

Each of C threads keeps one connection open and sends requests back to
back until the request budget or the time budget is spent (requests in
flight then finish, or time out after TIMEOUT seconds). Per step: req/s
of successful requests (status below 400), latencies of every request,
4xx, server errors (5xx) and, apart, client time-outs and broken
connections ("lost").

    python load.py SPEC_JSON    → prints a JSON result

SPEC: {"url": base, "headers": {...}, "concurrency": C, "requests": R,
       "seconds": S, "steps": [{"name", "method", "path", "body"?}]}
A step path may contain {uuid} (the previous POST's uuid), so a thread
can run create → patch → delete cycles.
"""
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse

TIMEOUT = 120
LOST = 599     # recorded for a time-out or a broken connection


def _worker(spec, budget, deadline, out):
    target = urllib.parse.urlsplit(spec['url'])
    conn = http.client.HTTPConnection(target.hostname, target.port,
                                      timeout=TIMEOUT)
    headers = dict(spec['headers'], **{'Content-Type': 'application/json'})
    created = None
    while time.monotonic() < deadline:
        for step in spec['steps']:
            with budget['lock']:
                if budget['left'] <= 0:
                    return
                budget['left'] -= 1
            path = step['path'].replace('{uuid}', created or '')
            body = json.dumps(step['body']) if 'body' in step else None
            start = time.perf_counter()
            try:
                conn.request(step['method'], target.path + path, body=body,
                             headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(target.hostname,
                                                  target.port,
                                                  timeout=TIMEOUT)
                status, data = LOST, b''
            elapsed = time.perf_counter() - start
            out.append((step['method'] + ' ' + step['name'], status, elapsed))
            if step['method'] == 'POST' and status < 300:
                created = json.loads(data)['uuid']


def run(spec):
    threads, out = [], []
    budget = {'left': spec['requests'], 'lock': threading.Lock()}
    start = time.monotonic()
    deadline = start + spec['seconds']
    for _ in range(spec['concurrency']):
        t = threading.Thread(target=_worker,
                             args=(spec, budget, deadline, out))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    result = {}
    for name in sorted({name for name, _, _ in out}):
        lat = sorted(e for n, _, e in out if n == name)
        codes = [s for n, s, _ in out if n == name]
        result[name] = {
            'requests': len(lat),
            'rps': sum(1 for s in codes if s < 400) / wall,
            'p50_ms': 1000 * statistics.median(lat),
            'p99_ms': 1000 * lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            'errors_5xx': sum(1 for s in codes if 500 <= s < LOST),
            'lost': codes.count(LOST),
            'errors_4xx': sum(1 for s in codes if 400 <= s < 500),
        }
    return result


if __name__ == '__main__':
    print(json.dumps(run(json.loads(sys.argv[1]))))
