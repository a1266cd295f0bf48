"""Kubernetes on Fedora CoreOS virtual machines (Ignition user data)."""
from magnum.drivers import base
from drivers.k8s_common import driver


class Driver(driver.KubernetesDriver):
    name = 'k8s_fedora_coreos_v1'
    provides = (base.Provides('vm', 'fedora-coreos', 'kubernetes'),)
    version = '1.0.0'
    user_data = 'ignition'
    label_overrides = {
        'use_podman': {'default': True, 'const': True,
                       'description': 'Fedora CoreOS always runs system '
                                      'containers with podman.'},
    }
