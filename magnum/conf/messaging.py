"""oslo.messaging's own options (transport_url, [oslo_messaging_*]) are
registered up front so they can be set before a transport exists. The
sample config lists them through the oslo.messaging namespace."""
import oslo_messaging
from oslo_messaging import opts as messaging_opts


def register_opts(conf):
    # Registered here as copies: give them Magnum's exchange first, so they
    # equal the originals oslo.messaging registers again (after
    # rpc.set_defaults) when it builds a transport.
    oslo_messaging.set_transport_defaults('magnum')
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)


def list_opts():
    return {}
