"""The sandbox's simulated cloud on its own (no services needed): the
SQLite model the Heat plugin writes and the HTTP endpoint Magnum reads."""

import ipaddress
import json
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parents[2] / 'tools' / 'sandbox'
sys.path.insert(0, str(SANDBOX / 'heat_plugin'))
sys.path.insert(0, str(SANDBOX))

import simcloud  # noqa: E402
import simcloud_api  # noqa: E402


@pytest.fixture
def cloud(tmp_path):
    c = simcloud.Cloud(str(tmp_path / 'simcloud.sqlite'))
    c.seed('demo-project')
    return c


def test_seed_is_idempotent(cloud):
    cloud.seed('demo-project')
    assert len(cloud.list('image')) == 5
    assert len(cloud.list('network')) == 2
    assert cloud.find('network', 'public')['router:external'] is True


def test_ports_servers_and_floating_ips(cloud):
    net = cloud.create_network('net', 'p')
    sub = cloud.create_subnet(net['id'], 'sub', 'p', cidr='10.9.0.0/24')
    router = cloud.create_router('r', 'p', gateway={'network': 'public'})
    cloud.add_router_interface(router['id'], 'p', subnet=sub['id'])
    port = cloud.create_port(net['id'], 'p', fixed_ips=[
        {'subnet': sub['id']}])
    assert port['fixed_ips'][0]['ip_address'] == '10.9.0.2'
    server = cloud.create_server('vm', 'p', [{'port': port['id']},
                                             {'network': 'private'}])
    fip = cloud.create_floatingip('public', 'p', port_id=port['id'])
    assert fip['router_id'] == router['id']
    assert ipaddress.ip_address(fip['floating_ip_address']) in \
        ipaddress.ip_network(simcloud.EXTERNAL_CIDR)

    view = cloud.view(server['id'])
    assert view['first_address'] == '10.9.0.2'
    assert view['networks']['net'] == ['10.9.0.2',
                                       fip['floating_ip_address']]
    assert view['networks']['private'] == ['10.0.0.2']
    kinds = [a['OS-EXT-IPS:type'] for a in view['addresses']['net']]
    assert kinds == ['fixed', 'floating']

    cloud.delete(server['id'])
    assert cloud.get(port['id'])['device_id'] == ''      # user's port kept
    assert not cloud.list('port', owned_by=server['id'])  # its own: gone


def test_volume_attachment_and_loadbalancer(cloud):
    server = cloud.create_server('vm', 'p', [{'network': 'private'}])
    vol = cloud.create('volume', 'v', 'p', size=1, status='available')
    att = cloud.attach_volume(vol['id'], server['id'])
    view = cloud.view(vol['id'])
    assert view['status'] == 'in-use'
    assert json.loads(view['attachments'])[0]['server_id'] == server['id']
    cloud.delete(att['id'])
    assert cloud.view(vol['id'])['status'] == 'available'

    sub = cloud.find('subnet', 'private-subnet')
    lb = cloud.create_loadbalancer('lb', 'p', vip_subnet=sub['id'])
    assert cloud.get(lb['vip_port_id'])['fixed_ips'][0]['ip_address'] == \
        lb['vip_address']
    cloud.delete(lb['id'])
    assert cloud.get(lb['vip_port_id']) is None


@pytest.fixture
def api(cloud):
    simcloud_api.Handler.api = simcloud_api.Api(cloud, 'http://x')
    server = simcloud_api.Server(('127.0.0.1', 0), simcloud_api.Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()


def _get(url, token='any'):
    req = urllib.request.Request(url)
    if token:
        req.add_header('X-Auth-Token', token)
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


def test_api_lookups(api):
    images = _get(api + '/image/v2/images?name=coreos-stable')['images']
    assert images[0]['os_distro'] == 'coreos'
    no_distro = _get(api + '/image/v2/images?name=no-distro-image')
    assert 'os_distro' not in no_distro['images'][0]
    flavors = _get(api + '/compute/v2.1/flavors/detail')['flavors']
    assert {f['name']: f['disk'] for f in flavors} == {
        'm1.small': 20, 'm1.medium': 40, 'm1.zero': 0}
    assert _get(api + '/compute/v2.1/os-keypairs/default')['keypair'][
        'name'] == 'default'
    ext = _get(api + '/network/v2.0/networks?name=public'
               '&router:external=True')['networks']
    assert len(ext) == 1
    assert _get(api + '/network/v2.0/networks?name=private'
                '&router:external=True')['networks'] == []
    subnet = _get(api + '/network/v2.0/subnets?name=private-subnet')
    assert subnet['subnets'][0]['cidr'] == '10.0.0.0/24'
    # python-glanceclient builds its image model from Glance's schema
    schema = _get(api + '/image/v2/schemas/image')
    assert schema['additionalProperties'] == {'type': 'string'}
    assert _get(api + '/image/v2/schemas/images')['properties']['images'][
        'items']['name'] == 'image'


def test_api_needs_a_token_and_404s(api):
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(api + '/image/v2/images', token=None)
    assert err.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(api + '/compute/v2.1/os-keypairs/nope')
    assert err.value.code == 404
    assert _get(api + '/network', token=None)['versions'][0]['id'] == 'v2.0'
