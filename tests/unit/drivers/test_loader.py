"""Driver loading and selection (reference section 4.1)."""
import pytest
from stevedore import extension

from magnum.common import exception
from magnum.drivers import loader
import magnum.conf
from drivers.k8s_fedora_atomic_v1 import driver as atomic
from drivers.k8s_fedora_coreos_v1 import driver as fcos

CONF = magnum.conf.CONF


class BetaDriver(fcos.Driver):
    name = None
    beta = True


def _registry(**classes):
    exts = [extension.Extension(name, None, cls, cls())
            for name, cls in classes.items()]
    return loader.load(extension.ExtensionManager.make_test_instance(exts))


@pytest.fixture
def beta_config():
    yield CONF.set_override
    CONF.clear_override('enabled_beta_drivers', group='drivers')


def test_lookup_by_type_and_by_name():
    registry = _registry(k8s_fedora_atomic_v1=atomic.Driver,
                         k8s_fedora_coreos_v1=fcos.Driver)
    found = registry.get('vm', 'fedora-coreos', 'kubernetes')
    assert isinstance(found, fcos.Driver)
    named = registry.get('bm', 'whatever', 'swarm', 'k8s_fedora_atomic_v1')
    assert isinstance(named, atomic.Driver)


def test_unknown_type_lists_what_is_supported():
    registry = _registry(k8s_fedora_coreos_v1=fcos.Driver)
    with pytest.raises(exception.ClusterTypeNotSupported) as caught:
        registry.get('bm', 'ubuntu', 'kubernetes')
    assert caught.value.code == 400
    assert '(vm, fedora-coreos, kubernetes)' in str(caught.value)


def test_no_drivers_loaded_says_so():
    with pytest.raises(exception.ClusterTypeNotSupported,
                       match='no cluster drivers are loaded'):
        _registry().get('vm', 'fedora-coreos', 'kubernetes')


def test_unknown_driver_name():
    with pytest.raises(exception.ClusterDriverNotSupported, match='nope'):
        _registry(k8s_fedora_coreos_v1=fcos.Driver).get(
            'vm', 'fedora-coreos', 'kubernetes', 'nope')


def test_beta_driver_needs_enabling(beta_config):
    registry = _registry(k8s_beta=BetaDriver)
    with pytest.raises(exception.ClusterTypeBetaNotEnabled):
        registry.get('vm', 'fedora-coreos', 'kubernetes')
    beta_config('enabled_beta_drivers', ['k8s_beta'], group='drivers')
    assert registry.get('vm', 'fedora-coreos', 'kubernetes').name == 'k8s_beta'


def test_disabled_drivers_are_filtered():
    CONF.set_override('disabled_drivers', ['k8s_fedora_atomic_v1'],
                      group='drivers')
    try:
        ext = extension.Extension('k8s_fedora_atomic_v1', None, None, None)
        assert not loader._enabled(ext)
        other = extension.Extension('k8s_fedora_coreos_v1', None, None, None)
        assert loader._enabled(other)
    finally:
        CONF.clear_override('disabled_drivers', group='drivers')


def test_installed_entry_points_provide_the_four_kubernetes_drivers():
    registry = loader.load()
    assert {'k8s_fedora_atomic_v1', 'k8s_fedora_coreos_v1', 'k8s_coreos_v1',
            'k8s_fedora_ironic_v1'} <= set(registry.names())
    assert registry.get('bm', 'fedora', 'kubernetes').name == (
        'k8s_fedora_ironic_v1')
    assert registry.get('vm', 'coreos', 'kubernetes').name == 'k8s_coreos_v1'
