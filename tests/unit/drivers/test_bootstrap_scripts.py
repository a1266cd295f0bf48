"""Node bootstrap scripts: shellcheck clean, and they use the Magnum API."""
import os
import shutil
import subprocess

import pytest

DRIVERS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'drivers')
FRAGMENTS = os.path.join(DRIVERS, 'k8s_common', 'templates', 'fragments')
SWARM_FRAGMENTS = os.path.join(DRIVERS, 'swarm_common', 'templates',
                               'fragments')
SHARED_FRAGMENTS = os.path.join(DRIVERS, 'heat_common', 'templates',
                                'fragments')
SCRIPTS = sorted((folder, name)
                 for folder in (FRAGMENTS, SWARM_FRAGMENTS, SHARED_FRAGMENTS)
                 for name in os.listdir(folder) if name.endswith('.sh'))


def _read(name):
    with open(os.path.join(FRAGMENTS, name), encoding='utf-8') as f:
        return f.read()


# tools/run-tests installs shellcheck; on CI its absence is a failure.
@pytest.mark.skipif(shutil.which('shellcheck') is None
                    and not os.environ.get('CI'),
                    reason='shellcheck is not installed '
                           '(tools/install-system-deps)')
@pytest.mark.parametrize('folder, script', SCRIPTS,
                         ids=[name for _folder, name in SCRIPTS])
def test_shellcheck_clean(folder, script):
    result = subprocess.run(
        ['shellcheck', '--shell=bash', '--severity=style', script],
        cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_certificates_come_from_the_magnum_api():
    text = _read('bootstrap.sh')
    assert '${MAGNUM_URL%/}/certificates/${CLUSTER_UUID}?ca_cert_type=' in text
    assert '"${MAGNUM_URL%/}/certificates"' in text
    assert 'OpenStack-API-Version: container-infra latest' in text
    assert '/auth/tokens' in text and 'OS-TRUST:trust' in text


def test_private_keys_are_not_echoed():
    text = _read('bootstrap.sh')
    for line in text.splitlines():
        if 'PRIVATE_KEY' in line or 'TRUSTEE_PASSWORD' in line:
            assert not line.strip().startswith(('log ', 'echo "$TRUSTEE')), \
                line


def test_settings_are_read_not_evaluated():
    text = _read('bootstrap.sh')
    assert 'source /etc/magnum' not in text
    assert '. /etc/magnum' not in text
