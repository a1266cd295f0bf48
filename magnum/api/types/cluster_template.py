from wsme import types as wtypes

from magnum.api.types import common

COES = ('kubernetes', 'swarm', 'swarm-mode', 'mesos', 'dcos')


class ClusterTemplate(wtypes.Base):
    """Input of POST /v1/clustertemplates (and re-validation after PATCH)."""
    uuid = wtypes.wsattr(wtypes.UuidType())
    name = wtypes.wsattr(common.string())
    coe = wtypes.wsattr(wtypes.Enum(wtypes.text, *COES))
    image_id = wtypes.wsattr(common.string(), mandatory=True)
    flavor_id = wtypes.wsattr(common.string())
    master_flavor_id = wtypes.wsattr(common.string())
    keypair_id = wtypes.wsattr(common.string())
    dns_nameserver = wtypes.wsattr(common.dns_list)
    external_network_id = wtypes.wsattr(common.string())
    fixed_network = wtypes.wsattr(common.string())
    fixed_subnet = wtypes.wsattr(common.string())
    network_driver = wtypes.wsattr(common.string(minimum=0))
    volume_driver = wtypes.wsattr(common.string(minimum=0))
    apiserver_port = wtypes.wsattr(wtypes.IntegerType(minimum=1024,
                                                      maximum=65535))
    docker_volume_size = wtypes.wsattr(wtypes.IntegerType(minimum=1))
    docker_storage_driver = wtypes.wsattr(common.string(minimum=0))
    cluster_distro = wtypes.wsattr(common.string(minimum=0))
    http_proxy = wtypes.wsattr(common.string())
    https_proxy = wtypes.wsattr(common.string())
    no_proxy = wtypes.wsattr(common.string())
    registry_enabled = wtypes.wsattr(common.boolean, default=False)
    insecure_registry = wtypes.wsattr(common.string())
    labels = wtypes.wsattr(common.labels, default={})
    tls_disabled = wtypes.wsattr(common.boolean, default=False)
    public = wtypes.wsattr(common.boolean, default=False)
    hidden = wtypes.wsattr(common.boolean, default=False)
    server_type = wtypes.wsattr(wtypes.Enum(wtypes.text, 'vm', 'bm'),
                                default='vm')
    master_lb_enabled = wtypes.wsattr(common.boolean, default=False)
    floating_ip_enabled = wtypes.wsattr(common.boolean, default=True)
    tags = wtypes.wsattr(common.string(minimum=0))
    driver = wtypes.wsattr(common.string())
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    user_id = wtypes.wsattr(wtypes.text, readonly=True)
    links = wtypes.wsattr(
        wtypes.ArrayType(wtypes.DictType(wtypes.text, wtypes.text)),
        readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)
