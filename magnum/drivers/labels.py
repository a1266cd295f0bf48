"""Label schemas: one JSON Schema per label (type, default, description).

Labels reach drivers as strings (the API stores them that way), so values are
first read in their declared type ("3" -> 3, "True" -> True) and then checked
against the label's schema. Labels a schema does not declare are accepted
and left alone: operators use them to carry their own data. A pattern may
come with ``x-expected``, the words an error uses instead of the regex.
"""
import jsonschema

from magnum.common import exception

_TRUE = frozenset(('true', 'yes', 'on', '1'))
_FALSE = frozenset(('false', 'no', 'off', '0'))


class _Unreadable(ValueError):
    pass


def _read(value, kind):
    """Return ``value`` converted to the JSON Schema type ``kind``."""
    if kind == 'string':
        return value if isinstance(value, str) else str(value)
    if isinstance(value, bool) and kind == 'boolean':
        return value
    text = str(value).strip()
    if kind == 'boolean':
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise _Unreadable('expected true or false')
    if kind == 'integer':
        try:
            return int(text)
        except ValueError:
            raise _Unreadable('expected an integer') from None
    if kind == 'number':
        try:
            return float(text)
        except ValueError:
            raise _Unreadable('expected a number') from None
    raise ValueError('unsupported label type %r' % kind)


class LabelSchema:
    """The labels a driver understands, keyed by label name."""

    def __init__(self, properties):
        for name, schema in properties.items():
            missing = {'type', 'default', 'description'} - set(schema)
            if missing:
                raise ValueError('label %s lacks %s' % (name, sorted(missing)))
            jsonschema.Draft202012Validator.check_schema(schema)
        self.properties = dict(properties)
        self._validators = {
            name: jsonschema.Draft202012Validator(schema)
            for name, schema in self.properties.items()}

    def __contains__(self, name):
        return name in self.properties

    def merged(self, overrides):
        """A copy whose listed labels have their schema keys replaced."""
        properties = {name: dict(schema)
                      for name, schema in self.properties.items()}
        for name, changes in overrides.items():
            properties.setdefault(name, {}).update(changes)
        return LabelSchema(properties)

    def _typed(self, name, raw):
        schema = self.properties[name]
        try:
            value = _read(raw, schema['type'])
        except _Unreadable as exc:
            raise exception.InvalidLabels(
                err="Invalid value %r for label %s: %s." % (raw, name, exc))
        error = jsonschema.exceptions.best_match(
            self._validators[name].iter_errors(value))
        if error is not None:
            reason = error.message
            if error.validator == 'pattern' and 'x-expected' in schema:
                reason = 'expected %s' % schema['x-expected']
            raise exception.InvalidLabels(
                err="Invalid value %r for label %s: %s." % (
                    raw, name, reason))
        return value

    def validate(self, labels):
        """Raise InvalidLabels (400) naming the first bad label."""
        for name in sorted(labels or {}):
            if name in self.properties:
                self._typed(name, labels[name])

    def values(self, labels):
        """Every declared label as a typed value, defaults filled in."""
        labels = labels or {}
        result = {}
        for name, schema in self.properties.items():
            if name in labels and labels[name] is not None:
                result[name] = self._typed(name, labels[name])
            else:
                result[name] = schema['default']
        return result
