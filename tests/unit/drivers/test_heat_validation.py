"""Every rendered variant passes Heat's own stack validation.

Needs a Python with Heat installed: $MAGNUM_HEAT_PYTHON, or the sandbox's
.sandbox/venv-heat/bin/python. Skipped when neither exists.
"""
import json
import os
import subprocess

import pytest

from tests.unit.drivers import variants

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..')
HEAT_PYTHON = os.environ.get('MAGNUM_HEAT_PYTHON') or os.path.join(
    ROOT, '.sandbox', 'venv-heat', 'bin', 'python')
SCRIPT = os.path.join(os.path.dirname(__file__), 'heat_validate.py')


def _heat_results(stacks):
    result = subprocess.run([HEAT_PYTHON, SCRIPT], input=json.dumps(stacks),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(line.split(' ', 1) for line in result.stdout.splitlines())


def _payload(rendered):
    return {'template': rendered.template, 'files': rendered.files,
            'registry': rendered.environment['resource_registry'],
            'parameters': rendered.parameters}


pytestmark = pytest.mark.skipif(
    not os.access(HEAT_PYTHON, os.X_OK),
    reason='no Python with Heat (set MAGNUM_HEAT_PYTHON)')


def test_heat_accepts_every_variant():
    stacks = {name: _payload(render())
              for name, render in variants.VARIANTS.items()}
    results = _heat_results(stacks)
    assert results == {name: 'OK' for name in stacks}


def test_heat_rejects_a_broken_stack():
    rendered = variants.VARIANTS['fcos_default']()
    payload = _payload(rendered)
    payload['files'] = dict(payload['files'])
    payload['files']['kubenode.yaml'] = payload['files'][
        'kubenode.yaml'].replace('protocol_port:', 'port_number:')
    payload['registry'] = dict(payload['registry'],
                               **{'Magnum::ApiPoolMember':
                                  'OS::Octavia::PoolMember'})
    payload['parameters'] = dict(payload['parameters'],
                                 master_lb_enabled=True)
    results = _heat_results({'broken': payload})
    assert results['broken'].startswith('FAIL')
    assert 'port_number' in results['broken']
