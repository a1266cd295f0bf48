"""Seed identical templates, clusters and nodegroups into a Magnum
database (ours or upstream's: the columns are the same), fast.

    python seed.py URL N PROJECT USER
"""
import datetime
import json
import sys
import uuid

import sqlalchemy as sa

BATCH = 2000


def _rows(n, project, user):
    now = datetime.datetime(2026, 1, 1)
    templates, clusters, nodegroups = [], [], []
    for i in range(n):
        ct_uuid = str(uuid.UUID(int=i + 1))
        cl_uuid = str(uuid.UUID(int=10**9 + i))
        templates.append(dict(
            uuid=ct_uuid, project_id=project, user_id=user,
            name='tpl-%05d' % i, image_id='fedora-coreos', coe='kubernetes',
            flavor_id='m1.small', master_flavor_id='m1.small',
            external_network_id='public', network_driver='flannel',
            cluster_distro='fedora-coreos', server_type='vm',
            labels=json.dumps({'kube_tag': 'v1.30.1'}), tls_disabled=False,
            public=False, hidden=False, registry_enabled=False,
            master_lb_enabled=False, floating_ip_enabled=True,
            created_at=now))
        clusters.append(dict(
            uuid=cl_uuid, project_id=project, user_id=user,
            name='cluster-%05d' % i, cluster_template_id=ct_uuid,
            keypair='default', labels=json.dumps({'kube_tag': 'v1.30.1'}),
            flavor_id='m1.small', master_flavor_id='m1.small',
            stack_id=str(uuid.UUID(int=2 * 10**9 + i)),
            api_address='https://172.24.4.%d:6443' % (i % 250 + 2),
            status='CREATE_COMPLETE', create_timeout=60,
            health_status_reason='{}', coe_version='v1.30.1',
            floating_ip_enabled=True, master_lb_enabled=False,
            created_at=now))
        for role, count in (('master', 1), ('worker', 3)):
            nodegroups.append(dict(
                uuid=str(uuid.uuid4()), name='default-%s' % role,
                cluster_id=cl_uuid, project_id=project, flavor_id='m1.small',
                image_id='fedora-coreos', labels='{}',
                node_addresses=json.dumps(['10.0.0.%d' % k
                                           for k in range(2, 2 + count)]),
                node_count=count, role=role, min_node_count=0,
                is_default=True, status='CREATE_COMPLETE',
                node_labels='{}', node_taints='[]', created_at=now))
    return templates, clusters, nodegroups


def seed(url, n, project, user):
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine, only=('cluster_template', 'cluster', 'nodegroup'))
    rows = dict(zip(('cluster_template', 'cluster', 'nodegroup'),
                    _rows(n, project, user)))
    with engine.begin() as conn:
        for name in ('nodegroup', 'cluster', 'cluster_template'):
            conn.execute(meta.tables[name].delete())
        for name, items in rows.items():
            table = meta.tables[name]
            items = [{k: v for k, v in row.items() if k in table.c}
                     for row in items]
            for start in range(0, len(items), BATCH):
                conn.execute(table.insert(), items[start:start + BATCH])
    engine.dispose()


if __name__ == '__main__':
    seed(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
