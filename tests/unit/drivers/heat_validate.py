"""Validate rendered stacks with Heat's own engine, without a cloud.

Run with a Python that has Heat installed (not the project's venv):
reads {"variant": {"template", "files", "registry", "parameters"}} on stdin
and prints "<variant> OK" or "<variant> FAIL <reason>" per line.

Heat's Stack.validate() checks the templates, every intrinsic function,
nested templates against the properties passed to them and every
resource's properties against Heat's schemas. Only what needs a cloud is
stubbed: service availability, custom constraints (flavor/image/network
lookups), Nova's microversion and limits queries, and the RPC inspection
of existing ResourceGroup members.
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)

from oslo_config import cfg  # noqa: E402

from heat.common import config  # noqa: E402,F401 (registers options)
from heat.common import context  # noqa: E402
from heat.common import grouputils  # noqa: E402
from heat.common import messaging  # noqa: E402
from heat.common import template_format  # noqa: E402
from heat.engine.clients.os import nova  # noqa: E402
from heat.engine import constraints  # noqa: E402
from heat.engine import environment  # noqa: E402
from heat.engine import resource  # noqa: E402
from heat.engine import resources  # noqa: E402
from heat.engine.resources.openstack.nova import server  # noqa: E402
from heat.engine import stack as parser  # noqa: E402
from heat.engine import template  # noqa: E402


class _NoMembers:
    def member_names(self, include_failed=False):
        return []

    def size(self, include_failed=False):
        return 0


def _offline():
    cfg.CONF([], project='heat')
    messaging.setup('fake://')
    resources.initialise()
    resource.Resource.is_service_available = classmethod(
        lambda cls, ctx: (True, None))
    constraints.CustomConstraint._is_valid = (
        lambda self, value, schema, ctx, template=None: True)
    nova.NovaClientPlugin.is_version_supported = lambda self, v: True
    nova.NovaClientPlugin.get_max_microversion = lambda self: '2.96'
    nova.NovaClientPlugin.absolute_limits = lambda self: {
        'maxServerMeta': 128, 'maxPersonality': 5,
        'maxPersonalitySize': 10240}
    server.Server._validate_image_flavor = lambda self, image, flavor: None
    grouputils.GroupInspector.from_parent_resource = classmethod(
        lambda cls, parent: _NoMembers())
    return context.RequestContext(user_id='u', project_id='p',
                                  is_admin=True, auth_token='t')


def main():
    ctx = _offline()
    for name, stack in sorted(json.load(sys.stdin).items()):
        env = environment.Environment({
            'resource_registry': stack['registry'],
            'parameters': stack['parameters']})
        try:
            tmpl = template.Template(
                template_format.parse(stack['files'][stack['template']]),
                files=stack['files'], env=env)
            parser.Stack(ctx, 'demo', tmpl).validate()
        except Exception as exc:  # report every variant, not just the first
            print(name, 'FAIL', type(exc).__name__, exc)
        else:
            print(name, 'OK')


if __name__ == '__main__':
    main()
