"""The Kubernetes parameter tables and environment switches.

Each row says where a Heat parameter comes from. Labels that only the node
bootstrap reads are not relayed one by one: every declared label reaches
the nodes in ``node_env`` (``kube_tag`` -> ``KUBE_TAG=...``).

Context values (``DriverContext.values``) the conductor supplies; all are
optional for rendering, the nodes need the first group to join:
  magnum_url, auth_url (Keystone v3), region_name, trustee_user_id,
  trust_id, trustee_password, kube_service_account_key and
  kube_service_account_private_key (PEM; keep them stable per cluster),
  verify_ca, openstack_ca (PEM bundle);
  external_network, fixed_network, fixed_subnet (resolved ids; the names
  from the template/cluster are used when absent);
  nodes_affinity_policy, default_{docker,etcd,boot}_volume_type,
  default_boot_volume_size (from magnum.conf);
  nodes_to_remove (member indexes; the driver fills it on resize) and
  cluster_outputs (the cluster stack's outputs, for nodegroup stacks).
"""
import base64
import os
from urllib import parse

from magnum.drivers.heat import render
from magnum.drivers.heat.render import Param, Switch
from magnum.drivers.heat.render import (cluster, computed, const, first,
                                        label, nodegroup, template, value)
from drivers import heat_common

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
NONE = 'OS::Heat::None'


# -- derived values -----------------------------------------------------------
def _either(ri, field):
    """The cluster's value of a template field it may override."""
    own = getattr(ri.cluster, field)
    return getattr(ri.template, field) if own is None else own


def floating_ip_enabled(ri):
    return bool(_either(ri, 'floating_ip_enabled'))


def master_lb_enabled(ri):
    return bool(_either(ri, 'master_lb_enabled'))


def lb_floating_ip_enabled(ri):
    wanted = ri.labels.get('master_lb_floating_ip_enabled')
    return floating_ip_enabled(ri) if wanted is None else wanted


def fixed_network(ri):
    return first(value('fixed_network'), cluster('fixed_network'),
                 template('fixed_network'))(ri)


def kubernetes_port(ri):
    if ri.template.tls_disabled:
        return 8080
    return ri.template.apiserver_port or 6443


def pods_network_cidr(ri):
    if ri.template.network_driver == 'calico':
        return ri.labels['calico_ipv4pool']
    return ri.labels['flannel_network_cidr']


def hostname_prefix(ri):
    """Cluster name as a hostname part (lower case, letters/digits/-)."""
    name = (ri.cluster.name or 'k8s-' + ri.cluster.uuid[:8]).lower()
    cleaned = ''.join(c if c.isalnum() else '-' for c in name).strip('-')
    return cleaned[:40] or 'k8s'


def nodes_to_remove(ri):
    return list(ri.values.get('nodes_to_remove') or ()) or None


def boot_volume_size(ri):
    if not ri.options.get('volumes', True):
        return None
    return ri.labels['boot_volume_size'] or ri.values.get(
        'default_boot_volume_size') or None


def volume_size(*sources):
    source = first(*sources)
    return lambda ri: (source(ri) if ri.options.get('volumes', True)
                       else None)


def docker_volume_size(ri):
    return volume_size(nodegroup('worker', 'docker_volume_size'),
                       cluster('docker_volume_size'),
                       template('docker_volume_size'))(ri)


def cluster_output(name):
    def source(ri):
        return (ri.values.get('cluster_outputs') or {}).get(name)
    return source


# -- what nodes read ----------------------------------------------------------
def _text(result):
    if result is None:
        return ''
    if isinstance(result, bool):
        return 'true' if result else 'false'
    return ' '.join(str(result).splitlines())


def _b64(text):
    return base64.b64encode(text.encode()).decode() if text else ''


def _encode(lines, encoding):
    text = ''.join('%s=%s\n' % (k, _text(v)) for k, v in lines)
    if encoding == 'dataurl':
        return 'data:,' + parse.quote(text, safe='')
    return text


def kubernetes_settings(ri):
    return {
        'KUBERNETES_PORT': kubernetes_port(ri),
        'NETWORK_DRIVER': ri.template.network_driver or 'flannel',
        'PODS_NETWORK_CIDR': pods_network_cidr(ri),
    }


def node_env(encoding, coe_settings=kubernetes_settings):
    """KEY=value lines for every node: the cluster's settings, the COE's
    own (``coe_settings(ri)``) and every declared label."""
    def source(ri):
        t, c = ri.template, ri.cluster
        v = ri.values.get
        settings = {
            'CLUSTER_UUID': c.uuid,
            'CLUSTER_NAME': c.name,
            'PROJECT_ID': c.project_id,
            'OS_DISTRO': t.cluster_distro,
            'SERVER_TYPE': t.server_type,
            'MAGNUM_URL': v('magnum_url'),
            'AUTH_URL': v('auth_url'),
            'REGION_NAME': v('region_name'),
            'TRUSTEE_USER_ID': v('trustee_user_id'),
            'TRUST_ID': v('trust_id'),
            'VERIFY_CA': v('verify_ca', True),
            'OPENSTACK_CA_B64': _b64(v('openstack_ca') or ''),
            'TLS_DISABLED': t.tls_disabled,
            'VOLUME_DRIVER': t.volume_driver,
            'DOCKER_STORAGE_DRIVER': t.docker_storage_driver,
            'REGISTRY_ENABLED': t.registry_enabled,
            'INSECURE_REGISTRY_URL': t.insecure_registry,
            'HTTP_PROXY': t.http_proxy,
            'HTTPS_PROXY': t.https_proxy,
            'NO_PROXY': t.no_proxy,
            'DISCOVERY_URL': c.discovery_url,
            'NUMBER_OF_MASTERS': (ri.spec.master.node_count
                                  if ri.spec.master else None),
            'MASTER_LB_ENABLED': master_lb_enabled(ri),
            'FLOATING_IP_ENABLED': floating_ip_enabled(ri),
        }
        settings.update(coe_settings(ri))
        for name, typed in ri.labels.items():
            settings.setdefault(name.upper(), typed)
        return _encode(sorted(settings.items()), encoding)
    return source


def node_secrets(encoding, role):
    def source(ri):
        lines = [('TRUSTEE_PASSWORD', ri.values.get('trustee_password'))]
        if role == 'master':
            lines += [
                ('KUBE_SERVICE_ACCOUNT_KEY_B64',
                 _b64(ri.values.get('kube_service_account_key') or '')),
                ('KUBE_SERVICE_ACCOUNT_PRIVATE_KEY_B64',
                 _b64(ri.values.get('kube_service_account_private_key')
                      or ''))]
        return _encode(lines, encoding)
    return source


# -- the tables ---------------------------------------------------------------
def _common(encoding):
    """Rows shared by the cluster stack and nodegroup stacks."""
    return (
        Param('cluster_name', computed(hostname_prefix)),
        Param('ssh_key_name', first(cluster('keypair'),
                                    template('keypair_id'))),
        Param('external_network', first(value('external_network'),
                                        template('external_network_id'),
                                        const('public'))),
        Param('minion_image', first(nodegroup('worker', 'image_id'),
                                    template('image_id'))),
        Param('minion_flavor', first(nodegroup('worker', 'flavor_id'),
                                     cluster('flavor_id'),
                                     template('flavor_id'))),
        Param('number_of_minions', nodegroup('worker', 'node_count')),
        Param('worker_nodegroup_name', nodegroup('worker', 'name')),
        Param('minions_to_remove', computed(nodes_to_remove)),
        Param('availability_zone', label('availability_zone')),
        Param('nodes_affinity_policy', value('nodes_affinity_policy')),
        Param('pods_network_cidr', computed(pods_network_cidr)),
        Param('kubernetes_port', computed(kubernetes_port)),
        Param('kube_tag', label('kube_tag')),
        Param('docker_volume_size', computed(docker_volume_size)),
        Param('docker_volume_type',
              first(label('docker_volume_type'),
                    value('default_docker_volume_type'))),
        Param('boot_volume_size', computed(boot_volume_size)),
        Param('boot_volume_type', first(label('boot_volume_type'),
                                        value('default_boot_volume_type'))),
        Param('node_env', node_env(encoding)),
        Param('worker_secrets', node_secrets(encoding, 'worker')),
    )


def cluster_parameters(encoding):
    return _common(encoding) + (
        Param('cluster_uuid', cluster('uuid')),
        Param('fixed_network', computed(fixed_network)),
        Param('fixed_subnet', first(value('fixed_subnet'),
                                    cluster('fixed_subnet'),
                                    template('fixed_subnet'))),
        Param('fixed_subnet_cidr', label('fixed_subnet_cidr')),
        Param('dns_nameserver', template('dns_nameserver')),
        Param('master_image', first(nodegroup('master', 'image_id'),
                                    template('image_id'))),
        Param('master_flavor', first(nodegroup('master', 'flavor_id'),
                                     cluster('master_flavor_id'),
                                     template('master_flavor_id'))),
        Param('number_of_masters', nodegroup('master', 'node_count')),
        Param('master_nodegroup_name', nodegroup('master', 'name')),
        Param('etcd_volume_size', volume_size(label('etcd_volume_size'))),
        Param('etcd_volume_type', first(label('etcd_volume_type'),
                                        value('default_etcd_volume_type'))),
        Param('master_lb_enabled', computed(master_lb_enabled)),
        Param('master_lb_allowed_cidrs', label('master_lb_allowed_cidrs')),
        Param('master_secrets', node_secrets(encoding, 'master')),
    )


def nodegroup_parameters(encoding):
    return _common(encoding) + (
        Param('fixed_network', cluster_output('fixed_network')),
        Param('fixed_subnet', cluster_output('fixed_subnet')),
        Param('security_groups', cluster_output('worker_security_groups')),
        Param('kube_api_address', cluster_output('kube_api_private_address')),
    )


def _volumes_on(ri):
    return ri.options.get('volumes', True)


def _docker_volume(ri):
    return bool(docker_volume_size(ri))


def _etcd_volume(ri):
    return _volumes_on(ri) and ri.labels['etcd_volume_size'] > 0


NODE_SWITCHES = (
    Switch('Magnum::NodeFloatingIp', floating_ip_enabled,
           'floating_ip.yaml', 'no_floating_ip.yaml'),
    Switch('Magnum::DockerVolume', _docker_volume, 'volume.yaml'),
)

CLUSTER_SWITCHES = NODE_SWITCHES + (
    Switch('Magnum::Network', lambda ri: bool(fixed_network(ri)),
           'network_existing.yaml', 'network_private.yaml'),
    Switch('Magnum::ApiLoadBalancer', master_lb_enabled, 'lb_api.yaml'),
    Switch('Magnum::ApiPoolMember', master_lb_enabled,
           'OS::Octavia::PoolMember'),
    Switch('Magnum::ApiFloatingIp', lb_floating_ip_enabled,
           'floating_ip.yaml', 'no_floating_ip.yaml'),
    Switch('Magnum::EtcdVolume', _etcd_volume, 'volume.yaml'),
)

USER_DATA = {'shell': 'userdata_shell.yaml',
             'ignition': 'userdata_ignition.yaml'}


def stack_definitions(user_data, volumes=True):
    """The (cluster, nodegroup) StackDefinitions of one kind of driver.

    ``user_data`` is 'shell' or 'ignition'; ``volumes`` False keeps Cinder
    out (bare metal).
    """
    encoding = 'dataurl' if user_data == 'ignition' else 'plain'
    registry = {'Magnum::KubeNode': 'kubenode.yaml',
                'Magnum::NodeUserData': USER_DATA[user_data]}
    cluster_stack = render.StackDefinition(
        directory=TEMPLATES, main='kubecluster.yaml',
        parameters=cluster_parameters(encoding),
        switches=CLUSTER_SWITCHES, registry=registry,
        generated=_generated(user_data), options={'volumes': volumes},
        shared=(heat_common.TEMPLATES,))
    nodegroup_stack = render.StackDefinition(
        directory=TEMPLATES, main='nodegroup.yaml',
        parameters=nodegroup_parameters(encoding),
        switches=NODE_SWITCHES,
        registry=dict(registry, **{'Magnum::EtcdVolume': NONE,
                                   'Magnum::ApiPoolMember': NONE}),
        generated=_generated(user_data), options={'volumes': volumes},
        shared=(heat_common.TEMPLATES,))
    return cluster_stack, nodegroup_stack


def _bootstrap_dataurl(files):
    return {'generated/bootstrap.dataurl':
            'data:,' + parse.quote(files['fragments/bootstrap.sh'], safe='')}


def _generated(user_data):
    return _bootstrap_dataurl if user_data == 'ignition' else None
