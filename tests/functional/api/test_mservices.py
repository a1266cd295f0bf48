"""/v1/mservices: service records seeded in the real database; the state
is computed from the heartbeat and [DEFAULT] service_down_time."""
import datetime

import pytest

from magnum.common import context
from magnum.db import api as db_api
from magnum.db import models
from tests.fixtures import api as api_fixtures
from tests.functional.api.test_certificates import ADMIN
from tests.functional.api.test_certificates import error


@pytest.fixture
def services(database):
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    def ago(seconds):
        return now - datetime.timedelta(seconds=seconds)

    rows = [
        dict(host='fresh', last_seen_up=ago(10), report_count=7),
        dict(host='stale', last_seen_up=ago(600), report_count=3),
        dict(host='forced', last_seen_up=ago(10), forced_down=True),
        dict(host='new', created_at=ago(5)),
        dict(host='never', created_at=ago(3600)),
        dict(host='disabled', last_seen_up=ago(10), disabled=True,
             disabled_reason='maintenance'),
    ]
    with db_api.session_for_write(context.make_admin_context()) as session:
        session.add_all([models.MagnumService(binary='magnum-conductor',
                                              **row) for row in rows])


def states(resp):
    return {s['host']: s['state'] for s in resp.json['mservices']}


def test_states(api, services):
    resp = api.as_(**ADMIN).get('/v1/mservices')
    assert set(resp.json) == {'mservices'}
    assert states(resp) == {'fresh': 'up', 'stale': 'down', 'forced': 'down',
                            'new': 'up', 'never': 'down', 'disabled': 'up'}
    fresh, disabled = resp.json['mservices'][0], resp.json['mservices'][-1]
    assert set(fresh) == {'id', 'host', 'binary', 'state', 'report_count',
                          'disabled', 'disabled_reason', 'created_at',
                          'updated_at'}
    assert (fresh['binary'], fresh['report_count'], fresh['disabled']) == \
        ('magnum-conductor', 7, False)
    assert (disabled['disabled'], disabled['disabled_reason']) == \
        (True, 'maintenance')


def test_down_time_is_configurable(api, services, conf):
    conf.set_override('service_down_time', 1000)
    assert states(api.as_(**ADMIN).get('/v1/mservices'))['stale'] == 'up'


def test_admin_only_and_never_paginated(api, services):
    resp = api.get('/v1/mservices', expect_errors=True)
    assert resp.status_int == 403
    assert error(resp)['detail'] == ("Policy doesn't allow "
                                     "magnum-service:get_all to be performed.")
    resp = api.as_(**ADMIN).get('/v1/mservices/?limit=1')
    assert len(resp.json['mservices']) == 6 and 'next' not in resp.json


def test_cli_service_list(live_api, services):
    cli = api_fixtures.CLI(live_api.url, **ADMIN)
    listed = cli.json('service', 'list')
    assert {s['host']: s['state'] for s in listed}['stale'] == 'down'
    assert len(listed) == 6
