"""The transition table (reference section 2)."""
import datetime

import pytest

from magnum.common import exception
from magnum.conductor import states
from magnum.drivers import views


def seen(status=None, found=True, reason='', stack_id='s-1'):
    return views.Observation(status=status, status_reason=reason,
                             found=found, stack_id=stack_id)


@pytest.mark.parametrize('name,status,ok', [
    ('update', 'CREATE_COMPLETE', True),
    ('update', 'UPDATE_FAILED', False),
    ('update', 'CREATE_IN_PROGRESS', False),
    ('resize', 'UPDATE_FAILED', True),
    ('resize', 'UPDATE_IN_PROGRESS', True),
    ('resize', 'CREATE_FAILED', False),
    ('upgrade', 'ROLLBACK_COMPLETE', True),
    ('upgrade', 'UPDATE_IN_PROGRESS', False),
    ('rotate_ca', 'CHECK_COMPLETE', True),
    ('rotate_credential', 'UPDATE_IN_PROGRESS', True),
    ('rotate_credential', 'DELETE_FAILED', False),
    ('delete', 'DELETE_FAILED', True),
    ('delete', 'CREATE_IN_PROGRESS', True),
    ('nodegroup_update', 'UPDATE_FAILED', True),
    ('nodegroup_update', 'CREATE_FAILED', False),
    ('nodegroup_create', None, True),
    ('nodegroup_delete', 'CREATE_FAILED', True),
])
def test_allowed_states(name, status, ok):
    op = states.operation(name)
    if ok:
        op.check(status)
    else:
        with pytest.raises(exception.NotSupported) as err:
            op.check(status)
        assert status in str(err.value) and err.value.code == 400


def test_every_operation_has_consistent_statuses():
    for op in states.OPERATIONS.values():
        assert (op.progress is None) == (op.failed is None)
        assert op.progress is None or op.progress in states.IN_PROGRESS
        assert op.failed is None or op.failed in states.FAILED
        assert op.action in ('create', 'update', 'delete')


@pytest.mark.parametrize('current,observation,expected', [
    ('CREATE_IN_PROGRESS', seen('CREATE_COMPLETE'), 'CREATE_COMPLETE'),
    ('UPDATE_IN_PROGRESS', seen('CREATE_COMPLETE'), 'UPDATE_COMPLETE'),
    ('CREATE_IN_PROGRESS', seen('CREATE_IN_PROGRESS'), 'CREATE_IN_PROGRESS'),
    ('UPDATE_IN_PROGRESS', seen('UPDATE_FAILED'), 'UPDATE_FAILED'),
    ('DELETE_IN_PROGRESS', seen(found=False), 'DELETE_COMPLETE'),
    ('CREATE_IN_PROGRESS', seen(found=False), 'CREATE_FAILED'),
    ('UPDATE_IN_PROGRESS', seen(found=False), 'UPDATE_FAILED'),
    ('ROLLBACK_IN_PROGRESS', seen(found=False), 'ROLLBACK_FAILED'),
    ('CREATE_COMPLETE', seen(found=False), None),
    ('CREATE_IN_PROGRESS', seen('SOMETHING_ODD'), None),
])
def test_observed(current, observation, expected):
    change = states.observed(current, observation)
    assert change.status == expected
    assert states.observed(current, observation) == change  # idempotent


def test_missing_stack_reason():
    change = states.observed('UPDATE_IN_PROGRESS', seen(found=False,
                                                        stack_id='abc'))
    assert change.reason == 'Stack with id abc not found.'


def test_failure_reason_is_kept_only_for_failures():
    assert states.observed('CREATE_IN_PROGRESS', seen(
        'CREATE_FAILED', reason='boom')).reason == 'boom'
    assert states.observed('CREATE_IN_PROGRESS', seen(
        'CREATE_COMPLETE', reason='done')).reason is None


@pytest.mark.parametrize('current,read,announced,expected', [
    # Heat announced before it stored the state: its word wins.
    ('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
     'CREATE_COMPLETE'),
    ('UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
     'UPDATE_COMPLETE'),
    # The read already tells (or tells something else): the read wins.
    ('CREATE_IN_PROGRESS', 'CREATE_FAILED', 'CREATE_COMPLETE',
     'CREATE_FAILED'),
    # Another action's end (a create finishing under our update), failures
    # (their reason comes with the read) and deletes are not taken on trust.
    ('UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'CREATE_COMPLETE',
     'UPDATE_IN_PROGRESS'),
    ('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_FAILED',
     'CREATE_IN_PROGRESS'),
    ('DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE',
     'DELETE_IN_PROGRESS'),
    ('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', None, 'CREATE_IN_PROGRESS'),
])
def test_announced(current, read, announced, expected):
    assert states.announced(current, seen(read), announced).status == \
        expected


def test_announced_does_not_revive_a_missing_stack():
    gone = seen(found=False)
    assert states.announced('CREATE_IN_PROGRESS', gone,
                            'CREATE_COMPLETE') is gone


def test_redrive_delete():
    assert states.must_redrive_delete('DELETE_IN_PROGRESS',
                                      seen('CREATE_COMPLETE'))
    assert not states.must_redrive_delete('DELETE_IN_PROGRESS',
                                          seen('DELETE_IN_PROGRESS'))
    assert not states.must_redrive_delete('DELETE_IN_PROGRESS',
                                          seen(found=False))
    assert not states.must_redrive_delete('UPDATE_IN_PROGRESS',
                                          seen('CREATE_COMPLETE'))


@pytest.mark.parametrize('previous,default,others,expected', [
    ('CREATE_IN_PROGRESS', 'CREATE_COMPLETE', [], 'CREATE_COMPLETE'),
    ('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
     [('gpu', 'CREATE_IN_PROGRESS')], 'UPDATE_IN_PROGRESS'),
    ('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
     [('gpu', 'CREATE_FAILED'), ('big', 'UPDATE_COMPLETE')],
     'UPDATE_FAILED'),
    ('UPDATE_IN_PROGRESS', 'CREATE_COMPLETE',
     [('gpu', 'CREATE_COMPLETE')], 'UPDATE_COMPLETE'),
    ('DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS',
     [('gpu', 'DELETE_FAILED')], 'DELETE_IN_PROGRESS'),
    ('DELETE_IN_PROGRESS', 'DELETE_COMPLETE',
     [('gpu', 'DELETE_FAILED')], 'DELETE_FAILED'),
    ('CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
     [('gpu', 'CREATE_COMPLETE')], 'CREATE_COMPLETE'),
])
def test_aggregate(previous, default, others, expected):
    assert states.aggregate(previous, default, others).status == expected


def test_aggregate_names_the_failed_nodegroups():
    change = states.aggregate('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
                              [('gpu', 'CREATE_FAILED'),
                               ('big', 'UPDATE_FAILED')])
    assert change.reason == 'gpu failed, big failed'


def test_timeout():
    now = datetime.datetime(2026, 11, 21, 12, 0)
    old = now - datetime.timedelta(minutes=61)
    assert states.timed_out('CREATE_IN_PROGRESS', old, 60, now)
    assert not states.timed_out('CREATE_IN_PROGRESS', old, 62, now)
    assert not states.timed_out('CREATE_IN_PROGRESS', old, 0, now)
    assert not states.timed_out('UPDATE_IN_PROGRESS', old, 60, now)
    change = states.timeout_transition(60)
    assert change.status == 'CREATE_FAILED'
    assert change.reason == 'Cluster create timed out after 60 minutes'


@pytest.mark.parametrize('status,expected', [
    ('CREATE_COMPLETE', ('create', 'success')),
    ('CREATE_FAILED', ('create', 'failure')),
    ('UPDATE_COMPLETE', ('update', 'success')),
    ('ROLLBACK_FAILED', ('update', 'failure')),
    ('DELETE_COMPLETE', ('delete', 'success')),
    ('CHECK_COMPLETE', ('update', 'success')),
    ('UPDATE_IN_PROGRESS', None),
])
def test_notification_outcome(status, expected):
    assert states.notification_outcome(status) == expected
