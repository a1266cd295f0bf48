"""A driver for upstream Magnum 23.0.0, which ships none, so that its API
accepts cluster templates for the sandbox's fedora-coreos image in
tools/bench/compare.py. It provides the tuple and nothing else: every
cluster operation raises."""
import abc

from magnum.drivers.common import driver


class Driver(driver.Driver):
    provides = [{'server_type': 'vm', 'os': 'fedora-coreos',
                 'coe': 'kubernetes'}]


def _not_for_clusters(*args, **kwargs):
    raise NotImplementedError('benchmark driver: cluster templates only')


for _name in driver.Driver.__abstractmethods__ - {'provides'}:
    setattr(Driver, _name, _not_for_clusters)
abc.update_abstractmethods(Driver)
