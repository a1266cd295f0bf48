"""[conductor] options read from a file the way operators write them."""
from oslo_config import cfg

from magnum.conf import conductor


def _conf(tmp_path, text):
    path = tmp_path / 'magnum.conf'
    path.write_text(text)
    conf = cfg.ConfigOpts()
    conf.register_opts(conductor.opts, group=conductor.group)
    conf(['--config-file', str(path)], project='magnum',
         default_config_files=[])
    return conf


def test_upstream_periodic_global_stack_list_turns_stack_lists_on(tmp_path):
    assert not _conf(tmp_path, '').conductor.stack_list_sync
    conf = _conf(tmp_path, '[DEFAULT]\nperiodic_global_stack_list = true\n')
    assert conf.conductor.stack_list_sync
