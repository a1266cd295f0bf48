"""/v1/credentials (1.12+): the rotation is a real RPC call to a conductor
endpoint on the test's own topic."""
from tests.functional.api.test_certificates import ADMIN
from tests.functional.api.test_certificates import conductor  # noqa: F401
from tests.functional.api.test_certificates import error
from tests.functional.api.test_certificates import seed_cluster


def test_rotate_calls_the_conductor(api, conductor):  # noqa: F811
    uuid = seed_cluster(certificates=False)
    resp = api.patch_json('/v1/credentials/c1', None)
    assert resp.status_int == 202
    assert resp.json == {'uuid': uuid}
    assert conductor.rotated_credentials == [(uuid, 'project-1')]


def test_needs_microversion_1_12(api, conductor):  # noqa: F811
    seed_cluster(certificates=False)
    resp = api.as_(version='1.11').patch('/v1/credentials/c1',
                                         expect_errors=True)
    assert resp.status_int == 406
    assert error(resp)['detail'] == (
        'Version 1.11 was requested but the requested API patch is not '
        'supported for this version.')
    assert conductor.rotated_credentials == []


def test_access(api, conductor):  # noqa: F811
    uuid = seed_cluster(certificates=False)
    url = '/v1/credentials/%s' % uuid
    for who, status in [(dict(project='project-2'), 404),
                        (dict(**ADMIN), 404),
                        (dict(roles='reader'), 403)]:
        resp = api.as_(**who).patch(url, expect_errors=True)
        assert resp.status_int == status, who
        error(resp)
    resp = api.patch('/v1/credentials/nope', expect_errors=True)
    assert error(resp)['detail'] == 'Cluster nope could not be found.'
    assert conductor.rotated_credentials == []
    # Another member of the project may rotate.
    api.as_(user='user-2').patch(url)
    assert conductor.rotated_credentials == [(uuid, 'project-1')]


def test_cli_credential_rotate(cli, conductor):  # noqa: F811
    uuid = seed_cluster(certificates=False)
    cli.run('credential', 'rotate', 'c1')
    assert conductor.rotated_credentials == [(uuid, 'project-1')]
