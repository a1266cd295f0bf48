"""magnum-status upgrade check: is this deployment ready for the new code?

Run it after ``magnum-db-manage upgrade`` and before starting the services.
Exit codes: 0 success, 1 warning, 2 failure, 255 the check itself broke.
"""
import sys

from oslo_db import exception as db_exc
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck
import sqlalchemy as sa

from magnum.conf import CONF
from magnum.db import api as db_api
from magnum.db import migration


def check_database_schema(self):
    db_api.configure(CONF)
    try:
        current = migration.version()
    except (db_exc.DBError, sa.exc.SQLAlchemyError) as e:
        return upgradecheck.Result(
            upgradecheck.Code.FAILURE,
            'Cannot read the schema revision: %s' % e)
    head = migration.head()
    if current != head:
        return upgradecheck.Result(
            upgradecheck.Code.FAILURE,
            'The database schema is at revision %s, this code needs %s. '
            'Run "magnum-db-manage upgrade".' % (current, head))
    return upgradecheck.Result(upgradecheck.Code.SUCCESS)


class Checks(upgradecheck.UpgradeCommands):
    _upgrade_checks = (
        ('Database schema', check_database_schema),
        ('Policy File JSON to YAML Migration',
         (common_checks.check_policy_json, {'conf': CONF})),
    )


def main(argv=None):
    return upgradecheck.main(CONF, project='magnum',
                             upgrade_command=Checks(),
                             argv=sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
