import collections

from magnum.db import stats as db

ClusterStats = collections.namedtuple('ClusterStats', 'clusters nodes')


def cluster_stats(context, project_id=None):
    """Cluster and node counts of one project, or of all of them."""
    return ClusterStats(*db.cluster_stats(context, project_id))
