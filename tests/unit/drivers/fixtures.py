"""Sample templates, clusters and nodegroups for the driver tests."""
from magnum.drivers import base
from magnum.drivers import views

CLUSTER_UUID = '5d12f6fd-a196-4bf0-ae4c-1f639a523a52'

# What the conductor would pass; secrets are obviously fake.
CONTEXT_VALUES = {
    'magnum_url': 'https://magnum.example.test:9511/v1',
    'auth_url': 'https://keystone.example.test:5000/v3',
    'region_name': 'RegionOne',
    'trustee_user_id': 'd3a8c5a1e0f94d8c9c1c0e5a7f1b2c3d',
    'trust_id': '7f4b0a1c2d3e4f5a6b7c8d9e0f1a2b3c',
    'trustee_password': 'fake-trustee-password',
    'kube_service_account_key': '-----BEGIN PUBLIC KEY-----\nFAKE\n'
                                '-----END PUBLIC KEY-----\n',
    'kube_service_account_private_key': '-----BEGIN PRIVATE KEY-----\n'
                                        'FAKE\n-----END PRIVATE KEY-----\n',
    'verify_ca': True,
    'nodes_affinity_policy': 'soft-anti-affinity',
}


def template(**fields):
    values = dict(uuid='0c5e8d7a-3f0e-4a55-9d1e-2b8c7a1f6e90',
                  name='k8s-template', coe='kubernetes', server_type='vm',
                  cluster_distro='fedora-coreos', image_id='fedora-coreos-38',
                  flavor_id='m1.medium', master_flavor_id='m1.large',
                  keypair_id='default-key', external_network_id='public',
                  network_driver='flannel', dns_nameserver='8.8.8.8',
                  floating_ip_enabled=True, master_lb_enabled=False)
    values.update(fields)
    return views.TemplateView(**values)


def cluster(**fields):
    values = dict(uuid=CLUSTER_UUID, name='demo', project_id='proj-1',
                  keypair='demo-key', create_timeout=60)
    values.update(fields)
    return views.ClusterView(**values)


def nodegroups(masters=1, workers=2, **worker_fields):
    return (
        views.NodeGroupView(uuid='ng-master', name='default-master',
                            role='master', is_default=True,
                            node_count=masters),
        views.NodeGroupView(uuid='ng-worker', name='default-worker',
                            role='worker', is_default=True,
                            node_count=workers, **worker_fields),
    )


def spec(template_fields=None, cluster_fields=None, masters=1, workers=2):
    return base.ClusterSpec(template(**(template_fields or {})),
                            cluster(**(cluster_fields or {})),
                            nodegroups(masters, workers))


def extra_nodegroup(**fields):
    values = dict(uuid='ng-gpu', name='gpu-workers', role='worker',
                  is_default=False, node_count=3, flavor_id='g1.large',
                  stack_id='ngstack-1')
    values.update(fields)
    return views.NodeGroupView(**values)
