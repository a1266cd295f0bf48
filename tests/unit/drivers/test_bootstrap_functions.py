"""The node bootstrap's functions, run for real in bash.

The script is sourced (which defines its functions without running main);
the certificate flow and the CA rotation run curl and openssl against a
local stand-in for Keystone, the Magnum API and the Nova metadata service
bound to 127.0.0.1. systemctl is always replaced by a recording function.
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
        if self.path == '/openstack/latest/meta_data.json':
            self._json(200, {'uuid': 'server-1', 'meta': self.server.meta})
            return
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
    server.meta = {}
    _Cloud.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _node_env(cloud):
    base = 'http://127.0.0.1:%d' % cloud.server_port
    return {'AUTH_URL': base + '/v3', 'MAGNUM_URL': base + '/v1',
            'METADATA_URL': base + '/openstack/latest/meta_data.json',
            'CLUSTER_UUID': 'c-1', 'TRUSTEE_USER_ID': 'trustee',
            'TRUSTEE_PASSWORD': 'pa"ss\\word', 'TRUST_ID': 'trust-1',
            'NODE_ROLE': 'worker',
            'SERVICE_CLUSTER_IP_RANGE': '10.254.0.0/16'}


def test_worker_gets_its_certificates_from_magnum(cloud, tmp_path):
    env = _node_env(cloud)
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


# -- CA rotation -------------------------------------------------------------
def _fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex()


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def joined(tmp_path):
    """A worker that joined under an old CA: its certificate directory and
    a static pod manifest written by the script."""
    certs, manifests = tmp_path / 'certs', tmp_path / 'manifests'
    certs.mkdir()
    old = _ca()[1]
    (certs / 'ca.crt').write_bytes(_pem(old))
    bash('CERT_DIR=%s; MANIFESTS=%s; static_pod kube-proxy img:1 run'
         % (certs, manifests))
    return certs, manifests, old


ROTATE = ('CERT_DIR=%s; MANIFESTS=%s; systemctl() { echo "$*" >> %s; }; '
          'rotate_ca')


def _rotate(tmp_path, certs, manifests, env, check=True):
    return bash(ROTATE % (certs, manifests, tmp_path / 'systemctl'), env,
                check=check)


def _annotation(manifests):
    pod = yaml.safe_load((manifests / 'kube-proxy.yaml').read_text())
    return pod['metadata']['annotations']['magnum.openstack.org/ca']


def test_static_pods_carry_the_ca_fingerprint(joined):
    certs, manifests, old = joined
    assert _annotation(manifests) == _fingerprint(old)


def test_rotation_switches_to_the_announced_ca(cloud, joined, tmp_path):
    certs, manifests, old = joined
    new = cloud.ca[1]
    cloud.meta = {'magnum_role': 'worker',
                  'magnum_ca_rotation': _fingerprint(new)}
    _rotate(tmp_path, certs, manifests, _node_env(cloud))

    assert x509.load_pem_x509_certificate(
        (certs / 'ca.crt').read_bytes()) == new
    for name in ('kubelet', 'proxy'):
        cert = x509.load_pem_x509_certificate(
            (certs / ('%s.crt' % name)).read_bytes())
        cert.verify_directly_issued_by(new)
        mode = stat.S_IMODE(os.stat(certs / ('%s.key' % name)).st_mode)
        assert mode == 0o600
    assert _annotation(manifests) == _fingerprint(new)
    assert (tmp_path / 'systemctl').read_text() == 'restart kubelet\n'
    assert [p.name for p in tmp_path.iterdir()
            if p.name.startswith('certs.new')] == []


def test_rotation_waits_for_magnum_to_serve_the_announced_ca(
        cloud, joined, tmp_path):
    certs, manifests, old = joined
    cloud.meta = {'magnum_ca_rotation': 'ab' * 32}
    result = _rotate(tmp_path, certs, manifests, _node_env(cloud),
                     check=False)
    assert result.returncode == 1
    assert 'does not serve the CA ' + 'ab' * 32 in result.stderr
    assert sorted(p.name for p in certs.iterdir()) == ['ca.crt']
    assert (certs / 'ca.crt').read_bytes() == _pem(old)
    assert _annotation(manifests) == _fingerprint(old)
    assert not (tmp_path / 'systemctl').exists()
    assert [p.name for p in tmp_path.iterdir()
            if p.name.startswith('certs.new')] == []
    assert not [s for s in _Cloud.seen if s[0] == 'POST'
                and s[1] == '/v1/certificates']


@pytest.mark.parametrize('meta', [
    {}, {'magnum_ca_rotation': ''}, 'the current CA'])
def test_nothing_announced_means_nothing_to_do(cloud, joined, tmp_path,
                                               meta):
    certs, manifests, old = joined
    cloud.meta = ({'magnum_ca_rotation': _fingerprint(old)}
                  if meta == 'the current CA' else meta)
    _rotate(tmp_path, certs, manifests, _node_env(cloud))
    assert [s[1] for s in _Cloud.seen] == [
        '/openstack/latest/meta_data.json']
    assert (certs / 'ca.crt').read_bytes() == _pem(old)
    assert not (tmp_path / 'systemctl').exists()


def test_a_timer_runs_the_rotation(tmp_path):
    calls = tmp_path / 'systemctl'
    bash('SYSTEMD_DIR=%s; systemctl() { echo "$*" >> %s; }; '
         'setup_ca_rotation' % (tmp_path, calls))
    service = (tmp_path / 'magnum-ca-rotation.service').read_text()
    assert 'ExecStart=%s rotate-ca\n' % os.path.realpath(SCRIPT) in service
    assert 'ConditionPathExists=/var/lib/magnum/bootstrapped' in service
    timer = (tmp_path / 'magnum-ca-rotation.timer').read_text()
    assert 'OnUnitInactiveSec=1min' in timer
    assert calls.read_text().splitlines() == [
        'daemon-reload', 'enable --now magnum-ca-rotation.timer']


def test_no_rotation_timer_without_tls(tmp_path):
    bash('SYSTEMD_DIR=%s; systemctl() { exit 1; }; setup_ca_rotation'
         % tmp_path, {'TLS_DISABLED': 'true'})
    assert list(tmp_path.iterdir()) == []


def test_rotate_ca_is_a_mode_of_the_script():
    result = subprocess.run(['bash', SCRIPT, 'nonsense'], capture_output=True,
                            text=True, env={'PATH': os.environ['PATH']},
                            timeout=60)
    assert result.returncode == 1
    assert 'usage: ' in result.stderr and 'rotate-ca' in result.stderr
