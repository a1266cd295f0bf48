"""Queries for clusters. A caller sees its own project's clusters; an admin
with all_tenants sees every project's."""
from magnum.common import exception
from magnum.db import api
from magnum.db import models

Model = models.Cluster


def _scoped(session, context):
    return api.scope_to_project(session.query(Model), Model, context)


def get(context, ident):
    """The cluster named by uuid or name; 404 when not visible, 409 when a
    name matches several."""
    with api.session_for_read(context) as session:
        query = api.where_ident(_scoped(session, context), Model, ident)
        rows = api.values_of(query.limit(2), Model)
    if not rows:
        raise exception.ClusterNotFound(cluster=ident)
    if len(rows) > 1:
        raise exception.Conflict('Multiple clusters exist with same name. '
                                 'Please use the cluster uuid instead.')
    return rows[0]


def get_list(context, limit=None, marker=None, sort_key=None, sort_dir=None):
    with api.session_for_read(context) as session:
        marker_row = None
        if marker:
            marker_row = _scoped(session, context).filter(
                Model.uuid == marker).first()
            if marker_row is None:
                raise exception.ClusterNotFound(cluster=marker)
        page = api.paginate(_scoped(session, context), Model, limit,
                            marker_row, sort_key, sort_dir)
        return api.values_of(page, Model)


def template_labels(context, template_uuids):
    """{template uuid: labels} for many templates in one query (the label
    diff of a cluster is against its template, whoever can see it)."""
    if not template_uuids:
        return {}
    table = models.ClusterTemplate
    with api.session_for_read(context) as session:
        return dict(session.query(table.uuid, table.labels).filter(
            table.uuid.in_(set(template_uuids))).all())
