"""The swarm node bootstrap's functions, run for real in bash.

The script is sourced with the Kubernetes bootstrap as its library (as the
user data arranges on a node). The certificate flow runs curl and openssl
against the local stand-in for Keystone and the Magnum API of
test_bootstrap_functions; docker is a stand-in on PATH that records its
arguments.
"""
import ipaddress
import json
import os
import stat
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
import pytest
import yaml

from tests.unit.drivers import test_bootstrap_functions as k8s_bootstrap
from tests.unit.drivers.test_bootstrap_functions import cloud  # noqa: F401

DRIVERS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'drivers')
SCRIPT = os.path.abspath(os.path.join(
    DRIVERS, 'swarm_common', 'templates', 'fragments', 'swarm-bootstrap.sh'))
LIBRARY = os.path.abspath(os.path.join(
    DRIVERS, 'k8s_common', 'templates', 'fragments', 'bootstrap.sh'))

pytestmark = k8s_bootstrap.pytestmark

FAKE_DOCKER = '''#!/bin/bash
echo "$*" >> "$DOCKER_LOG"
case "$*" in
    *"join-token -q worker") echo TOKEN-worker ;;
    *"join-token -q manager") echo TOKEN-manager ;;
esac
'''


def bash(snippet, env=None, check=True):
    result = subprocess.run(
        ['bash', '-c', 'set -euo pipefail; source "$1"; '
         'node_ip() { echo "${TEST_NODE_IP:-10.0.0.5}"; }; ' + snippet,
         'swarm-bootstrap-test', SCRIPT],
        env=dict(os.environ, MAGNUM_NODE_LIB=LIBRARY, **(env or {})),
        capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def docker(tmp_path):
    """PATH and log of a docker stand-in: (env, list of calls)."""
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    (bindir / 'docker').write_text(FAKE_DOCKER)
    (bindir / 'docker').chmod(0o755)
    log = tmp_path / 'docker.log'
    log.touch()
    env = {'PATH': '%s:%s' % (bindir, os.environ['PATH']),
           'DOCKER_LOG': str(log), 'CLUSTER_UUID': 'c-1'}
    return env, lambda: log.read_text().splitlines()


def _env(cloud_server, **extra):
    base = 'http://127.0.0.1:%d' % cloud_server.server_port
    env = {'AUTH_URL': base + '/v3', 'MAGNUM_URL': base + '/v1',
           'CLUSTER_UUID': 'c-1', 'TRUSTEE_USER_ID': 'trustee',
           'TRUSTEE_PASSWORD': 'secret', 'TRUST_ID': 'trust-1'}
    env.update(extra)
    return env


def _sans(cert):
    names = cert.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value
    return ({str(ip) for ip in names.get_values_for_type(x509.IPAddress)},
            set(names.get_values_for_type(x509.DNSName)))


def test_manager_certificate_is_signed_by_magnum_for_every_address(
        cloud, tmp_path):  # noqa: F811
    env = _env(cloud, NODE_ROLE='master', API_LB_ADDRESS='172.24.4.20',
               API_LB_PRIVATE_ADDRESS='10.0.0.30')
    bash('CERT_DIR=%s; public_address() { echo 172.24.4.9; }; '
         'setup_certificates' % tmp_path, env)

    magnum_calls = [s for s in k8s_bootstrap._Cloud.seen
                    if s[1].startswith('/v1/')]
    assert [c[:2] for c in magnum_calls] == [
        ('GET', '/v1/certificates/c-1?ca_cert_type=cluster'),
        ('POST', '/v1/certificates')]
    assert magnum_calls[1][3]['cluster_uuid'] == 'c-1'
    ca = x509.load_pem_x509_certificate((tmp_path / 'ca.crt').read_bytes())
    assert ca == cloud.ca[1]
    cert = x509.load_pem_x509_certificate((tmp_path / 'node.crt').read_bytes())
    assert cert.issuer == ca.subject
    key = serialization.load_pem_private_key(
        (tmp_path / 'node.key').read_bytes(), None)
    assert cert.public_key() == key.public_key()
    assert stat.S_IMODE(os.stat(tmp_path / 'node.key').st_mode) == 0o600
    # What the CSR asked for is what the docker client will check.
    csr = x509.load_pem_x509_csr(magnum_calls[1][3]['csr'].encode())
    ips, dns = _sans(csr)
    assert ips == {'10.0.0.5', '127.0.0.1', '172.24.4.9', '172.24.4.20',
                   '10.0.0.30'}
    assert all(ipaddress.ip_address(ip) for ip in ips) and len(dns) == 1


def test_no_certificates_without_tls(cloud, tmp_path):  # noqa: F811
    env = _env(cloud, NODE_ROLE='worker', TLS_DISABLED='true')
    bash('CERT_DIR=%s; setup_certificates' % tmp_path, env)
    assert k8s_bootstrap._Cloud.seen == []
    assert list(tmp_path.iterdir()) == []


def test_public_address_only_with_floating_ips():
    out = bash('public_address', {'FLOATING_IP_ENABLED': 'false'}).stdout
    assert out == ''


def test_retry_runs_until_success_or_gives_up(tmp_path):
    count = tmp_path / 'count'
    attempt = ('attempt() { echo x >> %s; [ "$(wc -l < %s)" -ge 3 ]; }; '
               'sleep() { :; }; ' % (count, count))
    bash(attempt + 'retry 5 "never" attempt')
    assert len(count.read_text().splitlines()) == 3
    count.unlink()
    result = bash(attempt + 'retry 2 "gave up" attempt', check=False)
    assert result.returncode == 1 and 'gave up' in result.stderr
    assert len(count.read_text().splitlines()) == 2


def test_nonempty_fails_on_empty_output():
    assert bash('nonempty echo hi').stdout == 'hi\n'
    assert bash('nonempty echo -n', check=False).returncode == 1


def _daemon_config(tmp_path, **env):
    config = tmp_path / 'daemon.json'
    bash('CERT_DIR=/certs; DAEMON_CONFIG=%s; write_daemon_config' % config,
         env)
    return json.loads(config.read_text())


def test_swarm_mode_manager_serves_the_api_with_mutual_tls(tmp_path):
    config = _daemon_config(tmp_path, COE='swarm-mode', NODE_ROLE='master',
                            SWARM_API_PORT='2376',
                            INSECURE_REGISTRY_URL='10.0.0.9:5000')
    assert config == {
        'tls': True, 'tlsverify': True, 'tlscacert': '/certs/ca.crt',
        'tlscert': '/certs/node.crt', 'tlskey': '/certs/node.key',
        'insecure-registries': ['10.0.0.9:5000'],
        'hosts': ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2376']}


def test_swarm_mode_worker_listens_on_its_socket_only(tmp_path):
    config = _daemon_config(tmp_path, COE='swarm-mode', NODE_ROLE='worker',
                            SWARM_API_PORT='2376')
    assert config == {'hosts': ['unix:///var/run/docker.sock']}


def test_classic_agent_without_tls_serves_plain_2375_on_flannel(tmp_path):
    config = _daemon_config(tmp_path, COE='swarm', NODE_ROLE='worker',
                            SWARM_API_PORT='2375', TLS_DISABLED='true',
                            FLANNEL_SUBNET='10.100.7.1/24',
                            FLANNEL_MTU='1450')
    assert config == {
        'bip': '10.100.7.1/24', 'mtu': 1450,
        'hosts': ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2375']}


def test_primary_manager_initialises_the_swarm(docker):
    env, calls = docker
    bash('setup_swarm_mode', dict(env, NODE_ROLE='master',
                                  MASTER_ADDRESSES='10.0.0.5,10.0.0.6'))
    assert calls() == [
        'swarm init --advertise-addr 10.0.0.5 --listen-addr 10.0.0.5:2377']


def test_other_manager_joins_with_a_token_over_tls(docker):
    env, calls = docker
    bash('CERT_DIR=/certs; setup_swarm_mode', dict(
        env, NODE_ROLE='master', MASTER_ADDRESSES='10.0.0.5,10.0.0.6',
        TEST_NODE_IP='10.0.0.6', SWARM_API_PORT='2376'))
    assert calls() == [
        '-H tcp://10.0.0.5:2376 --tlsverify --tlscacert=/certs/ca.crt '
        '--tlscert=/certs/node.crt --tlskey=/certs/node.key '
        'swarm join-token -q manager',
        'swarm join --token TOKEN-manager --advertise-addr 10.0.0.6 '
        '10.0.0.5:2377']


def test_worker_without_tls_joins_over_plain_tcp(docker):
    env, calls = docker
    bash('setup_swarm_mode', dict(
        env, NODE_ROLE='worker', KUBE_API_ADDRESS='10.0.0.5',
        TEST_NODE_IP='10.0.0.8', SWARM_API_PORT='2375', TLS_DISABLED='true'))
    assert calls() == [
        '-H tcp://10.0.0.5:2375 swarm join-token -q worker',
        'swarm join --token TOKEN-worker --advertise-addr 10.0.0.8 '
        '10.0.0.5:2377']


def test_classic_manager_and_agent_meet_in_etcd(docker):
    env, calls = docker
    classic = dict(env, SWARM_API_PORT='2376', SWARM_TAG='1.2.9',
                   SWARM_STRATEGY='binpack', CERT_DIR='/certs')
    bash('setup_swarm_classic', dict(
        classic, NODE_ROLE='master', MASTER_ADDRESSES='10.0.0.5,10.0.0.6'))
    bash('setup_swarm_classic', dict(
        classic, NODE_ROLE='worker', KUBE_API_ADDRESS='10.0.0.5',
        TEST_NODE_IP='10.0.0.8'))
    manager, agent = calls()
    assert ' docker.io/library/swarm:1.2.9 manage -H tcp://0.0.0.0:2376 ' \
        '--replication --advertise 10.0.0.5:2376 --strategy binpack ' \
        '--tlsverify --tlscacert=/certs/ca.crt' in manager
    assert manager.endswith('--discovery-opt kv.keyfile=/certs/node.key '
                            'etcd://10.0.0.5:2379,10.0.0.6:2379/swarm')
    assert ' join --advertise 10.0.0.8:2375 ' in agent
    assert agent.endswith('etcd://10.0.0.5:2379/swarm')


@pytest.mark.parametrize('tls_disabled, scheme', [('false', 'https'),
                                                  ('true', 'http')])
def test_etcd_runs_one_member_per_master(docker, tls_disabled, scheme):
    env, calls = docker
    bash('run_etcd', dict(env, NODE_ROLE='master', ETCD_TAG='v3.4.6',
                          MASTER_ADDRESSES='10.0.0.5,10.0.0.6,10.0.0.7',
                          TLS_DISABLED=tls_disabled))
    (run,) = calls()
    assert '--initial-cluster=' + ','.join(
        '%s=%s://%s:2380' % (ip, scheme, ip)
        for ip in ('10.0.0.5', '10.0.0.6', '10.0.0.7')) in run
    assert ('--client-cert-auth' in run) == (scheme == 'https')
    out = bash('etcd_endpoints', dict(env, NODE_ROLE='worker',
                                      KUBE_API_ADDRESS='10.0.0.5',
                                      TLS_DISABLED=tls_disabled)).stdout
    assert out.strip() == '%s://10.0.0.5:2379' % scheme


def test_flannel_network_is_valid_json():
    out = bash('flannel_config', {
        'FLANNEL_NETWORK_CIDR': '10.100.0.0/16',
        'FLANNEL_NETWORK_SUBNETLEN': '24', 'FLANNEL_BACKEND': 'host-gw'})
    assert json.loads(out.stdout) == {
        'Network': '10.100.0.0/16', 'SubnetLen': 24,
        'Backend': {'Type': 'host-gw'}}


def test_rexray_config_names_the_trust_and_preemption(docker, tmp_path):
    env, calls = docker
    bash('REXRAY_DIR=%s; setup_rexray' % tmp_path, dict(
        env, VOLUME_DRIVER='rexray', REXRAY_PREEMPT='true',
        REXRAY_TAG='0.11.4', AUTH_URL='https://ks/v3',
        TRUSTEE_USER_ID='trustee', TRUSTEE_PASSWORD='p: "w\\',
        TRUST_ID='trust-1', REGION_NAME='RegionOne', AVAILABILITY_ZONE=''))
    config = yaml.safe_load((tmp_path / 'config.yml').read_text())
    assert config['libstorage']['integration']['volume']['operations'][
        'mount']['preempt'] is True
    assert config['cinder']['trustID'] == 'trust-1'
    assert config['cinder']['password'] == 'p: "w\\'
    assert stat.S_IMODE(os.stat(tmp_path / 'config.yml').st_mode) == 0o600
    assert 'docker.io/rexray/rexray:0.11.4' in calls()[0]


def _execute(*args):
    """Run the script as a program, with no settings."""
    return subprocess.run(['bash', SCRIPT] + list(args), capture_output=True,
                          text=True, timeout=60,
                          env={'PATH': os.environ['PATH'],
                               'MAGNUM_NODE_LIB': LIBRARY})


def test_executing_the_script_runs_main():
    result = _execute()
    assert result.returncode == 1
    assert 'NODE_ROLE is not set' in result.stderr


# -- CA rotation: the library's rotate_ca with the swarm's certificates ------
def test_rotation_switches_the_daemon_to_the_announced_ca(
        cloud, tmp_path):  # noqa: F811
    certs = tmp_path / 'certs'
    certs.mkdir()
    old = k8s_bootstrap._ca()[1]
    (certs / 'ca.crt').write_bytes(old.public_bytes(
        serialization.Encoding.PEM))
    new = cloud.ca[1]
    cloud.meta = {'magnum_ca_rotation': new.fingerprint(hashes.SHA256()).hex()}
    calls = tmp_path / 'systemctl'
    bash('CERT_DIR=%s; systemctl() { echo "$*" >> %s; }; rotate_ca'
         % (certs, calls), dict(k8s_bootstrap._node_env(cloud),
                                NODE_ROLE='master'))

    assert x509.load_pem_x509_certificate(
        (certs / 'ca.crt').read_bytes()) == new
    cert = x509.load_pem_x509_certificate((certs / 'node.crt').read_bytes())
    cert.verify_directly_issued_by(new)
    assert stat.S_IMODE(os.stat(certs / 'node.key').st_mode) == 0o600
    posts = [s[3] for s in k8s_bootstrap._Cloud.seen if s[0] == 'POST'
             and s[1] == '/v1/certificates']
    assert [p['ca_cert_type'] for p in posts] == ['cluster']
    assert calls.read_text() == 'restart docker\n'


def test_the_rotation_timer_runs_the_swarm_script(tmp_path):
    calls = tmp_path / 'systemctl'
    bash('SYSTEMD_DIR=%s; systemctl() { echo "$*" >> %s; }; '
         'setup_ca_rotation' % (tmp_path, calls))
    service = (tmp_path / 'magnum-ca-rotation.service').read_text()
    assert 'ExecStart=%s rotate-ca\n' % os.path.realpath(SCRIPT) in service


def test_rotate_ca_is_a_mode_of_the_script():
    result = _execute('nonsense')
    assert result.returncode == 1
    assert 'usage: ' in result.stderr and 'rotate-ca' in result.stderr
