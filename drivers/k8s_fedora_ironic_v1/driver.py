"""Kubernetes on Fedora bare-metal servers from Ironic.

Bare-metal servers get no Cinder volumes (container storage, etcd data and
the root disk stay on local disks).
"""
from magnum.drivers import base
from drivers.k8s_common import driver


class Driver(driver.KubernetesDriver):
    name = 'k8s_fedora_ironic_v1'
    provides = (base.Provides('bm', 'fedora', 'kubernetes'),)
    version = '1.0.0'
    volumes = False
    label_overrides = {
        'selinux_mode': {'default': 'permissive'},
    }
