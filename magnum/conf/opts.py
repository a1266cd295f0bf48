"""Entry point for oslo-config-generator (namespace ``magnum``)."""
from magnum import conf


def list_opts():
    merged = {}
    for module in conf.GROUP_MODULES:
        for group, opts in conf.options_of(module).items():
            merged.setdefault(group, []).extend(opts)
    return list(merged.items())
