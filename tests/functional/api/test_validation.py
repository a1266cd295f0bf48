"""Driver resolution, label checks and OpenStack look-ups behind the API,
against the simulated Glance/Nova/Neutron of tests/fixtures/fake_cloud."""
import pytest

from magnum.api import validation
from magnum.common import context
from magnum.common import exception
from magnum import objects
from tests.fixtures import fake_cloud as fc

BODY = {'name': 'k8s', 'coe': 'kubernetes', 'image_id': 'fedora-coreos',
        'external_network_id': 'public', 'flavor_id': 'm1.small',
        'labels': {'kube_tag': 'v1.30.1'}}
CT_TYPE = ('Cluster type (vm, %s, kubernetes) not supported. Supported '
           'types: (bm, fedora, kubernetes), (vm, coreos, kubernetes), '
           '(vm, fedora-atomic, kubernetes), (vm, fedora-atomic, swarm), '
           '(vm, fedora-atomic, swarm-mode), '
           '(vm, fedora-coreos, kubernetes).')


def post(api, expect_errors=False, headers=None, **changes):
    return api.post_json('/v1/clustertemplates', dict(BODY, **changes),
                         expect_errors=expect_errors, headers=headers)


def the_error(resp):
    """The single error of a Magnum error body, checking its shape."""
    (err,) = resp.json['errors']
    assert set(err) == {'request_id', 'code', 'status', 'title', 'detail',
                        'links'}
    assert err['status'] == resp.status_int
    assert err['code'] == ('client' if resp.status_int < 500 else 'server')
    assert err['title'] == err['detail'].split('.')[0]
    return err


@pytest.mark.parametrize('changes, status, detail', [
    ({'image_id': 'nope'}, 400, 'Image nope could not be found.'),
    ({'image_id': fc.FEDORA_COREOS[:-2] + '99'}, 400,
     'Image %s could not be found.' % (fc.FEDORA_COREOS[:-2] + '99')),
    ({'image_id': 'no-distro'}, 400,
     "Image no-distro doesn't contain os_distro field."),
    ({'image_id': fc.FORBIDDEN}, 403,
     'Not authorized for image %s.' % fc.FORBIDDEN),
    ({'image_id': 'twin'}, 409,
     "Multiple images exist with same name 'twin'. Please use the image id "
     "instead."),
    ({'image_id': 'ubuntu'}, 400, CT_TYPE % 'ubuntu'),
    ({'server_type': 'bm'}, 400, CT_TYPE.replace('(vm, %s', '(bm, %s')
     % 'fedora-coreos'),
    ({'image_id': 'unknown-driver'}, 400,
     'Cluster driver (nope_v1) not supported.'),
    ({'driver': 'nope_v2'}, 400, 'Cluster driver (nope_v2) not supported.'),
    ({'labels': {'boot_volume_size': 'ten'}}, 400,
     "Invalid value 'ten' for label boot_volume_size: expected an integer."),
    ({'labels': {'use_podman': 'false'}}, 400,
     "Invalid value 'false' for label use_podman: True was expected."),
    ({'coe': 'swarm-mode', 'image_id': 'fedora-atomic',
      'labels': {'rexray_preempt': 'maybe'}}, 400,
     "Invalid value 'maybe' for label rexray_preempt: expected true or "
     "false."),
    ({'flavor_id': 'm1.huge'}, 400, 'Unable to find flavor m1.huge.'),
    ({'master_flavor_id': 'nope'}, 400, 'Unable to find flavor nope.'),
    ({'flavor_id': 'm1.zero'}, 400,
     'Flavor with zero root volume size is not supported when '
     'boot_volume_size is zero.'),
    ({'master_flavor_id': '0'}, 400,
     'Flavor with zero root volume size is not supported when '
     'boot_volume_size is zero.'),
    ({'external_network_id': 'private'}, 400,
     'Unable to find external network private.'),
    ({'external_network_id': 'dup'}, 409,
     "Multiple networks exist with same name 'dup'. Please use the network "
     "ID instead."),
    ({'fixed_network': 'nope'}, 400, 'Unable to find fixed network nope.'),
    ({'fixed_subnet': 'nope'}, 400, 'Unable to find fixed subnet nope.'),
])
def test_template_create_errors(api, changes, status, detail):
    resp = post(api, expect_errors=True, **changes)
    assert resp.status_int == status
    assert the_error(resp)['detail'] == detail


def test_resources_by_name_or_id_and_distro_from_the_image(api):
    ct = post(api, image_id=fc.FEDORA_ATOMIC, cluster_distro='ubuntu',
              external_network_id=fc.PUBLIC_NET, flavor_id='1',
              master_flavor_id='m1.medium', fixed_network=fc.PRIVATE_NET,
              fixed_subnet='private-subnet').json
    assert ct['cluster_distro'] == 'fedora-atomic'
    assert ct['driver'] is None
    assert ct['fixed_network'] == fc.PRIVATE_NET


@pytest.mark.parametrize('coe', ['swarm', 'swarm-mode'])
def test_swarm_templates_find_their_driver(api, coe):
    ct = post(api, coe=coe, image_id='fedora-atomic', network_driver='docker',
              labels={'rexray_preempt': 'true'}).json
    assert (ct['coe'], ct['cluster_distro']) == (coe, 'fedora-atomic')
    assert ct['labels'] == {'rexray_preempt': 'true'}


def test_boot_volume_allows_flavors_without_root_disk(api, conf):
    assert post(api, flavor_id='m1.zero',
                labels={'boot_volume_size': '10'}).status_int == 201
    conf.set_override('default_boot_volume_size', 10, group='cinder')
    assert post(api, flavor_id='m1.zero').status_int == 201


def test_driver_from_request_image_or_default(api, conf):
    by_image = post(api, image_id='atomic-by-property').json
    assert (by_image['driver'], by_image['cluster_distro']) == \
        ('k8s_fedora_atomic_v1', 'fedora-coreos')
    # A named driver is not checked against the image's distro.
    named = post(api, image_id='coreos', driver='k8s_fedora_coreos_v1').json
    assert (named['driver'], named['cluster_distro']) == \
        ('k8s_fedora_coreos_v1', 'coreos')
    conf.set_override('default_driver', 'k8s_coreos_v1', group='drivers')
    assert post(api).json['driver'] == 'k8s_coreos_v1'
    assert post(api, image_id='atomic-by-property').json['driver'] == \
        'k8s_fedora_atomic_v1'


def test_lookups_are_cached_per_project(api, simulated_cloud):
    for _ in range(2):
        post(api, fixed_network='private', master_flavor_id='m1.small')
    assert simulated_cloud.count('/image/') == 1
    assert simulated_cloud.count('/compute/') == 1
    # public (external) and private (fixed) are one listing each
    assert simulated_cloud.count('/network/') == 2
    post(api.as_(project='project-2'))
    assert simulated_cloud.count('/image/') == 2


def test_cache_off(api, conf, simulated_cloud):
    conf.set_override('lookup_cache_ttl', 0, group='api')
    post(api)
    post(api)
    assert simulated_cloud.count('/image/') == 2


def test_private_image_does_not_leak_to_another_project(
        api, simulated_cloud):
    mine = {'X-Auth-Token': 'user-1:project-1:member'}
    theirs = {'X-Auth-Token': 'user-2:project-2:member'}
    assert post(api, image_id='private-image',
                headers=mine).status_int == 201
    resp = post(api.as_(user='user-2', project='project-2'),
                image_id='private-image', headers=theirs, expect_errors=True)
    assert resp.status_int == 400
    assert the_error(resp)['detail'] == \
        'Image private-image could not be found.'
    assert [token for path, token in simulated_cloud.requests
            if path.startswith('/image/')] == [mine['X-Auth-Token'],
                                               theirs['X-Auth-Token']]


def test_misses_are_not_cached(api, simulated_cloud):
    for _ in range(2):
        post(api, image_id='nope', expect_errors=True)
    assert simulated_cloud.count('/image/') == 2


def test_catalog_from_the_token(api, conf, simulated_cloud):
    for group in ('glance_client', 'nova_client', 'neutron_client'):
        conf.clear_override('endpoint_override', group=group)
    environ = {'keystone.token_info': {
        'token': {'catalog': simulated_cloud.catalog()}}}
    resp = api.post_json('/v1/clustertemplates',
                         dict(BODY, flavor_id='m1.zero'),
                         extra_environ=environ, expect_errors=True)
    assert resp.status_int == 400
    assert 'Flavor with zero root volume size' in the_error(resp)['detail']
    assert api.post_json('/v1/clustertemplates', BODY,
                         extra_environ=environ).status_int == 201
    assert simulated_cloud.count('/image/v2/images') == 1
    assert simulated_cloud.count('/compute/v2.1/flavors/detail') == 2
    assert simulated_cloud.count('/network/v2.0/networks') == 1


def test_without_lookup_services_a_driver_must_be_named(api, conf,
                                                        simulated_cloud):
    for group in ('glance_client', 'nova_client', 'neutron_client'):
        conf.clear_override('endpoint_override', group=group)
    resp = post(api, expect_errors=True)
    assert resp.status_int == 400
    assert the_error(resp)['detail'] == (
        'No image service is available to read the os_distro of image '
        'fedora-coreos: name a driver in the cluster template or set '
        '[drivers] default_driver.')
    # Nothing is looked up, so an unknown flavor or network passes.
    ct = post(api, driver='k8s_fedora_atomic_v1', flavor_id='m1.zero',
              external_network_id='nowhere').json
    assert (ct['driver'], ct['cluster_distro']) == \
        ('k8s_fedora_atomic_v1', 'fedora-atomic')
    conf.set_override('default_driver', 'k8s_coreos_v1', group='drivers')
    assert post(api).json['cluster_distro'] == 'coreos'
    resp = post(api, labels={'boot_volume_size': 'x'}, expect_errors=True)
    assert 'label boot_volume_size' in the_error(resp)['detail']
    assert simulated_cloud.requests == []


def test_patch_revalidates(api):
    ct = post(api, labels={'boot_volume_size': '10'}).json
    url = '/v1/clustertemplates/%s' % ct['uuid']
    patched = api.patch_json(url, [
        {'op': 'replace', 'path': '/image_id', 'value': 'coreos'}]).json
    assert (patched['cluster_distro'], patched['driver']) == ('coreos', None)
    for ops, status, detail in [
        ([{'op': 'replace', 'path': '/image_id', 'value': 'nope'}], 400,
         'Image nope could not be found.'),
        ([{'op': 'replace', 'path': '/external_network_id',
           'value': 'dup'}], 409,
         "Multiple networks exist with same name 'dup'. Please use the "
         "network ID instead."),
        ([{'op': 'add', 'path': '/labels/boot_volume_size', 'value': '-1'}],
         400, "Invalid value '-1' for label boot_volume_size: -1 is less "
              "than the minimum of 0."),
    ]:
        resp = api.patch_json(url, ops, expect_errors=True)
        assert resp.status_int == status, ops
        assert the_error(resp)['detail'] == detail
    # The root-disk check reads the labels from before the patch.
    api.patch_json(url, [
        {'op': 'remove', 'path': '/labels/boot_volume_size'},
        {'op': 'replace', 'path': '/flavor_id', 'value': 'm1.zero'}])
    resp = api.patch_json(url, [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'}],
        expect_errors=True)
    assert resp.status_int == 400
    assert 'Flavor with zero root volume size' in the_error(resp)['detail']


# -- clusters -------------------------------------------------------------
@pytest.fixture
def template(api):
    ct = post(api, keypair_id='default', master_flavor_id='m1.medium',
              fixed_network='private').json
    ctx = context.RequestContext(user_id='user-1', project_id='project-1',
                                 auth_token='user-1:project-1:member')
    return ctx, objects.ClusterTemplate.get(ctx, ct['uuid'])


def test_cluster_values_override_the_template(template, simulated_cloud):
    ctx, ct = template
    values = {'keypair': None, 'flavor_id': 'm1.medium',
              'labels': {'boot_volume_size': '5'}}
    assert validation.cluster_resources(ctx, values, ct) is values
    # With a boot volume a flavor without root disk is fine.
    validation.cluster_resources(
        ctx, {'flavor_id': 'm1.zero', 'labels': {'boot_volume_size': '5'}},
        ct)
    # Keypairs belong to users.
    other = context.RequestContext(user_id='user-2', project_id='project-1',
                                   auth_token='user-2:project-1:member')
    with pytest.raises(exception.KeyPairNotFound):
        validation.cluster_resources(other, {}, ct)


def test_cluster_without_any_flavor(api):
    ct = post(api, flavor_id=None).json
    ctx = context.RequestContext(user_id='user-1', project_id='project-1')
    with pytest.raises(exception.FlavorNotFound) as caught:
        validation.cluster_resources(
            ctx, {}, objects.ClusterTemplate.get(ctx, ct['uuid']))
    assert str(caught.value) == 'Unable to find flavor None.'


@pytest.mark.parametrize('changes, status, detail', [
    ({'keypair': 'missing'}, 404, 'Unable to find keypair missing.'),
    ({'flavor_id': 'm1.zero'}, 400,
     'Flavor with zero root volume size is not supported when '
     'boot_volume_size is zero.'),
    ({'master_flavor_id': 'm1.huge'}, 400, 'Unable to find flavor m1.huge.'),
    ({'fixed_network': 'dup'}, 409,
     "Multiple networks exist with same name 'dup'. Please use the network "
     "ID instead."),
    ({'labels': {'boot_volume_size': 'x'}}, 400,
     "Invalid value 'x' for label boot_volume_size: expected an integer."),
])
def test_cluster_create_errors(api, changes, status, detail):
    post(api, keypair_id='default', master_flavor_id='m1.medium')
    resp = api.post_json('/v1/clusters', dict(
        {'name': 'c1', 'cluster_template_id': 'k8s'}, **changes),
        expect_errors=True)
    assert resp.status_int == status
    assert the_error(resp)['detail'] == detail


# -- the real CLI ---------------------------------------------------------
def test_cli_prints_lookup_errors(cli):
    """The client prints an error's title (its detail up to the first
    period) and the status."""
    for args, text in [
        (('--image', 'nope', '--external-network', 'public'),
         'Image nope could not be found (HTTP 400)'),
        (('--image', 'fedora-coreos', '--external-network', 'dup'),
         "Multiple networks exist with same name 'dup' (HTTP 409)"),
        (('--image', 'fedora-coreos', '--external-network', 'public',
          '--flavor', 'm1.zero'),
         'Flavor with zero root volume size is not supported when '
         'boot_volume_size is zero (HTTP 400)'),
    ]:
        proc = cli.run('cluster', 'template', 'create', 'bad', '--coe',
                       'kubernetes', *args, check=False)
        assert proc.returncode != 0
        assert text in proc.stderr, proc.stderr


def test_cli_prints_cluster_lookup_errors(api, cli):
    post(api, keypair_id='default', master_flavor_id='m1.medium')
    proc = cli.run('cluster', 'create', 'c1', '--cluster-template', 'k8s',
                   '--keypair', 'missing', check=False)
    assert proc.returncode != 0
    assert 'Unable to find keypair missing (HTTP 404)' in proc.stderr, \
        proc.stderr
