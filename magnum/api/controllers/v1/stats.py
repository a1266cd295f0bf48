"""/v1/stats: cluster and node counts."""
import pecan
from pecan import rest
import wsme.exc

from magnum.api.controllers import base
from magnum.api.views import stats as view
from magnum.common import exception
from magnum.common import policy
from magnum.objects import stats

TYPES = ('cluster',)


class StatsController(rest.RestController):

    @pecan.expose('json')
    def get_all(self, **params):
        """Non-admins get their own project's counts (asking for another
        project is refused); admins get all projects' unless they name
        one."""
        ctx = base.context()
        policy.enforce(ctx, 'stats:get_all')
        project_id = params.pop('project_id', None)
        kind = params.pop('type', 'cluster')
        if params:
            raise wsme.exc.ClientSideError(
                'Unknown argument: %s' % ', '.join(sorted(params)))
        if kind.lower() not in TYPES:
            raise exception.InvalidParameterValue(
                err="Invalid stats type. Allowed values are '%s'"
                    % ','.join(TYPES))
        if not ctx.is_admin:
            if not ctx.project_id or (project_id and
                                      project_id != ctx.project_id):
                raise exception.NotAuthorized()
            project_id = ctx.project_id
        return view.show(stats.cluster_stats(ctx, project_id))
