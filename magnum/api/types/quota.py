from wsme import types as wtypes

from magnum.api.types import common

RESOURCES = ('Cluster',)


class Quota(wtypes.Base):
    """Body of POST /v1/quotas and of PATCH /v1/quotas/{project}/{resource}
    (a whole quota, not a JSON-patch)."""
    project_id = wtypes.wsattr(common.string())
    resource = wtypes.wsattr(wtypes.Enum(wtypes.text, *RESOURCES),
                             default='Cluster')
    hard_limit = wtypes.wsattr(wtypes.IntegerType(minimum=0), default=1)
    id = wtypes.wsattr(int, readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)
