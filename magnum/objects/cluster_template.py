from magnum.common import exception
from magnum.db import cluster_templates as db
from magnum.db import models
from magnum.objects import base


class ClusterTemplate(base.MagnumObject):
    model = models.ClusterTemplate
    not_found = exception.ClusterTemplateNotFound
    not_found_key = 'clustertemplate'

    @classmethod
    def get(cls, context, ident):
        return cls.from_row(context, db.get(context, ident))

    @classmethod
    def list(cls, context, **page):
        return cls.from_rows(context, db.get_list(context, **page))

    def is_referenced(self):
        return db.is_referenced(self._context, self.uuid)

    def destroy(self):
        if not db.destroy(self._context, self.id, self.uuid):
            raise exception.ClusterTemplateReferenced(
                clustertemplate=self.uuid)
