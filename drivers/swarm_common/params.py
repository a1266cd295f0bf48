"""The swarm parameter tables and environment.

A swarm node is a Kubernetes node (drivers/k8s_common) with another user
data: the same server, port, floating IP and volumes. So the tables take the
Kubernetes infrastructure rows, renamed where the swarm templates say
"node" for "minion", and add the swarm's own; the environment switches are
the Kubernetes ones too, and the node templates are drivers/heat_common's.
Every declared label reaches the nodes in ``node_env``; the context values
are those listed in drivers/k8s_common/params.py.
"""
import dataclasses
import os

from magnum.drivers.heat import render
from magnum.drivers.heat.render import Param, computed, label
from drivers import heat_common
from drivers.k8s_common import params as k8s

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
#: The Kubernetes node bootstrap, which swarm nodes keep as a library.
LIBRARY = 'fragments/bootstrap.sh'


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


#: Rows of the Kubernetes tables swarm stacks take under another name...
RENAMED = {'minion_image': 'node_image', 'minion_flavor': 'node_flavor',
           'number_of_minions': 'number_of_nodes',
           'minions_to_remove': 'nodes_to_remove'}
#: ...and the rows only Kubernetes nodes read.
KUBERNETES_ONLY = frozenset((
    'pods_network_cidr', 'kubernetes_port', 'kube_tag', 'kube_api_address',
    'node_env', 'master_secrets', 'worker_secrets'))


def _infrastructure(kubernetes_rows):
    """The servers, network and volumes rows of a Kubernetes table, in the
    swarm templates' names: both COEs build their nodes the same way."""
    return tuple(
        dataclasses.replace(row, name=RENAMED.get(row.name, row.name))
        for row in kubernetes_rows if row.name not in KUBERNETES_ONLY)


def _swarm():
    """Rows of both swarm stacks that are the swarm's own."""
    return (
        Param('containers_network_cidr', label('flannel_network_cidr')),
        Param('swarm_api_port', computed(swarm_api_port)),
        Param('node_env', k8s.node_env('plain', swarm_settings)),
        # Swarm nodes hold no role-specific secret: only the trust password.
        Param('node_secrets', k8s.node_secrets('plain', 'worker')),
    )


def cluster_parameters():
    return _infrastructure(k8s.cluster_parameters('plain')) + _swarm() + (
        Param('swarm_version', label('swarm_tag')),
    )


def nodegroup_parameters():
    return _infrastructure(k8s.nodegroup_parameters('plain')) + _swarm() + (
        Param('primary_manager_address',
              k8s.cluster_output('primary_manager_private_address')),
    )


def _library(files):
    return {LIBRARY: render.read_files(k8s.TEMPLATES)[LIBRARY]}


REGISTRY = {'Magnum::SwarmNode': 'kubenode.yaml',
            'Magnum::NodeUserData': 'userdata_swarm.yaml'}


def stack_definitions():
    """The (cluster, nodegroup) StackDefinitions of the swarm drivers."""
    cluster_stack = render.StackDefinition(
        directory=TEMPLATES, main='swarmcluster.yaml',
        parameters=cluster_parameters(), switches=k8s.CLUSTER_SWITCHES,
        registry=REGISTRY, generated=_library,
        shared=(heat_common.TEMPLATES,))
    nodegroup_stack = render.StackDefinition(
        directory=TEMPLATES, main='swarmnodegroup.yaml',
        parameters=nodegroup_parameters(), switches=k8s.NODE_SWITCHES,
        registry=dict(REGISTRY, **{'Magnum::EtcdVolume': k8s.NONE,
                                   'Magnum::ApiPoolMember': k8s.NONE}),
        generated=_library, shared=(heat_common.TEMPLATES,))
    return cluster_stack, nodegroup_stack
