"""oslo.policy enforcement with the rules defined in code."""
from oslo_config import cfg
from oslo_policy import policy

from magnum.common import exception
from magnum.common import policies

_ENFORCER = None


def get_enforcer():
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(cfg.CONF)
        _ENFORCER.register_defaults(policies.list_rules())
        _ENFORCER.load_rules()
    return _ENFORCER


def reset():
    global _ENFORCER
    _ENFORCER = None


def enforce(context, rule, target=None, do_raise=True,
            exc_class=exception.PolicyNotAuthorized):
    """Check ``rule`` for ``context``; the default target is the caller's
    own project and user."""
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    credentials = context.to_policy_values()
    return get_enforcer().authorize(
        rule, target, credentials, do_raise=do_raise,
        exc=exc_class, action=rule)


def check_is_admin(context):
    return get_enforcer().authorize('context_is_admin', {},
                                    context.to_policy_values())


def get_enforcer_for_generator():
    """oslo.policy.enforcer entry point (sample and upgrade checks)."""
    cfg.CONF([], project='magnum')
    return get_enforcer()
