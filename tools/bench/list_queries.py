"""How many SQL statements and how much time a cluster list costs.

Seeds N clusters (two nodegroups each) in a throwaway SQLite file or an
existing empty database, then calls GET /v1/clusters?limit=1000 and
/v1/clusters/detail?limit=1000 in-process through WebTest, counting the
statements with a ``before_cursor_execute`` listener.

    .venv/bin/python tools/bench/list_queries.py [--n 100 --n 10000]
                                                 [--url mysql+mysqldb://...]
"""
import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa
import webtest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))

from magnum.api import app as api_app  # noqa: E402
from magnum.conf import CONF  # noqa: E402
from magnum.db import api as db_api  # noqa: E402
from magnum.db import models  # noqa: E402

PROJECT, USER = 'bench-project', 'bench-user'
HEADERS = {'X-User-Id': USER, 'X-Project-Id': PROJECT,
           'X-Roles': 'member,reader', 'Accept': 'application/json',
           'OpenStack-API-Version': 'container-infra latest'}
PATHS = ('/v1/clusters?limit=1000', '/v1/clusters/detail?limit=1000')
BATCH = 2000


def _seed(engine, n):
    now = datetime.datetime(2026, 1, 1)
    template = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(models.ClusterTemplate.__table__.insert(), [dict(
            uuid=template, project_id=PROJECT, user_id=USER, name='bench',
            coe='kubernetes', image_id='fedora-coreos', server_type='vm',
            labels={'kube_tag': 'v1.30.1'}, created_at=now)])
        for start in range(0, n, BATCH):
            clusters, nodegroups = [], []
            for i in range(start, min(n, start + BATCH)):
                cluster = str(uuid.UUID(int=i + 1))
                clusters.append(dict(
                    uuid=cluster, project_id=PROJECT, user_id=USER,
                    name='cluster-%05d' % i, cluster_template_id=template,
                    status='CREATE_COMPLETE', create_timeout=60,
                    flavor_id='m1.small', master_flavor_id='m1.small',
                    labels={'kube_tag': 'v1.30.1', 'i': str(i)},
                    health_status_reason={}, created_at=now))
                for role, count in (('master', 1), ('worker', 3)):
                    nodegroups.append(dict(
                        uuid=str(uuid.uuid4()), cluster_id=cluster,
                        project_id=PROJECT, name='default-' + role,
                        role=role, is_default=True, node_count=count,
                        min_node_count=0, image_id='fedora-coreos',
                        flavor_id='m1.small', labels={}, node_labels={},
                        node_taints=[], status='CREATE_COMPLETE',
                        node_addresses=['10.%d.%d.%d' % (
                            i // 65536 % 256, i // 256 % 256, i % 256)]
                        * count, created_at=now))
            conn.execute(models.Cluster.__table__.insert(), clusters)
            conn.execute(models.NodeGroup.__table__.insert(), nodegroups)


def _measure(client, engine, path, repeat):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    client.get(path, headers=HEADERS)    # warm up caches and pools
    times, queries = [], []
    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        for _ in range(repeat):
            del statements[:]
            start = time.perf_counter()
            resp = client.get(path, headers=HEADERS)
            times.append(time.perf_counter() - start)
            queries.append(len(statements))
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)
    return (queries[0], len(resp.json['clusters']),
            statistics.median(times) * 1000, max(queries) == min(queries))


def run(n, url, repeat):
    db_api.reset_for_tests(url)
    engine = db_api.get_engine()
    models.Base.metadata.drop_all(engine)
    models.Base.metadata.create_all(engine)
    seeding = time.perf_counter()
    _seed(engine, n)
    seeded = time.perf_counter() - seeding
    client = webtest.TestApp(api_app.build_app())
    for path in PATHS:
        queries, items, ms, stable = _measure(client, engine, path, repeat)
        print('%-8d %-34s %8d %8d %10.1f%s' % (
            n, path, queries, items, ms, '' if stable else '  (varied)'))
    engine.dispose()
    return seeded


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, action='append',
                        help='clusters to seed (repeatable; default 100 and '
                             '10000)')
    parser.add_argument('--url', help='an EMPTY database to use (its tables '
                                      'are dropped); default: a temporary '
                                      'SQLite file')
    parser.add_argument('--repeat', type=int, default=5,
                        help='timed requests per path (median reported)')
    args = parser.parse_args()
    CONF([], project='magnum', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth')
    print('%-8s %-34s %8s %8s %10s' % ('N', 'request', 'queries', 'items',
                                       'median ms'))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or (100, 10000):
            url = args.url or 'sqlite:///%s/bench-%d.db' % (tmp, n)
            run(n, url, args.repeat)


if __name__ == '__main__':
    main()
