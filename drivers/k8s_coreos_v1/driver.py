"""Kubernetes on CoreOS Container Linux virtual machines.

Container Linux runs a user-data script that starts with ``#!`` through
coreos-cloudinit, so it shares the shell user data; it has no SELinux
policy to speak of and no podman.
"""
from magnum.drivers import base
from drivers.k8s_common import driver


class Driver(driver.KubernetesDriver):
    name = 'k8s_coreos_v1'
    provides = (base.Provides('vm', 'coreos', 'kubernetes'),)
    version = '1.0.0'
    label_overrides = {
        'use_podman': {'default': False, 'const': False,
                       'description': 'CoreOS has no podman; system '
                                      'containers run with docker.'},
        'selinux_mode': {'default': 'permissive'},
    }
