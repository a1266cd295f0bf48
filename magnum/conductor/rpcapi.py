"""Client side of the conductor RPC API.

Every payload is a plain value (uuids, counts, strings); the conductor
re-reads rows itself, so a message never carries stale state.

Version history:
    1.0 - cluster create/update/delete/resize/upgrade, nodegroup
          create/update/delete, CA get/sign/rotate, credential rotate,
          ping.
"""
import oslo_messaging as messaging
from oslo_config import cfg

from magnum.common import exception
from magnum.common import rpc

CONF = cfg.CONF
RPC_API_VERSION = '1.0'


class ConductorAPI:
    def __init__(self, topic=None):
        target = messaging.Target(topic=topic or CONF.conductor.topic,
                                  version=RPC_API_VERSION)
        self.client = rpc.get_client(target, version_cap=RPC_API_VERSION)

    def _send(self, how, context, method, kwargs):
        """Bounded: an unreachable bus or a silent conductor is a 503,
        never a request that hangs."""
        client = self.client.prepare(
            version='1.0', retry=CONF.conductor.rpc_send_retries)
        try:
            return getattr(client, how)(context, method, **kwargs)
        except rpc.UNDELIVERED + (messaging.MessagingTimeout,):
            raise exception.ConductorUnavailable(method=method)

    def _cast(self, context, method, **kwargs):
        self._send('cast', context, method, kwargs)

    def _call(self, context, method, **kwargs):
        return self._send('call', context, method, kwargs)

    # -- clusters ---------------------------------------------------------
    def cluster_create(self, context, cluster_uuid, create_timeout):
        self._cast(context, 'cluster_create', cluster_uuid=cluster_uuid,
                   create_timeout=create_timeout)

    def cluster_update(self, context, cluster_uuid, node_count=None,
                       health_status=None, health_status_reason=None,
                       rollback=False):
        self._cast(context, 'cluster_update', cluster_uuid=cluster_uuid,
                   node_count=node_count, health_status=health_status,
                   health_status_reason=health_status_reason,
                   rollback=rollback)

    def cluster_delete(self, context, cluster_uuid):
        self._cast(context, 'cluster_delete', cluster_uuid=cluster_uuid)

    def cluster_resize(self, context, cluster_uuid, node_count,
                       nodes_to_remove, nodegroup_uuid):
        self._cast(context, 'cluster_resize', cluster_uuid=cluster_uuid,
                   node_count=node_count, nodes_to_remove=nodes_to_remove,
                   nodegroup_uuid=nodegroup_uuid)

    def cluster_upgrade(self, context, cluster_uuid, cluster_template_uuid,
                        max_batch_size, nodegroup_uuid):
        return self._call(context, 'cluster_upgrade',
                          cluster_uuid=cluster_uuid,
                          cluster_template_uuid=cluster_template_uuid,
                          max_batch_size=max_batch_size,
                          nodegroup_uuid=nodegroup_uuid)

    # -- nodegroups -------------------------------------------------------
    def nodegroup_create(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_create', cluster_uuid=cluster_uuid,
                   nodegroup_uuid=nodegroup_uuid)

    def nodegroup_update(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_update', cluster_uuid=cluster_uuid,
                   nodegroup_uuid=nodegroup_uuid)

    def nodegroup_delete(self, context, cluster_uuid, nodegroup_uuid):
        self._cast(context, 'nodegroup_delete', cluster_uuid=cluster_uuid,
                   nodegroup_uuid=nodegroup_uuid)

    # -- certificates and credentials ---------------------------------------
    def get_ca_certificate(self, context, cluster_uuid, ca_cert_type=None):
        """The CA certificate PEM (str) of a cluster."""
        return self._call(context, 'get_ca_certificate',
                          cluster_uuid=cluster_uuid,
                          ca_cert_type=ca_cert_type)

    def sign_certificate(self, context, cluster_uuid, csr,
                         ca_cert_type=None):
        """The signed certificate PEM (str) for a CSR PEM (str)."""
        return self._call(context, 'sign_certificate',
                          cluster_uuid=cluster_uuid, csr=csr,
                          ca_cert_type=ca_cert_type)

    def rotate_ca_certificate(self, context, cluster_uuid):
        return self._call(context, 'rotate_ca_certificate',
                          cluster_uuid=cluster_uuid)

    def credential_rotate(self, context, cluster_uuid):
        return self._call(context, 'credential_rotate',
                          cluster_uuid=cluster_uuid)

    def ping_conductor(self, context):
        return self._call(context, 'ping_conductor')
