"""Every rendered variant the golden tests pin: name -> (driver, render)."""
from drivers.k8s_coreos_v1 import driver as coreos
from drivers.k8s_fedora_atomic_v1 import driver as atomic
from drivers.k8s_fedora_coreos_v1 import driver as fcos
from drivers.k8s_fedora_ironic_v1 import driver as ironic
from drivers.swarm_fedora_atomic_v1 import driver as swarm_v1
from drivers.swarm_fedora_atomic_v2 import driver as swarm_v2
from tests.unit.drivers import fixtures

OUTPUTS = {
    'fixed_network': 'net-of-demo',
    'fixed_subnet': 'subnet-of-demo',
    'worker_security_groups': ['sg-cluster', 'sg-worker'],
    'kube_api_private_address': '10.0.0.5',
    'primary_manager_private_address': '10.0.0.5',
}


def _cluster(driver_cls, template_fields=None, cluster_fields=None,
             masters=1, workers=2, values=None):
    def render():
        spec = fixtures.spec(template_fields, cluster_fields, masters,
                             workers)
        context = dict(fixtures.CONTEXT_VALUES, **(values or {}))
        return driver_cls().render_cluster(spec, context)
    return render


def _nodegroup(driver_cls, template_fields=None, **ng_fields):
    def render():
        spec = fixtures.spec(template_fields)
        ng = fixtures.extra_nodegroup(**ng_fields)
        spec = spec.with_nodegroup(ng)
        context = dict(fixtures.CONTEXT_VALUES, cluster_outputs=OUTPUTS)
        return driver_cls().render_nodegroup(spec, ng, context)
    return render


FCOS = fcos.Driver
VARIANTS = {
    # distros (vm and bm)
    'fcos_default': _cluster(FCOS),
    'atomic_default': _cluster(atomic.Driver, {
        'cluster_distro': 'fedora-atomic', 'image_id': 'fedora-atomic-27'}),
    'coreos_default': _cluster(coreos.Driver, {
        'cluster_distro': 'coreos', 'image_id': 'coreos-stable'}),
    'ironic_bm_volumes_ignored': _cluster(ironic.Driver, {
        'server_type': 'bm', 'cluster_distro': 'fedora',
        'image_id': 'fedora-ironic', 'docker_volume_size': 20,
        'labels': {'etcd_volume_size': '10', 'boot_volume_size': '40'}}),
    # load balancer and floating IPs
    'lb_on_fip_on': _cluster(FCOS, {'master_lb_enabled': True}, masters=3),
    'lb_on_lb_fip_off': _cluster(FCOS, {
        'master_lb_enabled': True,
        'labels': {'master_lb_floating_ip_enabled': 'false',
                   'master_lb_allowed_cidrs': '192.168.0.0/16,10.0.0.0/24'}},
        masters=3),
    'lb_on_fip_off': _cluster(FCOS, {'master_lb_enabled': True,
                                     'floating_ip_enabled': False}),
    'fip_off_lb_fip_on': _cluster(FCOS, {
        'master_lb_enabled': True, 'floating_ip_enabled': False,
        'labels': {'master_lb_floating_ip_enabled': 'true'}}),
    'fip_off': _cluster(FCOS, {'floating_ip_enabled': False}),
    'cluster_overrides_template': _cluster(
        FCOS, {'master_lb_enabled': False},
        {'master_lb_enabled': True, 'floating_ip_enabled': False,
         'flavor_id': 'm2.small', 'master_flavor_id': 'm2.large'}),
    # networks
    'existing_network': _cluster(FCOS, {'fixed_network': 'tenant-net',
                                        'fixed_subnet': 'tenant-subnet'}),
    'existing_network_resolved': _cluster(
        FCOS, {'fixed_network': 'tenant-net'},
        values={'fixed_network': 'e0a1-uuid', 'fixed_subnet': 'f1b2-uuid',
                'external_network': 'ext-uuid'}),
    # volumes
    'docker_volume': _cluster(FCOS, {'docker_volume_size': 20,
                                     'labels': {'docker_volume_type': 'ssd'}}),
    'etcd_volume': _cluster(FCOS, {'labels': {'etcd_volume_size': '5',
                                              'etcd_volume_type': 'fast'}}),
    'boot_volume': _cluster(FCOS, {'labels': {'boot_volume_size': '50',
                                              'boot_volume_type': 'ssd'}}),
    'volume_types_from_config': _cluster(
        FCOS, {'docker_volume_size': 10, 'labels': {'etcd_volume_size': '3'}},
        values={'default_docker_volume_type': 'std',
                'default_etcd_volume_type': 'std',
                'default_boot_volume_type': 'std',
                'default_boot_volume_size': 30}),
    'cluster_overrides_docker_volume': _cluster(
        FCOS, {'docker_volume_size': 10}, {'docker_volume_size': 25}),
    # pod networking
    'flannel_udp': _cluster(FCOS, {'labels': {'flannel_backend': 'udp'}}),
    'flannel_host_gw': _cluster(FCOS, {'labels': {
        'flannel_backend': 'host-gw', 'flannel_network_cidr': '10.200.0.0/16',
        'flannel_network_subnetlen': '26'}}),
    'calico': _cluster(FCOS, {'network_driver': 'calico', 'labels': {
        'calico_ipv4pool': '10.150.0.0/16',
        'calico_ipv4pool_ipip': 'CrossSubnet'}}),
    'cinder_volume_driver': _cluster(FCOS, {
        'volume_driver': 'cinder',
        'labels': {'cloud_provider_enabled': 'true'}}),
    # proxies, registries, TLS, availability zone
    'proxies': _cluster(FCOS, {
        'http_proxy': 'http://proxy.example.test:3128',
        'https_proxy': 'http://proxy.example.test:3128',
        'no_proxy': 'localhost,127.0.0.1,.example.test'}),
    'proxies_shell': _cluster(atomic.Driver, {
        'cluster_distro': 'fedora-atomic', 'image_id': 'fedora-atomic-27',
        'http_proxy': 'http://proxy.example.test:3128',
        'https_proxy': 'http://proxy.example.test:3128',
        'no_proxy': 'localhost,127.0.0.1'}),
    'tls_disabled_insecure_registry': _cluster(FCOS, {
        'tls_disabled': True, 'insecure_registry': '10.0.0.9:5000',
        'registry_enabled': True}),
    'availability_zone_and_dns': _cluster(FCOS, {
        'dns_nameserver': '1.1.1.1,9.9.9.9', 'apiserver_port': 7443,
        'labels': {'availability_zone': 'az-2', 'kube_tag': 'v1.27.8'}}),
    'resize_removes_nodes': _cluster(
        FCOS, workers=1, values={'nodes_to_remove': ['1', '3']}),
    # nodegroup stacks
    'nodegroup': _nodegroup(FCOS),
    'nodegroup_shell_volumes': _nodegroup(
        atomic.Driver, docker_volume_size=30, image_id='custom-image',
        labels={'boot_volume_size': '40'}),
}

# Docker Swarm: swarm mode (v2) and classic (v1) on Fedora Atomic.
SWARM = swarm_v2.Driver
SWARM_TEMPLATE = {'coe': 'swarm-mode', 'cluster_distro': 'fedora-atomic',
                  'image_id': 'fedora-atomic-27', 'network_driver': 'docker'}


def _swarm(driver_cls=SWARM, template_fields=None, **kwargs):
    fields = dict(SWARM_TEMPLATE, **(template_fields or {}))
    return _cluster(driver_cls, fields, **kwargs)


VARIANTS.update({
    'swarm_mode_default': _swarm(),
    'swarm_classic_flannel': _swarm(swarm_v1.Driver, {
        'coe': 'swarm', 'network_driver': 'flannel',
        'labels': {'swarm_strategy': 'binpack', 'swarm_tag': '1.2.8',
                   'flannel_backend': 'host-gw'}}, masters=3),
    'swarm_tls_disabled': _swarm(template_fields={'tls_disabled': True}),
    'swarm_lb_on_fip_off': _swarm(template_fields={
        'master_lb_enabled': True, 'floating_ip_enabled': False,
        'labels': {'master_lb_allowed_cidrs': '192.168.0.0/16'}}, masters=3),
    'swarm_existing_network': _swarm(template_fields={
        'fixed_network': 'tenant-net', 'fixed_subnet': 'tenant-subnet'}),
    'swarm_volumes_rexray': _swarm(template_fields={
        'docker_volume_size': 20, 'volume_driver': 'rexray',
        'labels': {'docker_volume_type': 'ssd', 'etcd_volume_size': '5',
                   'boot_volume_size': '40', 'rexray_preempt': 'true'}}),
    'swarm_proxies_registry': _swarm(template_fields={
        'http_proxy': 'http://proxy.example.test:3128',
        'https_proxy': 'http://proxy.example.test:3128',
        'no_proxy': 'localhost,127.0.0.1', 'registry_enabled': True,
        'insecure_registry': '10.0.0.9:5000',
        'labels': {'availability_zone': 'az-2'}}),
    'swarm_resize_removes_nodes': _swarm(
        workers=1, values={'nodes_to_remove': ['0', '2']}),
    'swarm_nodegroup': _nodegroup(SWARM, SWARM_TEMPLATE,
                                  docker_volume_size=10),
})
