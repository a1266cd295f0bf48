"""magnum-conductor: serve the conductor RPC API until SIGTERM/SIGINT."""
import signal
import sys
import threading

from oslo_log import log as logging

from magnum.cmd import common
from magnum.common import rpc
from magnum.conductor import service
from magnum.db import api as db_api

LOG = logging.getLogger(__name__)


def main(argv=None):
    rpc.set_defaults()
    conf = common.prepare(sys.argv[1:] if argv is None else argv)
    db_api.configure(conf)
    conductor = service.ConductorService()
    stopping = threading.Event()

    def _stop(signum, frame):
        LOG.info('Signal %d: stopping', signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    conductor.start()
    while not stopping.wait(1):
        pass
    conductor.stop()
    rpc.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
