"""/v1/clustertemplates"""
import pecan
from pecan import rest

from magnum.api import validation
from magnum.api.controllers import base
from magnum.api.types import cluster_template as ct_type
from magnum.api.views import cluster_template as view
from magnum.common import exception
from magnum.common import names
from magnum.common import policy
from magnum import objects

NON_REMOVABLE = ('/coe', '/image_id', '/network_driver',
                 '/external_network_id', '/tls_disabled', '/public',
                 '/server_type', '/registry_enabled', '/cluster_distro',
                 '/hidden')


def _check_publish(ctx, values, old=None):
    for flag in ('public', 'hidden'):
        if values.get(flag) and (old is None or not getattr(old, flag)):
            policy.enforce(
                ctx, 'clustertemplate:publish',
                exc_class=exception.ClusterTemplatePublishDenied)


class ClusterTemplatesController(rest.RestController):

    _custom_actions = {'detail': ['GET']}

    @pecan.expose('json')
    def get_all(self, **params):
        return self._list('get_all', params, 'clustertemplates')

    @pecan.expose('json')
    def detail(self, **params):
        return self._list('detail', params, 'clustertemplates/detail')

    def _list(self, action, params, path):
        ctx = base.context()
        policy.enforce(ctx, 'clustertemplate:%s' % action)
        base.scope_all_projects(ctx, 'clustertemplate', action)
        page = base.page_params(**params)
        url = base.base_url()
        items = [view.show(ct, url)
                 for ct in objects.ClusterTemplate.list(ctx, **page)]
        return base.collection('clustertemplates', items, page, path)

    @pecan.expose('json')
    def get_one(self, ident):
        ctx = base.context()
        policy.enforce(ctx, 'clustertemplate:get')
        base.scope_all_projects(ctx, 'clustertemplate', 'get_one')
        return view.show(objects.ClusterTemplate.get(ctx, ident))

    @pecan.expose('json')
    def post(self):
        ctx = base.context()
        data = base.json_body('cluster_template')
        values = base.as_values(base.parse(ct_type.ClusterTemplate, data,
                                           'cluster_template'))
        validation.cluster_template(values)
        policy.enforce(ctx, 'clustertemplate:create')
        validation.cluster_template_resources(ctx, values)
        _check_publish(ctx, values)
        values.setdefault('name', names.generate('template'))
        ct = objects.ClusterTemplate(ctx, project_id=ctx.project_id,
                                     user_id=ctx.user_id, **values)
        ct.create()
        pecan.response.status = 201
        pecan.response.location = '%s/v1/clustertemplates/%s' % (
            base.base_url(), ct.uuid)
        return view.show(ct)

    @pecan.expose('json')
    def patch(self, ident):
        ctx = base.context()
        patch = base.validate_patch(base.json_body('patch'),
                                    non_removable=NON_REMOVABLE)
        base.scope_all_projects(ctx, 'clustertemplate', 'update')
        ct = objects.ClusterTemplate.get(ctx, ident)
        policy.enforce(ctx, 'clustertemplate:update',
                       target={'project_id': ct.project_id,
                               'user_id': ct.user_id})
        old = view.show(ct)
        doc = base.apply_patch(old, patch)
        changed = {k for k in view.FIELDS if doc.get(k) != old.get(k)}
        if ct.is_referenced() and not _in_use_change_allowed(doc, changed):
            raise exception.ClusterTemplateReferenced(clustertemplate=ct.uuid)
        data = {k: doc[k] for k in view.FIELDS
                if k not in ('project_id', 'user_id') and doc[k] is not None}
        values = base.as_values(base.parse(ct_type.ClusterTemplate, data,
                                           'cluster_template'))
        validation.cluster_template(values)
        validation.cluster_template_resources(ctx, values,
                                              old_labels=ct.labels)
        _check_publish(ctx, values, old=ct)
        for name in changed | {'network_driver', 'cluster_distro', 'driver'}:
            setattr(ct, name, values.get(name))
        ct.save()
        return view.show(ct)

    @pecan.expose(content_type='application/json')    # 204: no body
    def delete(self, ident):
        ctx = base.context()
        base.scope_all_projects(ctx, 'clustertemplate', 'delete')
        ct = objects.ClusterTemplate.get(ctx, ident)
        policy.enforce(ctx, 'clustertemplate:delete',
                       target={'project_id': ct.project_id,
                               'user_id': ct.user_id})
        ct.destroy()
        pecan.response.status = 204


def _in_use_change_allowed(doc, changed):
    """While clusters use a template, only one of these may change:
    public (to true), hidden, tags (to a value) or name."""
    if changed == {'public'}:
        return doc['public'] is True
    if changed == {'tags'}:
        return doc['tags'] is not None
    return changed in ({'hidden'}, {'name'}) or not changed
