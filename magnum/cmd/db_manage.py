"""magnum-db-manage: schema migrations.

    magnum-db-manage [--config-file F] upgrade [--revision R]
    magnum-db-manage [--config-file F] version
    magnum-db-manage [--config-file F] stamp R
    magnum-db-manage [--config-file F] revision [-m MSG] [--autogenerate]
"""
import sys

from alembic import util as alembic_util
from oslo_config import cfg

from magnum.cmd import common
from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import migration


def do_upgrade():
    migration.upgrade(CONF.command.revision)


def do_version():
    print(migration.version())


def do_stamp():
    migration.stamp(CONF.command.revision)


def do_revision():
    migration.revision(CONF.command.message, CONF.command.autogenerate)


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'upgrade', help='Upgrade the database schema (to head by default).')
    parser.add_argument('--revision', default='head')
    parser.set_defaults(func=do_upgrade)

    parser = subparsers.add_parser(
        'version', help='Print the revision the database is at.')
    parser.set_defaults(func=do_version)

    parser = subparsers.add_parser(
        'stamp', help='Record a revision in the database without migrating.')
    parser.add_argument('revision')
    parser.set_defaults(func=do_stamp)

    parser = subparsers.add_parser(
        'revision', help='Write a new migration script.')
    parser.add_argument('-m', '--message')
    parser.add_argument('--autogenerate', action='store_true',
                        help='Fill it with the difference between the '
                             'database and the models.')
    parser.set_defaults(func=do_revision)


command_opt = cfg.SubCommandOpt('command', title='Commands',
                                handler=add_command_parsers)


def main(argv=None):
    CONF.register_cli_opt(command_opt)
    conf = common.prepare(sys.argv[1:] if argv is None else argv)
    db_api.configure(conf)
    try:
        conf.command.func()
    except alembic_util.CommandError as e:
        print('magnum-db-manage: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
