"""Operation rules; defaults follow upstream Magnum's secure RBAC ones."""
from magnum.common.policies import base as b

_CT = '/v1/clustertemplates'
_CL = '/v1/clusters'
_NG = '/v1/clusters/{cluster_id}/nodegroups'
_ALL = 'rule:context_is_admin'


def _all_projects(prefix, actions, path):
    return [(a + '_all_projects', _ALL,
             'Apply %s:%s to every project.' % (prefix, a), [('GET', path)])
            for a in actions]


def rules():
    return (
        b.operations('clustertemplate', [
            ('create', b.ADMIN_OR_PROJECT_MEMBER, 'Create a cluster template.',
             [('POST', _CT)]),
            ('delete', b.ADMIN_OR_PROJECT_MEMBER, 'Delete a cluster template.',
             [('DELETE', _CT + '/{clustertemplate_ident}')]),
            ('detail', b.ADMIN_OR_PROJECT_READER,
             'List cluster templates with detail.',
             [('GET', _CT + '/detail')]),
            ('get', b.ADMIN_OR_PROJECT_READER, 'Show a cluster template.',
             [('GET', _CT + '/{clustertemplate_ident}')]),
            ('get_all', b.ADMIN_OR_PROJECT_READER, 'List cluster templates.',
             [('GET', _CT)]),
            ('update', b.ADMIN_OR_PROJECT_MEMBER, 'Update a cluster template.',
             [('PATCH', _CT + '/{clustertemplate_ident}')]),
            ('publish', _ALL, 'Make a cluster template public or hidden.',
             [('POST', _CT), ('PATCH', _CT + '/{clustertemplate_ident}')]),
        ] + _all_projects('clustertemplate',
                          ('get_all', 'detail', 'get_one', 'update',
                           'delete'), _CT))
        + b.operations('cluster', [
            ('create', b.ADMIN_OR_PROJECT_MEMBER, 'Create a cluster.',
             [('POST', _CL)]),
            ('delete', b.ADMIN_OR_PROJECT_MEMBER, 'Delete a cluster.',
             [('DELETE', _CL + '/{cluster_ident}')]),
            ('detail', b.ADMIN_OR_PROJECT_READER, 'List clusters with detail.',
             [('GET', _CL + '/detail')]),
            ('get', b.ADMIN_OR_PROJECT_READER, 'Show a cluster.',
             [('GET', _CL + '/{cluster_ident}')]),
            ('get_all', b.ADMIN_OR_PROJECT_READER, 'List clusters.',
             [('GET', _CL)]),
            ('update', b.ADMIN_OR_PROJECT_MEMBER, 'Update a cluster.',
             [('PATCH', _CL + '/{cluster_ident}')]),
            ('update_health_status', b.ADMIN_OR_PROJECT_MEMBER_USER,
             'Update the health status of a cluster.',
             [('PATCH', _CL + '/{cluster_ident}')]),
            ('resize', b.ADMIN_OR_PROJECT_MEMBER, 'Resize a cluster.',
             [('POST', _CL + '/{cluster_ident}/actions/resize')]),
            ('upgrade', b.ADMIN_OR_PROJECT_MEMBER, 'Upgrade a cluster.',
             [('POST', _CL + '/{cluster_ident}/actions/upgrade')]),
        ] + _all_projects('cluster',
                          ('get_all', 'detail', 'get_one', 'update', 'delete',
                           'upgrade', 'resize'), _CL))
        + b.operations('nodegroup', [
            ('get', b.ADMIN_OR_PROJECT_READER, 'Show a nodegroup.',
             [('GET', _NG + '/{nodegroup}')]),
            ('get_all', b.ADMIN_OR_PROJECT_READER, 'List nodegroups.',
             [('GET', _NG)]),
            ('create', b.ADMIN_OR_PROJECT_MEMBER, 'Create a nodegroup.',
             [('POST', _NG)]),
            ('update', b.ADMIN_OR_PROJECT_MEMBER, 'Update a nodegroup.',
             [('PATCH', _NG + '/{nodegroup}')]),
            ('delete', b.ADMIN_OR_PROJECT_MEMBER, 'Delete a nodegroup.',
             [('DELETE', _NG + '/{nodegroup}')]),
        ] + _all_projects('nodegroup', ('get_all', 'get_one'), _NG))
        + b.operations('certificate', [
            ('create', b.ADMIN_OR_PROJECT_MEMBER_USER,
             'Sign a certificate for a cluster.',
             [('POST', '/v1/certificates')]),
            ('get', b.ADMIN_OR_PROJECT_READER_USER,
             'Show the CA certificate of a cluster.',
             [('GET', '/v1/certificates/{cluster_ident}')]),
            ('rotate_ca', b.ADMIN_OR_PROJECT_MEMBER,
             'Rotate the CA of a cluster.',
             [('PATCH', '/v1/certificates/{cluster_ident}')]),
        ])
        + b.operations('credential', [
            ('rotate', b.PROJECT_MEMBER,
             'Rotate the credential a cluster uses.',
             [('PATCH', '/v1/credentials/{cluster_ident}')]),
        ])
        + b.operations('quota', [
            ('create', _ALL, 'Create a quota.', [('POST', '/v1/quotas')]),
            ('delete', _ALL, 'Delete a quota.',
             [('DELETE', '/v1/quotas/{project_id}/{resource}')]),
            ('get', b.ADMIN_OR_PROJECT_READER, 'Show a quota.',
             [('GET', '/v1/quotas/{project_id}/{resource}')]),
            ('get_all', _ALL, 'List quotas.', [('GET', '/v1/quotas')]),
            ('update', _ALL, 'Update a quota.',
             [('PATCH', '/v1/quotas/{project_id}/{resource}')]),
        ])
        + b.operations('stats', [
            ('get_all', b.ADMIN_OR_PROJECT_READER, 'Show statistics.',
             [('GET', '/v1/stats')]),
        ])
        + b.operations('magnum-service', [
            ('get_all', _ALL, 'List magnum services.',
             [('GET', '/v1/mservices')]),
        ])
    )
