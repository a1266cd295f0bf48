from oslo_config import cfg
from oslo_db import exception as db_exc

from magnum.common import exception
from magnum.db import models
from magnum.db import quotas as db
from magnum.objects import base

CONF = cfg.CONF


class Quota(base.MagnumObject):
    """A project's hard limit on one resource (only ``Cluster`` today)."""
    model = models.Quota
    not_found = exception.QuotaNotFound
    not_found_key = 'msg'

    @classmethod
    def get(cls, context, project_id, resource):
        return cls.from_row(context, db.get(context, project_id, resource))

    @classmethod
    def get_or_default(cls, context, project_id, resource):
        """The project's row, or an unsaved one carrying the configured
        default limit when the project has none."""
        try:
            return cls.get(context, project_id, resource)
        except exception.QuotaNotFound:
            return cls(context, project_id=project_id, resource=resource,
                       hard_limit=CONF.quotas.max_clusters_per_project)

    @classmethod
    def list(cls, context, all_projects=False, **page):
        return cls.from_rows(context, db.get_list(context, all_projects,
                                                  **page))

    def create(self):
        try:
            return super().create()
        except db_exc.DBDuplicateEntry:
            raise exception.QuotaAlreadyExists(project_id=self.project_id,
                                               resource=self.resource)


def check_cluster_limit(context, project_id):
    """403 when the project already owns as many clusters as it may."""
    limit = Quota.get_or_default(context, project_id, 'Cluster').hard_limit
    if db.count_clusters(context, project_id) >= limit:
        raise exception.ResourceLimitExceeded(
            msg='You have reached the maximum clusters per project, %d. You '
                'may delete a cluster to make room for a new one.' % limit)
