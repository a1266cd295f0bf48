"""Request context shared by the API, RPC and conductor."""
from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """Identity of the caller plus the flags Magnum's queries need.

    ``all_tenants`` widens queries to every project; it is only ever set
    for admins whose policy allows it.
    """

    def __init__(self, is_admin=False, all_tenants=False, user_name=None,
                 project_name=None, auth_url=None, trust_id=None,
                 service_catalog=None, **kwargs):
        super().__init__(is_admin=is_admin, **kwargs)
        self.all_tenants = all_tenants
        self.user_name = user_name
        self.project_name = project_name
        self.auth_url = auth_url
        self.trust_id = trust_id
        # The v3 catalog that came with the user's token (or None).
        self.service_catalog = service_catalog

    def to_dict(self):
        values = super().to_dict()
        values.update(all_tenants=self.all_tenants, user_name=self.user_name,
                      project_name=self.project_name, auth_url=self.auth_url,
                      trust_id=self.trust_id,
                      service_catalog=self.service_catalog)
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('all_tenants', values.get('all_tenants', False))
        kwargs.setdefault('user_name', values.get('user_name'))
        kwargs.setdefault('project_name', values.get('project_name'))
        kwargs.setdefault('auth_url', values.get('auth_url'))
        kwargs.setdefault('trust_id', values.get('trust_id'))
        kwargs.setdefault('service_catalog', values.get('service_catalog'))
        return super().from_dict(values, **kwargs)

    def elevated(self):
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        ctx.all_tenants = True
        if 'admin' not in ctx.roles:
            ctx.roles = ctx.roles + ['admin']
        return ctx


def make_admin_context(all_tenants=True):
    return RequestContext(is_admin=True, all_tenants=all_tenants,
                          roles=['admin'], overwrite=False)
