"""/v1/quotas: per-project limits, managed by admins.

A POST checks the project exists in Keystone, asking as the service user of
``[keystone_auth]``. Deployments without one (noauth development setups)
have no Keystone to ask, so there any project id is accepted.
"""
import urllib.parse

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_utils import strutils
import pecan
from pecan import rest
import wsme.exc

from magnum.api.controllers import base
from magnum.api.types import quota as quota_type
from magnum.api.views import quota as view
from magnum.common import exception
from magnum.common import policy
from magnum import objects

CONF = cfg.CONF


def _require_project(project_id):
    if not CONF.keystone_auth.auth_type:
        return
    auth = ks_loading.load_auth_from_conf_options(CONF, 'keystone_auth')
    session = ks_loading.load_session_from_conf_options(
        CONF, 'keystone_auth', auth=auth)
    try:
        session.get(
            '/projects/%s' % urllib.parse.quote(project_id, safe=''),
            endpoint_filter={'service_type': 'identity', 'version': (3, 0)})
    except ks_exc.NotFound:
        raise exception.ProjectNotFound(name=project_id)
    except ks_exc.ClientException as e:
        raise exception.OpenStackRequestFailed(service='identity',
                                               reason=e)


def _resource(resource):
    if resource not in quota_type.RESOURCES:
        raise wsme.exc.InvalidInput('resource', resource,
                                    'Value should be one of: %s'
                                    % ', '.join(quota_type.RESOURCES))
    return resource


def _body():
    return base.as_values(base.parse(quota_type.Quota,
                                     base.json_body('quota'), 'quota'))


class QuotasController(rest.RestController):

    @pecan.expose('json')
    def get_all(self, **params):
        ctx = base.context()
        policy.enforce(ctx, 'quota:get_all')
        all_tenants = params.pop('all_tenants', 'false')
        try:
            all_tenants = strutils.bool_from_string(all_tenants, strict=True)
        except ValueError as e:
            raise wsme.exc.InvalidInput('all_tenants', all_tenants, str(e))
        page = base.page_params(marker_is_uuid=False, **params)
        if page['marker'] is not None:
            try:
                page['marker'] = int(page['marker'])
            except ValueError:
                raise wsme.exc.InvalidInput('marker', page['marker'],
                                            'unable to convert to int')
        # Even an admin sees only their own project's rows by default.
        quotas = objects.Quota.list(
            ctx, all_projects=ctx.is_admin and all_tenants, **page)
        items = [view.show(q) for q in quotas]
        return base.collection('quotas', items, page, 'quotas',
                               marker_of=lambda item: item['id'])

    @pecan.expose('json')
    def get_one(self, project_id, resource):
        ctx = base.context()
        policy.enforce(ctx, 'quota:get')
        if not ctx.is_admin and project_id != ctx.project_id:
            raise exception.NotAuthorized()
        return view.show(objects.Quota.get_or_default(
            ctx, project_id, _resource(resource)))

    @pecan.expose('json')
    def post(self):
        ctx = base.context()
        values = _body()
        if not values.get('project_id'):
            raise wsme.exc.InvalidInput('project_id', None,
                                        'Mandatory field missing.')
        policy.enforce(ctx, 'quota:create')
        _require_project(values['project_id'])
        quota = objects.Quota(ctx, **values)
        quota.create()
        pecan.response.status = 201
        return view.show(quota)

    @pecan.expose('json')
    def patch(self, project_id, resource):
        ctx = base.context()
        values = _body()
        policy.enforce(ctx, 'quota:update')
        quota = objects.Quota.get(ctx, project_id, _resource(resource))
        quota.hard_limit = values['hard_limit']
        quota.save()
        pecan.response.status = 202
        return view.show(quota)

    @pecan.expose(content_type='application/json')    # 204: no body
    def delete(self, project_id, resource):
        ctx = base.context()
        policy.enforce(ctx, 'quota:delete')
        objects.Quota.get(ctx, project_id, _resource(resource)).destroy()
        pecan.response.status = 204
