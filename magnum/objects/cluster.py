from magnum.common import exception
from magnum.db import api as db_api
from magnum.db import clusters as db
from magnum.db import models
from magnum.objects import base
from magnum.objects.nodegroup import NodeGroup

FAILED = ('CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED',
          'ROLLBACK_FAILED', 'RESUME_FAILED')
# The nodegroup fields the computed properties below read.
SUMMARY_FIELDS = ('name', 'role', 'is_default', 'node_count',
                  'node_addresses', 'status', 'status_reason')


class Cluster(base.MagnumObject):
    """A cluster row plus its nodegroups, from which the node and master
    counts and addresses are computed."""
    model = models.Cluster
    not_found = exception.ClusterNotFound
    not_found_key = 'cluster'

    def __init__(self, context=None, nodegroups=(), **values):
        super().__init__(context, **values)
        object.__setattr__(self, 'nodegroups', list(nodegroups))

    # -- computed from the nodegroups -------------------------------------
    def _default(self, role):
        return next((ng for ng in self.nodegroups
                     if ng.is_default and ng.role == role), None)

    @property
    def default_worker(self):
        return self._default('worker')

    @property
    def default_master(self):
        return self._default('master')

    @property
    def node_count(self):
        return sum(ng.node_count or 0 for ng in self.nodegroups
                   if not ng.is_master)

    @property
    def master_count(self):
        return sum(ng.node_count or 0 for ng in self.nodegroups
                   if ng.is_master)

    @property
    def node_addresses(self):
        return [a for ng in self.nodegroups if not ng.is_master
                for a in ng.node_addresses or ()]

    @property
    def master_addresses(self):
        return [a for ng in self.nodegroups if ng.is_master
                for a in ng.node_addresses or ()]

    @property
    def faults(self):
        """{nodegroup name: reason} of failed nodegroups, for a failed
        cluster; None otherwise."""
        if self.status not in FAILED:
            return None
        return {ng.name: ng.status_reason for ng in self.nodegroups
                if (ng.status or '').endswith('_FAILED')}

    # -- queries -----------------------------------------------------------
    @classmethod
    def get(cls, context, ident):
        """The cluster with its nodegroups, in one query."""
        return cls._get(context, ident)[0]

    @classmethod
    def get_with_template_labels(cls, context, ident):
        """(cluster, its template's labels) in one query: what a cluster
        GET shows. Its nodegroups carry only what the counts, addresses
        and faults above read."""
        return cls._get(context, ident, SUMMARY_FIELDS)

    @classmethod
    def _get(cls, context, ident, nodegroup_fields=None):
        row, nodegroups, labels = db.get(context, ident, nodegroup_fields)
        cluster = cls.from_row(context, row)
        cluster._attach({cluster.uuid: NodeGroup.from_rows(context,
                                                           nodegroups)})
        return cluster, labels

    @classmethod
    def list(cls, context, **page):
        """A page of clusters with their nodegroups: two queries in one
        transaction, whatever the page size."""
        with db_api.session_for_read(context):
            clusters = cls.from_rows(context, db.get_list(context, **page))
            grouped = NodeGroup.for_clusters(context,
                                             [c.uuid for c in clusters])
        for cluster in clusters:
            cluster._attach(grouped)
        return clusters

    @staticmethod
    def template_labels(context, clusters):
        """{template uuid: labels} of the clusters' templates, one query."""
        return db.template_labels(
            context, {c.cluster_template_id for c in clusters})

    def _attach(self, grouped):
        object.__setattr__(self, 'nodegroups', grouped.get(self.uuid, []))

    def create(self, session=None):
        """Insert the cluster and its nodegroups in one transaction."""
        def _insert(session):
            super(Cluster, self).create(session)
            for ng in self.nodegroups:
                ng.cluster_id = self.uuid
                ng.project_id = self.project_id
                ng.create(session)
            return self

        if session is not None:
            return _insert(session)
        return db_api.run_in_writer(self._context, _insert)
