"""The harness floor for compare.py: a WSGI app that answers every request
with the bytes in $BENCH_FLOOR_BODY (a response our API gave), doing no
other work. Served the same way as both APIs, it measures what gunicorn,
loopback HTTP and the load generator cost by themselves on this machine:
no API can be faster than this."""
import os

with open(os.environ['BENCH_FLOOR_BODY'], 'rb') as f:
    BODY = f.read()
HEADERS = [('Content-Type', 'application/json'),
           ('Content-Length', str(len(BODY)))]


def application(environ, start_response):
    start_response('200 OK', HEADERS)
    return [BODY]
