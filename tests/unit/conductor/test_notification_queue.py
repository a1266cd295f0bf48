"""Regression: the Heat notification listener's pool must not share the RPC
server's queue. oslo.messaging's rabbit driver names a pool's queue after
the pool and the RPC server's after the topic; with pool ==
'magnum-conductor' (the default topic) RPC casts such as cluster_resize
were consumed and dropped by the listener, and Heat's notifications hit the
RPC server ("attribute name must be string, not 'NoneType'")."""
import oslo_messaging as messaging

from magnum.conductor import service
from magnum.conf import CONF


def test_listener_pool_is_not_the_rpc_topic(monkeypatch):
    CONF.set_override('topic', 'magnum-conductor', group='conductor')
    seen = {}

    class Listener:
        def start(self):
            pass

    def fake_listener(transport, targets, endpoints, executor=None,
                      pool=None, **kwargs):
        seen['pool'] = pool
        return Listener()

    monkeypatch.setattr(messaging, 'get_notification_listener',
                        fake_listener)
    svc = service.ConductorService.__new__(service.ConductorService)
    svc.reconciler = None
    svc._start_listener()

    assert seen['pool'] not in (None, 'magnum-conductor')
    assert seen['pool'] != CONF.conductor.topic
    assert seen['pool'] == 'magnum-conductor.heat-notifications'
