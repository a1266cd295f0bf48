"""Magnum's status words and the one table that changes them.

Every status a conductor writes is decided here:

* ``OPERATIONS`` says, per user operation, which states it may start from
  (reference section 2), the status while the driver works and the status
  when the driver refuses;
* ``observed`` turns what a driver saw (its ``Observation``) into the next
  status of a cluster or nodegroup, idempotently: feeding the same
  observation twice gives the same answer;
* ``aggregate`` folds nodegroup statuses into the cluster's (the HeatPoller
  rule: IN_PROGRESS beats FAILED beats COMPLETE);
* ``timed_out`` enforces ``create_timeout`` ourselves.

The words are Magnum's API vocabulary; no orchestrator's vocabulary is
known here (the Heat engine maps Heat's onto these).
"""
import dataclasses
import datetime
from typing import Optional

from magnum.common import exception
from magnum.drivers import views

CREATE_IN_PROGRESS = views.CREATE_IN_PROGRESS
CREATE_COMPLETE = views.CREATE_COMPLETE
CREATE_FAILED = views.CREATE_FAILED
UPDATE_IN_PROGRESS = views.UPDATE_IN_PROGRESS
UPDATE_COMPLETE = views.UPDATE_COMPLETE
UPDATE_FAILED = views.UPDATE_FAILED
DELETE_IN_PROGRESS = views.DELETE_IN_PROGRESS
DELETE_COMPLETE = views.DELETE_COMPLETE
DELETE_FAILED = views.DELETE_FAILED
ROLLBACK_IN_PROGRESS = views.ROLLBACK_IN_PROGRESS
ROLLBACK_COMPLETE = views.ROLLBACK_COMPLETE
ROLLBACK_FAILED = views.ROLLBACK_FAILED
RESUME_COMPLETE = views.RESUME_COMPLETE
RESUME_FAILED = views.RESUME_FAILED
RESTORE_COMPLETE = views.RESTORE_COMPLETE
SNAPSHOT_COMPLETE = 'SNAPSHOT_COMPLETE'
CHECK_COMPLETE = views.CHECK_COMPLETE
ADOPT_COMPLETE = views.ADOPT_COMPLETE

COMPLETE = frozenset({CREATE_COMPLETE, UPDATE_COMPLETE, RESUME_COMPLETE,
                      RESTORE_COMPLETE, ROLLBACK_COMPLETE, SNAPSHOT_COMPLETE,
                      CHECK_COMPLETE, ADOPT_COMPLETE})
FAILED = frozenset({CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED,
                    ROLLBACK_FAILED, RESUME_FAILED})
IN_PROGRESS = frozenset({CREATE_IN_PROGRESS, UPDATE_IN_PROGRESS,
                         DELETE_IN_PROGRESS, ROLLBACK_IN_PROGRESS})
ALL = COMPLETE | FAILED | IN_PROGRESS | {DELETE_COMPLETE}

_RETRYABLE = COMPLETE | {UPDATE_IN_PROGRESS, UPDATE_FAILED}


@dataclasses.dataclass(frozen=True)
class Operation:
    """How one user operation moves a cluster (and maybe a nodegroup).

    ``allowed`` is checked against the cluster's status, or the
    nodegroup's when ``on_nodegroup`` (None: any state); ``progress`` is
    written before the driver is asked and ``failed`` when it refuses (None:
    the status does not change). ``action`` names the CADF action of its
    notifications.
    """
    name: str
    action: str
    allowed: Optional[frozenset]
    progress: Optional[str]
    failed: Optional[str]
    on_nodegroup: bool = False
    nodegroup_progress: Optional[str] = None
    nodegroup_failed: Optional[str] = None
    verb: str = 'Updating a cluster'

    def check(self, status):
        """Raise NotSupported (400) when the operation may not start."""
        if self.allowed is not None and status not in self.allowed:
            raise exception.NotSupported(
                operation='%s when status is "%s"' % (self.verb, status))


OPERATIONS = {op.name: op for op in (
    Operation('create', 'create', None, CREATE_IN_PROGRESS, CREATE_FAILED,
              verb='Creating a cluster'),
    Operation('update', 'update', COMPLETE, UPDATE_IN_PROGRESS,
              UPDATE_FAILED),
    Operation('update_health', 'update', COMPLETE, None, None),
    Operation('resize', 'update', _RETRYABLE, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, verb='Resizing a cluster'),
    Operation('upgrade', 'update', COMPLETE, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, verb='Upgrading a cluster'),
    Operation('rotate_ca', 'update', COMPLETE, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, verb='Rotating the CA of a cluster'),
    Operation('rotate_credential', 'update', _RETRYABLE, None, None,
              verb='Rotating the credential of a cluster'),
    Operation('delete', 'delete', None, DELETE_IN_PROGRESS, DELETE_FAILED),
    Operation('nodegroup_create', 'create', None, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, on_nodegroup=True,
              nodegroup_progress=CREATE_IN_PROGRESS,
              nodegroup_failed=CREATE_FAILED,
              verb='Creating a nodegroup'),
    Operation('nodegroup_update', 'update', _RETRYABLE, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, on_nodegroup=True,
              nodegroup_progress=UPDATE_IN_PROGRESS,
              nodegroup_failed=UPDATE_FAILED,
              verb='Updating a nodegroup'),
    Operation('nodegroup_delete', 'delete', None, UPDATE_IN_PROGRESS,
              UPDATE_FAILED, on_nodegroup=True,
              nodegroup_progress=DELETE_IN_PROGRESS,
              nodegroup_failed=DELETE_FAILED,
              verb='Deleting a nodegroup'),
)}


def operation(name):
    return OPERATIONS[name]


# -- observation --------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Transition:
    """The next status and reason; ``status`` None means "no change"."""
    status: Optional[str]
    reason: Optional[str] = None


_MISSING = {DELETE_IN_PROGRESS: DELETE_COMPLETE,
            CREATE_IN_PROGRESS: CREATE_FAILED,
            UPDATE_IN_PROGRESS: UPDATE_FAILED,
            ROLLBACK_IN_PROGRESS: ROLLBACK_FAILED}


def observed(current, observation):
    """Next status of a cluster or nodegroup in ``current`` given what its
    driver observed (a views.Observation)."""
    if not observation.found:
        if current == DELETE_IN_PROGRESS:
            return Transition(DELETE_COMPLETE)
        if current in _MISSING:
            return Transition(_MISSING[current], 'Stack with id %s not found.'
                              % observation.stack_id)
        return Transition(None)
    status = observation.status
    if status not in ALL:
        return Transition(None)
    if status == CREATE_COMPLETE and not (current or '').startswith(
            'CREATE_'):
        status = UPDATE_COMPLETE
    reason = observation.status_reason if status in FAILED else None
    return Transition(status, reason)


def announced(current, observation, announcement):
    """What a read taken after the orchestrator announced that a stack
    reached ``announcement`` counts as. Heat sends that notification just
    before it stores the state (and under load the store can trail it by
    seconds), so the read may still show the action in progress: then the
    announced completion of that same action wins. Failures, another
    action, or a stack gone are left to the read."""
    if (announcement in COMPLETE and observation.found
            and current in IN_PROGRESS and observation.status == current
            and announcement.split('_')[0] == current.split('_')[0]):
        return dataclasses.replace(observation, status=announcement)
    return observation


def must_redrive_delete(current, observation):
    """A cluster we mean to delete whose stack is not being deleted (the
    conductor died between writing DELETE_IN_PROGRESS and asking the
    driver, or the driver's delete was lost): ask again."""
    return (current == DELETE_IN_PROGRESS and observation.found
            and not (observation.status or '').startswith('DELETE_'))


def aggregate(previous, default_status, others):
    """The cluster's status from its default nodegroups' status and the
    ``(name, status)`` of its other nodegroups (HeatPoller's rule).

    Returns a Transition; a failure names the nodegroups that failed.
    """
    if not others:
        return Transition(default_status)
    named = [('default', default_status)] + list(others)
    for suffix in ('_IN_PROGRESS', '_FAILED', '_COMPLETE'):
        hit = [name for name, status in named
               if status and status.endswith(suffix)]
        if hit:
            if default_status.startswith('DELETE_'):
                prefix = 'DELETE'
            elif (default_status.startswith('CREATE_')
                  and (previous or '').startswith('CREATE_')):
                prefix = 'CREATE'
            else:
                prefix = 'UPDATE'
            status = prefix + suffix
            reason = (', '.join('%s failed' % n for n in hit)
                      if suffix == '_FAILED' else None)
            return Transition(status, reason)
    return Transition(None)


# -- our own timeout ----------------------------------------------------------
def timed_out(status, created_at, create_timeout, now):
    """CREATE_IN_PROGRESS for longer than ``create_timeout`` minutes (0 or
    None: no limit)."""
    if status != CREATE_IN_PROGRESS or not create_timeout or not created_at:
        return False
    return now - created_at > datetime.timedelta(minutes=create_timeout)


def timeout_transition(create_timeout):
    return Transition(CREATE_FAILED, 'Cluster create timed out after %d '
                      'minutes' % create_timeout)


def notification_outcome(status):
    """(action, outcome) the periodic sync reports for a finished status,
    or None (upstream: CREATE_* -> create, UPDATE_*/ROLLBACK_* -> update,
    DELETE_* -> delete)."""
    if status.endswith('_COMPLETE'):
        outcome = 'success'
    elif status.endswith('_FAILED'):
        outcome = 'failure'
    else:
        return None
    action = {'CREATE': 'create', 'DELETE': 'delete'}.get(
        status.split('_', 1)[0], 'update')
    return action, outcome
