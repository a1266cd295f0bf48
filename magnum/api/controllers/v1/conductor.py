"""The API's client of the conductor: one per process. It is rebuilt only
when the transport or topic it was made for has been replaced (tests give
every case its own topic)."""
from oslo_config import cfg

from magnum.common import rpc
from magnum.conductor import rpcapi

CONF = cfg.CONF
_api = None


def api():
    global _api
    if (_api is None or _api.client.transport is not rpc.get_transport()
            or _api.client.target.topic != CONF.conductor.topic):
        _api = rpcapi.ConductorAPI()
    return _api
