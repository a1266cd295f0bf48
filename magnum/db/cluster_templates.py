"""Queries for cluster templates, with their visibility rule: a caller
sees its project's templates and public non-hidden ones; an admin with
all_tenants sees everything."""
import sqlalchemy as sa

from magnum.common import exception
from magnum.db import api
from magnum.db import models

Model = models.ClusterTemplate


def _visible(query, context):
    """``query``: ORM or Core."""
    if context.is_admin and context.all_tenants:
        return query
    own = (Model.project_id == context.project_id if context.project_id
           else Model.user_id == context.user_id)
    public = sa.and_(Model.public.is_(True), Model.hidden.isnot(True))
    return query.filter(sa.or_(own, public))


def get(context, ident):
    rows = api.read(api.where_ident(_visible(sa.select(Model.__table__),
                                             context), Model, ident).limit(2))
    if not rows:
        raise exception.ClusterTemplateNotFound(clustertemplate=ident)
    if len(rows) > 1:
        raise exception.Conflict('Multiple cluster templates exist with same '
                                 'name. Please use the cluster template '
                                 'uuid instead.')
    return api.Values(zip(api.keys(Model), rows[0]))


def get_list(context, limit=None, marker=None, sort_key=None, sort_dir=None):
    with api.session_for_read(context) as session:
        query = _visible(session.query(Model), context)
        marker_row = get(context, marker) if marker else None
        return api.values_of(api.paginate(query, Model, limit, marker_row,
                                          sort_key, sort_dir), Model)


def is_referenced(context, uuid):
    with api.session_for_read(context) as session:
        return session.query(models.Cluster.id).filter(
            models.Cluster.cluster_template_id == uuid).first() is not None


def destroy(context, template_id, uuid):
    """Delete a template unless a cluster uses it, in one statement; False
    when one does (or the row is already gone)."""
    unused = ~sa.exists().where(models.Cluster.cluster_template_id == uuid)
    with api.session_for_write(context) as session:
        return session.execute(sa.delete(Model.__table__).where(
            Model.id == template_id, unused)).rowcount == 1


def get_by_uuid(context, uuid):
    """The template with this uuid (or integer id), whoever owns it, as an
    ``api.Record`` (the conductor's read)."""
    with api.session_for_read(context) as session:
        row = session.query(Model).filter(sa.or_(
            Model.uuid == uuid, Model.id == _row_id(uuid))).first()
        if row is None:
            raise exception.ClusterTemplateNotFound(clustertemplate=uuid)
        return api.record(row)


def _row_id(value):
    """``value`` as a row id; -1 (no row) when it is not an integer."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
