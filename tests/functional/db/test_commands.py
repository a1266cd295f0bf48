"""magnum-db-manage and magnum-status as an operator runs them: the
installed console scripts, a configuration file, a real database."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import sqlalchemy as sa

from magnum.db import api as db_api
from magnum.db import migration

BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope='module')
def environ(tmp_path_factory):
    """Byte-compile once for all the commands of this module, in a cache
    of its own (the tree stays free of __pycache__)."""
    env = dict(os.environ,
               PYTHONPYCACHEPREFIX=str(tmp_path_factory.mktemp('pycache')))
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    return env


@pytest.fixture
def run(environ, tmp_path):
    def run(url, *args, policy_file=None):
        conf = tmp_path / 'magnum.conf'
        text = '[database]\nconnection = %s\n' % url
        if policy_file:
            text += '[oslo_policy]\npolicy_file = %s\n' % policy_file
        conf.write_text(text)
        return subprocess.run(
            [str(BIN / args[0]), '--config-file', str(conf), *args[1:]],
            env=environ, capture_output=True, text=True, timeout=120)
    return run


def tables():
    return set(sa.inspect(db_api.get_engine()).get_table_names())


def test_db_manage_upgrade_version_stamp(empty_database, run):
    url = empty_database.url
    result = run(url, 'magnum-db-manage', 'upgrade')
    assert result.returncode == 0, result.stderr
    assert migration.version() == migration.head()
    assert {'cluster', 'cluster_template', 'nodegroup'} <= tables()

    result = run(url, 'magnum-db-manage', 'version')
    assert result.returncode == 0, result.stderr
    # The revision is the last line, after oslo.log's (stdout) lines.
    assert result.stdout.splitlines()[-1] == migration.head()

    result = run(url, 'magnum-db-manage', 'stamp', 'base')
    assert result.returncode == 0, result.stderr
    assert migration.version() is None
    assert 'cluster' in tables()


def test_db_manage_unknown_revision(sqlite_database, run):
    result = run(sqlite_database.url,
                 'magnum-db-manage', 'upgrade', '--revision', 'f00ba4')
    assert result.returncode == 1
    assert "magnum-db-manage: Can't locate revision identified by " \
           "'f00ba4'" in result.stderr
    assert migration.version() is None


def test_revision_autogenerate(sqlite_database, tmp_path, monkeypatch):
    scripts = tmp_path / 'alembic'
    shutil.copytree(migration.script_location(), scripts,
                    ignore=shutil.ignore_patterns('__pycache__'))
    monkeypatch.setattr(migration, 'script_location', lambda: scripts)
    previous = migration.head()
    migration.upgrade()

    migration.revision('nothing to do', autogenerate=True)

    new = migration.head()
    assert new != previous
    text = next(scripts.glob('versions/%s_*.py' % new)).read_text()
    assert 'down_revision = %r' % previous in text
    assert "op." not in text.split('def upgrade():')[1]
    migration.upgrade()
    assert migration.version() == new


def checks(result):
    return {c['check']: c['result']
            for c in json.loads(result.stdout)['checks']}


def test_status_upgrade_check(sqlite_database, run, tmp_path):
    url = sqlite_database.url
    result = run(url, 'magnum-status', 'upgrade', 'check', '--json')
    assert result.returncode == 2, result.stdout + result.stderr
    assert checks(result) == {'Database schema': 2,
                              'Policy File JSON to YAML Migration': 0}

    migration.upgrade()
    policy = tmp_path / 'policy.json'
    policy.write_text('{"context_is_admin": "role:admin"}')
    result = run(url, 'magnum-status', 'upgrade', 'check', '--json',
                 policy_file=policy)
    assert result.returncode == 2, result.stdout + result.stderr
    assert checks(result) == {'Database schema': 0,
                              'Policy File JSON to YAML Migration': 2}

    policy = tmp_path / 'policy.yaml'
    policy.write_text('"context_is_admin": "role:admin"\n')
    result = run(url, 'magnum-status', 'upgrade', 'check',
                 policy_file=policy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Result: Failure' not in result.stdout
