"""Queries for per-project quotas."""
from magnum.common import exception
from magnum.db import api
from magnum.db import models

Model = models.Quota


def count_clusters(context, project_id):
    with api.session_for_read(context) as session:
        return session.query(models.Cluster.id).filter_by(
            project_id=project_id).count()


def get(context, project_id, resource):
    with api.session_for_read(context) as session:
        row = session.query(Model).filter_by(
            project_id=project_id, resource=resource).one_or_none()
    if row is None:
        raise exception.QuotaNotFound(
            msg='project_id %s resource %s' % (project_id, resource))
    return row


def get_list(context, all_projects=False, limit=None, marker=None,
             sort_key=None, sort_dir=None):
    """Rows of the caller's project, or of every project; ``marker`` is a
    row id."""
    with api.session_for_read(context) as session:
        query = session.query(Model)
        if not all_projects:
            query = query.filter(Model.project_id == context.project_id)
        marker_row = None
        if marker is not None:
            marker_row = session.get(Model, marker)
            if marker_row is None:
                raise exception.QuotaNotFound(msg='id %s' % marker)
        return api.paginate(query, Model, limit, marker_row, sort_key,
                            sort_dir).all()
