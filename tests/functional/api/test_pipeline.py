"""The WSGI layers around the controllers: request ids, microversion
headers, errors from outside pecan, proxy headers and empty 204s."""
import http.client
import re

from magnum.api import app as api_app
from tests.fixtures import api as api_fixtures

REQUEST_ID = re.compile(r'^req-[0-9a-f-]{36}$')


def test_every_response_carries_its_own_request_id(api):
    ids = {api.get(path, expect_errors=True).headers['x-openstack-request-id']
           for path in ('/', '/v1/clusters', '/v1/nope')}
    assert len(ids) == 3 and all(REQUEST_ID.match(i) for i in ids)


def test_version_headers_and_refusals(api):
    resp = api.get('/v1/clusters/')
    assert resp.headers['OpenStack-API-Version'] == \
        'container-infrastructure-management latest'
    assert resp.headers['OpenStack-API-Maximum-Version'].endswith('1.14')
    assert resp.headers['Vary'] == 'OpenStack-API-Version'
    resp = api.get('/v1/clusters', expect_errors=True, headers={
        'OpenStack-API-Version': 'container-infra 1.99'})
    assert resp.status_int == 406
    assert resp.headers['OpenStack-API-Version'].endswith(' 1.99')
    assert resp.json['errors'][0]['max_version'] == '1.14'


def test_routing_errors_are_magnum_errors(api):
    resp = api.get('/v1/nope', expect_errors=True)
    assert resp.status_int == 404
    (err,) = resp.json['errors']
    assert (err['status'], err['title'], err['code']) == (404, 'Not Found',
                                                          '')
    assert resp.headers['OpenStack-API-Version'].endswith('latest')


def test_delete_answers_204_without_a_body(api, live_api):
    uuid = api.post_json('/v1/clustertemplates', {
        'coe': 'kubernetes', 'image_id': 'fedora-coreos',
        'external_network_id': 'public'}).json['uuid']
    conn = http.client.HTTPConnection(live_api.url.split('//')[1])
    conn.request('DELETE', '/v1/clustertemplates/' + uuid,
                 headers=api_fixtures.identity())
    resp = conn.getresponse()
    assert (resp.status, resp.getheader('Content-Length'),
            resp.read()) == (204, '0', b'')


def test_proxy_headers_are_read_only_when_enabled(database, conf):
    forwarded = {'X-Forwarded-Proto': 'https', 'Host': 'api.example'}
    plain = api_fixtures.Client(api_app.build_app())
    assert plain.get('/v1', headers=forwarded).json['links'][0]['href'] == \
        'http://api.example/v1/'
    conf.set_override('enable_proxy_headers_parsing', True,
                      group='oslo_middleware')
    proxied = api_fixtures.Client(api_app.build_app())
    assert proxied.get('/v1', headers=forwarded).json['links'][0]['href'] == \
        'https://api.example/v1/'
