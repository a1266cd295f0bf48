"""Talk to Heat: create, update, delete, read and list stacks.

This is the only module that knows Heat's status vocabulary; ``STATUS``
maps it onto Magnum's status words. Everything else works on
``StackState`` values.
"""
import dataclasses
import re
from typing import Optional

from heatclient import client as heat_client
from heatclient import exc as heat_exc

from magnum.common import exception
from magnum.drivers import views

# Heat "<ACTION>_<STATUS>" -> Magnum status word.
STATUS = {
    'INIT_COMPLETE': views.CREATE_IN_PROGRESS,
    'CREATE_IN_PROGRESS': views.CREATE_IN_PROGRESS,
    'CREATE_COMPLETE': views.CREATE_COMPLETE,
    'CREATE_FAILED': views.CREATE_FAILED,
    'UPDATE_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'UPDATE_COMPLETE': views.UPDATE_COMPLETE,
    'UPDATE_FAILED': views.UPDATE_FAILED,
    'DELETE_IN_PROGRESS': views.DELETE_IN_PROGRESS,
    'DELETE_COMPLETE': views.DELETE_COMPLETE,
    'DELETE_FAILED': views.DELETE_FAILED,
    'ROLLBACK_IN_PROGRESS': views.ROLLBACK_IN_PROGRESS,
    'ROLLBACK_COMPLETE': views.ROLLBACK_COMPLETE,
    'ROLLBACK_FAILED': views.ROLLBACK_FAILED,
    'RESUME_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'RESUME_COMPLETE': views.RESUME_COMPLETE,
    'RESUME_FAILED': views.RESUME_FAILED,
    'SUSPEND_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'SUSPEND_COMPLETE': views.UPDATE_COMPLETE,
    'SUSPEND_FAILED': views.UPDATE_FAILED,
    'RESTORE_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'RESTORE_COMPLETE': views.RESTORE_COMPLETE,
    'RESTORE_FAILED': views.UPDATE_FAILED,
    'SNAPSHOT_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'SNAPSHOT_COMPLETE': views.SNAPSHOT_COMPLETE,
    'SNAPSHOT_FAILED': views.UPDATE_FAILED,
    'CHECK_IN_PROGRESS': views.UPDATE_IN_PROGRESS,
    'CHECK_COMPLETE': views.CHECK_COMPLETE,
    'CHECK_FAILED': views.UPDATE_FAILED,
    'ADOPT_IN_PROGRESS': views.CREATE_IN_PROGRESS,
    'ADOPT_COMPLETE': views.ADOPT_COMPLETE,
    'ADOPT_FAILED': views.CREATE_FAILED,
}


def magnum_status(heat_status):
    """Magnum's word for a Heat stack status (unknown ones pass through)."""
    return STATUS.get(heat_status, heat_status)


def is_failed(heat_status):
    return magnum_status(heat_status).endswith('_FAILED')


@dataclasses.dataclass(frozen=True)
class StackState:
    """A stack as Heat reports it, already in Magnum's status words
    (``outputs`` is None when they were not asked for)."""
    stack_id: str
    status: str
    status_reason: str = ''
    outputs: Optional[dict] = dataclasses.field(default_factory=dict)
    parameters: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def from_heat(cls, stack):
        listed = getattr(stack, 'outputs', None)
        outputs = None if listed is None else {
            o['output_key']: o.get('output_value') for o in listed}
        return cls(stack_id=stack.id,
                   status=magnum_status(stack.stack_status),
                   status_reason=stack.stack_status_reason or '',
                   outputs=outputs,
                   parameters=dict(getattr(stack, 'parameters', None) or {}))


_NAME_BAD = re.compile(r'[^a-zA-Z0-9_.-]')
_NESTED_PATH = re.compile(r'resources[.\[]')


def stack_name(cluster_name, cluster_uuid, nodegroup_name=None):
    """A Heat stack name that is the same every time for the same cluster.

    Being deterministic lets a restarted conductor find a stack it created
    but never recorded, instead of creating a second one.
    """
    base = _NAME_BAD.sub('-', cluster_name or 'cluster')
    if not base[0].isalpha():
        base = 'c' + base
    short = cluster_uuid.replace('-', '')[:10]
    if nodegroup_name:
        nodegroup = _NAME_BAD.sub('-', nodegroup_name)
        return ('%s-%s-%s' % (base[:20], nodegroup[:9], short)).lower()
    return ('%s-%s' % (base[:30], short)).lower()


def make_client(session, region_name=None, interface='public',
                endpoint_override=None, connect_retries=3):
    """A heatclient Client on a keystoneauth session; requests whose
    connection drops are retried (create_stack copes with a repeated POST).
    """
    kwargs = {'session': session, 'interface': interface,
              'connect_retries': connect_retries}
    if region_name:
        kwargs['region_name'] = region_name
    if endpoint_override:
        kwargs['endpoint_override'] = endpoint_override
    return heat_client.Client('1', **kwargs)


def _translate(func):
    """Turn Heat's refusals into Magnum exceptions the API understands."""
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except heat_exc.HTTPBadRequest as exc:
            raise exception.InvalidParameterValue(err=_message(exc)) from exc
        except heat_exc.HTTPConflict as exc:
            raise exception.Conflict(_message(exc)) from exc
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _message(exc):
    return getattr(exc, 'error', None) and str(
        exc.error.get('error', {}).get('message', exc)) or str(exc)


class HeatEngine:
    """Stack operations on one heatclient Client."""

    def __init__(self, client):
        self.client = client

    @_translate
    def create_stack(self, name, rendered, timeout_mins=None, tags=()):
        """Create the stack (or adopt one of the same name); return its id."""
        existing = self._find(name)
        if existing is not None:
            return existing
        args = dict(rendered.heat_arguments(), stack_name=name,
                    disable_rollback=True)
        if timeout_mins:
            args['timeout_mins'] = timeout_mins
        if tags:
            args['tags'] = ','.join(tags)
        try:
            return self.client.stacks.create(**args)['stack']['id']
        except heat_exc.HTTPConflict:
            # A retried POST whose first attempt got through finds its own
            # stack; anything else is a real conflict.
            existing = self._find(name)
            if existing is None:
                raise
            return existing

    def _find(self, name):
        """The id of a live stack called ``name``; one being or already
        deleted is not adopted (Heat still finds those by name)."""
        try:
            stack = self.client.stacks.get(name, resolve_outputs=False)
        except heat_exc.HTTPNotFound:
            return None
        if stack.stack_status.startswith('DELETE_'):
            return None
        return stack.id

    @_translate
    def update_stack(self, stack_id, rendered, timeout_mins=None):
        """Replace the stack's templates, environment and parameters."""
        args = rendered.heat_arguments()
        if timeout_mins:
            args['timeout_mins'] = timeout_mins
        self.client.stacks.update(stack_id, disable_rollback=True, **args)

    @_translate
    def patch_stack(self, stack_id, parameters, timeout_mins=None):
        """Change only ``parameters``; Heat keeps the stack's templates,
        environment and every other parameter as they are."""
        args = {'parameters': dict(parameters), 'existing': True}
        if timeout_mins:
            args['timeout_mins'] = timeout_mins
        self.client.stacks.update(stack_id, disable_rollback=True, **args)

    @_translate
    def delete_stack(self, stack_id):
        """Ask Heat to delete; a stack already gone counts as done."""
        try:
            self.client.stacks.delete(stack_id)
        except heat_exc.HTTPNotFound:
            pass

    def get_stack(self, stack_id, name=None, outputs=True) \
            -> Optional[StackState]:
        """The stack, or None when Heat no longer has it.

        ``outputs=False`` asks only for its status: no outputs, no failure
        details, and much less work for Heat. Knowing the stack's ``name``
        saves a request: Heat answers a GET by id alone with a redirect to
        ``<name>/<id>``.
        """
        stack = None
        if name:
            stack = self._get('%s/%s' % (name, stack_id), outputs)
        if stack is None:
            stack = self._get(stack_id, outputs)
        if stack is None:
            return None
        state = StackState.from_heat(stack)
        if state.status == views.DELETE_COMPLETE:
            return None
        if outputs and state.status.endswith('_FAILED'):
            state = dataclasses.replace(
                state, status_reason=self.failure_reason(stack_id,
                                                         state.status_reason))
        return state

    def _get(self, ref, outputs):
        try:
            return self.client.stacks.get(ref, resolve_outputs=outputs)
        except heat_exc.HTTPNotFound:
            return None

    def list_stacks(self, global_tenant=False):
        """The stacks in progress by id (without outputs): the "one list
        per tick" mode. ``global_tenant`` needs Heat's stacks:global_index
        policy."""
        return {s.id: StackState.from_heat(s) for s in
                self.client.stacks.list(global_tenant=global_tenant,
                                        filters={'status': 'IN_PROGRESS'})}

    def failure_reason(self, stack_id, fallback=''):
        """Name the resources that failed and say why, leaves first.

        A failed parent repeats its child's error behind a
        "resources.<name>..." path; the leaf's own message is the useful one.
        """
        try:
            resources = self.client.resources.list(stack_id, nested_depth=3)
        except heat_exc.HTTPException:
            return fallback
        failed = [r for r in resources
                  if is_failed(getattr(r, 'resource_status', ''))]
        if not failed:
            return fallback
        failed.sort(key=lambda r: bool(_NESTED_PATH.search(
            r.resource_status_reason or '')))
        return '; '.join('%s: %s' % (r.resource_name,
                                     r.resource_status_reason)
                         for r in failed[:3])

    def group_member_indexes(self, stack_id, group, server_ids):
        """Indexes of a ResourceGroup's members holding the given servers.

        ResourceGroup removal policies name members, while users name the
        servers to remove; this maps one to the other. Unknown ids are
        ignored (the server may already be gone).
        """
        wanted = set(server_ids)
        if not wanted:
            return []
        try:
            group_stack = self.client.resources.get(
                stack_id, group).physical_resource_id
            resources = self.client.resources.list(group_stack,
                                                   nested_depth=1)
        except heat_exc.HTTPNotFound:
            return []
        return sorted({r.parent_resource for r in resources
                       if r.resource_type == 'OS::Nova::Server'
                       and getattr(r, 'parent_resource', None)
                       and r.physical_resource_id in wanted}, key=int)
