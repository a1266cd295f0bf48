"""Engine set-up and the helpers every query module shares."""
import types

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import uuidutils
import sqlalchemy as sa

from magnum.common import exception

main_context_manager = enginefacade.transaction_context()
reader = main_context_manager.reader
writer = main_context_manager.writer

_configured = False


# oslo.db yields to other green threads on every connection check-in by
# default; we run on native threads, where that is only a sleep.
_ENGINE_DEFAULTS = {'thread_checkin': False}


def configure(conf):
    """Bind the engine facade to ``[database]`` once per process."""
    global _configured
    if not _configured:
        main_context_manager.configure(**dict(conf.database.items(),
                                              **_ENGINE_DEFAULTS))
        _configured = True


def get_engine():
    return main_context_manager.writer.get_engine()


def reset_for_tests(connection):
    """Point the facade at another database (tests only)."""
    global main_context_manager, reader, writer, _configured
    main_context_manager = enginefacade.transaction_context()
    main_context_manager.configure(connection=connection, **_ENGINE_DEFAULTS)
    reader = main_context_manager.reader
    writer = main_context_manager.writer
    _configured = True
    return main_context_manager


def session_for_read(context):
    return main_context_manager.reader.using(context)


def session_for_write(context):
    return main_context_manager.writer.using(context)


def owner(context):
    """(column, value) keeping a caller to its project's rows (its own
    rows, without a project); (None, None) for an admin acting on every
    project."""
    if context.is_admin and context.all_tenants:
        return None, None
    if context.project_id:
        return 'project_id', context.project_id
    return 'user_id', context.user_id


def scope_to_project(query, model, context):
    """Restrict ``query`` (ORM or Core) to the caller's project unless
    admin-all-tenants."""
    column, value = owner(context)
    if column is None:
        return query
    return query.filter(getattr(model, column) == value)


def where_ident(query, model, ident):
    """Match by uuid when ``ident`` looks like one, else by name."""
    if uuidutils.is_uuid_like(ident):
        return query.filter(model.uuid == ident)
    return query.filter(model.name == ident)


def paginate(query, model, limit=None, marker=None, sort_key=None,
             sort_dir=None):
    """Apply marker/limit/sort with ``id`` as the tiebreaker."""
    sort_key = sort_key or 'id'
    sort_dir = sort_dir or 'asc'
    if sort_key not in model.__table__.columns:
        raise exception.InvalidParameterValue(
            err='The sort_key value "%s" is an invalid field for sorting'
                % sort_key)
    keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
    try:
        return db_utils.paginate_query(query, model, limit, keys,
                                       marker=marker, sort_dir=sort_dir)
    except db_exc.InvalidSortKey:
        raise exception.InvalidParameterValue(
            err='The sort_key value "%s" is an invalid field for sorting'
                % sort_key)


class Values(dict):
    """A row's column values, read without building an ORM instance (lists
    are the hot path); ``MagnumObject.from_row`` and pagination markers
    take it like a row."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self):
        return self


Record = types.SimpleNamespace


def record(row):
    """A snapshot of an ORM row's column values as attributes (None for
    None), so nothing outside a session ever touches an ORM object."""
    return None if row is None else Record(**row.as_dict())


def keys(model):
    return [c.key for c in model.__table__.columns]


def values_of(query, model):
    """The rows of an ORM query over ``model`` as Values, fetched through
    Core on the query's own session (no ORM loading per row)."""
    names = keys(model)
    result = query.session.connection().execute(
        query.with_entities(model.__table__).statement)
    return [Values(zip(names, row)) for row in result]


def read(statement, **params):
    """The rows of one SELECT, outside any session: one statement needs no
    transaction of its own, and a bare connection costs one round trip
    less (the pool does not roll back again what the connection did)."""
    with get_engine().connect() as conn:
        return conn.execute(statement, params).all()


def count(session, query):
    return session.execute(
        sa.select(sa.func.count()).select_from(query.subquery())).scalar()


def run_in_writer(context, func):
    with session_for_write(context) as session:
        return func(session)


def get_by_id(context, model, row_id):
    with session_for_read(context) as session:
        return session.get(model, row_id)


def update_by_id(context, model, row_id, values):
    with session_for_write(context) as session:
        session.query(model).filter(model.id == row_id).update(
            values, synchronize_session=False)


def delete_by_id(context, model, row_id):
    with session_for_write(context) as session:
        session.query(model).filter(model.id == row_id).delete(
            synchronize_session=False)
