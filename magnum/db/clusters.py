"""Queries for clusters. A caller sees its own project's clusters; an admin
with all_tenants sees every project's. The conductor's queries (by uuid,
unscoped, returning ``api.Record`` snapshots) and the per-cluster
reservation live here too."""
import datetime
import functools

from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from magnum.common import exception
from magnum.db import api
from magnum.db import models

Model = models.Cluster
_CLUSTER = Model.__table__
_NODEGROUP = models.NodeGroup.__table__
_TEMPLATE = models.ClusterTemplate.__table__


def _scoped(session, context):
    return api.scope_to_project(session.query(Model), Model, context)


@functools.lru_cache(maxsize=None)
def _get_statement(by_uuid, owner, nodegroup_keys):
    """The cluster matching ``:ident`` and owned by ``:owner`` (by name: at
    most two, two meaning ambiguous), joined with its nodegroups (these
    columns) and its template's labels. In no order, and by uuid a plain
    join: MariaDB then needs no temporary table, which was most of a GET's
    time in the database. Built once per shape, so a GET compiles
    nothing."""
    column = _CLUSTER.c.uuid if by_uuid else _CLUSTER.c.name
    match = [column == sa.bindparam('ident')]
    if owner:
        match.append(_CLUSTER.c[owner] == sa.bindparam('owner'))
    picked = _CLUSTER
    if not by_uuid:
        picked = sa.select(_CLUSTER).where(*match).limit(2).subquery()
        match = []
    joined = picked.outerjoin(
        _NODEGROUP, _NODEGROUP.c.cluster_id == picked.c.uuid).outerjoin(
        _TEMPLATE, _TEMPLATE.c.uuid == picked.c.cluster_template_id)
    return sa.select(picked, *(_NODEGROUP.c[k] for k in nodegroup_keys),
                     _TEMPLATE.c.labels).select_from(joined).where(*match)


def get(context, ident, nodegroup_fields=None):
    """(cluster, its nodegroups, its template's labels) for the cluster
    named by uuid or name, in one statement; 404 when not visible, 409
    when a name matches several. ``nodegroup_fields``: the nodegroup
    columns to read (and ``id``), when not all of them."""
    owner, value = api.owner(context)
    params = {'ident': ident, 'owner': value} if owner else {'ident': ident}
    ng_keys = (('id',) + tuple(nodegroup_fields) if nodegroup_fields
               else tuple(api.keys(models.NodeGroup)))
    rows = api.read(_get_statement(uuidutils.is_uuid_like(ident), owner,
                                   ng_keys), **params)
    if not rows:
        raise exception.ClusterNotFound(cluster=ident)
    if any(row[0] != rows[0][0] for row in rows):
        raise exception.Conflict('Multiple clusters exist with same name. '
                                 'Please use the cluster uuid instead.')
    width = len(_CLUSTER.c)
    cluster = api.Values(zip(api.keys(Model), rows[0]))
    nodegroups = sorted((api.Values(zip(ng_keys, row[width:]))
                         for row in rows if row[width] is not None),
                        key=lambda nodegroup: nodegroup['id'])
    return cluster, nodegroups, rows[0][-1]


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


# -- the conductor's ----------------------------------------------------------
def find_by_uuid(context, uuid):
    """The cluster or None."""
    with api.session_for_read(context) as session:
        return api.record(session.query(Model).filter_by(uuid=uuid).first())


def get_by_uuid(context, uuid):
    cluster = find_by_uuid(context, uuid)
    if cluster is None:
        raise exception.ClusterNotFound(cluster=uuid)
    return cluster


def find_by_stack(context, stack_id, statuses):
    """The cluster in one of ``statuses`` whose own stack or one of whose
    nodegroups' stacks is ``stack_id``; None when no such cluster owns it
    (most of Heat's notifications are about nested stacks: the status
    index keeps answering them cheap)."""
    nodegroup = models.NodeGroup
    with api.session_for_read(context) as session:
        in_status = session.query(Model).filter(
            Model.status.in_(list(statuses)))
        row = in_status.filter(Model.stack_id == stack_id).first()
        if row is None:
            row = in_status.join(
                nodegroup, nodegroup.cluster_id == Model.uuid).filter(
                nodegroup.stack_id == stack_id).first()
        return api.record(row)


def list_by_status(context, statuses):
    with api.session_for_read(context) as session:
        rows = (session.query(Model)
                .filter(Model.status.in_(list(statuses)))
                .order_by(Model.id).all())
        return [api.record(r) for r in rows]


def update(context, uuid, values):
    values = dict(values, updated_at=timeutils.utcnow())
    with api.session_for_write(context) as session:
        session.query(Model).filter_by(uuid=uuid).update(
            values, synchronize_session=False)


def write_observation(context, uuid, values, nodegroup_values):
    """The cluster's values and each nodegroup's (``{nodegroup uuid:
    values}``) in one transaction: a reader sees all of them or none."""
    now = timeutils.utcnow()
    with api.session_for_write(context) as session:
        for ng_uuid, ng_values in nodegroup_values.items():
            session.query(models.NodeGroup).filter_by(uuid=ng_uuid).update(
                dict(ng_values, updated_at=now), synchronize_session=False)
        session.query(Model).filter_by(uuid=uuid).update(
            dict(values, updated_at=now), synchronize_session=False)


def destroy(context, uuid):
    """Remove the cluster row and every nodegroup row of it."""
    with api.session_for_write(context) as session:
        session.query(models.NodeGroup).filter_by(cluster_id=uuid).delete(
            synchronize_session=False)
        session.query(Model).filter_by(uuid=uuid).delete(
            synchronize_session=False)


# -- reservations -------------------------------------------------------------
def reserve(context, uuid, owner, lease_seconds):
    """Take (or extend) the reservation of a cluster in ONE conditional
    UPDATE; True when ``owner`` now holds it."""
    now = timeutils.utcnow()
    with api.session_for_write(context) as session:
        count = session.query(Model).filter(
            Model.uuid == uuid,
            sa.or_(Model.reservation.is_(None),
                   Model.reservation_expires < now,
                   Model.reservation == owner)).update(
            {'reservation': owner,
             'reservation_expires': now + datetime.timedelta(
                 seconds=lease_seconds)},
            synchronize_session=False)
    return count == 1


def renew_reservations(context, uuids, owner, lease_seconds):
    """Extend the leases ``owner`` still holds; the uuids it still holds."""
    if not uuids:
        return set()
    expires = timeutils.utcnow() + datetime.timedelta(seconds=lease_seconds)
    with api.session_for_write(context) as session:
        session.query(Model).filter(
            Model.uuid.in_(list(uuids)),
            Model.reservation == owner).update(
            {'reservation_expires': expires}, synchronize_session=False)
        return {u for (u,) in session.query(Model.uuid).filter(
            Model.uuid.in_(list(uuids)), Model.reservation == owner)}


def release_reservation(context, uuid, owner):
    with api.session_for_write(context) as session:
        session.query(Model).filter(
            Model.uuid == uuid, Model.reservation == owner).update(
            {'reservation': None, 'reservation_expires': None},
            synchronize_session=False)


def release_all_reservations(context, owner):
    """A conductor starting up lets go of what its previous life held."""
    with api.session_for_write(context) as session:
        return session.query(Model).filter(
            Model.reservation == owner).update(
            {'reservation': None, 'reservation_expires': None},
            synchronize_session=False)
