"""The node bootstrap's functions, run for real in bash.

The script is sourced (which defines its functions without running main);
the certificate flow runs curl and openssl against a local stand-in for
Keystone and the Magnum API bound to 127.0.0.1.
"""
import datetime
import http.server
import json
import os
import shutil
import stat
import subprocess
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
import pytest
import yaml

SCRIPT = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'drivers', 'k8s_common',
    'templates', 'fragments', 'bootstrap.sh'))

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ('bash', 'curl', 'openssl')),
    reason='needs bash, curl and openssl')


def bash(snippet, env=None, check=True):
    result = subprocess.run(
        ['bash', '-c', 'set -euo pipefail; source "$1"; ' + snippet,
         'bootstrap-test', SCRIPT],
        env=dict(os.environ, **(env or {})), capture_output=True, text=True,
        timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_load_env_reads_values_without_evaluating_them(tmp_path):
    marker = tmp_path / 'evaluated'
    env_file = tmp_path / 'cluster.env'
    env_file.write_text('KUBE_TAG=v1.27.8\n'
                        'KUBELET_OPTIONS=--v=2 $(touch %s)\n'
                        'lower=ignored\n'
                        'NO_PROXY=a=b,c\n' % marker)
    out = bash('load_env %s; echo "$KUBE_TAG|$KUBELET_OPTIONS|$NO_PROXY|'
               '${lower:-unset}"' % env_file).stdout.strip()
    assert out == 'v1.27.8|--v=2 $(touch %s)|a=b,c|unset' % marker
    assert not marker.exists()


@pytest.mark.parametrize('cidr, n, ip', [
    ('10.254.0.0/16', 1, '10.254.0.1'), ('10.254.0.0/16', 10, '10.254.0.10'),
    ('172.30.8.0/24', 10, '172.30.8.10')])
def test_service_ip(cidr, n, ip):
    out = bash('service_ip %d' % n, {'SERVICE_CLUSTER_IP_RANGE': cidr})
    assert out.stdout.strip() == ip


def test_static_pods_are_valid_yaml(tmp_path):
    bash('MANIFESTS=%s; static_pod -p -w /var/lib/etcd demo img:1 run '
         '--flag="quoted value" --x=1' % tmp_path)
    pod = yaml.safe_load((tmp_path / 'demo.yaml').read_text())
    container = pod['spec']['containers'][0]
    assert container['command'] == ['run', '--flag=quoted value', '--x=1']
    assert container['securityContext'] == {'privileged': True}
    mounts = {m['mountPath']: m.get('readOnly', False)
              for m in container['volumeMounts']}
    assert mounts == {'/etc/kubernetes': True, '/var/lib/etcd': False}


@pytest.mark.parametrize('backend', ['udp', 'vxlan', 'host-gw'])
def test_flannel_and_dns_manifests_are_valid_yaml(tmp_path, backend):
    env = {'NETWORK_DRIVER': 'flannel',
           'FLANNEL_NETWORK_CIDR': '10.100.0.0/16',
           'FLANNEL_NETWORK_SUBNETLEN': '24', 'FLANNEL_BACKEND': backend,
           'FLANNEL_TAG': 'v0.12.0-amd64', 'FLANNEL_CNI_TAG': 'v0.3.0',
           'COREDNS_TAG': '1.6.6', 'SERVICE_CLUSTER_IP_RANGE': '10.254.0.0/16',
           'CONTAINER_INFRA_PREFIX': 'mirror.example.test/k8s/'}
    bash('STATE_DIR=%s; kubectl_apply() { :; }; setup_pod_network; '
         'setup_dns' % tmp_path, env)
    network = (tmp_path / 'network.yaml').read_text()
    flannel = list(yaml.safe_load_all(network))
    config = json.loads(flannel[0]['data']['net-conf.json'])
    assert config['Backend'] == {'Type': backend}
    assert config['Network'] == '10.100.0.0/16'
    image = flannel[1]['spec']['template']['spec']['containers'][0]['image']
    assert image == 'mirror.example.test/k8s/flannel:v0.12.0-amd64'
    dns = list(yaml.safe_load_all((tmp_path / 'coredns.yaml').read_text()))
    service = [d for d in dns if d['kind'] == 'Service'][0]
    assert service['spec']['clusterIP'] == '10.254.0.10'


# -- the certificate flow --------------------------------------------------
def _ca():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'demo')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(
                now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                           critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


class _Cloud(http.server.BaseHTTPRequestHandler):
    """Keystone's token API and Magnum's certificate API, just enough."""
    seen = []

    def log_message(self, *args):
        pass

    def _json(self, code, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.seen.append(('GET', self.path, dict(self.headers), None))
        ca = self.server.ca[1].public_bytes(serialization.Encoding.PEM)
        self._json(200, {'cluster_uuid': 'c-1', 'pem': ca.decode()})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        self.seen.append(('POST', self.path, dict(self.headers), body))
        if self.path == '/v3/auth/tokens':
            self._json(201, {'token': {}},
                       headers=[('X-Subject-Token', 'tok-123')])
            return
        csr = x509.load_pem_x509_csr(body['csr'].encode())
        key, ca = self.server.ca
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(csr.subject)
                .issuer_name(ca.subject).public_key(csr.public_key())
                .serial_number(2).not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=1))
                .sign(key, hashes.SHA256()))
        pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        self._json(201, {'cluster_uuid': body['cluster_uuid'],
                         'csr': body['csr'], 'pem': pem.strip()})


@pytest.fixture
def cloud():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Cloud)
    server.ca = _ca()
    _Cloud.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_worker_gets_its_certificates_from_magnum(cloud, tmp_path):
    base = 'http://127.0.0.1:%d' % cloud.server_port
    env = {'AUTH_URL': base + '/v3', 'MAGNUM_URL': base + '/v1',
           'CLUSTER_UUID': 'c-1', 'TRUSTEE_USER_ID': 'trustee',
           'TRUSTEE_PASSWORD': 'pa"ss\\word', 'TRUST_ID': 'trust-1',
           'NODE_ROLE': 'worker', 'SERVICE_CLUSTER_IP_RANGE': '10.254.0.0/16'}
    bash('CERT_DIR=%s; setup_certificates' % tmp_path, env)

    auth = [s for s in _Cloud.seen if s[1] == '/v3/auth/tokens'][0][3]
    user = auth['auth']['identity']['password']['user']
    assert user == {'id': 'trustee', 'password': 'pa"ss\\word'}
    assert auth['auth']['scope'] == {'OS-TRUST:trust': {'id': 'trust-1'}}

    magnum_calls = [s for s in _Cloud.seen if s[1].startswith('/v1/')]
    for _method, _path, headers, _body in magnum_calls:
        assert headers['X-Auth-Token'] == 'tok-123'
        assert headers['OpenStack-API-Version'] == 'container-infra latest'
    assert magnum_calls[0][:2] == (
        'GET', '/v1/certificates/c-1?ca_cert_type=kubernetes')
    posts = [s[3] for s in magnum_calls if s[0] == 'POST']
    assert {p['ca_cert_type'] for p in posts} == {'kubernetes'}
    assert len(posts) == 2          # kubelet and kube-proxy

    ca = x509.load_pem_x509_certificate((tmp_path / 'ca.crt').read_bytes())
    assert ca == cloud.ca[1]
    for name in ('kubelet', 'proxy'):
        cert = x509.load_pem_x509_certificate(
            (tmp_path / ('%s.crt' % name)).read_bytes())
        key = serialization.load_pem_private_key(
            (tmp_path / ('%s.key' % name)).read_bytes(), None)
        assert cert.public_key() == key.public_key()
        mode = stat.S_IMODE(os.stat(tmp_path / ('%s.key' % name)).st_mode)
        assert mode == 0o600
    kubelet = x509.load_pem_x509_certificate(
        (tmp_path / 'kubelet.crt').read_bytes())
    org = kubelet.subject.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME)[0].value
    assert org == 'system:nodes'


def test_no_token_no_certificates(tmp_path):
    env = {'AUTH_URL': 'http://127.0.0.1:9/v3', 'MAGNUM_URL': 'x',
           'CLUSTER_UUID': 'c', 'TRUSTEE_USER_ID': 'u', 'TRUST_ID': 't',
           'NODE_ROLE': 'worker'}
    result = bash('CERT_DIR=%s; CURL_OPTS=(--silent --fail); '
                  'setup_certificates' % tmp_path, env, check=False)
    assert result.returncode != 0
    assert not (tmp_path / 'kubelet.crt').exists()


def test_executing_the_script_runs_main():
    result = subprocess.run(['bash', SCRIPT], capture_output=True, text=True,
                            env={'PATH': os.environ['PATH']}, timeout=60)
    assert result.returncode == 1
    assert 'NODE_ROLE is not set' in result.stderr


def test_etcd_member_list_names_members_by_address():
    out = bash('etcd_members 10.0.0.5 10.0.0.6 10.0.0.7').stdout.strip()
    assert out == ('10.0.0.5=https://10.0.0.5:2380,'
                   '10.0.0.6=https://10.0.0.6:2380,'
                   '10.0.0.7=https://10.0.0.7:2380')


def test_etcd_starts_from_the_masters_addresses(tmp_path):
    env = {'MASTER_ADDRESSES': '10.0.0.5,10.0.0.6,10.0.0.7',
           'CLUSTER_UUID': 'c-1', 'ETCD_TAG': 'v3.4.6', 'KUBE_TAG': 'v1.18.2',
           'KUBERNETES_PORT': '6443', 'PODS_NETWORK_CIDR': '10.100.0.0/16',
           'SERVICE_CLUSTER_IP_RANGE': '10.254.0.0/16',
           'FLANNEL_NETWORK_SUBNETLEN': '24', 'ADMISSION_CONTROL_LIST': 'X'}
    bash('MANIFESTS=%s; CERT_DIR=%s; node_ip() { echo 10.0.0.6; }; '
         'write_kubeconfig() { :; }; setup_control_plane'
         % (tmp_path, tmp_path), env)
    etcd = yaml.safe_load((tmp_path / 'etcd.yaml').read_text())
    command = etcd['spec']['containers'][0]['command']
    assert '--name=10.0.0.6' in command
    assert ('--initial-cluster=10.0.0.5=https://10.0.0.5:2380,'
            '10.0.0.6=https://10.0.0.6:2380,'
            '10.0.0.7=https://10.0.0.7:2380') in command
    assert '--initial-cluster-token=c-1' in command
    assert {p.name for p in tmp_path.glob('*.yaml')} == {
        'etcd.yaml', 'kube-apiserver.yaml', 'kube-controller-manager.yaml',
        'kube-scheduler.yaml'}
