"""/v1/stats on every database backend: counts over seeded clusters and
nodegroups."""
import pytest

from tests.fixtures import api as api_fixtures
from tests.functional.api.test_certificates import ADMIN
from tests.functional.api.test_certificates import error
from tests.functional.api.test_certificates import seed_cluster
from tests.functional.api.test_quotas import shown


@pytest.fixture
def api(any_database):
    from magnum.api import app as api_app
    return api_fixtures.Client(api_app.build_app())


def seed_clusters():
    seed_cluster('a', node_counts=[('master', 1), ('worker', 3)],
                 certificates=False)
    seed_cluster('b', node_counts=[('master', 3), ('worker', 2),
                                   ('worker', 5)], certificates=False)
    seed_cluster('c', project='project-2', node_counts=[('master', 1)],
                 certificates=False)


def test_counts_own_project_with_masters(api):
    seed_clusters()
    assert api.get('/v1/stats').json == {'clusters': 2, 'nodes': 14}
    assert api.get('/v1/stats?project_id=project-1&type=cluster').json == \
        {'clusters': 2, 'nodes': 14}
    assert api.get('/v1/stats?type=Cluster').json['clusters'] == 2
    assert api.as_(project='project-3').get('/v1/stats').json == \
        {'clusters': 0, 'nodes': 0}


def test_admin_sees_all_or_one_project(api):
    seed_clusters()
    admin = api.as_(**ADMIN)
    assert admin.get('/v1/stats').json == {'clusters': 3, 'nodes': 15}
    assert admin.get('/v1/stats?project_id=project-2').json == \
        {'clusters': 1, 'nodes': 1}


@pytest.mark.parametrize('query, status, detail', [
    ('project_id=project-2', 403, 'Not authorized.'),
    ('type=node', 400, "Invalid stats type. Allowed values are 'cluster'"),
    ('kind=cluster', 400, 'Unknown argument: kind'),
    ('type=cluster&type=node', 400,
     'Query parameter given more than once: type'),
])
def test_errors(api, query, status, detail):
    seed_clusters()
    resp = api.get('/v1/stats?' + query, expect_errors=True)
    assert resp.status_int == status
    assert error(resp)['detail'] == detail


def test_needs_a_role(api):
    resp = api.as_(roles='').get('/v1/stats', expect_errors=True)
    assert resp.status_int == 403


def test_cli_stats_list(cli):
    seed_clusters()
    out = cli.run('stats', 'list', 'project-1').stdout
    assert shown(out) == {'clusters': '2', 'nodes': '14'}
