"""magnum.common.cloud against the simulated cloud of tests/fixtures."""
import socket

from keystoneauth1 import loading as ks_loading
import pytest

from magnum.common import cloud
from magnum.common import context
from magnum.common import exception
from tests.fixtures import fake_cloud as fc
from tests.fixtures.fake_cloud import fake_cloud  # noqa: F401
from tests.fixtures.fake_cloud import fake_cloud_server  # noqa: F401

GROUPS = ('glance_client', 'nova_client', 'neutron_client')


def user(user_id='user-1', project_id='project-1', catalog=None):
    return context.RequestContext(
        user_id=user_id, project_id=project_id, service_catalog=catalog,
        auth_token='%s:%s:member' % (user_id, project_id))


@pytest.fixture
def catalog_only(fake_cloud, conf):  # noqa: F811
    """No endpoint overrides: endpoints come from a catalog."""
    for group in GROUPS:
        conf.clear_override('endpoint_override', group=group)
    return fake_cloud


@pytest.mark.parametrize('url, versioned', [
    ('http://h/image', 'http://h/image/v2'),
    ('http://h:9292/', 'http://h:9292/v2'),
    ('http://h/compute/v2.1', 'http://h/compute/v2.1'),
    ('http://h:8774/v2.1/3f0c2a', 'http://h:8774/v2.1/3f0c2a'),
    ('http://h/v2', 'http://h/v2'),
])
def test_unversioned_endpoints_get_the_api_version(url, versioned):
    assert cloud._versioned(url, 'v2') == versioned


def test_lookups_by_name_and_id(fake_cloud):  # noqa: F811
    c = cloud.Cloud(user())
    assert c.image('coreos')['id'] == fc.COREOS
    assert c.image(fc.COREOS)['os_distro'] == 'coreos'
    assert c.image('private-image')['owner'] == 'project-1'
    assert c.flavor('m1.medium')['disk'] == 40
    assert c.flavor('0')['name'] == 'm1.zero'
    assert c.keypair('default')['fingerprint'] == 'aa:bb'
    assert c.network('public', external=True)['id'] == fc.PUBLIC_NET
    assert c.network(fc.PUBLIC_NET, external=True)['name'] == 'public'
    assert c.network('private')['id'] == fc.PRIVATE_NET
    assert c.subnet(fc.PRIVATE_SUBNET)['name'] == 'private-subnet'
    assert c.subnet('private-subnet')['id'] == fc.PRIVATE_SUBNET
    assert {token for _, token in fake_cloud.requests} == \
        {'user-1:project-1:member'}


@pytest.mark.parametrize('lookup, error, code', [
    (lambda c: c.image('nope'), exception.ImageNotFound, 400),
    (lambda c: c.image(fc.FORBIDDEN), exception.ImageNotAuthorized, 403),
    (lambda c: c.image('twin'), exception.Conflict, 409),
    (lambda c: c.flavor('m1.huge'), exception.FlavorNotFound, 400),
    (lambda c: c.keypair('nope'), exception.KeyPairNotFound, 404),
    (lambda c: c.network('private', external=True),
     exception.ExternalNetworkNotFound, 400),
    (lambda c: c.network(fc.PRIVATE_NET, external=True),
     exception.ExternalNetworkNotFound, 400),
    (lambda c: c.network('dup'), exception.Conflict, 409),
    (lambda c: c.network('nope'), exception.FixedNetworkNotFound, 400),
    (lambda c: c.subnet('nope'), exception.FixedSubnetNotFound, 400),
])
def test_lookup_errors(fake_cloud, lookup, error, code):  # noqa: F811
    with pytest.raises(error) as caught:
        lookup(cloud.Cloud(user()))
    assert caught.value.code == code


def test_refused_token_and_unreachable_service(fake_cloud, conf):  # noqa
    ctx = user()
    ctx.auth_token = fc.EXPIRED
    with pytest.raises(exception.AuthorizationFailure):
        cloud.Cloud(ctx).flavor('m1.small')
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        closed = 'http://127.0.0.1:%d/image' % s.getsockname()[1]
    conf.set_override('endpoint_override', closed, group='glance_client')
    with pytest.raises(exception.OpenStackRequestFailed) as caught:
        cloud.Cloud(user()).image('coreos')
    assert caught.value.code == 503


def test_endpoints_from_the_catalog(catalog_only, conf):
    c = cloud.Cloud(user(catalog=catalog_only.catalog()))
    assert c.endpoint('image') == catalog_only.url + '/image/v2'
    assert c.endpoint('compute') == catalog_only.url + '/compute/v2.1'
    assert c.network('public', external=True)['id'] == fc.PUBLIC_NET
    # The override wins; region and interface pick catalog entries.
    conf.set_override('endpoint_override', 'http://127.0.0.1:1/v2',
                      group='glance_client')
    conf.set_override('region_name', 'RegionTwo', group='nova_client')
    conf.set_override('endpoint_type', 'internalURL', group='neutron_client')
    c = cloud.Cloud(user(catalog=catalog_only.catalog()))
    assert c.endpoint('image') == 'http://127.0.0.1:1/v2'
    assert not c.has('compute') and not c.has('network')
    conf.set_override('region_name', 'RegionTwo', group='neutron_client')
    c = cloud.Cloud(user(catalog=catalog_only.catalog(
        region='RegionTwo', interface='internal')))
    assert c.has('network')


def test_no_catalog_and_no_override_means_no_service(catalog_only):
    c = cloud.Cloud(user())
    assert not any(c.has(s) for s in ('image', 'compute', 'network'))


@pytest.fixture
def service_user_opts(conf):
    """[keystone_auth] v3password options, unregistered afterwards so
    their required auth_url does not outlive the test."""
    opts = ks_loading.get_auth_plugin_conf_options('v3password')
    conf.register_opts(opts, group='keystone_auth')
    yield
    conf.reset()
    conf.unregister_opts(opts, group='keystone_auth')


def test_admin_context_uses_the_service_user(catalog_only, conf,
                                             service_user_opts):
    for name, value in [
            ('auth_type', 'v3password'),
            ('auth_url', catalog_only.url + '/identity/v3'),
            ('username', 'magnum'), ('password', 'secret'),
            ('project_name', 'service'), ('user_domain_id', 'default'),
            ('project_domain_id', 'default')]:
        conf.set_override(name, value, group='keystone_auth')
    c = cloud.Cloud(context.make_admin_context())
    assert c.image('fedora-coreos')['id'] == fc.FEDORA_COREOS
    assert catalog_only.requests == [
        ('/identity/v3/auth/tokens', None),
        ('/image/v2/images', fc.SERVICE_TOKEN)]


def test_the_cache_is_per_project_and_per_user_for_keypairs(fake_cloud):  # noqa
    cloud.Cloud(user()).image('private-image')
    cloud.Cloud(user(user_id='user-9')).image('private-image')
    assert fake_cloud.count('/image/') == 1
    with pytest.raises(exception.ImageNotFound):
        cloud.Cloud(user(project_id='project-2')).image('private-image')
    cloud.Cloud(user()).keypair('default')
    with pytest.raises(exception.KeyPairNotFound):
        cloud.Cloud(user(user_id='user-2')).keypair('default')


def test_one_request_looks_each_resource_up_once(fake_cloud, conf):  # noqa
    conf.set_override('lookup_cache_ttl', 0, group='api')
    c = cloud.Cloud(user())
    assert c.flavor('m1.small') is c.flavor('m1.small')
    cloud.Cloud(user()).flavor('m1.small')
    assert fake_cloud.count('/compute/') == 2
