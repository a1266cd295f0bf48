"""Pecan hooks: request context, microversion on the request, and
Magnum-format error bodies."""
import logging

import pecan
from pecan import hooks
import webob
import wsme.exc

from magnum.api import errors
from magnum.api import middleware
from magnum.api import microversion
from magnum.common import context
from magnum.common import exception
from magnum.common import policy

LOG = logging.getLogger(__name__)


class ContextHook(hooks.PecanHook):
    """Builds the RequestContext from the identity headers."""

    def before(self, state):
        req = state.request
        environ = req.environ
        token_info = environ.get('keystone.token_info') or {}
        ctx = context.RequestContext.from_environ(
            environ, user_name=environ.get('HTTP_X_USER_NAME'),
            project_name=environ.get('HTTP_X_PROJECT_NAME'),
            service_catalog=token_info.get('token', {}).get('catalog'))
        ctx.is_admin = policy.check_is_admin(ctx)
        req.context = ctx
        req.version = req.environ.get(middleware.VERSION_ENV,
                                      microversion.MIN)
        req.requested_version = req.environ.get(
            middleware.REQUESTED_ENV, microversion.fmt(microversion.MIN))


class SingleValuedQueryHook(hooks.PecanHook):
    """No query parameter of the API takes a list: one given twice is a
    400, never a list reaching a controller."""

    def before(self, state):
        query = state.request.GET
        repeated = sorted({name for name in query
                           if len(query.getall(name)) > 1})
        if repeated:
            raise wsme.exc.ClientSideError(
                'Query parameter given more than once: %s'
                % ', '.join(repeated))


class ErrorHook(hooks.PecanHook):
    """Renders exceptions raised by controllers as Magnum error bodies."""

    def on_error(self, state, exc):
        if isinstance(exc, exception.MagnumException):
            # .message: str() of an exception re-raised from RPC carries
            # the conductor's traceback.
            status, detail = exc.code, exc.message
        elif isinstance(exc, wsme.exc.ClientSideError):
            status, detail = exc.code, exc.faultstring
        elif isinstance(exc, webob.exc.HTTPException):
            return None
        else:
            LOG.exception('Unexpected error serving %s %s',
                          state.request.method, state.request.path)
            status, detail = 500, 'Internal Server Error'
        code = 'client' if status < 500 else 'server'
        return webob.Response(status=status,
                              json_body=errors.error_body(status, detail,
                                                          code))


def current_context():
    return pecan.request.context
