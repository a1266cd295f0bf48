"""WSME user types shared by the resource types."""
import ipaddress

from oslo_utils import strutils
import wsme
from wsme import types as wtypes


class LabelsType(wtypes.UserType):
    """dict of str → scalar; values are stored and returned as strings
    (``true`` → ``"True"``), like upstream."""
    basetype = wtypes.DictType(wtypes.text, wtypes.text)
    name = 'labels'

    def validate(self, value):
        if not isinstance(value, dict):
            raise ValueError('Value not a valid dict: %s' % value)
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError('Label keys must be strings')
            if item is None or isinstance(item, (dict, list)):
                raise ValueError("Label %s must be a string, number or "
                                 "boolean" % key)
            result[key] = str(item)
        return result

    def frombasetype(self, value):
        return self.validate(value) if value is not None else None


class BooleanType(wtypes.UserType):
    """A boolean that also accepts 'true'/'yes'/'1' strings."""
    basetype = wtypes.text
    name = 'boolean'

    def validate(self, value):
        if isinstance(value, bool):
            return value
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError as e:
            raise wsme.exc.ClientSideError(str(e))

    def frombasetype(self, value):
        return None if value is None else self.validate(value)


class DNSListType(wtypes.UserType):
    """Comma-separated IPv4 addresses."""
    basetype = wtypes.text
    name = 'dnslist'

    def validate(self, value):
        for entry in value.split(','):
            try:
                ipaddress.IPv4Address(entry.strip())
            except ValueError:
                raise wsme.exc.ClientSideError(
                    'Expected a single dns address or comma separated dns '
                    'list, but received %s.' % value)
        return value

    def frombasetype(self, value):
        return None if value is None else self.validate(value)


labels = LabelsType()
boolean = BooleanType()
dns_list = DNSListType()


def string(maximum=255, minimum=1, pattern=None):
    return wtypes.StringType(min_length=minimum, max_length=maximum,
                             pattern=pattern)


def readonly(datatype=wtypes.text):
    return wtypes.wsattr(datatype, readonly=True)


class Reported(wtypes.Base):
    """The read-only attributes clusters and nodegroups both have."""
    cluster_id = readonly()
    project_id = readonly()
    stack_id = readonly()
    node_addresses = readonly(wtypes.ArrayType(wtypes.text))
    labels_overridden = readonly(wtypes.DictType(wtypes.text, wtypes.text))
    labels_added = readonly(wtypes.DictType(wtypes.text, wtypes.text))
    labels_skipped = readonly(wtypes.DictType(wtypes.text, wtypes.text))
    links = readonly(wtypes.ArrayType(wtypes.DictType(wtypes.text,
                                                      wtypes.text)))
    created_at = readonly()
    updated_at = readonly()
