"""The migrations build, revision by revision, exactly the schema that
magnum/db/models.py declares, on every database we support."""
from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script as alembic_script
from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from magnum.db import api as db_api
from magnum.db import migration
from magnum.db import models
from tests.fixtures import databases


def revisions():
    """Every revision id, oldest first."""
    scripts = alembic_script.ScriptDirectory(str(migration.script_location()))
    return [script.revision
            for script in reversed(list(scripts.walk_revisions()))]


# Data checks run right after the named revision is applied:
# ``_check_<revision>(connection)``. Add one with every data migration.

def _check_f942e9b313b1(connection):
    cluster = sa.table('cluster', sa.column('uuid'), sa.column('labels'))
    row = {'uuid': '5d12f6fd-a196-4bf1-ae4c-1f639a523a52',
           'labels': '{"kube_tag": "v1.30"}'}
    connection.execute(cluster.insert(), row)
    with pytest.raises(db_exc.DBDuplicateEntry):
        with connection.begin_nested():
            connection.execute(cluster.insert(), row)
    labels = connection.execute(sa.select(cluster.c.labels)).scalar_one()
    assert labels == row['labels']
    connection.execute(cluster.delete())


def test_walk_revisions_one_at_a_time(empty_database):
    assert migration.version() is None
    for revision in revisions():
        migration.upgrade(revision)
        assert migration.version() == revision
        check = globals().get('_check_%s' % revision)
        if check:
            with db_api.get_engine().begin() as connection:
                check(connection)
    assert migration.version() == migration.head()


def test_history_is_linear():
    scripts = alembic_script.ScriptDirectory(str(migration.script_location()))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    assert len(scripts.get_bases()) == 1, scripts.get_bases()


def test_every_data_check_names_a_revision():
    checks = {name[len('_check_'):] for name in globals()
              if name.startswith('_check_')}
    assert checks <= set(revisions())


def _differences(connection, metadata):
    """What a migration would have to do to turn the database into
    ``metadata``, as alembic operations."""
    context = alembic_migration.MigrationContext.configure(
        connection, opts={'compare_type': True,
                          'compare_server_default': True})
    return autogenerate.produce_migrations(context, metadata).upgrade_ops


def test_models_match_migrations(empty_database):
    # No dialect noise needs allowing today: alembic compares BOOLEAN with
    # MySQL's TINYINT(1), JSONEncoded with TEXT and MySQL's unique indexes
    # with unique constraints correctly. Should some appear, skip that one
    # difference here, by dialect and by table/column name, never by kind.
    migration.upgrade()
    with db_api.get_engine().connect() as connection:
        differences = _differences(connection, models.Base.metadata)
    assert differences.is_empty(), (
        'magnum/db/models.py and the migrations differ on %s. Add a '
        'migration that does this (`magnum-db-manage revision --autogenerate '
        '-m ...` writes it for you to tidy):\n%s'
        % (empty_database.backend,
           autogenerate.render_python_code(differences)))


def test_comparison_sees_drift(empty_database):
    """The comparison above is not blind: a model that gains a column,
    changes a type or a nullability, or loses an index or a unique
    constraint is reported."""
    migration.upgrade()
    metadata = sa.MetaData()
    for table in models.Base.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables['cluster'].append_column(sa.Column('extra', sa.Integer))
    metadata.tables['quotas'].c.resource.type = sa.String(100)
    metadata.tables['x509keypair'].c.uuid.nullable = False
    cluster = metadata.tables['cluster']
    cluster.indexes = {i for i in cluster.indexes
                       if i.name != 'ix_cluster_status'}
    nodegroup = metadata.tables['nodegroup']
    nodegroup.constraints = {
        c for c in nodegroup.constraints
        if c.name != 'uniq_nodegroup0cluster_id0name'}
    with db_api.get_engine().connect() as connection:
        differences = _differences(connection, metadata)
    flat = [d for diff in differences.as_diffs()
            for d in (diff if isinstance(diff, list) else [diff])]
    kinds = sorted({(d[0], d[2] if d[0] == 'modify_type' else None)
                    for d in flat})
    assert ('add_column', None) in kinds
    assert ('modify_type', 'quotas') in kinds
    assert ('modify_nullable', None) in kinds
    assert any(d[0] == 'remove_index' and d[1].name == 'ix_cluster_status'
               for d in flat)
    assert any(d[0] in ('remove_constraint', 'remove_index') and
               d[1].name == 'uniq_nodegroup0cluster_id0name' for d in flat)


def test_mysql_tables_are_innodb_utf8mb4(tmp_path):
    db = databases.ThrowawayDatabase('mysql', tmp_path)
    try:
        db_api.reset_for_tests(db.url)
        migration.upgrade()
        with db_api.get_engine().connect() as connection:
            tables = connection.execute(sa.text(
                'SELECT table_name, engine, table_collation '
                'FROM information_schema.tables WHERE table_schema = :db'),
                {'db': db.name}).all()
        db_api.get_engine().dispose()
    finally:
        db.drop()
    names = {name for name, _, _ in tables}
    assert names == set(models.Base.metadata.tables) | {'alembic_version'}
    wrong = [t for t in tables
             if t[0] != 'alembic_version' and
             (t[1] != 'InnoDB' or not t[2].startswith('utf8mb4'))]
    assert not wrong, wrong
