"""Aggregate counts over clusters and their nodegroups."""
import sqlalchemy as sa

from magnum.db import api
from magnum.db import models


def cluster_stats(context, project_id=None):
    """(clusters, nodes) of one project, or of all when ``project_id`` is
    None. Nodes are the node_count of every nodegroup of those clusters,
    masters included."""
    clusters = sa.select(models.Cluster.uuid)
    if project_id is not None:
        clusters = clusters.where(models.Cluster.project_id == project_id)
    nodes = sa.select(sa.func.coalesce(sa.func.sum(
        models.NodeGroup.node_count), 0)).where(
        models.NodeGroup.cluster_id.in_(clusters))
    with api.session_for_read(context) as session:
        # int(): MySQL sums to a Decimal.
        return (api.count(session, clusters),
                int(session.execute(nodes).scalar()))
