"""Cluster → wire dict: the compact list form and the full form."""
from magnum.api.controllers import base

LIST_FIELDS = ('uuid', 'name', 'cluster_template_id', 'keypair',
               'docker_volume_size', 'labels', 'node_count', 'master_count',
               'status', 'master_flavor_id', 'flavor_id', 'create_timeout',
               'health_status')
DETAIL_FIELDS = LIST_FIELDS + (
    'discovery_url', 'api_address', 'coe_version', 'container_version',
    'status_reason', 'health_status_reason', 'fixed_network', 'fixed_subnet',
    'floating_ip_enabled', 'master_lb_enabled', 'project_id', 'user_id',
    'node_addresses', 'master_addresses')
# 1.13 renamed stack_id to cluster_id (same column).
CLUSTER_ID_VERSION = (1, 13)


def labels_diff(parent, labels):
    """How ``labels`` differ from the ``parent`` ones they started from:
    overridden keys (with the parent's value), added and skipped keys."""
    parent, labels = parent or {}, labels or {}
    return {
        'labels_overridden': {k: parent[k] for k in labels
                              if k in parent and parent[k] != labels[k]},
        'labels_added': {k: v for k, v in labels.items() if k not in parent},
        'labels_skipped': {k: v for k, v in parent.items()
                           if k not in labels},
    }


def show(cluster, version, template_labels=None, detail=True, url=None):
    doc = {name: getattr(cluster, name)
           for name in (DETAIL_FIELDS if detail else LIST_FIELDS)}
    doc['merge_labels'] = False
    id_key = 'cluster_id' if version >= CLUSTER_ID_VERSION else 'stack_id'
    doc[id_key] = cluster.stack_id
    doc['links'] = base.links('clusters', cluster.uuid, url)
    if detail:
        doc.update(labels_diff(template_labels, cluster.labels))
        doc['created_at'] = base.timestamp(cluster.created_at)
        doc['updated_at'] = base.timestamp(cluster.updated_at)
    return doc
