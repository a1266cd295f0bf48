"""magnum-api: the REST API on a threaded WSGI server."""
import sys

from werkzeug import serving

from magnum.api import app as api_app
from magnum.cmd import common


def main(argv=None):
    conf = common.prepare(sys.argv[1:] if argv is None else argv)
    application = api_app.build_app(conf)
    serving.run_simple(conf.api.host, conf.api.port, application,
                       threaded=conf.api.workers == 1,
                       processes=conf.api.workers, use_reloader=False)


if __name__ == '__main__':
    main()
