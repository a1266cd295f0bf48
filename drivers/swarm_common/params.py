"""The swarm parameter tables and environment.

The derived values, the environment switches and the node templates are the
Kubernetes drivers' (drivers/k8s_common): a swarm node is the same server,
port, floating IP and volumes with another user data. Every declared label
reaches the nodes in ``node_env``; the context values are those listed in
drivers/k8s_common/params.py.
"""
import os

from magnum.drivers.heat import render
from magnum.drivers.heat.render import Param
from magnum.drivers.heat.render import (cluster, computed, const, first,
                                        label, nodegroup, template, value)
from drivers.k8s_common import params as k8s

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
#: The templates swarm stacks take from the Kubernetes drivers.
SHARED_FILES = ('kubenode.yaml', 'network_private.yaml',
                'network_existing.yaml', 'floating_ip.yaml',
                'no_floating_ip.yaml', 'volume.yaml', 'lb_api.yaml',
                'fragments/write-env.sh', 'fragments/bootstrap.sh')


def api_port(template):
    """The managers' Docker API: 2376 with mutual TLS, plain 2375 without."""
    return 2375 if template.tls_disabled else 2376


def swarm_api_port(ri):
    return api_port(ri.template)


def swarm_settings(ri):
    return {
        'COE': ri.template.coe,
        'SWARM_API_PORT': swarm_api_port(ri),
        'NETWORK_DRIVER': ri.template.network_driver or 'docker',
    }


def _common():
    """Rows shared by the cluster stack and nodegroup stacks."""
    return (
        Param('cluster_name', computed(k8s.hostname_prefix)),
        Param('ssh_key_name', first(cluster('keypair'),
                                    template('keypair_id'))),
        Param('external_network', first(value('external_network'),
                                        template('external_network_id'),
                                        const('public'))),
        Param('node_image', first(nodegroup('worker', 'image_id'),
                                  template('image_id'))),
        Param('node_flavor', first(nodegroup('worker', 'flavor_id'),
                                   cluster('flavor_id'),
                                   template('flavor_id'))),
        Param('number_of_nodes', nodegroup('worker', 'node_count')),
        Param('worker_nodegroup_name', nodegroup('worker', 'name')),
        Param('nodes_to_remove', computed(k8s.nodes_to_remove)),
        Param('availability_zone', label('availability_zone')),
        Param('nodes_affinity_policy', value('nodes_affinity_policy')),
        Param('containers_network_cidr', label('flannel_network_cidr')),
        Param('swarm_api_port', computed(swarm_api_port)),
        Param('docker_volume_size', computed(k8s.docker_volume_size)),
        Param('docker_volume_type',
              first(label('docker_volume_type'),
                    value('default_docker_volume_type'))),
        Param('boot_volume_size', computed(k8s.boot_volume_size)),
        Param('boot_volume_type', first(label('boot_volume_type'),
                                        value('default_boot_volume_type'))),
        Param('node_env', k8s.node_env('plain', swarm_settings)),
        # Swarm nodes hold no role-specific secret: only the trust password.
        Param('node_secrets', k8s.node_secrets('plain', 'worker')),
    )


def cluster_parameters():
    return _common() + (
        Param('cluster_uuid', cluster('uuid')),
        Param('fixed_network', computed(k8s.fixed_network)),
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
        Param('etcd_volume_size', label('etcd_volume_size')),
        Param('etcd_volume_type', first(label('etcd_volume_type'),
                                        value('default_etcd_volume_type'))),
        Param('master_lb_enabled', computed(k8s.master_lb_enabled)),
        Param('master_lb_allowed_cidrs', label('master_lb_allowed_cidrs')),
        Param('swarm_version', label('swarm_tag')),
    )


def nodegroup_parameters():
    return _common() + (
        Param('fixed_network', k8s.cluster_output('fixed_network')),
        Param('fixed_subnet', k8s.cluster_output('fixed_subnet')),
        Param('security_groups',
              k8s.cluster_output('worker_security_groups')),
        Param('primary_manager_address',
              k8s.cluster_output('primary_manager_private_address')),
    )


def _shared_files(files):
    kubernetes = render.read_files(k8s.TEMPLATES)
    return {name: kubernetes[name] for name in SHARED_FILES}


REGISTRY = {'Magnum::SwarmNode': 'kubenode.yaml',
            'Magnum::NodeUserData': 'userdata_swarm.yaml'}


def stack_definitions():
    """The (cluster, nodegroup) StackDefinitions of the swarm drivers."""
    cluster_stack = render.StackDefinition(
        directory=TEMPLATES, main='swarmcluster.yaml',
        parameters=cluster_parameters(), switches=k8s.CLUSTER_SWITCHES,
        registry=REGISTRY, generated=_shared_files)
    nodegroup_stack = render.StackDefinition(
        directory=TEMPLATES, main='swarmnodegroup.yaml',
        parameters=nodegroup_parameters(), switches=k8s.NODE_SWITCHES,
        registry=dict(REGISTRY, **{'Magnum::EtcdVolume': k8s.NONE,
                                   'Magnum::ApiPoolMember': k8s.NONE}),
        generated=_shared_files)
    return cluster_stack, nodegroup_stack
