"""The Heat engine: status mapping, stack names, and stack operations."""
import pytest

from magnum.common import exception
from magnum.drivers import views
from magnum.drivers.heat import engine
from tests.unit.drivers import fake_heat
from tests.unit.drivers import variants


def test_every_heat_status_maps_to_a_magnum_word():
    magnum_words = {
        'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'CREATE_COMPLETE',
        'UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_COMPLETE',
        'DELETE_IN_PROGRESS', 'DELETE_FAILED', 'DELETE_COMPLETE',
        'RESUME_COMPLETE', 'RESUME_FAILED', 'RESTORE_COMPLETE',
        'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'ROLLBACK_COMPLETE',
        'SNAPSHOT_COMPLETE', 'CHECK_COMPLETE', 'ADOPT_COMPLETE'}
    actions = ('CREATE', 'UPDATE', 'DELETE', 'ROLLBACK', 'SUSPEND', 'RESUME',
               'ADOPT', 'SNAPSHOT', 'CHECK', 'RESTORE')
    for action in actions:
        for status in ('IN_PROGRESS', 'COMPLETE', 'FAILED'):
            word = engine.magnum_status('%s_%s' % (action, status))
            assert word in magnum_words, (action, status)
            # fits the String(20) status column
            assert len(word) <= 20


def test_failures_stay_failures():
    assert engine.magnum_status('SUSPEND_FAILED') == views.UPDATE_FAILED
    assert engine.is_failed('ADOPT_FAILED')
    assert not engine.is_failed('CHECK_COMPLETE')


@pytest.mark.parametrize('name, ng, expected', [
    ('demo', None, 'demo-5d12f6fda1'),
    ('Big_Cluster.v2', None, 'big_cluster.v2-5d12f6fda1'),
    ('9lives', None, 'c9lives-5d12f6fda1'),
    (None, None, 'cluster-5d12f6fda1'),
    ('a' * 50, None, 'a' * 30 + '-5d12f6fda1'),
    ('demo', 'gpu workers', 'demo-gpu-worke-5d12f6fda1'),
])
def test_stack_names_are_stable_and_valid(name, ng, expected):
    uuid = '5d12f6fd-a196-4bf0-ae4c-1f639a523a52'
    assert engine.stack_name(name, uuid, ng) == expected


def test_create_then_find_instead_of_creating_twice():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    rendered = variants.VARIANTS['fcos_default']()
    first = eng.create_stack('demo-1', rendered, timeout_mins=60)
    heat.stacks_by_id[first]['stack_name'] = 'demo-1'
    again = eng.create_stack('demo-1', rendered, timeout_mins=60)
    assert again == first
    creates = [c for c in heat.calls if c[0] == 'create']
    assert len(creates) == 1
    args = creates[0][2]
    assert args['template'] == rendered.files['kubecluster.yaml']
    assert 'kubecluster.yaml' not in args['files']
    assert args['parameters'] == rendered.parameters
    assert args['environment'] == rendered.environment
    assert args['timeout_mins'] == 60
    assert args['disable_rollback'] is True


@pytest.mark.parametrize('status', ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE',
                                    'DELETE_FAILED'])
def test_create_does_not_adopt_a_deleted_stack(status):
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    rendered = variants.VARIANTS['fcos_default']()
    old = eng.create_stack('demo-1', rendered)
    heat.stacks_by_id[old]['stack_name'] = 'demo-1'
    heat.finish(old, status)
    assert eng.create_stack('demo-1', rendered) != old


def test_create_adopts_the_stack_a_retried_post_collides_with():
    from heatclient import exc
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    rendered = variants.VARIANTS['fcos_default']()
    first = heat.stacks.create(stack_name='demo-1')['stack']['id']
    lookups = iter([exc.HTTPNotFound(), None])

    def get(ref, resolve_outputs=True):
        failure = next(lookups)
        if failure is not None:
            raise failure       # not there yet when we looked
        return heat.stacks.get(ref, resolve_outputs)

    def create(**args):
        raise exc.HTTPConflict('name in use')
    client.stacks = type('S', (), {'get': staticmethod(get),
                                   'create': staticmethod(create)})
    assert eng.create_stack('demo-1', rendered) == first


def test_make_client_retries_dropped_connections():
    from keystoneauth1 import session
    client = engine.make_client(session.Session(),
                                endpoint_override='http://127.0.0.1:9/v1')
    assert client.http_client.connect_retries == 3


def test_get_stack_maps_status_and_outputs():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    stack_id = eng.create_stack('s', variants.VARIANTS['fcos_default']())
    heat.finish(stack_id, 'CREATE_COMPLETE', {'api_address': '1.2.3.4'})
    state = eng.get_stack(stack_id)
    assert state.status == views.CREATE_COMPLETE
    assert state.outputs == {'api_address': '1.2.3.4'}


def test_get_stack_by_name_saves_heats_redirect():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    stack_id = eng.create_stack('s', variants.VARIANTS['fcos_default']())
    asked = []
    get = client.stacks.get
    client.stacks.get = lambda ref, **kw: asked.append(ref) or get(ref, **kw)
    assert eng.get_stack(stack_id, 's').stack_id == stack_id
    assert asked == ['s/%s' % stack_id]
    # Under another name (not created by us): read by id after all.
    asked.clear()
    assert eng.get_stack(stack_id, 'other').stack_id == stack_id
    assert asked == ['other/%s' % stack_id, stack_id]


def test_missing_or_deleted_stack_reads_as_none():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    assert eng.get_stack('nope') is None
    stack_id = eng.create_stack('s', variants.VARIANTS['fcos_default']())
    heat.finish(stack_id, 'DELETE_COMPLETE')
    assert eng.get_stack(stack_id) is None
    eng.delete_stack('nope')   # already gone: no error


def test_failure_reason_names_the_failing_resource():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    stack_id = eng.create_stack('s', variants.VARIANTS['fcos_default']())
    heat.finish(stack_id, 'CREATE_FAILED', reason='Resource CREATE failed')
    heat.resources[stack_id] = [
        dict(resource_name='kube_masters', resource_status='CREATE_FAILED',
             resource_status_reason='ResourceInError: resources[0].resources'
                                    '.server: Went to status ERROR',
             parent_resource=None),
        dict(resource_name='server', resource_status='CREATE_FAILED',
             resource_status_reason='No valid host was found.',
             parent_resource='0'),
        dict(resource_name='port', resource_status='CREATE_COMPLETE',
             resource_status_reason='', parent_resource='0'),
    ]
    state = eng.get_stack(stack_id)
    assert state.status == views.CREATE_FAILED
    assert state.status_reason.startswith('server: No valid host was found.')
    assert 'port' not in state.status_reason


def test_group_member_indexes_maps_servers_to_members():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    heat.resources['stack-1'] = [dict(
        resource_name='kube_minions', physical_resource_id='group-stack')]
    heat.resources['group-stack'] = [
        dict(resource_name='server', resource_type='OS::Nova::Server',
             physical_resource_id='srv-%d' % i, parent_resource=str(i))
        for i in range(4)]
    assert eng.group_member_indexes(
        'stack-1', 'kube_minions', ['srv-3', 'srv-1', 'gone']) == ['1', '3']
    assert eng.group_member_indexes('stack-1', 'kube_minions', []) == []


def test_heat_refusals_become_magnum_errors():
    from heatclient import exc

    class Refusing:
        class stacks:
            @staticmethod
            def get(*a, **k):
                raise exc.HTTPNotFound()

            @staticmethod
            def create(**args):
                raise exc.HTTPBadRequest('Parameter x is invalid')

    with pytest.raises(exception.InvalidParameterValue,
                       match='Parameter x is invalid'):
        engine.HeatEngine(Refusing).create_stack(
            's', variants.VARIANTS['fcos_default']())


def test_list_stacks_is_one_call_for_the_stacks_in_progress():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    a = eng.create_stack('a', variants.VARIANTS['fcos_default']())
    b = eng.create_stack('b', variants.VARIANTS['fcos_default']())
    heat.finish(b, 'UPDATE_FAILED')
    states = eng.list_stacks(global_tenant=True)
    assert {k: v.status for k, v in states.items()} == {
        a: views.CREATE_IN_PROGRESS}
    assert states[a].outputs is None
    assert [c for c in heat.calls if c[0] == 'list'] == [
        ('list', None, {'global': True})]


def test_a_status_only_read_has_no_outputs_nor_failure_details():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    stack_id = eng.create_stack('s', variants.VARIANTS['fcos_default']())
    heat.finish(stack_id, 'CREATE_FAILED', reason='Resource CREATE failed')
    heat.resources[stack_id] = [dict(
        resource_name='server', resource_status='CREATE_FAILED',
        resource_status_reason='No valid host was found.',
        parent_resource=None)]
    brief = eng.get_stack(stack_id, 's', outputs=False)
    assert (brief.status, brief.outputs) == (views.CREATE_FAILED, None)
    assert brief.status_reason == 'Resource CREATE failed'
    full = eng.get_stack(stack_id, 's')
    assert full.outputs == {}
    assert full.status_reason.startswith('server: No valid host')


def test_update_replaces_and_patch_keeps():
    heat, client = fake_heat.client()
    eng = engine.HeatEngine(client)
    rendered = variants.VARIANTS['fcos_default']()
    stack_id = eng.create_stack('s', rendered)
    eng.update_stack(stack_id, rendered, timeout_mins=30)
    eng.patch_stack(stack_id, {'number_of_minions': 4})
    (full, patch) = [c[2] for c in heat.calls if c[0] == 'update']
    assert full['template'] == rendered.files['kubecluster.yaml']
    assert full['timeout_mins'] == 30 and 'existing' not in full
    assert patch == {'parameters': {'number_of_minions': 4},
                     'existing': True, 'disable_rollback': True}
