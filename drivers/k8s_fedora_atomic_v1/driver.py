"""Kubernetes on Fedora Atomic virtual machines (cloud-init user data)."""
from magnum.drivers import base
from drivers.k8s_common import driver


class Driver(driver.KubernetesDriver):
    name = 'k8s_fedora_atomic_v1'
    provides = (base.Provides('vm', 'fedora-atomic', 'kubernetes'),)
    version = '1.0.0'
    # Atomic runs system containers with atomic unless told to use podman;
    # those containers only start with SELinux permissive, and kubelet from
    # v1.16 needs podman.
    label_overrides = {
        'use_podman': {'default': False},
        'selinux_mode': {'default': 'permissive'},
        'kube_tag': {'default': 'v1.15.7'},
    }
