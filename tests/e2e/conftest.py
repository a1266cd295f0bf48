"""End-to-end fixtures: the loopback sandbox (real Keystone + real Heat).

Tests under tests/e2e that need the sandbox (the ``sandbox_env`` fixture,
directly or not) run when ``MAGNUM_E2E=1``; with ``MAGNUM_E2E`` unset they
run only if the sandbox is already up (``tools/sandbox/sandbox status``
exits 0); ``MAGNUM_E2E=0`` skips them. Tests of the simulated cloud alone
always run. The session fixture runs ``tools/sandbox/sandbox up``, which
is idempotent (seconds when already up; see tools/sandbox/README.rst).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SANDBOX = REPO / 'tools' / 'sandbox' / 'sandbox'
TEMPLATES = Path(__file__).resolve().parent / 'templates'


def _sandbox(*args, **kwargs):
    return subprocess.run([str(SANDBOX)] + list(args), text=True,
                          capture_output=True, **kwargs)


def _enabled():
    flag = os.environ.get('MAGNUM_E2E')
    if flag in ('0', '1'):
        return flag == '1'
    return _sandbox('status').returncode == 0


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    mine = [i for i in items if here in Path(str(i.fspath)).parents and
            'sandbox_env' in getattr(i, 'fixturenames', ())]
    if mine and not _enabled():
        skip = pytest.mark.skip(reason='e2e: set MAGNUM_E2E=1 or run '
                                       'tools/sandbox/sandbox up '
                                       '(MAGNUM_E2E=0 skips)')
        for item in mine:
            item.add_marker(skip)


def _parse_exports(text):
    env = {}
    for line in text.splitlines():
        if line.startswith('export ') and '=' in line:
            key, value = line[len('export '):].split('=', 1)
            env[key] = value
    return env


@pytest.fixture(scope='session')
def sandbox_env():
    """os.environ plus OS_* for the demo user, with the sandbox up."""
    up = _sandbox('up', timeout=900)
    if up.returncode:
        pytest.fail('sandbox up failed:\n%s%s' % (up.stdout, up.stderr))
    env = dict(os.environ)
    env.update(_parse_exports(_sandbox('env', check=True).stdout))
    return env


@pytest.fixture(scope='session')
def admin_env(sandbox_env):
    env = dict(os.environ)
    env.update(_parse_exports(_sandbox('env', '--admin', check=True).stdout))
    return env


@pytest.fixture(scope='session')
def alt_demo_env(sandbox_env):
    """Like sandbox_env, for user alt_demo in project alt_demo."""
    env = dict(os.environ)
    env.update(_parse_exports(_sandbox('env', '--user', 'alt_demo',
                                       check=True).stdout))
    return env


def _openstack_bin():
    explicit = os.environ.get('SANDBOX_OPENSTACK')
    candidates = [explicit, str(REPO / '.venv' / 'bin' / 'openstack'),
                  shutil.which('openstack')]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip('no openstack CLI (python-openstackclient) found')


@pytest.fixture(scope='session')
def openstack(sandbox_env):
    """Run the openstack CLI as the demo user; JSON output is decoded."""
    binary = _openstack_bin()

    def run(*args, check=True, as_json=True):
        cmd = [binary] + [str(a) for a in args]
        if as_json:
            cmd += ['-f', 'json']
        proc = subprocess.run(cmd, env=sandbox_env, text=True,
                              capture_output=True, cwd=str(TEMPLATES),
                              timeout=300)
        if check and proc.returncode:
            raise AssertionError('%s failed (%d):\n%s' % (
                ' '.join(cmd), proc.returncode, proc.stderr))
        if as_json and proc.returncode == 0 and proc.stdout.strip():
            return json.loads(proc.stdout)
        return proc
    return run
