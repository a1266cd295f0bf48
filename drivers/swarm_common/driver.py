"""The Docker Swarm driver on Heat; the distro drivers set a few attributes."""
import os

import yaml

from magnum.drivers import labels
from magnum.drivers.heat import driver as heat_driver
from drivers.k8s_common import driver as k8s_driver
from drivers.swarm_common import params

_LABELS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'labels.yaml')

#: Labels that mean the same for every COE, declared by the Kubernetes schema.
SHARED_LABELS = (
    'availability_zone', 'boot_volume_size', 'boot_volume_type',
    'docker_volume_type', 'etcd_volume_size', 'etcd_volume_type', 'etcd_tag',
    'container_infra_prefix', 'fixed_subnet_cidr', 'flannel_network_cidr',
    'flannel_backend', 'flannel_network_subnetlen', 'flannel_tag',
    'master_lb_floating_ip_enabled', 'master_lb_allowed_cidrs')

with open(_LABELS_FILE, encoding='utf-8') as _f:
    LABELS = labels.LabelSchema(dict(
        {name: k8s_driver.LABELS.properties[name] for name in SHARED_LABELS},
        **yaml.safe_load(_f))).merged({
            'flannel_network_cidr': {
                'description': 'IPv4 CIDR of the whole flannel container '
                               'network (network driver flannel).'}})


class SwarmDriver(heat_driver.HeatDriver):
    """Subclasses set ``name``, ``provides``, ``version`` and, for labels
    only their swarm flavour reads, ``label_overrides``."""

    label_overrides = {}
    outputs = heat_driver.OutputMap(
        master_addresses='swarm_masters', worker_addresses='swarm_nodes',
        worker_count='number_of_nodes', coe_version='swarm_version',
        worker_group='swarm_nodes', removal='nodes_to_remove')

    def __init__(self):
        self.labels = LABELS.merged(self.label_overrides)
        self.cluster_stack, self.nodegroup_stack = params.stack_definitions()

    def api_url(self, spec, address):
        """Docker's own scheme: DOCKER_HOST=tcp://<address>:<port>."""
        if not address:
            return None
        return 'tcp://%s:%d' % (address, params.api_port(spec.template))
