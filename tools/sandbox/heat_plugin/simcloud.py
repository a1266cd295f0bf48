"""The sandbox's simulated cloud: a tiny SQLite-backed model of the
Nova/Neutron/Cinder/Octavia/Glance objects Heat templates create.

Stdlib only: it is imported by the Heat plugin (inside heat-engine) and by
the sandbox's HTTP endpoint (``simcloud_api.py``), which share one DB file.
Nothing here is a real cloud: no VM, no packet, no disk ever exists.
"""

import contextlib
import datetime
import ipaddress
import json
import os
import random
import sqlite3
import uuid

DB_ENV = 'SANDBOX_SIMCLOUD_DB'
EXTERNAL_HINTS = ('public', 'external', 'ext-net', 'floating')
EXTERNAL_CIDR = '172.24.4.0/24'

SEED_IMAGES = (
    ('fedora-coreos-latest', 'fedora-coreos'),
    ('fedora-atomic-latest', 'fedora-atomic'),
    ('coreos-stable', 'coreos'),
    ('ironic-fedora', 'fedora'),
    ('no-distro-image', None),
)
SEED_FLAVORS = (
    ('1', 'm1.small', 1, 2048, 20),
    ('2', 'm1.medium', 2, 4096, 40),
    ('3', 'm1.zero', 1, 512, 0),
)
SEED_PUBKEY = ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDsandboxsandboxsandbox'
               ' sandbox@simcloud')

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT,
    project_id TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_kind ON objects (kind, name);
"""


def now():
    return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')


def new_mac():
    return 'fa:16:3e:%02x:%02x:%02x' % tuple(random.randrange(256)
                                             for _ in range(3))


def is_external_name(name):
    name = (name or '').lower()
    return any(h in name for h in EXTERNAL_HINTS)


class Tx(object):
    """Object access inside one immediate (write-locked) transaction."""

    def __init__(self, conn):
        self.conn = conn

    def get(self, obj_id, kind=None):
        row = self.conn.execute('SELECT data FROM objects WHERE id=?',
                                (obj_id,)).fetchone()
        rec = json.loads(row[0]) if row else None
        if rec and kind and rec['kind'] != kind:
            return None
        return rec

    def list(self, kind, **filters):
        rows = self.conn.execute('SELECT data FROM objects WHERE kind=? '
                                 'ORDER BY rowid', (kind,)).fetchall()
        recs = [json.loads(r[0]) for r in rows]
        return [r for r in recs
                if all(r.get(k) == v for k, v in filters.items())]

    def find(self, kind, name_or_id):
        """Look an object up by id, then by name (first match)."""
        if not name_or_id:
            return None
        rec = self.get(name_or_id, kind)
        if rec:
            return rec
        row = self.conn.execute(
            'SELECT data FROM objects WHERE kind=? AND name=? ORDER BY rowid',
            (kind, name_or_id)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, rec):
        self.conn.execute(
            'INSERT OR REPLACE INTO objects (id, kind, name, project_id, data)'
            ' VALUES (?, ?, ?, ?, ?)',
            (rec['id'], rec['kind'], rec.get('name'), rec.get('project_id'),
             json.dumps(rec)))
        return rec

    def delete(self, obj_id):
        self.conn.execute('DELETE FROM objects WHERE id=?', (obj_id,))

    def new(self, kind, name, project_id, **fields):
        rec = {'id': fields.pop('id', None) or str(uuid.uuid4()),
               'kind': kind, 'name': name or '', 'project_id': project_id,
               'tenant_id': project_id, 'created_at': now()}
        rec.update(fields)
        return self.put(rec)


class Cloud(object):
    """Operations on the simulated cloud. Each public call is one tx."""

    def __init__(self, path=None):
        self.path = path or os.environ.get(DB_ENV) or 'simcloud.sqlite'
        with self._connect() as conn:
            conn.execute('PRAGMA journal_mode=WAL')
            conn.executescript(_SCHEMA)

    def _connect(self):
        return contextlib.closing(sqlite3.connect(
            self.path, timeout=60, isolation_level=None))

    @contextlib.contextmanager
    def tx(self):
        with self._connect() as conn:
            conn.execute('BEGIN IMMEDIATE')
            try:
                yield Tx(conn)
            except BaseException:
                conn.execute('ROLLBACK')
                raise
            conn.execute('COMMIT')

    # ---- generic -------------------------------------------------------
    def get(self, obj_id, kind=None):
        with self.tx() as t:
            return t.get(obj_id, kind)

    def find(self, kind, name_or_id):
        with self.tx() as t:
            return t.find(kind, name_or_id)

    def list(self, kind, **filters):
        with self.tx() as t:
            return t.list(kind, **filters)

    def create(self, kind, name, project_id, **fields):
        with self.tx() as t:
            return t.new(kind, name, project_id, **fields)

    def update(self, obj_id, **fields):
        with self.tx() as t:
            rec = t.get(obj_id)
            if rec:
                rec.update(fields)
                t.put(rec)
            return rec

    def delete(self, obj_id):
        """Delete an object and whatever it owns (ports, attachments)."""
        with self.tx() as t:
            rec = t.get(obj_id)
            if rec:
                _cascade_delete(t, rec)

    def view(self, obj_id):
        """The API-like dict for an object, with derived attributes."""
        with self.tx() as t:
            rec = t.get(obj_id)
            return _VIEWS.get(rec['kind'], _plain)(t, rec) if rec else None

    # ---- seeding ---------------------------------------------------------
    def seed(self, demo_project_id=None):
        """Pre-existing cloud content (idempotent)."""
        with self.tx() as t:
            for name, distro in SEED_IMAGES:
                if not t.find('image', name):
                    _seed_image(t, name, distro)
            for fid, name, vcpus, ram, disk in SEED_FLAVORS:
                if not t.find('flavor', fid):
                    t.new('flavor', name, None, id=fid, vcpus=vcpus, ram=ram,
                          disk=disk)
            if not t.find('keypair', 'default'):
                t.new('keypair', 'default', demo_project_id,
                      public_key=SEED_PUBKEY, type='ssh',
                      fingerprint='00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd'
                                  ':ee:ff', user_id=None)
            ensure_network(t, 'public', None)
            ensure_network(t, 'private', demo_project_id, cidr='10.0.0.0/24',
                           subnet_name='private-subnet')

    # ---- neutron ---------------------------------------------------------
    def create_network(self, name, project_id, **fields):
        with self.tx() as t:
            fields.setdefault('router:external', is_external_name(name))
            return _new_network(t, name, project_id, **fields)

    def create_subnet(self, network, name, project_id, cidr=None,
                      gateway_ip='auto', **fields):
        with self.tx() as t:
            net = ensure_network(t, network, project_id, with_subnet=False)
            return _new_subnet(t, net, name, project_id, cidr, gateway_ip,
                               **fields)

    def create_port(self, network, project_id, name='', fixed_ips=None,
                    **fields):
        with self.tx() as t:
            return _new_port(t, network, project_id, name, fixed_ips,
                             **fields)

    def create_router(self, name, project_id, gateway=None, **fields):
        with self.tx() as t:
            fields.setdefault('admin_state_up', True)
            router = t.new('router', name, project_id, status='ACTIVE',
                           **fields)
            _set_gateway(t, router, gateway)
            return t.put(router)

    def set_router_gateway(self, router_id, gateway):
        with self.tx() as t:
            router = t.get(router_id, 'router')
            for port in t.list('port', device_id=router_id,
                               device_owner='network:router_gateway'):
                t.delete(port['id'])
            _set_gateway(t, router, gateway)
            return t.put(router)

    def add_router_interface(self, router, project_id, subnet=None,
                             port=None):
        """Returns the interface port."""
        with self.tx() as t:
            rtr = t.find('router', router)
            rtr_id = rtr['id'] if rtr else router
            if port:
                prt = t.find('port', port)
                if prt:
                    prt.update(device_id=rtr_id,
                               device_owner='network:router_interface')
                    return t.put(prt)
            sub = t.find('subnet', subnet)
            if not sub:
                raise ValueError('simcloud: subnet %s not found' % subnet)
            ip = sub.get('gateway_ip')
            fixed = [{'subnet_id': sub['id'], 'ip_address': ip}] if ip else \
                [{'subnet_id': sub['id']}]
            return _new_port(t, sub['network_id'], project_id, '', fixed,
                             device_id=rtr_id,
                             device_owner='network:router_interface')

    def create_floatingip(self, network, project_id, port_id=None,
                          fixed_ip=None, address=None):
        with self.tx() as t:
            net = ensure_network(t, network or 'public', project_id)
            fixed = [{'ip_address': address}] if address else None
            gw_port = _new_port(t, net['id'], project_id, '', fixed,
                                device_owner='network:floatingip')
            fip = t.new('floatingip', '', project_id,
                        floating_network_id=net['id'],
                        floating_ip_address=gw_port['fixed_ips'][0][
                            'ip_address'],
                        status='ACTIVE', port_id=None,
                        fixed_ip_address=None, router_id=None)
            gw_port['device_id'] = fip['id']
            t.put(gw_port)
            _associate(t, fip, port_id, fixed_ip)
            return t.put(fip)

    def associate_floatingip(self, fip_id, port_id, fixed_ip=None):
        with self.tx() as t:
            fip = t.find('floatingip', fip_id)
            if not fip:
                fip = next((f for f in t.list('floatingip')
                            if f['floating_ip_address'] == fip_id), None)
            if fip:
                _associate(t, fip, port_id, fixed_ip)
                t.put(fip)
            return fip

    # ---- nova ------------------------------------------------------------
    def create_server(self, name, project_id, networks, **fields):
        """networks: list of dicts with network/port/fixed_ip/subnet/
        floating_ip keys, as in OS::Nova::Server's property."""
        with self.tx() as t:
            server = t.new('server', name, project_id, status='ACTIVE',
                           **fields)
            for nic in networks or []:
                _attach_nic(t, server, nic)
            return server

    def replace_server_nics(self, server_id, networks):
        """Detach every port of the server, then attach `networks`."""
        with self.tx() as t:
            server = t.get(server_id, 'server')
            for port in t.list('port', device_id=server_id):
                if port.get('owned_by') == server_id:
                    t.delete(port['id'])
                else:
                    port.update(device_id='', device_owner='')
                    t.put(port)
            for nic in networks or []:
                _attach_nic(t, server, nic)

    # ---- cinder ----------------------------------------------------------
    def attach_volume(self, volume, server, device=None):
        with self.tx() as t:
            vol = t.find('volume', volume)
            if not vol:
                raise ValueError('simcloud: volume %s not found' % volume)
            att = t.new('volume_attachment', '', vol['project_id'],
                        volume_id=vol['id'], server_id=server,
                        device=device or '/dev/vdb')
            vol['status'] = 'in-use'
            t.put(vol)
            return att

    # ---- octavia ---------------------------------------------------------
    def create_loadbalancer(self, name, project_id, vip_subnet=None,
                            vip_network=None, vip_address=None, **fields):
        with self.tx() as t:
            sub = t.find('subnet', vip_subnet) if vip_subnet else None
            net_ref = sub['network_id'] if sub else (vip_network or 'private')
            fixed = [{'subnet_id': sub['id']}] if sub else None
            if fixed and vip_address:
                fixed[0]['ip_address'] = vip_address
            lb_id = str(uuid.uuid4())
            port = _new_port(t, net_ref, project_id, 'octavia-lb-' + lb_id,
                             fixed, device_id='lb-' + lb_id,
                             device_owner='Octavia')
            ip = port['fixed_ips'][0]
            return t.new('loadbalancer', name, project_id, id=lb_id,
                         vip_address=ip['ip_address'],
                         vip_subnet_id=ip['subnet_id'],
                         vip_network_id=port['network_id'],
                         vip_port_id=port['id'],
                         provisioning_status='ACTIVE',
                         operating_status='ONLINE', **fields)


# ---- helpers (run inside a Tx) ----------------------------------------------

def _seed_image(t, name, distro):
    fields = dict(status='active', visibility='public', disk_format='qcow2',
                  container_format='bare', min_disk=0, min_ram=0,
                  size=1073741824, protected=False, tags=[],
                  updated_at=now(), schema='/v2/schemas/image')
    if distro:
        fields['os_distro'] = distro
    rec = t.new('image', name, None, **fields)
    rec['file'] = '/v2/images/%s/file' % rec['id']
    rec['self'] = '/v2/images/%s' % rec['id']
    return t.put(rec)


def _new_network(t, name, project_id, **fields):
    defaults = {'router:external': False, 'status': 'ACTIVE',
                'admin_state_up': True, 'shared': False, 'mtu': 1450,
                'port_security_enabled': True}
    return t.new('network', name, project_id, **dict(defaults, **fields))


def ensure_network(t, name_or_id, project_id, cidr=None, subnet_name=None,
                   with_subnet=True):
    """Find a network; unknown names are created on demand, as if they
    pre-existed in the cloud (``public`` gets the external range)."""
    net = t.find('network', name_or_id)
    if net:
        return net
    external = is_external_name(name_or_id)
    net = _new_network(t, name_or_id, project_id,
                       **{'router:external': external})
    if with_subnet:
        cidr = cidr or (EXTERNAL_CIDR if external else None)
        _new_subnet(t, net, subnet_name or '%s-subnet' % name_or_id,
                    project_id, cidr, 'auto')
    return net


def _free_cidr(t):
    used = {s['cidr'] for s in t.list('subnet')}
    for i in range(100, 250):
        cidr = '10.%d.0.0/24' % i
        if cidr not in used:
            return cidr
    raise ValueError('simcloud: out of subnets')


def _new_subnet(t, net, name, project_id, cidr, gateway_ip, **fields):
    cidr = str(ipaddress.ip_network(cidr or _free_cidr(t), strict=False))
    hosts = ipaddress.ip_network(cidr).hosts()
    first = str(next(hosts))
    if gateway_ip == 'auto':
        gateway_ip = first
    last = str(ipaddress.ip_network(cidr).broadcast_address - 1)
    fields.setdefault('allocation_pools', [{'start': first, 'end': last}])
    fields.setdefault('dns_nameservers', [])
    fields.setdefault('host_routes', [])
    fields.setdefault('enable_dhcp', True)
    fields.setdefault('ip_version', ipaddress.ip_network(cidr).version)
    return t.new('subnet', name, project_id, network_id=net['id'], cidr=cidr,
                 gateway_ip=gateway_ip, **fields)


def _allocate_ip(t, subnet):
    used = {ip.get('ip_address') for p in t.list('port')
            for ip in p['fixed_ips'] if ip.get('subnet_id') == subnet['id']}
    used.add(subnet.get('gateway_ip'))
    net = ipaddress.ip_network(subnet['cidr'])
    for host in net.hosts():
        if str(host) not in used and int(host) - int(net[0]) >= 2:
            return str(host)
    raise ValueError('simcloud: subnet %s is full' % subnet['cidr'])


def _new_port(t, network, project_id, name, fixed_ips, **fields):
    net = ensure_network(t, network, project_id)
    subnets = t.list('subnet', network_id=net['id'])
    allocated = []
    for req in fixed_ips or [{}]:
        sub = t.find('subnet', req.get('subnet_id') or req.get('subnet'))
        if not sub:
            sub = _subnet_for_ip(subnets, req.get('ip_address'))
        if not sub:
            continue
        ip = req.get('ip_address') or _allocate_ip(t, sub)
        allocated.append({'subnet_id': sub['id'], 'ip_address': ip})
    fields.setdefault('device_id', '')
    fields.setdefault('device_owner', '')
    fields.setdefault('mac_address', new_mac())
    fields.setdefault('security_groups', [])
    fields.setdefault('allowed_address_pairs', [])
    fields.setdefault('admin_state_up', True)
    fields.setdefault('port_security_enabled', True)
    return t.new('port', name, project_id, network_id=net['id'],
                 fixed_ips=allocated, status='ACTIVE', **fields)


def _subnet_for_ip(subnets, ip):
    for sub in subnets:
        if not ip or ipaddress.ip_address(ip) in ipaddress.ip_network(
                sub['cidr']):
            return sub
    return None


def _set_gateway(t, router, gateway):
    if not gateway or not gateway.get('network'):
        router['external_gateway_info'] = None
        return
    net = ensure_network(t, gateway['network'], router['project_id'])
    fixed = [{'subnet_id': f.get('subnet'), 'ip_address': f.get('ip_address')}
             for f in gateway.get('external_fixed_ips') or []]
    port = _new_port(t, net['id'], router['project_id'], '', fixed or None,
                     device_id=router['id'],
                     device_owner='network:router_gateway')
    router['external_gateway_info'] = {
        'network_id': net['id'],
        'enable_snat': gateway.get('enable_snat', True) is not False,
        'external_fixed_ips': port['fixed_ips']}


def _associate(t, fip, port_id, fixed_ip):
    port = t.find('port', port_id) if port_id else None
    fip['port_id'] = port['id'] if port else None
    fip['fixed_ip_address'] = None
    fip['router_id'] = None
    if port and port['fixed_ips']:
        fip['fixed_ip_address'] = fixed_ip or port['fixed_ips'][0][
            'ip_address']
        fip['router_id'] = _router_for_port(t, port)


def _router_for_port(t, port):
    subnet_ids = {ip['subnet_id'] for ip in port['fixed_ips']}
    for rport in t.list('port', device_owner='network:router_interface'):
        if subnet_ids & {ip['subnet_id'] for ip in rport['fixed_ips']}:
            return rport['device_id']
    return None


def _attach_nic(t, server, nic):
    if nic.get('port'):
        port = t.find('port', nic['port'])
        if not port:
            raise ValueError('simcloud: port %s not found' % nic['port'])
    else:
        fixed = {}
        if nic.get('subnet'):
            fixed['subnet'] = nic['subnet']
        if nic.get('fixed_ip'):
            fixed['ip_address'] = nic['fixed_ip']
        port = _new_port(t, nic.get('network') or nic.get('uuid') or
                         'private', server['project_id'], '', [fixed],
                         owned_by=server['id'])
    port.update(device_id=server['id'], device_owner='compute:nova')
    t.put(port)
    if nic.get('floating_ip'):
        fip = t.find('floatingip', nic['floating_ip'])
        if fip:
            _associate(t, fip, port['id'], None)
            t.put(fip)


def _cascade_delete(t, rec):
    oid = rec['id']
    kind = rec['kind']
    if kind in ('server', 'router', 'loadbalancer', 'floatingip'):
        device = 'lb-' + oid if kind == 'loadbalancer' else oid
        for port in t.list('port', device_id=device):
            if port.get('owned_by') == oid or kind != 'server':
                t.delete(port['id'])
            else:
                port.update(device_id='', device_owner='')
                t.put(port)
    if kind == 'server':
        for att in t.list('volume_attachment', server_id=oid):
            _detach(t, att)
    if kind == 'port':
        for fip in t.list('floatingip', port_id=oid):
            _associate(t, fip, None, None)
            t.put(fip)
    if kind == 'volume_attachment':
        _detach(t, rec)
    t.delete(oid)


def _detach(t, att):
    t.delete(att['id'])
    vol = t.get(att['volume_id'])
    if vol and not t.list('volume_attachment', volume_id=vol['id']):
        vol['status'] = 'available'
        t.put(vol)


# ---- views: what an API "show" call would return ----------------------------

def _plain(t, rec):
    return dict(rec)


def _network_view(t, rec):
    view = dict(rec)
    view['subnets'] = [s['id'] for s in t.list('subnet',
                                               network_id=rec['id'])]
    view.setdefault('l2_adjacency', True)
    view.setdefault('segments', [])
    return view


def _port_view(t, rec):
    view = dict(rec)
    net = t.get(rec['network_id'])
    view['network'] = _network_view(t, net) if net else None
    view['subnets'] = [t.get(ip['subnet_id']) for ip in rec['fixed_ips']]
    view['dns_assignment'] = [{'hostname': 'host-' + ip['ip_address'].replace(
        '.', '-'), 'ip_address': ip['ip_address'], 'fqdn': ''}
        for ip in rec['fixed_ips']]
    return view


def _server_view(t, rec):
    view = dict(rec)
    addresses, networks = {}, {}
    first = None
    for port in t.list('port', device_id=rec['id']):
        net = t.get(port['network_id']) or {'name': port['network_id'],
                                            'id': port['network_id']}
        entries = addresses.setdefault(net['name'], [])
        for ip in port['fixed_ips']:
            first = first or ip['ip_address']
            entries.append(_addr(ip['ip_address'], 'fixed', port, net))
        for fip in t.list('floatingip', port_id=port['id']):
            entries.append(_addr(fip['floating_ip_address'], 'floating',
                                 port, net))
        ips = [e['addr'] for e in entries]
        networks[net['name']] = ips
        networks[net['id']] = ips
    view.update(addresses=addresses, networks=networks,
                first_address=first or '', accessIPv4='', accessIPv6='',
                console_urls={}, instance_name='instance-%08x' % (
                    int(rec['id'][:8], 16)))
    return view


def _addr(ip, kind, port, net):
    return {'addr': ip, 'version': ipaddress.ip_address(ip).version,
            'OS-EXT-IPS:type': kind,
            'OS-EXT-IPS-MAC:mac_addr': port['mac_address'],
            'port': port['id'], 'network': net['id']}


def _volume_view(t, rec):
    view = dict(rec)
    atts = [{'id': a['id'], 'attachment_id': a['id'], 'volume_id': rec['id'],
             'server_id': a['server_id'], 'device': a['device']}
            for a in t.list('volume_attachment', volume_id=rec['id'])]
    view.update(attachments=json.dumps(atts), attachments_list=atts,
                display_name=rec['name'], display_description=rec.get(
                    'description'),
                metadata_values=rec.get('metadata') or {})
    return view


def _ids(recs):
    return [{'id': r['id']} for r in recs]


def _lb_view(t, rec):
    view = dict(rec)
    view['listeners'] = _ids(t.list('listener', loadbalancer_id=rec['id']))
    view['pools'] = _ids(t.list('pool', loadbalancer_id=rec['id']))
    return view


def _listener_view(t, rec):
    view = dict(rec)
    view['loadbalancers'] = [{'id': rec.get('loadbalancer_id')}]
    return view


def _pool_view(t, rec):
    view = dict(rec)
    view['listeners'] = [{'id': rec['listener_id']}] if rec.get(
        'listener_id') else []
    view['loadbalancers'] = [{'id': rec['loadbalancer_id']}] if rec.get(
        'loadbalancer_id') else []
    view['members'] = _ids(t.list('member', pool_id=rec['id']))
    hms = t.list('healthmonitor', pool_id=rec['id'])
    view['healthmonitor_id'] = hms[0]['id'] if hms else None
    return view


def _hm_view(t, rec):
    view = dict(rec)
    view['pools'] = [{'id': rec.get('pool_id')}]
    return view


_VIEWS = {
    'network': _network_view,
    'port': _port_view,
    'server': _server_view,
    'volume': _volume_view,
    'loadbalancer': _lb_view,
    'listener': _listener_view,
    'pool': _pool_view,
    'healthmonitor': _hm_view,
}
