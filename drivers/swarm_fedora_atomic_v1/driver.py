"""Classic Docker Swarm on Fedora Atomic virtual machines: a swarm manager
container on each master and a swarm agent on each worker, discovering
each other through etcd on the masters."""
from magnum.drivers import base
from drivers.swarm_common import driver


class Driver(driver.SwarmDriver):
    name = 'swarm_fedora_atomic_v1'
    provides = (base.Provides('vm', 'fedora-atomic', 'swarm'),)
    version = '1.0.0'
    label_overrides = {
        'swarm_strategy': {
            'type': 'string', 'default': 'spread',
            'enum': ['spread', 'binpack', 'random'],
            'description': "How the manager places containers on nodes "
                           "(swarm manage --strategy)."},
        'swarm_tag': {
            'type': 'string', 'default': '1.2.9',
            'description': 'Container tag of the classic swarm image '
                           '(reported as the coe_version).'},
    }
