"""Queries for the service records (one row per host and binary) that
Magnum processes keep fresh with heartbeats."""
import datetime

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from magnum.db import api
from magnum.db import models

Model = models.MagnumService


def get_list(context):
    with api.session_for_read(context) as session:
        return session.query(Model).order_by(Model.id).all()


def report_up(context, host, binary):
    """Create the service row if missing, then count one more report."""
    now = timeutils.utcnow()
    with api.session_for_write(context) as session:
        count = session.query(Model).filter_by(
            host=host, binary=binary).update(
            {'report_count': Model.report_count + 1,
             'last_seen_up': now, 'updated_at': now},
            synchronize_session=False)
        if count:
            return
    try:
        with api.session_for_write(context) as session:
            session.add(Model(host=host, binary=binary, report_count=1,
                              last_seen_up=now, disabled=False,
                              forced_down=False))
    except db_exc.DBDuplicateEntry:
        # Another process with the same host created it meanwhile.
        report_up(context, host, binary)


def live_hosts(context, binary, down_time_seconds):
    """Hosts of ``binary`` that reported within ``down_time_seconds``."""
    since = timeutils.utcnow() - datetime.timedelta(seconds=down_time_seconds)
    with api.session_for_read(context) as session:
        return sorted(h for (h,) in session.query(Model.host).filter(
            Model.binary == binary,
            Model.last_seen_up >= since,
            sa.or_(Model.forced_down.is_(None),
                   Model.forced_down.is_(False)),
            sa.or_(Model.disabled.is_(None),
                   Model.disabled.is_(False))))
