"""Mark stacks left IN_PROGRESS by a stopped heat-engine as FAILED.

Run with the Heat venv's python before heat-engine starts:
    heat_reset.py HEAT_CONF STACK_ID...
Convergence stacks are not reset by heat-engine itself on restart; this
is what ``heat-manage reset_stack_status`` does, without its prompt.
"""

import sys

from oslo_config import cfg

from heat.common import context
from heat.db import api as db_api


def main(conf, stack_ids):
    cfg.CONF(['--config-file', conf], project='heat', prog='heat-manage')
    ctx = context.get_admin_context()
    for stack_id in stack_ids:
        db_api.reset_stack_status(ctx, stack_id)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
