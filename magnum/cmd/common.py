"""Start-up shared by the console scripts."""
from oslo_log import log as logging

from magnum.conf import CONF


def prepare(argv, default_config_files=None):
    """Parse the command line and configuration, and set up logging."""
    logging.register_options(CONF)
    CONF(argv, project='magnum', default_config_files=default_config_files)
    logging.setup(CONF, 'magnum')
    return CONF
