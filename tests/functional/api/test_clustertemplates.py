"""/v1/clustertemplates through the real pipeline (noauth) on a real DB."""
import pytest

from magnum.common import context
from magnum.common import exception
from magnum import objects

BODY = {'name': 'k8s', 'coe': 'kubernetes', 'image_id': 'fedora-coreos',
        'external_network_id': 'public', 'labels': {'kube_tag': 'v1.30.1'}}


def create(api, **extra):
    return api.post_json('/v1/clustertemplates', dict(BODY, **extra)).json


def error(resp):
    """The single error of a Magnum error body, checking its shape."""
    (err,) = resp.json['errors']
    assert set(err) == {'request_id', 'code', 'status', 'title', 'detail',
                        'links'}
    assert err['status'] == resp.status_int
    return err


def test_create_returns_201_location_and_defaults(api):
    resp = api.post_json('/v1/clustertemplates', BODY)
    assert resp.status_int == 201
    ct = resp.json
    assert resp.headers['Location'].endswith('/v1/clustertemplates/' +
                                             ct['uuid'])
    assert ct['network_driver'] == 'flannel'
    assert ct['server_type'] == 'vm'
    assert ct['floating_ip_enabled'] is True
    assert ct['project_id'] == 'project-1'
    assert ct['links'][0]['href'].endswith(ct['uuid'])
    assert ct['created_at'].endswith('+00:00')


def test_labels_are_stored_as_strings(api):
    ct = create(api, labels={'a': 1, 'b': True, 'c': 1.5})
    assert api.get('/v1/clustertemplates/%s' % ct['uuid']).json['labels'] \
        == {'a': '1', 'b': 'True', 'c': '1.5'}


def test_generated_name(api):
    body = dict(BODY)
    del body['name']
    name = api.post_json('/v1/clustertemplates', body).json['name']
    assert name.endswith('-template') and len(name.split('-')) == 3


@pytest.mark.parametrize('body, status, detail', [
    ({'coe': 'kubernetes'}, 400,
     "Invalid input for field/attribute image_id. Value: 'None'. "
     "Mandatory field missing."),
    (dict(BODY, coe='nope'), 400,
     "Invalid input for field/attribute coe. Value: 'nope'."),
    (dict(BODY, project_id='evil'), 400,
     "Invalid input for field/attribute project_id. Value: 'evil'. "
     "Cannot set read only field."),
    (dict(BODY, unknown_field=1), 400,
     'Unknown attribute for argument cluster_template: unknown_field'),
    (dict(BODY, network_driver='weave'), 400,
     'Network driver type weave is not supported'),
    (dict(BODY, volume_driver='rexray'), 400,
     'Volume driver type rexray is not supported'),
    (dict(BODY, docker_storage_driver='devicemapper', docker_volume_size=2),
     400, 'docker volume size 2 GB is not valid'),
    (dict(BODY, apiserver_port=80), 400,
     'Value should be greater or equal to 1024'),
    (dict(BODY, dns_nameserver='x.y'), 400,
     'Expected a single dns address or comma separated dns list'),
    (dict(BODY, labels={'a': {'nested': 1}}), 400,
     'Invalid input for field/attribute labels'),
    (dict(BODY, public=True), 403,
     'Not authorized to set public or hidden flag for cluster template.'),
])
def test_create_errors(api, body, status, detail):
    resp = api.post_json('/v1/clustertemplates', body, expect_errors=True)
    assert resp.status_int == status
    err = error(resp)
    assert err['code'] == 'client'
    assert detail in err['detail']
    assert err['title'] == err['detail'].split('.')[0]
    assert api.get('/v1/clustertemplates').json['clustertemplates'] == []


def test_invalid_json_and_missing_body(api):
    resp = api.post('/v1/clustertemplates', '{bad',
                    content_type='application/json', expect_errors=True)
    assert error(resp)['detail'] == 'Request is not in valid JSON format'
    resp = api.post('/v1/clustertemplates', '',
                    content_type='application/json', expect_errors=True)
    assert error(resp)['detail'] == 'Missing argument: "cluster_template"'


def test_other_project_sees_404_and_public_templates(api):
    mine = create(api)
    other = api.as_(project='project-2')
    resp = other.get('/v1/clustertemplates/%s' % mine['uuid'],
                     expect_errors=True)
    assert resp.status_int == 404
    assert other.get('/v1/clustertemplates').json['clustertemplates'] == []
    for verb in (other.delete, ):
        assert verb('/v1/clustertemplates/%s' % mine['uuid'],
                    expect_errors=True).status_int == 404
    admin = api.as_(project='admin-project', roles='admin')
    public = admin.post_json('/v1/clustertemplates',
                             dict(BODY, public=True)).json
    listed = other.get('/v1/clustertemplates').json['clustertemplates']
    assert [ct['uuid'] for ct in listed] == [public['uuid']]


def test_patch_and_patch_errors(api):
    ct = create(api)
    url = '/v1/clustertemplates/%s' % ct['uuid']
    patched = api.patch_json(url, [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'},
        {'op': 'add', 'path': '/labels/extra', 'value': 'yes'},
        {'op': 'replace', 'path': '/docker_volume_size', 'value': 5}]).json
    assert patched['name'] == 'renamed'
    assert patched['labels'] == {'kube_tag': 'v1.30.1', 'extra': 'yes'}
    assert patched['docker_volume_size'] == 5
    for ops, detail in [
        ([{'op': 'remove', 'path': '/coe'}],
         "'/coe' is a mandatory attribute and can not be removed"),
        ([{'op': 'replace', 'path': '/uuid', 'value': 'x'}],
         "'/uuid' is an internal attribute and can not be updated"),
        ([{'op': 'replace', 'path': '/name'}],
         "'add' and 'replace' operations needs value"),
        ([{'op': 'add', 'path': '/nope', 'value': 1}],
         'Adding a new attribute /nope to the root of the resource is not '
         'allowed.'),
        ([{'op': 'add', 'path': '/name', 'value': 'x'}],
         "The attribute /name has existed, please use 'replace' operation "
         "instead."),
        ([{'op': 'replace', 'path': '/network_driver', 'value': 'weave'}],
         'Network driver type weave is not supported'),
        ({'not': 'a list'}, 'Value not a valid list'),
    ]:
        resp = api.patch_json(url, ops, expect_errors=True)
        assert resp.status_int == 400, ops
        assert detail in error(resp)['detail']
    assert api.get(url).json['name'] == 'renamed'


def test_pagination_and_sorting(api):
    uuids = [create(api, name='t%d' % i)['uuid'] for i in range(5)]
    page = api.get('/v1/clustertemplates?limit=2').json
    assert [ct['uuid'] for ct in page['clustertemplates']] == uuids[:2]
    assert '/v1/clustertemplates?sort_key=id&sort_dir=asc&limit=2&marker=' \
        in page['next']
    nxt = api.get('/v1/clustertemplates?limit=2&marker=%s' % uuids[1]).json
    assert [ct['uuid'] for ct in nxt['clustertemplates']] == uuids[2:4]
    desc = api.get('/v1/clustertemplates/detail?sort_key=name&sort_dir=desc')
    assert [ct['name'] for ct in desc.json['clustertemplates']] == \
        ['t4', 't3', 't2', 't1', 't0']
    assert 'next' not in desc.json
    for query, detail in [('limit=0', 'Limit must be positive'),
                          ('sort_dir=up', 'Invalid sort direction: up'),
                          ('sort_key=nope', 'The sort_key value "nope" is an '
                                            'invalid field for sorting'),
                          ('marker=abc', 'Invalid input for field/attribute '
                                         'marker')]:
        resp = api.get('/v1/clustertemplates?' + query, expect_errors=True)
        assert resp.status_int == 400 and detail in error(resp)['detail']


def test_delete(api):
    ct = create(api)
    assert api.delete('/v1/clustertemplates/%s' % ct['name']).status_int \
        == 204
    assert api.get('/v1/clustertemplates/%s' % ct['uuid'],
                   expect_errors=True).status_int == 404


def test_a_template_in_use_is_kept(api):
    ct = create(api)
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    cluster = objects.Cluster(ctx, project_id='project-1', name='c1',
                              cluster_template_id=ct['uuid']).create()
    resp = api.delete('/v1/clustertemplates/k8s', expect_errors=True)
    assert resp.status_int == 400
    assert 'is referenced by one or multiple clusters' in \
        error(resp)['detail']
    resp = api.patch_json('/v1/clustertemplates/k8s', [
        {'op': 'replace', 'path': '/flavor_id', 'value': 'm1.medium'}],
        expect_errors=True)
    assert resp.status_int == 400
    api.patch_json('/v1/clustertemplates/k8s', [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'}])
    objects.Cluster.get(ctx, cluster.uuid).destroy()
    assert api.delete('/v1/clustertemplates/renamed').status_int == 204


def test_cli_template_lifecycle(cli):
    created = cli.json('cluster', 'template', 'create', 'cli-tpl', '--coe',
                       'kubernetes', '--image', 'fedora-coreos',
                       '--external-network', 'public', '--labels',
                       'kube_tag=v1.30.1,availability_zone=nova')
    assert created['labels'] == {'kube_tag': 'v1.30.1',
                                 'availability_zone': 'nova'}
    listed = cli.json('cluster', 'template', 'list')
    assert [t['name'] for t in listed] == ['cli-tpl']
    shown = cli.json('cluster', 'template', 'show', 'cli-tpl')
    assert shown['uuid'] == created['uuid']
    updated = cli.json('cluster', 'template', 'update', 'cli-tpl',
                       '--name', 'cli-renamed')
    assert updated['name'] == 'cli-renamed'
    cli.run('cluster', 'template', 'delete', 'cli-renamed')
    assert cli.json('cluster', 'template', 'list') == []


def test_templates_in_use_are_not_destroyed(any_database):
    ctx = context.RequestContext(project_id='project-1', user_id='user-1')
    ct = objects.ClusterTemplate(ctx, project_id='project-1', name='t',
                                 coe='kubernetes', image_id='img').create()
    cluster = objects.Cluster(ctx, project_id='project-1', name='c1',
                              cluster_template_id=ct.uuid).create()
    with pytest.raises(exception.ClusterTemplateReferenced):
        ct.destroy()
    cluster.destroy()
    ct.destroy()
    with pytest.raises(exception.ClusterTemplateNotFound):
        objects.ClusterTemplate.get(ctx, ct.uuid)
