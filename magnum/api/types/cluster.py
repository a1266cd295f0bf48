"""Inputs of the cluster routes: create, and the resize and upgrade
actions."""
from wsme import types as wtypes

from magnum.api.types import common

NAME_PATTERN = '^[a-zA-Z][a-zA-Z0-9_.-]*$'
STATUSES = ('CREATE_IN_PROGRESS', 'CREATE_FAILED', 'CREATE_COMPLETE',
            'UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_COMPLETE',
            'DELETE_IN_PROGRESS', 'DELETE_FAILED', 'DELETE_COMPLETE',
            'RESUME_COMPLETE', 'RESUME_FAILED', 'RESTORE_COMPLETE',
            'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'ROLLBACK_COMPLETE',
            'SNAPSHOT_COMPLETE', 'CHECK_COMPLETE', 'ADOPT_COMPLETE')
HEALTH = ('HEALTHY', 'UNHEALTHY', 'UNKNOWN')


class Cluster(common.Reported):
    """POST /v1/clusters (and re-validation of a patched cluster). A given
    uuid, status or status_reason is accepted and ignored, like upstream."""
    uuid = wtypes.wsattr(wtypes.UuidType())
    # 242 leaves room for the uuid suffix of the Heat stack name.
    name = wtypes.wsattr(common.string(242, pattern=NAME_PATTERN))
    cluster_template_id = wtypes.wsattr(wtypes.text, mandatory=True)
    keypair = wtypes.wsattr(common.string())
    node_count = wtypes.wsattr(wtypes.IntegerType(minimum=0), default=1)
    master_count = wtypes.wsattr(wtypes.IntegerType(minimum=1), default=1)
    docker_volume_size = wtypes.wsattr(wtypes.IntegerType(minimum=1))
    labels = wtypes.wsattr(common.labels)
    master_flavor_id = wtypes.wsattr(common.string())
    flavor_id = wtypes.wsattr(common.string())
    fixed_network = wtypes.wsattr(common.string())
    fixed_subnet = wtypes.wsattr(common.string())
    create_timeout = wtypes.wsattr(wtypes.IntegerType(minimum=0), default=60)
    discovery_url = wtypes.wsattr(wtypes.text)
    floating_ip_enabled = wtypes.wsattr(common.boolean)
    master_lb_enabled = wtypes.wsattr(common.boolean)
    merge_labels = wtypes.wsattr(common.boolean, default=False)
    status = wtypes.wsattr(wtypes.Enum(wtypes.text, *STATUSES))
    status_reason = wtypes.wsattr(wtypes.text)
    health_status = wtypes.wsattr(wtypes.Enum(wtypes.text, *HEALTH))
    health_status_reason = wtypes.wsattr(
        wtypes.DictType(wtypes.text, wtypes.text))
    api_address = common.readonly()
    coe_version = common.readonly()
    container_version = common.readonly()
    user_id = common.readonly()
    master_addresses = common.readonly(wtypes.ArrayType(wtypes.text))
    faults = common.readonly(wtypes.DictType(wtypes.text, wtypes.text))


class ClusterResize(wtypes.Base):
    """POST /v1/clusters/{ident}/actions/resize"""
    node_count = wtypes.wsattr(wtypes.IntegerType(minimum=0), mandatory=True)
    nodes_to_remove = wtypes.wsattr(wtypes.ArrayType(wtypes.text),
                                    default=[])
    nodegroup = wtypes.wsattr(wtypes.text)


class ClusterUpgrade(wtypes.Base):
    """POST /v1/clusters/{ident}/actions/upgrade"""
    cluster_template = wtypes.wsattr(wtypes.text, mandatory=True)
    max_batch_size = wtypes.wsattr(wtypes.IntegerType(minimum=1), default=1)
    nodegroup = wtypes.wsattr(wtypes.text)
