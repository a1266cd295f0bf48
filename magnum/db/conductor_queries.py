"""The conductor's queries: clusters, nodegroups, reservations, services.

Rows leave this module as plain ``Record`` snapshots (attribute bags of the
column values), so nothing outside a session ever touches an ORM object.
When magnum.objects grows Cluster and NodeGroup objects the callers can
switch to them; the reservation and service queries stay here.
"""
import datetime
import types

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from magnum.common import exception
from magnum.db import api as db_api
from magnum.db import models

Record = types.SimpleNamespace


def _record(row):
    return None if row is None else Record(**row.as_dict())


def _now():
    return timeutils.utcnow()


# -- clusters -----------------------------------------------------------------
def get_cluster(context, uuid):
    with db_api.session_for_read(context) as session:
        row = session.query(models.Cluster).filter_by(uuid=uuid).first()
        if row is None:
            raise exception.ClusterNotFound(cluster=uuid)
        return _record(row)


def find_cluster(context, uuid):
    """The cluster or None."""
    with db_api.session_for_read(context) as session:
        return _record(session.query(models.Cluster)
                       .filter_by(uuid=uuid).first())


def find_cluster_by_stack(context, stack_id, statuses):
    """The cluster in one of ``statuses`` whose own stack or one of whose
    nodegroups' stacks is ``stack_id``; None when no such cluster owns it
    (most of Heat's notifications are about nested stacks: the status
    index keeps answering them cheap)."""
    cluster, nodegroup = models.Cluster, models.NodeGroup
    with db_api.session_for_read(context) as session:
        in_status = session.query(cluster).filter(
            cluster.status.in_(list(statuses)))
        row = in_status.filter(cluster.stack_id == stack_id).first()
        if row is None:
            row = in_status.join(
                nodegroup, nodegroup.cluster_id == cluster.uuid).filter(
                nodegroup.stack_id == stack_id).first()
        return _record(row)


def list_clusters(context, statuses):
    with db_api.session_for_read(context) as session:
        rows = (session.query(models.Cluster)
                .filter(models.Cluster.status.in_(list(statuses)))
                .order_by(models.Cluster.id).all())
        return [_record(r) for r in rows]


def update_cluster(context, uuid, values):
    values = dict(values, updated_at=_now())
    with db_api.session_for_write(context) as session:
        session.query(models.Cluster).filter_by(uuid=uuid).update(
            values, synchronize_session=False)


def destroy_cluster(context, uuid):
    """Remove the cluster row and every nodegroup row of it."""
    with db_api.session_for_write(context) as session:
        session.query(models.NodeGroup).filter_by(cluster_id=uuid).delete(
            synchronize_session=False)
        session.query(models.Cluster).filter_by(uuid=uuid).delete(
            synchronize_session=False)


def get_template(context, uuid):
    with db_api.session_for_read(context) as session:
        row = session.query(models.ClusterTemplate).filter(sa.or_(
            models.ClusterTemplate.uuid == uuid,
            models.ClusterTemplate.id == _int_or_none(uuid))).first()
        if row is None:
            raise exception.ClusterTemplateNotFound(clustertemplate=uuid)
        return _record(row)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


# -- nodegroups ---------------------------------------------------------------
def list_nodegroups(context, cluster_uuid):
    with db_api.session_for_read(context) as session:
        rows = (session.query(models.NodeGroup)
                .filter_by(cluster_id=cluster_uuid)
                .order_by(models.NodeGroup.id).all())
        return [_record(r) for r in rows]


def get_nodegroup(context, cluster_uuid, uuid):
    with db_api.session_for_read(context) as session:
        row = session.query(models.NodeGroup).filter_by(
            cluster_id=cluster_uuid, uuid=uuid).first()
        if row is None:
            raise exception.NodeGroupNotFound(nodegroup=uuid)
        return _record(row)


def update_nodegroup(context, uuid, values):
    values = dict(values, updated_at=_now())
    with db_api.session_for_write(context) as session:
        session.query(models.NodeGroup).filter_by(uuid=uuid).update(
            values, synchronize_session=False)


def update_default_nodegroups(context, cluster_uuid, values):
    values = dict(values, updated_at=_now())
    with db_api.session_for_write(context) as session:
        session.query(models.NodeGroup).filter_by(
            cluster_id=cluster_uuid, is_default=True).update(
                values, synchronize_session=False)


def write_observation(context, cluster_uuid, cluster_values,
                      nodegroup_values):
    """The cluster's values and each nodegroup's (``{nodegroup uuid:
    values}``) in one transaction: a reader sees all of them or none."""
    now = _now()
    with db_api.session_for_write(context) as session:
        for uuid, values in nodegroup_values.items():
            session.query(models.NodeGroup).filter_by(uuid=uuid).update(
                dict(values, updated_at=now), synchronize_session=False)
        session.query(models.Cluster).filter_by(uuid=cluster_uuid).update(
            dict(cluster_values, updated_at=now), synchronize_session=False)


def destroy_nodegroup(context, uuid):
    with db_api.session_for_write(context) as session:
        session.query(models.NodeGroup).filter_by(uuid=uuid).delete(
            synchronize_session=False)


# -- reservations -------------------------------------------------------------
def reserve_cluster(context, uuid, owner, lease_seconds):
    """Take (or extend) the reservation of a cluster in ONE conditional
    UPDATE; True when ``owner`` now holds it."""
    now = _now()
    cluster = models.Cluster
    with db_api.session_for_write(context) as session:
        count = session.query(cluster).filter(
            cluster.uuid == uuid,
            sa.or_(cluster.reservation.is_(None),
                   cluster.reservation_expires < now,
                   cluster.reservation == owner)).update(
            {'reservation': owner,
             'reservation_expires': now + datetime.timedelta(
                 seconds=lease_seconds)},
            synchronize_session=False)
    return count == 1


def renew_reservations(context, uuids, owner, lease_seconds):
    """Extend the leases ``owner`` still holds; the uuids it still holds."""
    if not uuids:
        return set()
    cluster = models.Cluster
    expires = _now() + datetime.timedelta(seconds=lease_seconds)
    with db_api.session_for_write(context) as session:
        session.query(cluster).filter(
            cluster.uuid.in_(list(uuids)),
            cluster.reservation == owner).update(
            {'reservation_expires': expires}, synchronize_session=False)
        return {u for (u,) in session.query(cluster.uuid).filter(
            cluster.uuid.in_(list(uuids)), cluster.reservation == owner)}


def release_reservation(context, uuid, owner):
    cluster = models.Cluster
    with db_api.session_for_write(context) as session:
        session.query(cluster).filter(
            cluster.uuid == uuid, cluster.reservation == owner).update(
            {'reservation': None, 'reservation_expires': None},
            synchronize_session=False)


def release_all_reservations(context, owner):
    """A conductor starting up lets go of what its previous life held."""
    cluster = models.Cluster
    with db_api.session_for_write(context) as session:
        return session.query(cluster).filter(
            cluster.reservation == owner).update(
            {'reservation': None, 'reservation_expires': None},
            synchronize_session=False)


# -- services -----------------------------------------------------------------
def report_service_up(context, host, binary):
    """Create the service row if missing, then count one more report."""
    service = models.MagnumService
    now = _now()
    with db_api.session_for_write(context) as session:
        count = session.query(service).filter_by(
            host=host, binary=binary).update(
            {'report_count': service.report_count + 1,
             'last_seen_up': now, 'updated_at': now},
            synchronize_session=False)
        if count:
            return
    try:
        with db_api.session_for_write(context) as session:
            session.add(service(host=host, binary=binary, report_count=1,
                                last_seen_up=now, disabled=False,
                                forced_down=False))
    except db_exc.DBDuplicateEntry:
        # Another process with the same host created it meanwhile.
        report_service_up(context, host, binary)


def live_service_hosts(context, binary, down_time_seconds):
    """Hosts of ``binary`` that reported within ``down_time_seconds``."""
    service = models.MagnumService
    since = _now() - datetime.timedelta(seconds=down_time_seconds)
    with db_api.session_for_read(context) as session:
        return sorted(h for (h,) in session.query(service.host).filter(
            service.binary == binary,
            service.last_seen_up >= since,
            sa.or_(service.forced_down.is_(None),
                   service.forced_down.is_(False)),
            sa.or_(service.disabled.is_(None),
                   service.disabled.is_(False))))
