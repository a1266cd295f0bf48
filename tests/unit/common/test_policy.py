import pytest

from magnum.common import context
from magnum.common import exception
from magnum.common import policy


def member(project='p1', user='u1'):
    return context.RequestContext(project_id=project, user_id=user,
                                  roles=['member', 'reader'])


def test_decisions_follow_roles_targets_and_rules():
    assert policy.enforce(member(), 'cluster:get')
    assert not policy.check_is_admin(member())
    with pytest.raises(exception.PolicyNotAuthorized,
                       match='cluster:get to be performed'):
        policy.enforce(member(), 'cluster:get',
                       target={'project_id': 'p2', 'user_id': 'u2'})
    assert not policy.enforce(member(), 'cluster:get', do_raise=False,
                              target={'project_id': 'p2', 'user_id': 'u2'})
    with pytest.raises(exception.ClusterTemplatePublishDenied):
        policy.enforce(member(), 'clustertemplate:publish',
                       exc_class=exception.ClusterTemplatePublishDenied)


def _deny_reads(path):
    path.write_text('"cluster:get": "!"\n')


def test_a_changed_policy_file_applies_once_cached_decisions_expire(
        conf, tmp_path):
    rules = tmp_path / 'policy.yaml'
    rules.write_text('"cluster:get": "role:reader"\n')
    conf.set_override('policy_file', str(rules), group='oslo_policy')
    assert policy.enforce(member(), 'cluster:get')
    _deny_reads(rules)
    assert policy.enforce(member(), 'cluster:get')      # still cached
    assert not policy.enforce(member(project='p2'), 'cluster:get',
                              do_raise=False)           # a new caller
    conf.set_override('policy_cache_ttl', 0, group='api')
    policy.reset()
    rules.write_text('"cluster:get": "role:reader"\n')
    assert policy.enforce(member(), 'cluster:get')
    _deny_reads(rules)
    assert not policy.enforce(member(), 'cluster:get', do_raise=False)
