"""Errors a driver raises; each is a Magnum exception with an HTTP code."""
from magnum.common import exception


class NotSupported(exception.NotSupported):
    """An optional operation this driver does not implement (400)."""
    message = "'%(operation)s' is not supported by the %(driver)s driver."
