"""Policy defaults in code, one table per resource."""
import itertools

from magnum.common.policies import base
from magnum.common.policies import resources


def list_rules():
    return list(itertools.chain(base.rules, resources.rules()))
