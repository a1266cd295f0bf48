"""An in-memory stand-in for heatclient's Client, enough for the engine's
unit tests (the real Heat is exercised by the e2e suite)."""
import itertools
import types

from heatclient import exc


class _Stacks:
    def __init__(self, heat):
        self.heat = heat
        self._ids = itertools.count(1)

    def create(self, **args):
        stack_id = 'stack-%d' % next(self._ids)
        self.heat.stacks_by_id[stack_id] = dict(
            args, id=stack_id, stack_status='CREATE_IN_PROGRESS',
            stack_status_reason='', outputs=[])
        self.heat.calls.append(('create', stack_id, args))
        return {'stack': {'id': stack_id}}

    def _lookup(self, ref):
        """By id, by name, or by "<name>/<id>" (both must match), as Heat."""
        name, _, stack_id = ref.rpartition('/')
        for stack in self.heat.stacks_by_id.values():
            if name:
                found = (stack['id'] == stack_id
                         and stack.get('stack_name') == name)
            else:
                found = ref in (stack['id'], stack.get('stack_name'))
            if found:
                return stack
        raise exc.HTTPNotFound('Stack %s not found' % ref)

    def get(self, ref, resolve_outputs=True):
        stack = dict(self._lookup(ref))
        if not resolve_outputs:
            del stack['outputs']
        return types.SimpleNamespace(**stack)

    def update(self, stack_id, **args):
        if stack_id in self.heat.refuse_updates:
            raise exc.HTTPBadRequest('Updating a stack when it is suspended '
                                     'is not supported.')
        self._lookup(stack_id).update(args, stack_status='UPDATE_IN_PROGRESS')
        self.heat.calls.append(('update', stack_id, args))

    def delete(self, stack_id):
        self._lookup(stack_id)['stack_status'] = 'DELETE_IN_PROGRESS'
        self.heat.calls.append(('delete', stack_id, {}))

    def list(self, global_tenant=False, filters=None):
        """Heat's list: no outputs; ``filters={'status': 'IN_PROGRESS'}``
        keeps the stacks whose status ends so."""
        self.heat.calls.append(('list', None, {'global': global_tenant}))
        status = (filters or {}).get('status', '')
        return [types.SimpleNamespace(**{k: v for k, v in s.items()
                                         if k != 'outputs'})
                for s in self.heat.stacks_by_id.values()
                if s['stack_status'].endswith(status)]


class _Resources:
    def __init__(self, heat):
        self.heat = heat

    def list(self, stack_id, nested_depth=0):
        return [types.SimpleNamespace(**r)
                for r in self.heat.resources.get(stack_id, ())]

    def get(self, stack_id, name):
        for r in self.heat.resources.get(stack_id, ()):
            if r['resource_name'] == name:
                return types.SimpleNamespace(**r)
        raise exc.HTTPNotFound('no resource %s' % name)


class FakeHeat:
    def __init__(self):
        self.stacks_by_id = {}
        self.resources = {}
        self.calls = []
        self.refuse_updates = set()     # stack ids whose update is a 400
        self.stacks = _Stacks(self)
        self.resources_api = _Resources(self)

    def server_group(self, stack_id, group, size):
        """A ResourceGroup ``group`` of ``stack_id`` holding servers
        srv-0, srv-1... as members 0, 1..."""
        self.resources[stack_id] = [dict(resource_name=group,
                                         physical_resource_id=group)]
        self.resources[group] = [
            dict(resource_name='server', resource_type='OS::Nova::Server',
                 physical_resource_id='srv-%d' % i, parent_resource=str(i))
            for i in range(size)]

    def finish(self, stack_id, status, outputs=None, reason=''):
        stack = self.stacks_by_id[stack_id]
        stack['stack_status'] = status
        stack['stack_status_reason'] = reason
        if outputs is not None:
            stack['outputs'] = [{'output_key': k, 'output_value': v}
                                for k, v in outputs.items()]


def client():
    heat = FakeHeat()
    # heatclient exposes ``resources``; keep the data dict separate.
    heat_client = types.SimpleNamespace(stacks=heat.stacks,
                                        resources=heat.resources_api)
    return heat, heat_client
