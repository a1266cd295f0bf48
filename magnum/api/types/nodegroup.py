"""Input of POST /v1/clusters/{cluster}/nodegroups (and re-validation of a
patched nodegroup)."""
from wsme import types as wtypes

from magnum.api.types import common


class TaintsType(wtypes.UserType):
    """A list; its entries are checked by the nodegroup rules (409)."""
    basetype = wtypes.text
    name = 'taints'

    def validate(self, value):
        if not isinstance(value, list):
            raise ValueError('Value not a valid list: %s' % (value,))
        return value

    def frombasetype(self, value):
        return None if value is None else self.validate(value)


class NodeGroup(common.Reported):
    uuid = wtypes.wsattr(wtypes.UuidType())
    name = wtypes.wsattr(common.string())
    docker_volume_size = wtypes.wsattr(wtypes.IntegerType(minimum=1))
    labels = wtypes.wsattr(common.labels)
    flavor_id = wtypes.wsattr(common.string())
    image_id = wtypes.wsattr(common.string())
    node_count = wtypes.wsattr(wtypes.IntegerType(minimum=0), default=1)
    role = wtypes.wsattr(common.string(), default='worker')
    min_node_count = wtypes.wsattr(wtypes.IntegerType(minimum=0), default=0)
    max_node_count = wtypes.wsattr(wtypes.IntegerType(minimum=0))
    merge_labels = wtypes.wsattr(common.boolean, default=False)
    node_labels = wtypes.wsattr(wtypes.DictType(wtypes.text, wtypes.text))
    node_taints = wtypes.wsattr(TaintsType())
    id = common.readonly(int)
    is_default = common.readonly(common.boolean)
    status = common.readonly()
    status_reason = common.readonly()
    version = common.readonly()
