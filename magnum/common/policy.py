"""oslo.policy enforcement with the rules defined in code.

Decisions are cached for ``[api] policy_cache_ttl`` seconds, keyed by the
rule, the target and every credential the rules can read: a decision is a
function of those alone while the rules stay the same, and a changed policy
file (which oslo.policy reads again only when it next enforces anyway) is
honoured once the entries made under the old rules have expired.
"""
from oslo_config import cfg
from oslo_policy import policy

from magnum.common import exception
from magnum.common import policies
from magnum.common import ttl_cache

_ENFORCER = None
_DECISIONS = ttl_cache.TTLCache(lambda: cfg.CONF.api.policy_cache_ttl)


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
    _DECISIONS.clear()


def _frozen(values):
    return tuple(sorted(
        (k, tuple(v) if isinstance(v, list) else v)
        for k, v in values.items()))


def _authorize(rule, target, credentials):
    key = (rule, _frozen(target), _frozen(credentials))
    allowed = _DECISIONS.get(key)
    if allowed is None:
        allowed = bool(get_enforcer().authorize(rule, target, credentials))
        _DECISIONS.put(key, allowed)
    return allowed


def enforce(context, rule, target=None, do_raise=True,
            exc_class=exception.PolicyNotAuthorized):
    """Check ``rule`` for ``context``; the default target is the caller's
    own project and user."""
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    allowed = _authorize(rule, target, context.to_policy_values())
    if do_raise and not allowed:
        raise exc_class(action=rule)
    return allowed


def check_is_admin(context):
    return _authorize('context_is_admin', {}, context.to_policy_values())


def get_enforcer_for_generator():
    """oslo.policy.enforcer entry point (sample and upgrade checks)."""
    cfg.CONF([], project='magnum')
    return get_enforcer()
