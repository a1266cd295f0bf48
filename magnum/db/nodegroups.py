"""Queries for nodegroups. Nodegroups belong to a cluster (``cluster_id``
holds its uuid) and carry the cluster's project."""
from oslo_utils import timeutils

from magnum.common import exception
from magnum.db import api
from magnum.db import models

Model = models.NodeGroup


def _in_cluster(session, context, cluster_uuid):
    query = session.query(Model).filter(Model.cluster_id == cluster_uuid)
    return api.scope_to_project(query, Model, context)


def get(context, cluster_uuid, ident):
    with api.session_for_read(context) as session:
        row = api.where_ident(_in_cluster(session, context, cluster_uuid),
                              Model, ident).first()
    if row is None:
        raise exception.NodeGroupNotFound(nodegroup=ident)
    return row


def get_list(context, cluster_uuid, role=None, limit=None, marker=None,
             sort_key=None, sort_dir=None):
    with api.session_for_read(context) as session:
        query = _in_cluster(session, context, cluster_uuid)
        marker_row = None
        if marker:
            marker_row = query.filter(Model.uuid == marker).first()
            if marker_row is None:
                raise exception.NodeGroupNotFound(nodegroup=marker)
        if role:
            query = query.filter(Model.role == role)
        return api.values_of(api.paginate(
            query, Model, limit, marker_row, sort_key, sort_dir), Model)


def for_clusters(context, cluster_uuids):
    """Every nodegroup of the given clusters, in one query. The caller has
    already decided the clusters are visible."""
    if not cluster_uuids:
        return []
    with api.session_for_read(context) as session:
        return api.values_of(session.query(Model).filter(
            Model.cluster_id.in_(list(cluster_uuids))).order_by(Model.id),
            Model)


def name_taken(context, cluster_uuid, name):
    with api.session_for_read(context) as session:
        return session.query(Model.id).filter(
            Model.cluster_id == cluster_uuid,
            Model.name == name).first() is not None


# -- the conductor's (by uuid, unscoped) --------------------------------------
def get_by_uuid(context, cluster_uuid, uuid):
    with api.session_for_read(context) as session:
        row = session.query(Model).filter_by(
            cluster_id=cluster_uuid, uuid=uuid).first()
        if row is None:
            raise exception.NodeGroupNotFound(nodegroup=uuid)
        return api.record(row)


def update(context, uuid, values):
    values = dict(values, updated_at=timeutils.utcnow())
    with api.session_for_write(context) as session:
        session.query(Model).filter_by(uuid=uuid).update(
            values, synchronize_session=False)


def update_defaults(context, cluster_uuid, values):
    """Update the cluster's default (master and worker) nodegroups."""
    values = dict(values, updated_at=timeutils.utcnow())
    with api.session_for_write(context) as session:
        session.query(Model).filter_by(
            cluster_id=cluster_uuid, is_default=True).update(
                values, synchronize_session=False)


def destroy(context, uuid):
    with api.session_for_write(context) as session:
        session.query(Model).filter_by(uuid=uuid).delete(
            synchronize_session=False)
