"""Quota → wire dict. A default quota (no row) has no id or timestamps."""
from magnum.api.controllers import base


def show(quota):
    doc = {'project_id': quota.project_id, 'resource': quota.resource,
           'hard_limit': quota.hard_limit}
    if quota.id is not None:
        doc.update(id=quota.id,
                   created_at=base.timestamp(quota.created_at),
                   updated_at=base.timestamp(quota.updated_at))
    return doc
