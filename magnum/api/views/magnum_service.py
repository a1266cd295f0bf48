"""MagnumService → wire dict, with its computed up/down state."""
from magnum.api.controllers import base

FIELDS = ('id', 'host', 'binary', 'report_count', 'disabled',
          'disabled_reason')


def show(service):
    doc = {name: getattr(service, name) for name in FIELDS}
    doc['state'] = 'up' if service.is_up else 'down'
    doc['created_at'] = base.timestamp(service.created_at)
    doc['updated_at'] = base.timestamp(service.updated_at)
    return doc
