"""Cert-manager backends, loaded by name from the entry-point group
``magnum.cert_manager.backend`` (``[certificates] cert_manager_type``)."""
from stevedore import driver

from magnum.common import exception

NAMESPACE = 'magnum.cert_manager.backend'


def load(name):
    """A new instance of the backend registered as ``name``."""
    try:
        return driver.DriverManager(NAMESPACE, name,
                                    invoke_on_load=True).driver
    except driver.NoMatches:
        raise exception.ConfigInvalid(
            error_msg='Unknown [certificates] cert_manager_type %r (entry '
                      'point group %s).' % (name, NAMESPACE))
