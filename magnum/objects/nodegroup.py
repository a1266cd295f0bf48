from oslo_db import exception as db_exc

from magnum.common import exception
from magnum.db import nodegroups as db
from magnum.db import models
from magnum.objects import base


class NodeGroup(base.MagnumObject):
    model = models.NodeGroup
    not_found = exception.NodeGroupNotFound
    not_found_key = 'nodegroup'

    @property
    def is_master(self):
        return self.role == 'master'

    @classmethod
    def get(cls, context, cluster_uuid, ident):
        return cls.from_row(context, db.get(context, cluster_uuid, ident))

    @classmethod
    def list(cls, context, cluster_uuid, role=None, **page):
        return cls.from_rows(context, db.get_list(context, cluster_uuid,
                                                  role=role, **page))

    @classmethod
    def for_clusters(cls, context, cluster_uuids):
        """{cluster uuid: [nodegroups]} for many clusters in one query."""
        grouped = {uuid: [] for uuid in cluster_uuids}
        for row in db.for_clusters(context, cluster_uuids):
            grouped[row['cluster_id']].append(cls.from_row(context, row))
        return grouped

    @classmethod
    def name_taken(cls, context, cluster_uuid, name):
        return db.name_taken(context, cluster_uuid, name)

    def create(self, session=None):
        try:
            return super().create(session)
        except db_exc.DBDuplicateEntry:
            raise exception.NodeGroupAlreadyExists(name=self.name,
                                                   cluster_id=self.cluster_id)
