import datetime

from oslo_config import cfg

from magnum.common import exception
from magnum.db import magnum_services as db
from magnum.db import models
from magnum.objects import base

CONF = cfg.CONF


class MagnumService(base.MagnumObject):
    """A Magnum process (host + binary) and its heartbeat record."""
    model = models.MagnumService
    not_found = exception.MagnumServiceNotFound
    not_found_key = 'magnum_service_id'

    @classmethod
    def list(cls, context):
        return cls.from_rows(context, db.get_list(context))

    @property
    def is_up(self):
        """Whether the last heartbeat (before the first one: the last
        update, or the creation) is within ``[DEFAULT] service_down_time``
        and the service is not forced down."""
        seen = self.last_seen_up or self.updated_at or self.created_at
        window = datetime.timedelta(seconds=CONF.service_down_time)
        return (not self.forced_down and seen is not None
                and base.utcnow() - seen <= window)
