"""NodeGroup → wire dict. Nodegroups keep ``stack_id`` at every version."""
from magnum.api.controllers import base
from magnum.api.views import cluster as cluster_view

LIST_FIELDS = ('uuid', 'name', 'flavor_id', 'image_id', 'node_count', 'role',
               'is_default', 'status', 'stack_id', 'min_node_count',
               'max_node_count')
DETAIL_FIELDS = LIST_FIELDS + (
    'id', 'cluster_id', 'project_id', 'docker_volume_size', 'labels',
    'node_addresses', 'status_reason', 'version', 'node_labels',
    'node_taints')


def show(ng, cluster_labels=None, detail=True, url=None):
    doc = {name: getattr(ng, name)
           for name in (DETAIL_FIELDS if detail else LIST_FIELDS)}
    doc['merge_labels'] = False
    doc['links'] = base.links('clusters/%s/nodegroups' % ng.cluster_id,
                              ng.uuid, url)
    if detail:
        doc.update(cluster_view.labels_diff(cluster_labels, ng.labels))
        doc['created_at'] = base.timestamp(ng.created_at)
        doc['updated_at'] = base.timestamp(ng.updated_at)
    return doc
