"""Cluster statistics → wire dict."""


def show(stats):
    return {'clusters': stats.clusters, 'nodes': stats.nodes}
