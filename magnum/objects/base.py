"""Domain objects: plain attribute bags built from rows, with the queries
and rules the API and conductor share. Persistence stays in magnum.db."""
import datetime

from oslo_utils import uuidutils

from magnum.db import api as db_api


class MagnumObject:
    """Fields are the model's columns; unknown attributes are refused."""
    model = None
    not_found = None          # exception class raised for a missing row
    not_found_key = None      # its message keyword

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            cls._fields = tuple(c.key for c in cls.model.__table__.columns)
            cls._field_set = frozenset(cls._fields)

    def __init__(self, context=None, **values):
        object.__setattr__(self, '_context', context)
        object.__setattr__(self, '_changes', set())
        unknown = values.keys() - self._field_set
        if unknown:
            raise TypeError('unknown fields for %s: %s'
                            % (type(self).__name__, sorted(unknown)))
        for name in self._fields:
            object.__setattr__(self, name, values.get(name))

    @classmethod
    def fields(cls):
        return cls._fields

    def __setattr__(self, name, value):
        if name not in self._field_set:
            raise AttributeError(name)
        object.__setattr__(self, name, value)
        self._changes.add(name)

    def obj_what_changed(self):
        return set(self._changes)

    def obj_reset_changes(self):
        self._changes.clear()

    def as_dict(self):
        return {name: getattr(self, name) for name in self.fields()}

    @classmethod
    def from_row(cls, context, row):
        """An unchanged object from a row's column values, trusted to be
        exactly the fields (lists build thousands of these)."""
        obj = cls.__new__(cls)
        obj.__dict__.update(row.as_dict(), _context=context, _changes=set())
        return obj

    @classmethod
    def from_rows(cls, context, rows):
        return [cls.from_row(context, row) for row in rows]

    def _raise_not_found(self_or_cls, ident):
        raise self_or_cls.not_found(**{self_or_cls.not_found_key: ident})

    # -- persistence ---------------------------------------------------
    def create(self, session=None):
        if 'uuid' in self.fields() and not self.uuid:
            self.uuid = uuidutils.generate_uuid()
        values = {k: v for k, v in self.as_dict().items()
                  if v is not None and k not in ('id', 'created_at')}

        def _insert(session):
            row = self.model(**values)
            session.add(row)
            session.flush()
            return row

        row = (_insert(session) if session is not None else
               db_api.run_in_writer(self._context, _insert))
        for name in self.fields():
            object.__setattr__(self, name, getattr(row, name))
        self.obj_reset_changes()
        return self

    def save(self):
        changes = {k: getattr(self, k) for k in self._changes}
        if changes:
            changes['updated_at'] = utcnow()
            db_api.update_by_id(self._context, self.model, self.id, changes)
            object.__setattr__(self, 'updated_at', changes['updated_at'])
        self.obj_reset_changes()

    def refresh(self):
        row = db_api.get_by_id(self._context, self.model, self.id)
        if row is None:
            self._raise_not_found(self.uuid)
        for name in self.fields():
            object.__setattr__(self, name, getattr(row, name))
        self.obj_reset_changes()

    def destroy(self):
        db_api.delete_by_id(self._context, self.model, self.id)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
