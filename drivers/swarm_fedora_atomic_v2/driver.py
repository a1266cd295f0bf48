"""Docker swarm mode on Fedora Atomic virtual machines: the engine's own
managers and workers (docker swarm init / join)."""
from magnum.drivers import base
from drivers.swarm_common import driver


class Driver(driver.SwarmDriver):
    name = 'swarm_fedora_atomic_v2'
    provides = (base.Provides('vm', 'fedora-atomic', 'swarm-mode'),)
    version = '2.0.0'
