"""The Kubernetes driver on Heat; distro drivers set a few attributes."""
import os

import yaml

from magnum.drivers import labels
from magnum.drivers.heat import driver as heat_driver
from drivers.k8s_common import params

_LABELS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'labels.yaml')

with open(_LABELS_FILE, encoding='utf-8') as _f:
    LABELS = labels.LabelSchema(yaml.safe_load(_f))


class KubernetesDriver(heat_driver.HeatDriver):
    """Subclasses set ``name``, ``provides``, ``version`` and, where the
    distro differs, ``user_data`` ('shell' or 'ignition'), ``volumes``
    (False on bare metal) and ``label_overrides`` (schema changes per
    label, usually new defaults)."""

    user_data = 'shell'
    volumes = True
    label_overrides = {}

    def __init__(self):
        self.labels = LABELS.merged(self.label_overrides)
        self.cluster_stack, self.nodegroup_stack = params.stack_definitions(
            self.user_data, volumes=self.volumes)
