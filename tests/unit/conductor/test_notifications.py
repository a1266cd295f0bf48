"""The CADF payload, key by key (reference section 3.4)."""
import datetime

from magnum.common import context
from magnum.common import notifications
from magnum.db import api as db_api

NOW = datetime.datetime(2026, 11, 21, 8, 39, 24, 825182)


def _cluster(**kw):
    values = dict(
        uuid='5d12f6fd-a196-4bf0-ae4c-1f639a523a52', name='demo',
        status='CREATE_IN_PROGRESS', status_reason=None,
        project_id='p-1', created_at=NOW, updated_at=None,
        cluster_template_id='t-1', keypair='kp', docker_volume_size=5,
        labels={'a': 'b'}, master_flavor_id='m1', flavor_id='f1',
        stack_id='s-1', health_status=None, create_timeout=60,
        api_address=None, discovery_url=None)
    values.update(kw)
    return db_api.Record(**values)


def _ng(role, count, addresses):
    return db_api.Record(role=role, node_count=count,
                         node_addresses=addresses)


def test_cluster_event():
    ctx = context.RequestContext(user_id='u-1', project_id='p-1')
    event = notifications.cluster_event(
        ctx, 'create', 'pending', _cluster(),
        [_ng('master', 1, ['10.0.0.1']), _ng('worker', 2, ['10.0.1.1']),
         _ng('worker', 3, ['10.0.2.1'])])
    assert event['typeURI'] == \
        'http://schemas.dmtf.org/cloud/audit/1.0/event'
    assert event['eventType'] == 'activity'
    assert event['action'] == 'create' and event['outcome'] == 'pending'
    assert event['eventTime'].endswith('+0000')
    assert event['observer']['typeURI'] == 'service/magnum/cluster'
    assert set(event['observer']) == {'id', 'typeURI'}
    assert event['initiator']['typeURI'] == 'service/security/account/user'
    assert event['initiator']['user_id'] == 'u-1'
    assert event['initiator']['project_id'] == 'p-1'
    target = event['target']
    assert target['id'] == '5d12f6fd-a196-4bf0-ae4c-1f639a523a52'
    assert target['name'] == 'demo'
    assert target['typeURI'] == 'service/magnum/cluster'
    [attachment] = target['attachments']
    assert attachment['typeURI'] == 'service/magnum/cluster'
    assert attachment['name'] == 'cluster_data'
    content = attachment['content']
    assert sorted(content) == sorted([
        'status', 'status_reason', 'project_id', 'created_at', 'updated_at',
        'cluster_template_id', 'keypair', 'docker_volume_size:', 'labels',
        'master_flavor_id', 'flavor_id', 'stack_id', 'health_status',
        'create_timeout', 'api_address', 'discovery_url', 'node_addresses',
        'master_addresses', 'node_count', 'master_count'])
    assert content['docker_volume_size:'] == 5  # upstream's key, sic
    assert content['created_at'] == '2026-11-21T08:39:24.825182'
    assert content['node_count'] == 5 and content['master_count'] == 1
    assert content['node_addresses'] == ['10.0.1.1', '10.0.2.1']
    assert content['master_addresses'] == ['10.0.0.1']


def test_event_without_cluster():
    event = notifications.cluster_event(None, 'delete', 'failure')
    assert event['target'] == {'id': 'unknown',
                               'typeURI': 'service/magnum/cluster'}
