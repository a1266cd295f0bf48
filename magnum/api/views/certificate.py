"""Certificates → wire dicts; links point at the cluster's certificate."""
from magnum.api.controllers import base


def ca(cluster_uuid, pem):
    return {'cluster_uuid': cluster_uuid, 'pem': pem,
            'links': base.links('certificates', cluster_uuid)}


def signed(cluster_uuid, csr, pem):
    return dict(ca(cluster_uuid, pem), csr=csr)
