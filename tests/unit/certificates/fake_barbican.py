"""A small real Barbican stand-in on 127.0.0.1: the secrets and containers
calls the barbican backend makes, with token checking and 404s."""
import http.server
import json
import threading
import uuid

TOKEN = 'test-token'


class FakeBarbican:

    def __init__(self):
        self.secrets = {}      # id -> {'name', 'payload'}
        self.containers = {}   # id -> body
        self.fail_containers = False
        self.requests = []
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      _handler(self))
        self.url = 'http://127.0.0.1:%d' % self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def _handler(state):

    class Handler(http.server.BaseHTTPRequestHandler):

        def log_message(self, *args):
            pass

        def _reply(self, status, body=None, content_type='application/json'):
            data = b''
            if body is not None:
                data = (json.dumps(body).encode()
                        if content_type == 'application/json' else body)
            self.send_response(status)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self):
            state.requests.append((self.command, self.path))
            if self.headers.get('X-Auth-Token') != TOKEN:
                self._reply(401, {'error': 'unauthorized'})
                return None
            parts = self.path.strip('/').split('/')
            if len(parts) < 2 or parts[0] != 'v1' or parts[1] not in (
                    'secrets', 'containers'):
                self._reply(404, {'error': 'no route'})
                return None
            return parts[1:]

        def _body(self):
            length = int(self.headers.get('Content-Length', 0))
            return json.loads(self.rfile.read(length))

        def do_POST(self):
            parts = self._route()
            if parts is None:
                return
            body, new_id = self._body(), str(uuid.uuid4())
            if parts == ['secrets']:
                state.secrets[new_id] = body
                self._reply(201, {'secret_ref': '%s/v1/secrets/%s'
                                  % (state.url, new_id)})
            elif parts == ['containers'] and state.fail_containers:
                self._reply(500, {'error': 'injected failure'})
            elif parts == ['containers']:
                for ref in body['secret_refs']:
                    if ref['secret_ref'].rsplit('/', 1)[-1] \
                            not in state.secrets:
                        self._reply(400, {'error': 'unknown secret'})
                        return
                state.containers[new_id] = body
                self._reply(201, {'container_ref': '%s/v1/containers/%s'
                                  % (state.url, new_id)})
            else:
                self._reply(405)

        def do_GET(self):
            parts = self._route()
            if parts is None:
                return
            if len(parts) == 3 and parts[0] == 'secrets' \
                    and parts[2] == 'payload':
                secret = state.secrets.get(parts[1])
                if secret is None:
                    self._reply(404, {'error': 'not found'})
                else:
                    self._reply(200, secret['payload'].encode(),
                                content_type='text/plain')
            elif len(parts) == 2 and parts[0] == 'containers':
                container = state.containers.get(parts[1])
                if container is None:
                    self._reply(404, {'error': 'not found'})
                else:
                    self._reply(200, dict(container, status='ACTIVE'))
            else:
                self._reply(404, {'error': 'no route'})

        def do_DELETE(self):
            parts = self._route()
            if parts is None:
                return
            store = (state.secrets if parts[0] == 'secrets'
                     else state.containers)
            if len(parts) == 2 and store.pop(parts[1], None) is not None:
                self._reply(204)
            else:
                self._reply(404, {'error': 'not found'})

    return Handler
