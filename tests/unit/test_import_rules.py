"""ARCHITECTURE rule 1, enforced: imports point down.

api → objects, conductor.rpcapi, common, drivers (loader/labels only)
conductor → objects, drivers SDK, certificates, common, db
drivers (the COE folders) → the SDK (magnum.drivers) and magnum.common only
pecan and wsme only inside magnum/api
"""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _imports(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0:
            for alias in node.names:
                yield '%s.%s' % (node.module, alias.name)


def _modules(folder):
    return sorted((ROOT / folder).rglob('*.py'))


def _violations(folder, forbidden, allowed=()):
    found = []
    for path in _modules(folder):
        for name in _imports(path):
            if any(name == f or name.startswith(f + '.') for f in forbidden) \
                    and not any(name == a or name.startswith(a + '.')
                                for a in allowed):
                found.append('%s imports %s' % (path.relative_to(ROOT), name))
    return sorted(set(found))


@pytest.mark.parametrize('folder', ['magnum/common', 'magnum/conductor',
                                    'magnum/db', 'magnum/objects',
                                    'magnum/drivers', 'magnum/certificates',
                                    'magnum/conf', 'magnum/cmd', 'drivers'])
def test_web_frameworks_stay_in_the_api(folder):
    assert _violations(folder, ['pecan', 'wsme', 'wsmeext']) == []


def test_nothing_below_the_api_imports_it():
    for folder in ('magnum/conductor', 'magnum/objects', 'magnum/db',
                   'magnum/drivers', 'magnum/certificates', 'magnum/common',
                   'drivers'):
        assert _violations(folder, ['magnum.api']) == [], folder


def test_api_reaches_the_conductor_only_through_rpcapi():
    assert _violations('magnum/api', ['magnum.conductor'],
                       allowed=['magnum.conductor.rpcapi']) == []


def test_coe_drivers_import_only_the_sdk():
    assert _violations('drivers', ['magnum'],
                       allowed=['magnum.drivers', 'magnum.common']) == []


def test_sdk_does_not_reach_into_services():
    assert _violations('magnum/drivers', ['magnum.conductor', 'magnum.db',
                                          'magnum.objects', 'drivers']) == []


def test_storage_does_not_import_upwards():
    for folder in ('magnum/db', 'magnum/objects'):
        assert _violations(folder, ['magnum.conductor', 'magnum.drivers',
                                    'magnum.certificates']) == [], folder


def test_threads_not_eventlet():
    """magnum selects oslo.service's threading backend, and nothing is
    monkey-patched (some libraries merely probe for eventlet)."""
    import subprocess
    import sys
    code = ('import sys, magnum.api.app, magnum.common.rpc, '
            'oslo_messaging.server\n'
            'from oslo_service import backend\n'
            'print(backend.get_backend_type().value)\n'
            'e = sys.modules.get("eventlet.patcher")\n'
            'print(bool(e and e.is_monkey_patched("thread")))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ['threading', 'False']


def test_sample_config_and_policy_generate(tmp_path):
    """The generators import magnum as a plugin after oslo.messaging has
    chosen oslo.service's backend: both must still produce every group."""
    import pathlib
    import subprocess
    import sys
    bindir = pathlib.Path(sys.executable).parent
    conf = tmp_path / 'magnum.conf.sample'
    subprocess.run([str(bindir / 'oslo-config-generator'), '--namespace',
                    'magnum', '--output-file', str(conf)], check=True,
                   capture_output=True)
    text = conf.read_text()
    for group in ('[DEFAULT]', '[api]', '[conductor]', '[x509]',
                  '[certificates]', '[drivers]', '[glance_client]'):
        assert group in text
    policy = tmp_path / 'policy.yaml'
    subprocess.run([str(bindir / 'oslopolicy-sample-generator'),
                    '--namespace', 'magnum', '--output-file', str(policy)],
                   check=True, capture_output=True)
    assert '"cluster:create"' in policy.read_text()
