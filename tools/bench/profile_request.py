"""Profile one API request in-process (WebTest, noauth): calls
per request and where the time goes. Call counts are stable on a busy
machine where wall times are not.

    .venv/bin/python tools/bench/profile_request.py [PATH] [--n 200]
        [--sort cumulative|tottime] [--url mysql+mysqldb://...]
"""
import argparse
import cProfile
import pathlib
import pstats
import sys
import tempfile
import time

import webtest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'bench'))

import seed  # noqa: E402

from magnum.api import app  # noqa: E402
from magnum.common import rpc  # noqa: E402
from magnum.conf import CONF  # noqa: E402
from magnum.db import api as db_api  # noqa: E402
from magnum.db import models  # noqa: E402

SHOW = '/v1/clusters/00000000-0000-0000-0000-00003b9aca00'
HEADERS = {'X-User-Id': 'bench-user', 'X-Project-Id': 'bench-project',
           'X-Roles': 'member,reader',
           'OpenStack-API-Version': 'container-infra latest'}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('path', nargs='?', default=SHOW)
    parser.add_argument('--n', type=int, default=200)
    parser.add_argument('--top', type=int, default=25)
    parser.add_argument('--sort', default='cumulative')
    parser.add_argument('--url', help='an empty database to seed (default: '
                        'a throwaway SQLite file)')
    args = parser.parse_args()
    rpc.set_defaults()
    CONF([], project='magnum', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth')
    url = args.url or 'sqlite:///%s/bench.db' % tempfile.mkdtemp()
    db_api.reset_for_tests(url)
    models.Base.metadata.create_all(db_api.get_engine())
    seed.seed(url, 100, 'bench-project', 'bench-user')
    client = webtest.TestApp(app.build_app())
    client.get(args.path, headers=HEADERS)
    start = time.perf_counter()
    for _ in range(args.n):
        client.get(args.path, headers=HEADERS)
    elapsed = time.perf_counter() - start
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        client.get(args.path, headers=HEADERS)
    profile.disable()
    stats = pstats.Stats(profile)
    print('%.2f ms/request, %d calls/request' % (
        1000 * elapsed / args.n, stats.total_calls / args.n))
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == '__main__':
    main()
