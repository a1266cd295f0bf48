from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'
IS_USER = 'user_id:%(user_id)s'

ADMIN_OR_PROJECT_MEMBER = '(%s) or (%s)' % (ADMIN, PROJECT_MEMBER)
ADMIN_OR_PROJECT_READER = '(%s) or (%s)' % (ADMIN, PROJECT_READER)
ADMIN_OR_PROJECT_MEMBER_USER = '(%s) or ((%s) and (%s))' % (
    ADMIN, PROJECT_MEMBER, IS_USER)
ADMIN_OR_PROJECT_READER_USER = '(%s) or ((%s) and (%s))' % (
    ADMIN, PROJECT_READER, IS_USER)

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       description='Who counts as an administrator.'),
    policy.RuleDefault('admin_or_owner',
                       'is_admin:True or project_id:%(project_id)s',
                       description='Legacy: admin or the owning project.'),
    policy.RuleDefault('admin_api', 'rule:context_is_admin',
                       description='Administrators only.'),
]


def operations(resource, table, scope_types=('project',)):
    """DocumentedRuleDefaults for ``resource`` from rows of
    (action, check string, description, [(method, path), ...])."""
    return [policy.DocumentedRuleDefault(
        name='%s:%s' % (resource, action), check_str=check,
        description=description,
        operations=[{'method': m, 'path': p} for m, p in ops],
        scope_types=list(scope_types))
        for action, check, description, ops in table]
