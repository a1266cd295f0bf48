"""/v1/quotas through the real pipeline on a real database."""
import socket

from keystoneauth1 import loading as ks_loading
import pytest

from magnum.common import context
from magnum.common import exception
from magnum.objects import quota
from tests.fixtures import api as api_fixtures
from tests.functional.api.test_certificates import ADMIN
from tests.functional.api.test_certificates import error
from tests.functional.api.test_certificates import seed_cluster


@pytest.fixture
def admin(api):
    return api.as_(**ADMIN)


@pytest.fixture
def any_admin(any_database):
    """An admin client on SQLite, MariaDB and PostgreSQL in turn."""
    from magnum.api import app as api_app
    return api_fixtures.Client(api_app.build_app()).as_(**ADMIN)


KEYS = ('id', 'project_id', 'resource', 'hard_limit')


def create(admin, project='project-1', hard_limit=5, **extra):
    return admin.post_json('/v1/quotas', dict(
        project_id=project, resource='Cluster', hard_limit=hard_limit,
        **extra))


def test_create_show_update_delete(any_admin):
    admin = any_admin
    resp = create(admin)
    assert resp.status_int == 201
    quota = resp.json
    assert set(quota) == {'id', 'project_id', 'resource', 'hard_limit',
                          'created_at', 'updated_at'}
    assert (quota['project_id'], quota['resource'], quota['hard_limit']) \
        == ('project-1', 'Cluster', 5)
    url = '/v1/quotas/project-1/Cluster'
    shown = admin.as_(project='project-1', roles='reader').get(url).json
    # (MariaDB keeps whole seconds, so the timestamps may differ there.)
    assert set(shown) == set(quota)
    assert {k: shown[k] for k in KEYS} == {k: quota[k] for k in KEYS}
    resp = admin.patch_json(url, {'project_id': 'ignored',
                                  'resource': 'Cluster', 'hard_limit': 0})
    assert resp.status_int == 202
    assert resp.json['hard_limit'] == 0 and resp.json['id'] == quota['id']
    assert resp.json['updated_at'] is not None
    assert admin.get(url).json['hard_limit'] == 0
    assert admin.delete(url).status_int == 204
    assert admin.delete(url, expect_errors=True).status_int == 404


def test_defaults_and_synthesized_quota(api, admin, conf):
    conf.set_override('max_clusters_per_project', 7, group='quotas')
    assert api.get('/v1/quotas/project-1/Cluster').json == {
        'project_id': 'project-1', 'resource': 'Cluster', 'hard_limit': 7}
    quota = admin.post_json('/v1/quotas', {'project_id': 'project-1'}).json
    assert (quota['resource'], quota['hard_limit']) == ('Cluster', 1)


@pytest.mark.parametrize('body, detail', [
    ({'resource': 'Cluster'},
     'Invalid input for field/attribute project_id. Value: \'None\'. '
     'Mandatory field missing.'),
    ({'project_id': ''}, 'minimum character requirement of 1'),
    ({'project_id': 'p' * 256}, 'maximum character requirement of 255'),
    ({'project_id': 'p', 'resource': 'Pod'},
     "Invalid input for field/attribute resource. Value: 'Pod'"),
    ({'project_id': 'p', 'hard_limit': -1},
     'Value should be greater or equal to 0'),
    ({'project_id': 'p', 'hard_limit': 'many'},
     'Invalid input for field/attribute hard_limit'),
    ({'project_id': 'p', 'id': 3}, 'Cannot set read only field.'),
    ({'project_id': 'p', 'extra': 1},
     'Unknown attribute for argument quota: extra'),
    (['p'], 'Value not a valid dict'),
])
def test_create_errors(admin, body, detail):
    resp = admin.post_json('/v1/quotas', body, expect_errors=True)
    assert resp.status_int == 400
    assert detail in error(resp)['detail']
    assert admin.get('/v1/quotas?all_tenants=True').json['quotas'] == []


def test_cluster_limit_comes_from_the_stored_quota(admin):
    seed_cluster(certificates=False)
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    quota.check_cluster_limit(ctx, 'project-1')
    create(admin, hard_limit=1)
    with pytest.raises(exception.ResourceLimitExceeded):
        quota.check_cluster_limit(ctx, 'project-1')
    admin.patch_json('/v1/quotas/project-1/Cluster', {'hard_limit': 2})
    quota.check_cluster_limit(ctx, 'project-1')


def test_duplicate_is_409_and_keeps_the_row(any_admin):
    admin = any_admin
    create(admin, hard_limit=3)
    resp = admin.post_json('/v1/quotas', {'project_id': 'project-1',
                                          'hard_limit': 9},
                           expect_errors=True)
    assert resp.status_int == 409
    assert error(resp)['detail'] == ('Quota for project project-1 already '
                                     'exists for resource Cluster.')
    assert admin.get('/v1/quotas/project-1/Cluster').json['hard_limit'] == 3


def test_patch_and_delete_errors(admin):
    url = '/v1/quotas/project-1/Cluster'
    resp = admin.patch_json(url, {'hard_limit': 2}, expect_errors=True)
    assert resp.status_int == 404
    assert error(resp)['detail'] == ('Quota project_id project-1 resource '
                                     'Cluster could not be found.')
    create(admin, hard_limit=3)
    for body, detail in [({'hard_limit': -2}, 'greater or equal to 0'),
                         ({'created_at': 'x'}, 'Cannot set read only'),
                         ('[1]', 'Value not a valid dict')]:
        resp = admin.patch_json(url, body, expect_errors=True)
        assert resp.status_int == 400 and detail in error(resp)['detail']
    resp = admin.patch_json('/v1/quotas/project-1/Pod', {'hard_limit': 2},
                            expect_errors=True)
    assert resp.status_int == 400
    assert admin.get(url).json['hard_limit'] == 3


def test_members_only_read_their_own_quota(api, admin):
    create(admin, project='project-2', hard_limit=4)
    other = '/v1/quotas/project-2/Cluster'
    resp = api.get(other, expect_errors=True)
    assert resp.status_int == 403
    assert error(resp)['detail'] == 'Not authorized.'
    assert api.as_(project='project-2').get(other).json['hard_limit'] == 4
    assert api.as_(project='project-2', roles='').get(
        other, expect_errors=True).status_int == 403
    for resp in (api.get('/v1/quotas', expect_errors=True),
                 api.post_json('/v1/quotas', {'project_id': 'project-1'},
                               expect_errors=True),
                 api.patch_json(other, {'hard_limit': 100},
                                expect_errors=True),
                 api.delete(other, expect_errors=True)):
        assert resp.status_int == 403
        assert 'Policy doesn\'t allow quota:' in error(resp)['detail']
    assert admin.get(other).json['hard_limit'] == 4


def test_list_own_project_unless_all_tenants(admin):
    mine = create(admin, project='admin-project').json
    theirs = [create(admin, project='p%d' % i).json for i in range(3)]
    assert admin.get('/v1/quotas').json == {'quotas': [mine]}
    everything = [mine] + theirs
    assert admin.get('/v1/quotas?all_tenants=True').json['quotas'] == \
        everything
    page = admin.get('/v1/quotas/?all_tenants=1&limit=2').json
    assert page['quotas'] == everything[:2]
    assert page['next'].endswith(
        '/v1/quotas?sort_key=id&sort_dir=asc&limit=2&marker=%d'
        % everything[1]['id'])
    rest = admin.get('/v1/quotas?all_tenants=yes&limit=2&marker=%d'
                     % everything[1]['id']).json
    assert rest['quotas'] == everything[2:]
    desc = admin.get('/v1/quotas?all_tenants=true&sort_key=project_id'
                     '&sort_dir=desc').json['quotas']
    assert [q['project_id'] for q in desc] == ['p2', 'p1', 'p0',
                                               'admin-project']
    for query, status, detail in [
            ('all_tenants=maybe', 400, 'Invalid input for field/attribute '
                                       'all_tenants'),
            ('marker=abc', 400, 'Invalid input for field/attribute marker'),
            ('marker=99999', 404, 'Quota id 99999 could not be found.'),
            ('limit=0', 400, 'Limit must be positive'),
            ('limit=1&limit=2', 400, 'Query parameter given more than '
                                     'once: limit'),
            ('sort_key=nope', 400, 'The sort_key value "nope" is an invalid '
                                   'field for sorting')]:
        resp = admin.get('/v1/quotas?' + query, expect_errors=True)
        assert resp.status_int == status, query
        assert detail in error(resp)['detail']


def test_missing_or_extra_path_segments_are_404(admin):
    for path in ('/v1/quotas/project-1', '/v1/quotas/project-1/Cluster/x'):
        assert admin.get(path, expect_errors=True).status_int == 404


def table(output):
    """The rows of a table the CLI printed, header first."""
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in output.splitlines() if line.startswith('|')]


def shown(output):
    return dict(table(output)[1:])


def test_cli_quotas(live_api):
    cli = api_fixtures.CLI(live_api.url, **ADMIN)
    args = ('--project-id', 'admin-project', '--resource', 'Cluster')
    created = shown(cli.run('quotas', 'create', *args,
                            '--hard-limit', '3').stdout)
    assert created['hard_limit'] == '3'
    updated = shown(cli.run('quotas', 'update', *args,
                            '--hard-limit', '6').stdout)
    assert updated['hard_limit'] == '6'
    assert shown(cli.run('quotas', 'show', *args).stdout)['hard_limit'] \
        == '6'
    assert table(cli.run('quotas', 'list').stdout) == [
        ['project_id', 'resource', 'hard_limit'],
        ['admin-project', 'Cluster', '6']]
    cli.run('quotas', 'delete', *args)
    assert table(cli.run('quotas', 'list').stdout) == [
        ['project_id', 'resource', 'hard_limit']]


# -- the Keystone project check, against the sandbox's real Keystone ---------
KEYSTONE = ('127.0.0.1', 47500)


def keystone_auth(conf, auth_url):
    """[keystone_auth] as the sandbox's magnum service user at
    ``auth_url``, for the duration of a test."""
    # The password plugin's options (auth_url is required) must not outlive
    # the test, or the next test's configuration fails to load.
    plugin_opts = ks_loading.get_auth_plugin_conf_options('password')
    conf.register_opts(plugin_opts, group='keystone_auth')
    for name, value in [('auth_type', 'password'), ('auth_url', auth_url),
                        ('username', 'magnum'), ('password', 'magnumpass'),
                        ('project_name', 'service'),
                        ('user_domain_id', 'default'),
                        ('project_domain_id', 'default')]:
        conf.set_override(name, value, group='keystone_auth')
    yield conf
    conf.reset()
    conf.unregister_opts(plugin_opts, group='keystone_auth')


@pytest.fixture
def keystone(conf):
    try:
        socket.create_connection(KEYSTONE, timeout=1).close()
    except OSError:
        pytest.skip('the sandbox Keystone is not running (tools/sandbox)')
    yield from keystone_auth(conf, 'http://%s:%d/v3' % KEYSTONE)


@pytest.fixture
def keystone_down(conf):
    with socket.socket() as sock:     # a loopback port nobody listens on
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    yield from keystone_auth(conf, 'http://127.0.0.1:%d/v3' % port)


def demo_project(conf):
    auth = ks_loading.load_auth_from_conf_options(conf, 'keystone_auth')
    session = ks_loading.load_session_from_conf_options(
        conf, 'keystone_auth', auth=auth)
    (project,) = session.get('/projects?name=demo', endpoint_filter={
        'service_type': 'identity', 'version': (3, 0)}).json()['projects']
    return project['id']


def test_create_checks_the_project_in_keystone(admin, keystone):
    demo = demo_project(keystone)
    quota = admin.post_json('/v1/quotas', {'project_id': demo}).json
    assert quota['project_id'] == demo
    resp = admin.post_json('/v1/quotas', {'project_id': 'no-such-project'},
                           expect_errors=True)
    assert resp.status_int == 404
    assert error(resp)['detail'] == ('The project_id no-such-project could '
                                     'not be found.')
    assert admin.get('/v1/quotas?all_tenants=True').json['quotas'] == [quota]


def test_create_is_503_when_keystone_is_unreachable(admin, keystone_down):
    resp = admin.post_json('/v1/quotas', {'project_id': 'project-1'},
                           expect_errors=True)
    assert resp.status_int == 503
    assert error(resp)['detail'].startswith(
        'The identity request failed: ')
    assert admin.get('/v1/quotas?all_tenants=True').json['quotas'] == []
