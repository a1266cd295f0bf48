"""Heat plugin: simulated Nova/Neutron/Cinder/Octavia/... resources.

Loaded by heat-engine through ``plugin_dirs``. For every built-in resource
type whose backing service is missing from the sandbox, a subclass of Heat's
*real* class is registered under the same type name. The real properties and
attributes schemas, update/replace rules and REPLACE translation rules stay;
API calls go to the simulated cloud in ``simcloud`` (SQLite) instead.

Pinned to openstack-heat 27.0.1 internals.

Environment (set by ``tools/sandbox/sandbox``):
  SANDBOX_SIMCLOUD_DB     the SQLite file shared with the HTTP endpoint
  SANDBOX_SLEEP_SCALE     factor for Heat's hard-coded 1 s sleeps (0.1)
  SANDBOX_AUTOSIGNAL      1: auto-signal WaitCondition/SoftwareDeployment
  SANDBOX_SERVER_DELAY    seconds every OS::Nova::Server takes to build
Fault injection: a resource (template name, ``name`` property or stack
name) containing ``sandbox-fail-create`` / ``sandbox-fail-delete`` (or the
``lab-`` spelling) fails that action (delete: only the first attempt, so a
second delete cleans up); ``sandbox-slow-N`` takes N seconds to create.
"""

import json
import os
import pkgutil
import re
import sys
import time
import types
import uuid

from oslo_log import log as logging
from oslo_utils import timeutils

from heat.common import exception
from heat.engine import scheduler
from heat.engine import translation
from heat.engine.resources.openstack.heat import software_deployment
from heat.engine.resources.openstack.heat import wait_condition

from . import simcloud

LOG = logging.getLogger(__name__)

# Not magnum: OS::Magnum::* call the real service under test.
FAKED_CLIENTS = frozenset((
    'nova', 'neutron', 'cinder', 'octavia', 'glance', 'designate', 'swift',
    'barbican', 'manila', 'trove', 'zaqar', 'zun', 'aodh', 'ironic',
    'blazar', 'mistral', 'openstack', 'monasca', 'sahara',
    'senlin', 'vitrage'))
FAKED_CONSTRAINT_PREFIXES = tuple(c + '.' for c in FAKED_CLIENTS)
SLOW_RE = re.compile(r'(?:sandbox|lab)-slow-(\d+)')

SLEEP_SCALE = float(os.environ.get('SANDBOX_SLEEP_SCALE', '0.1'))
AUTOSIGNAL = os.environ.get('SANDBOX_AUTOSIGNAL', '1') == '1'
SERVER_DELAY = float(os.environ.get('SANDBOX_SERVER_DELAY', '0'))

_cloud = None


def cloud():
    global _cloud
    if _cloud is None:
        _cloud = simcloud.Cloud(os.environ.get(simcloud.DB_ENV))
    return _cloud


# ---- Heat's deliberate sleeps (pitfall 6) -----------------------------------

def _patch_sleeps(scale):
    """Scale TaskRunner's step sleep and converge_stack's 1 s sleep."""
    if scale == 1:
        return
    orig_sleep = scheduler.TaskRunner._sleep

    def _sleep(self, wait_time):
        return orig_sleep(self, wait_time * scale if wait_time else
                          wait_time)

    scheduler.TaskRunner._sleep = _sleep
    from heat.engine import stack as stack_mod
    scaled_time = types.SimpleNamespace(**vars(time))
    scaled_time.sleep = lambda s: time.sleep(s * scale)
    stack_mod.time = scaled_time
    LOG.info('sandbox: Heat sleeps scaled by %s', scale)


_patch_sleeps(SLEEP_SCALE)


# ---- the common mixin -------------------------------------------------------

class SimResource(object):
    """Mixin put in front of a real Heat resource class."""

    default_client_name = None      # "service available", no catalog check
    _sim_client = None              # the real client name (set per class)
    sim_kind = 'generic'
    sim_update_fields = ()          # record fields that follow properties

    # -- plumbing
    def client_plugin(self, name=None):
        # Real plugin objects only supply constants (RES_TYPE_*, ...).
        return self.stack.clients.client_plugin(name or self._sim_client)

    def client(self, name=None, version=None):
        name = name or self._sim_client
        if name not in FAKED_CLIENTS:          # keystone, heat: real
            return super(SimResource, self).client(name, version)
        raise exception.Error('sandbox: %s client call is not simulated '
                              'for %s' % (name, self.type()))

    def translation_rules(self, props):
        rules = super(SimResource, self).translation_rules(props) or []
        return [r for r in rules
                if r.rule != translation.TranslationRule.RESOLVE]

    def validate(self):
        return self.validate_template()

    def _prop(self, key, default=None):
        try:
            value = self.properties[key]
        except (KeyError, ValueError):
            return default
        return default if value is None else value

    def _sim_name(self):
        return self._prop('name') or self.physical_resource_name()

    def _project(self):
        return self.context.project_id or self.context.tenant_id

    def _sim_fields(self):
        return {'heat_stack_id': self.stack.id, 'heat_resource': self.name}

    # -- fault / latency injection
    def _sim_markers(self):
        return ' '.join(str(s) for s in (self.name, self._prop('name', ''),
                                         self.stack.name))

    def _sim_fault(self, action):
        text = self._sim_markers()
        for prefix in ('sandbox', 'lab'):
            marker = '%s-fail-%s' % (prefix, action)
            if marker in text:
                raise exception.Error('sandbox: injected %s failure (%s in '
                                      '"%s")' % (action, marker, text))

    def _sim_deadline(self, extra=0):
        match = SLOW_RE.search(self._sim_markers())
        delay = (int(match.group(1)) if match else 0) + extra
        return time.time() + delay if delay else None

    # -- lifecycle
    def handle_create(self):
        self._sim_fault('create')
        rec = self._sim_create()
        self.resource_id_set(self._sim_ref(rec))
        return self._sim_deadline()

    def check_create_complete(self, deadline=None):
        return deadline is None or time.time() >= deadline

    def _sim_create(self):
        props = {k: v for k, v in self.properties.items() if v is not None}
        return cloud().create(self.sim_kind, self._sim_name(),
                              self._project(),
                              props=json.loads(json.dumps(props, default=str)),
                              **self._sim_fields())

    def _sim_ref(self, rec):
        return rec['id']

    def _sim_id(self):
        return self.resource_id

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        if prop_diff and self.resource_id:
            # Heat assigns the new properties after handle_update; the
            # simulation reads them through self._prop(), so do it now.
            new_props = json_snippet.properties(self.properties_schema,
                                                self.context)
            self.translate_properties(new_props, client_resolve=False)
            self.properties = new_props
            self._sim_update(dict(prop_diff))

    def check_update_complete(self, cookie=None):
        return True

    def _sim_update(self, prop_diff):
        """Record new property values; top-level fields listed in
        `sim_update_fields` (name, size, ...) change with them."""
        rec = cloud().get(self._sim_id()) or {}
        changes = {'props': dict(rec.get('props') or {}, **json.loads(
            json.dumps(prop_diff, default=str)))}
        for key in self.sim_update_fields:
            if key in prop_diff:
                changes[key] = changes['props'][key]
        if 'name' in prop_diff:
            changes['name'] = prop_diff['name'] or self._sim_name()
        cloud().update(self._sim_id(), **changes)

    def handle_delete(self):
        # An injected delete failure happens once, so the stack can still
        # be cleaned up by deleting it again.
        if not self.data().get('sim_delete_failed'):
            try:
                self._sim_fault('delete')
            except exception.Error:
                self.data_set('sim_delete_failed', '1')
                raise
        if self.resource_id is not None:
            self._sim_delete()

    def check_delete_complete(self, cookie=None):
        return True

    def _sim_delete(self):
        cloud().delete(self._sim_id())

    def handle_snapshot_delete(self, state):
        return self.handle_delete()

    def handle_suspend(self):
        pass

    def handle_resume(self):
        pass

    def handle_check(self):
        if self.resource_id and not cloud().get(self._sim_id()):
            raise exception.Error('sandbox: %s is gone' % self.resource_id)

    def handle_snapshot(self):
        pass

    def check_suspend_complete(self, cookie=None):
        return True

    def check_resume_complete(self, cookie=None):
        return True

    def check_snapshot_complete(self, cookie=None):
        return True

    def needs_replace_failed(self):
        return self.resource_id is None or not cloud().get(self._sim_id())

    def prepare_for_replace(self):
        pass

    def restore_prev_rsrc(self, convergence=False):
        pass

    # -- attributes
    def _show_resource(self):
        if self.resource_id is None:
            return {}
        return cloud().view(self._sim_id()) or {}

    def get_live_resource_data(self):
        return self._show_resource()

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        view = self._show_resource()
        if name in view:
            return view[name]
        return self._prop(name)


# ---- per-type behaviour (mixins in front of SimResource) --------------------

class SimNet(object):
    sim_kind = 'network'
    sim_update_fields = ('admin_state_up', 'shared', 'port_security_enabled')

    def _sim_create(self):
        extra = dict(self._prop('value_specs', {}))
        return cloud().create_network(
            self._sim_name(), self._project(),
            admin_state_up=self._prop('admin_state_up', True),
            shared=self._prop('shared', False),
            port_security_enabled=self._prop('port_security_enabled', True),
            **extra)


class SimSubnet(object):
    sim_kind = 'subnet'
    sim_update_fields = ('allocation_pools', 'dns_nameservers',
                         'host_routes', 'enable_dhcp')

    def _sim_create(self):
        gateway = self.properties['gateway_ip']
        gateway = 'auto' if gateway is None else (gateway or None)
        fields = {k: self._prop(k) for k in (
            'allocation_pools', 'dns_nameservers', 'host_routes',
            'enable_dhcp', 'ip_version') if self._prop(k) is not None}
        return cloud().create_subnet(
            self._prop('network'), self._sim_name(), self._project(),
            cidr=self._prop('cidr'), gateway_ip=gateway, **fields)


class SimPort(object):
    sim_kind = 'port'
    sim_update_fields = ('security_groups', 'allowed_address_pairs',
                         'admin_state_up', 'device_id', 'device_owner',
                         'port_security_enabled')

    def _sim_create(self):
        fixed = [{'subnet': f.get('subnet') or f.get('subnet_id'),
                  'ip_address': f.get('ip_address')}
                 for f in self._prop('fixed_ips', [])]
        fields = {k: self._prop(k) for k in (
            'security_groups', 'mac_address', 'allowed_address_pairs',
            'admin_state_up', 'device_id', 'device_owner',
            'port_security_enabled') if self._prop(k) is not None}
        if self._prop('no_fixed_ips'):
            fixed = []
        return cloud().create_port(self._prop('network'), self._project(),
                                   name=self._sim_name(),
                                   fixed_ips=fixed or None, **fields)


class SimRouter(object):
    sim_kind = 'router'

    def _sim_create(self):
        return cloud().create_router(
            self._sim_name(), self._project(),
            gateway=self._prop('external_gateway_info'),
            admin_state_up=self._prop('admin_state_up', True))

    def _sim_update(self, prop_diff):
        if 'external_gateway_info' in prop_diff:
            cloud().set_router_gateway(
                self.resource_id, prop_diff.pop('external_gateway_info'))
        SimResource._sim_update(self, prop_diff)


class SimRouterInterface(object):
    sim_kind = 'port'

    def _sim_create(self):
        return cloud().add_router_interface(
            self._prop('router'), self._project(),
            subnet=self._prop('subnet'), port=self._prop('port'))

    def _sim_delete(self):
        if self._prop('port'):
            cloud().update(self.resource_id, device_id='', device_owner='')
        else:
            cloud().delete(self.resource_id)


class SimFloatingIP(object):
    sim_kind = 'floatingip'

    def _sim_create(self):
        return cloud().create_floatingip(
            self._prop('floating_network'), self._project(),
            port_id=self._prop('port_id'),
            fixed_ip=self._prop('fixed_ip_address'),
            address=self._prop('floating_ip_address'))

    def _sim_update(self, prop_diff):
        if 'port_id' in prop_diff or 'fixed_ip_address' in prop_diff:
            cloud().associate_floatingip(
                self.resource_id, self._prop('port_id'),
                self._prop('fixed_ip_address'))


class SimFloatingIPAssociation(object):
    sim_kind = 'fip_association'

    def _sim_create(self):
        fip = cloud().associate_floatingip(
            self._prop('floatingip_id') or self._prop('floating_ip'),
            self._prop('port_id') or self._prop('server_id'),
            self._prop('fixed_ip_address'))
        return cloud().create('fip_association', '', self._project(),
                              floatingip_id=fip and fip['id'],
                              **self._sim_fields())

    def _sim_update(self, prop_diff):
        self._sim_delete_assoc()
        rec = cloud().get(self.resource_id)
        fip = cloud().associate_floatingip(
            self._prop('floatingip_id') or self._prop('floating_ip'),
            self._prop('port_id') or self._prop('server_id'),
            self._prop('fixed_ip_address'))
        if rec:
            cloud().update(rec['id'], floatingip_id=fip and fip['id'])

    def _sim_delete_assoc(self):
        rec = cloud().get(self.resource_id)
        if rec and rec.get('floatingip_id'):
            cloud().associate_floatingip(rec['floatingip_id'], None)

    def _sim_delete(self):
        self._sim_delete_assoc()
        cloud().delete(self.resource_id)


class SimServer(object):
    sim_kind = 'server'
    sim_update_fields = ('image', 'flavor', 'metadata', 'tags')

    def _sim_update(self, prop_diff):
        if 'networks' in prop_diff:
            cloud().replace_server_nics(self.resource_id,
                                        self._sim_networks())
        SimResource._sim_update(self, prop_diff)

    def _sim_networks(self):
        return [{k: v for k, v in nic.items() if v is not None}
                for nic in self._prop('networks', [])]

    def _sim_create(self):
        if self.user_data_software_config():
            # Same stack-user and os-collect-config metadata as real Heat,
            # so SoftwareDeployments can be signalled for real.
            self._create_transport_credentials(self.properties)
            metadata = self.metadata_get(True) or {}
            self._populate_deployments_metadata(metadata, self.properties)
        return cloud().create_server(
            self._sim_name(), self._project(), self._sim_networks(),
            image=self._prop('image'), flavor=self._prop('flavor'),
            key_name=self._prop('key_name'),
            metadata=self._prop('metadata', {}),
            tags=self._prop('tags', []), **self._sim_fields())

    def handle_create(self):
        self._sim_fault('create')
        rec = self._sim_create()
        self.resource_id_set(rec['id'])
        return self._sim_deadline(extra=SERVER_DELAY)

    def _sim_delete(self):
        if self.user_data_software_config():
            try:
                self._delete_user()
            except Exception as exc:  # the stack user may already be gone
                LOG.warning('sandbox: deleting stack user: %s', exc)
        cloud().delete(self.resource_id)

    def _resolve_attribute(self, name):
        if name == 'os_collect_config':
            return (self.metadata_get() or {}).get('os-collect-config', {})
        return SimResource._resolve_attribute(self, name)


class SimVolume(object):
    sim_kind = 'volume'
    sim_update_fields = ('size', 'description', 'metadata', 'volume_type')

    def _sim_create(self):
        image = self._prop('image') or self._prop('imageRef')
        return cloud().create(
            'volume', self._sim_name(), self._project(),
            size=self._prop('size', 1), status='available',
            description=self._prop('description', ''),
            metadata=self._prop('metadata', {}),
            volume_type=self._prop('volume_type', '__DEFAULT__'),
            availability_zone=self._prop('availability_zone', 'nova'),
            bootable='true' if image else 'false', encrypted=False,
            multiattach=self._prop('multiattach', False),
            source_volid=self._prop('source_volid'),
            snapshot_id=self._prop('snapshot_id'),
            backup_id=self._prop('backup_id'), **self._sim_fields())


class SimVolumeAttachment(object):
    sim_kind = 'volume_attachment'

    def _sim_create(self):
        return cloud().attach_volume(self._prop('volume_id'),
                                     self._prop('instance_uuid'),
                                     self._prop('mountpoint'))

    def _sim_update(self, prop_diff):
        cloud().delete(self.resource_id)
        rec = self._sim_create()
        self.resource_id_set(rec['id'])


class SimKeyPair(object):
    sim_kind = 'keypair'

    def _sim_create(self):
        public = self._prop('public_key')
        private = None
        if not public:
            public = 'ssh-rsa AAAAB3NzaSandbox%s sandbox' % uuid.uuid4().hex
            private = ('-----BEGIN OPENSSH PRIVATE KEY-----\nsandbox-%s\n'
                       '-----END OPENSSH PRIVATE KEY-----\n'
                       % uuid.uuid4().hex)
        rec = cloud().create('keypair', self._sim_name(), self._project(),
                             public_key=public, type=self._prop('type', 'ssh'),
                             fingerprint='sandbox:' + uuid.uuid4().hex[:16],
                             **self._sim_fields())
        if private and self._prop('save_private_key'):
            self.data_set('private_key', private, True)
        return rec

    def _sim_ref(self, rec):
        return rec['name']           # a nova keypair's id is its name

    def _sim_id(self):
        rec = cloud().find('keypair', self.resource_id)
        return rec['id'] if rec else self.resource_id

    def _resolve_attribute(self, name):
        if name == 'private_key':
            return self.data().get('private_key', '')
        return SimResource._resolve_attribute(self, name)


class SimLoadBalancer(object):
    sim_kind = 'loadbalancer'

    def _sim_create(self):
        return cloud().create_loadbalancer(
            self._sim_name(), self._project(),
            vip_subnet=self._prop('vip_subnet'),
            vip_address=self._prop('vip_address'),
            provider=self._prop('provider', 'amphora'),
            flavor_id=self._prop('flavor'),
            availability_zone=self._prop('availability_zone'),
            **self._sim_fields())


def _ref_id(kind, ref):
    rec = cloud().find(kind, ref) if ref else None
    return rec['id'] if rec else ref


class SimListener(object):
    sim_kind = 'listener'

    def _sim_create(self):
        return cloud().create(
            'listener', self._sim_name(), self._project(),
            loadbalancer_id=_ref_id('loadbalancer',
                                    self._prop('loadbalancer')),
            default_pool_id=_ref_id('pool', self._prop('default_pool')),
            protocol=self._prop('protocol'),
            protocol_port=self._prop('protocol_port'),
            provisioning_status='ACTIVE', operating_status='ONLINE',
            **self._sim_fields())


class SimPool(object):
    sim_kind = 'pool'

    def _sim_create(self):
        listener = cloud().find('listener', self._prop('listener'))
        lb_id = _ref_id('loadbalancer', self._prop('loadbalancer')) or (
            listener and listener.get('loadbalancer_id'))
        rec = cloud().create(
            'pool', self._sim_name(), self._project(),
            listener_id=listener and listener['id'], loadbalancer_id=lb_id,
            lb_algorithm=self._prop('lb_algorithm'),
            protocol=self._prop('protocol'), provisioning_status='ACTIVE',
            operating_status='ONLINE', **self._sim_fields())
        if listener and not listener.get('default_pool_id'):
            cloud().update(listener['id'], default_pool_id=rec['id'])
        return rec


class SimPoolMember(object):
    sim_kind = 'member'

    def _sim_create(self):
        return cloud().create(
            'member', self._sim_name(), self._project(),
            pool_id=_ref_id('pool', self._prop('pool')),
            address=self._prop('address'),
            protocol_port=self._prop('protocol_port'),
            weight=self._prop('weight', 1),
            subnet_id=_ref_id('subnet', self._prop('subnet')),
            provisioning_status='ACTIVE', operating_status='ONLINE',
            **self._sim_fields())


class SimHealthMonitor(object):
    sim_kind = 'healthmonitor'

    def _sim_create(self):
        return cloud().create(
            'healthmonitor', self._sim_name(), self._project(),
            pool_id=_ref_id('pool', self._prop('pool')),
            type=self._prop('type'), delay=self._prop('delay'),
            timeout=self._prop('timeout'),
            max_retries=self._prop('max_retries'),
            provisioning_status='ACTIVE', operating_status='ONLINE',
            **self._sim_fields())


class SimSimpleKind(object):
    """Types with no behaviour beyond storing properties."""


BEHAVIOUR = {
    'OS::Neutron::Net': SimNet,
    'OS::Neutron::Subnet': SimSubnet,
    'OS::Neutron::Port': SimPort,
    'OS::Neutron::Router': SimRouter,
    'OS::Neutron::RouterInterface': SimRouterInterface,
    'OS::Neutron::FloatingIP': SimFloatingIP,
    'OS::Neutron::FloatingIPAssociation': SimFloatingIPAssociation,
    'OS::Nova::Server': SimServer,
    'OS::Nova::KeyPair': SimKeyPair,
    'OS::Cinder::Volume': SimVolume,
    'OS::Cinder::VolumeAttachment': SimVolumeAttachment,
    'OS::Octavia::LoadBalancer': SimLoadBalancer,
    'OS::Octavia::Listener': SimListener,
    'OS::Octavia::Pool': SimPool,
    'OS::Octavia::PoolMember': SimPoolMember,
    'OS::Octavia::HealthMonitor': SimHealthMonitor,
}


def simulated_class(type_name, base):
    behaviour = BEHAVIOUR.get(type_name, SimSimpleKind)
    attrs = {'_sim_client': base.default_client_name,
             '__module__': __name__,
             '__doc__': base.__doc__}
    return type(base.__name__, (behaviour, SimResource, base), attrs)


def _loaded_module(name):
    """A module as loaded by Heat's plugin loader (which does not always
    register it in sys.modules, only as an attribute of its package)."""
    if name in sys.modules:
        return sys.modules[name]
    obj = sys.modules['heat']
    for part in name.split('.')[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _builtin_types():
    """(type name, class) of every loaded built-in resource type."""
    package = sys.modules['heat.engine.resources']
    for _, mod_name, _ in pkgutil.walk_packages(package.__path__,
                                                package.__name__ + '.'):
        mod = _loaded_module(mod_name)
        mapping = (getattr(mod, 'available_resource_mapping', None) or
                   getattr(mod, 'resource_mapping', None))
        if not callable(mapping):
            continue
        try:
            yield from (mapping() or {}).items()
        except Exception as exc:
            LOG.debug('sandbox: skipping %s: %s', mod_name, exc)


# ---- signals: auto-complete WaitConditions and SoftwareDeployments ----------

class AutoWaitCondition(wait_condition.HeatWaitCondition):
    """OS::Heat::WaitCondition that signals its own handle (count times)."""

    def handle_create(self):
        handle = self._get_handle_resource()
        self._validate_handle_resource(handle)
        already = len(handle.metadata_get(refresh=True) or {})
        for i in range(already + 1, self.properties[self.COUNT] + 1):
            handle.handle_signal({'status': 'SUCCESS', 'id': str(i),
                                  'data': 'auto-%d' % i,
                                  'reason': 'sandbox auto-signal'})
        return super(AutoWaitCondition, self).handle_create()


class SimServerCheckMixin(object):
    def _server_exists(self, sd):
        return cloud().get(sd['server_id']) is not None


class ManualSoftwareDeployment(SimServerCheckMixin,
                               software_deployment.SoftwareDeployment):
    """The real signalling path (only the server lookup is simulated)."""


class AutoSoftwareDeployment(ManualSoftwareDeployment):
    """Signals its deployment as a successful VM agent would."""

    def _check_complete(self):
        rpc = self.rpc_client()
        sd = rpc.show_software_deployment(self.context, self.resource_id)
        if sd['status'] == self.IN_PROGRESS:
            details = {'deploy_stdout': 'sandbox auto-signal',
                       'deploy_stderr': '', 'deploy_status_code': 0}
            config = rpc.show_software_config(self.context, sd['config_id'])
            for output in config.get('outputs') or []:
                details.setdefault(output['name'], '')
            rpc.signal_software_deployment(self.context, self.resource_id,
                                           details,
                                           timeutils.utcnow().isoformat())
        return super(AutoSoftwareDeployment, self)._check_complete()


def _deployment_types():
    classes = {}
    from heat.engine.resources.openstack.heat import structured_config
    manual_structured = type('StructuredDeployment', (
        SimServerCheckMixin, structured_config.StructuredDeployment), {})
    classes['Sandbox::Manual::SoftwareDeployment'] = ManualSoftwareDeployment
    classes['Sandbox::Manual::StructuredDeployment'] = manual_structured
    classes['Sandbox::Manual::WaitCondition'] = (
        wait_condition.HeatWaitCondition)
    if AUTOSIGNAL:
        classes['OS::Heat::SoftwareDeployment'] = AutoSoftwareDeployment
        classes['OS::Heat::StructuredDeployment'] = type(
            'StructuredDeployment',
            (AutoSoftwareDeployment, structured_config.StructuredDeployment),
            {})
        classes['OS::Heat::WaitCondition'] = AutoWaitCondition
    else:
        classes['OS::Heat::SoftwareDeployment'] = ManualSoftwareDeployment
        classes['OS::Heat::StructuredDeployment'] = manual_structured
    return classes


# ---- constraints ------------------------------------------------------------

class PermissiveConstraint(object):
    """Accepts any value: the service it would ask is simulated."""

    expected_exceptions = ()

    def validate(self, value, context, template=None):
        return True

    def error(self, value):
        return ''


# ---- Heat plugin entry points -----------------------------------------------

def resource_mapping():
    mapping = {}
    for type_name, cls in _builtin_types():
        client = getattr(cls, 'default_client_name', None)
        if client in FAKED_CLIENTS and not type_name.startswith('OS::Heat::'):
            mapping[type_name] = simulated_class(type_name, cls)
    mapping.update(_deployment_types())
    LOG.info('sandbox: simulating %d resource types', len(mapping))
    return mapping


def constraint_mapping():
    from heat.engine import resources
    names = set()
    for ext in resources._get_mapping('heat.constraints'):
        names.add(ext[0])
    return {name: PermissiveConstraint for name in names
            if name.startswith(FAKED_CONSTRAINT_PREFIXES)}
