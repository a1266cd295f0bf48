"""magnum-driver-manage list-drivers."""
import types

from magnum.cmd import driver_manage
from magnum.drivers import loader
from drivers.k8s_fedora_coreos_v1 import driver as fcos
from drivers.k8s_fedora_ironic_v1 import driver as ironic


def _registry():
    return loader.DriverRegistry([
        types.SimpleNamespace(name='k8s_fedora_coreos_v1', obj=fcos.Driver()),
        types.SimpleNamespace(name='k8s_fedora_ironic_v1',
                              obj=ironic.Driver())])


def test_plain_listing():
    out = driver_manage.list_drivers(_registry())
    lines = out.splitlines()
    assert lines[1].split('|')[1].strip() == 'Name'
    assert 'k8s_fedora_coreos_v1' in out and 'k8s_fedora_ironic_v1' in out
    assert 'fedora-coreos' not in out


def test_details_and_paths():
    out = driver_manage.list_drivers(_registry(), details=True, paths=True)
    assert '(vm, fedora-coreos, kubernetes)' in out
    assert '(bm, fedora, kubernetes)' in out
    assert 'k8s_common/templates' in out


def test_main_prints_the_table(monkeypatch, capsys):
    monkeypatch.setattr(loader, 'registry', _registry)
    assert driver_manage.main(['list-drivers', '--details']) == 0
    assert '(bm, fedora, kubernetes)' in capsys.readouterr().out
