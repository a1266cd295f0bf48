"""Find drivers through the ``magnum.drivers`` entry-point group.

Each enabled entry point is instantiated once; the instances are indexed by
the (server_type, os, coe) tuples they provide (the last one loaded wins on
a duplicate tuple). ``[drivers] disabled_drivers`` hides entry points and
beta drivers need ``[drivers] enabled_beta_drivers``.
"""
import logging
import threading

from stevedore import enabled

from magnum.common import exception
import magnum.conf

CONF = magnum.conf.CONF
LOG = logging.getLogger(__name__)
NAMESPACE = 'magnum.drivers'


class DriverRegistry:
    """The loaded drivers, by entry-point name and by provided tuple."""

    def __init__(self, manager):
        self.by_name = {}
        self.by_type = {}
        for ext in sorted(manager, key=lambda e: e.name):
            driver = ext.obj if ext.obj is not None else ext.plugin()
            if driver.name is None:
                driver.name = ext.name
            self.by_name[ext.name] = driver
            for provided in driver.provides:
                self.by_type[tuple(provided)] = ext.name

    def get(self, server_type, os, coe, driver_name=None):
        if driver_name:
            try:
                return self.by_name[driver_name]
            except KeyError:
                raise exception.ClusterDriverNotSupported(
                    driver_name=driver_name) from None
        name = self.by_type.get((server_type, os, coe))
        if name is None:
            supported = ', '.join(
                '(%s, %s, %s)' % t for t in sorted(self.by_type)) or (
                'none (no cluster drivers are loaded)')
            raise exception.ClusterTypeNotSupported(
                server_type=server_type, os=os, coe=coe, supported=supported)
        driver = self.by_name[name]
        if driver.beta and name not in CONF.drivers.enabled_beta_drivers:
            raise exception.ClusterTypeBetaNotEnabled(
                server_type=server_type, os=os, coe=coe)
        return driver

    def names(self):
        return sorted(self.by_name)


def _enabled(ext):
    return ext.name not in CONF.drivers.disabled_drivers


def load(manager=None):
    """Build a registry, from the installed entry points by default."""
    if manager is None:
        manager = enabled.EnabledExtensionManager(
            NAMESPACE, check_func=_enabled, invoke_on_load=True,
            on_load_failure_callback=_load_failed)
    return DriverRegistry(manager)


def _load_failed(manager, entrypoint, exc):
    LOG.error('Cluster driver %s failed to load: %s', entrypoint.name, exc)


_registry = None
_lock = threading.Lock()


def registry():
    """The process-wide registry, loaded on first use."""
    global _registry
    with _lock:
        if _registry is None:
            _registry = load()
        return _registry


def reset():
    """Forget the cached registry (after a config change, in tests)."""
    global _registry
    with _lock:
        _registry = None


def get_driver(server_type, os, coe, driver_name=None):
    return registry().get(server_type, os, coe, driver_name)


def get_driver_for_template(template):
    return get_driver(template.server_type, template.cluster_distro,
                      template.coe, getattr(template, 'driver', None))
