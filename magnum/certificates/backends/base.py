"""The interface every cert-manager backend implements."""
import abc
import dataclasses


@dataclasses.dataclass(frozen=True)
class Cert:
    """A stored certificate; every field is PEM/text as bytes (or None)."""
    certificate: bytes
    private_key: bytes = None
    intermediates: bytes = None
    private_key_passphrase: bytes = None

    def __repr__(self):  # never print the key or its passphrase
        return 'Cert(certificate=%r, ...)' % self.certificate[:40]


def to_bytes(value):
    if value is None or isinstance(value, bytes):
        return value
    return value.encode('utf-8')


class CertManager(metaclass=abc.ABCMeta):
    """Stores certificates with their private keys; refs are opaque text."""

    @abc.abstractmethod
    def store_cert(self, context, certificate, private_key,
                   intermediates=None, private_key_passphrase=None,
                   name='Magnum Certificate'):
        """Store the pieces and return a ref for ``get_cert``."""

    @abc.abstractmethod
    def get_cert(self, context, ref):
        """The ``Cert`` behind ``ref``; a ResourceNotFound if none."""

    @abc.abstractmethod
    def delete_cert(self, context, ref):
        """Remove ``ref``; a ResourceNotFound if it does not exist."""
