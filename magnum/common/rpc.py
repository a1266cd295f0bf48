"""oslo.messaging set-up: one transport per process, contexts carried as
dicts, Magnum's exceptions re-raised on the caller's side."""
import kombu.exceptions
import oslo_messaging as messaging
from oslo_config import cfg

from magnum.common import context as magnum_context

CONF = cfg.CONF
ALLOWED_EXMODS = ['magnum.common.exception']

# What a send to an unreachable bus raises once its retries are spent:
# oslo.messaging lets kombu's error out when the first connection of a
# pool cannot be made.
UNDELIVERED = (messaging.MessageDeliveryFailure,
               kombu.exceptions.OperationalError)

_TRANSPORT = None
_NOTIFICATION_TRANSPORT = None


def set_defaults(control_exchange='magnum'):
    messaging.set_transport_defaults(control_exchange)


def get_transport():
    global _TRANSPORT
    if _TRANSPORT is None:
        _TRANSPORT = messaging.get_rpc_transport(
            CONF, allowed_remote_exmods=ALLOWED_EXMODS)
    return _TRANSPORT


def get_notification_transport():
    global _NOTIFICATION_TRANSPORT
    if _NOTIFICATION_TRANSPORT is None:
        _NOTIFICATION_TRANSPORT = messaging.get_notification_transport(
            CONF, allowed_remote_exmods=ALLOWED_EXMODS)
    return _NOTIFICATION_TRANSPORT


def cleanup():
    global _TRANSPORT, _NOTIFICATION_TRANSPORT
    for transport in (_TRANSPORT, _NOTIFICATION_TRANSPORT):
        if transport is not None:
            transport.cleanup()
    _TRANSPORT = _NOTIFICATION_TRANSPORT = None


class ContextSerializer(messaging.Serializer):
    """Entities travel as JSON-friendly primitives; contexts as dicts."""

    def serialize_entity(self, ctxt, entity):
        return entity

    def deserialize_entity(self, ctxt, entity):
        return entity

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return magnum_context.RequestContext.from_dict(ctxt)


def get_client(target, version_cap=None):
    return messaging.get_rpc_client(get_transport(), target,
                                    version_cap=version_cap,
                                    serializer=ContextSerializer())


def get_server(target, endpoints):
    return messaging.get_rpc_server(
        get_transport(), target, endpoints, executor='threading',
        serializer=ContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)
