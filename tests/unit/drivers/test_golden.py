"""Golden files of every rendered variant.

Each tests/unit/drivers/golden/<variant>.json holds the main template name,
the parameters, the environment and a digest of every file sent to Heat
(data-URL parameters are also shown decoded, for reviewable diffs).

After an intended change, rewrite them with:

    MAGNUM_REGEN_GOLDEN=1 .venv/bin/pytest tests/unit/drivers/test_golden.py

and review the diff.
"""
import hashlib
import json
import os
from urllib import parse

import pytest

from tests.unit.drivers import variants

GOLDEN = os.path.join(os.path.dirname(__file__), 'golden')
REGEN = os.environ.get('MAGNUM_REGEN_GOLDEN') == '1'


def snapshot(rendered):
    parameters = {}
    for name, value in sorted(rendered.parameters.items()):
        if isinstance(value, str) and value.startswith('data:,'):
            value = {'data_url': value,
                     'decoded': parse.unquote(value[len('data:,'):])}
        parameters[name] = value
    return {
        'template': rendered.template,
        'parameters': parameters,
        'environment': rendered.environment,
        'files': {name: hashlib.sha256(text.encode()).hexdigest()
                  for name, text in sorted(rendered.files.items())},
    }


def _dump(data):
    return json.dumps(data, indent=2, sort_keys=True) + '\n'


@pytest.mark.parametrize('variant', sorted(variants.VARIANTS))
def test_golden(variant):
    path = os.path.join(GOLDEN, variant + '.json')
    actual = _dump(snapshot(variants.VARIANTS[variant]()))
    if REGEN:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(actual)
    with open(path, encoding='utf-8') as f:
        expected = f.read()
    assert actual == expected, (
        'rendering of %s changed; if intended, regenerate with '
        'MAGNUM_REGEN_GOLDEN=1' % variant)


def test_no_stale_golden_files():
    names = {n[:-len('.json')] for n in os.listdir(GOLDEN)
             if n.endswith('.json')}
    assert names == set(variants.VARIANTS)
