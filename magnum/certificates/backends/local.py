"""Backend keeping certificates as files under ``[certificates]
storage_path``, for a single conductor: ``<uuid>.crt``, ``.key``, ``.int``,
``.pass``, each mode 0600. Key and passphrase are Fernet-encrypted."""
import os

from oslo_config import cfg
from oslo_utils import uuidutils

from magnum.certificates import encryption
from magnum.certificates.backends import base
from magnum.common import exception

CONF = cfg.CONF

_SUFFIXES = {'certificate': '.crt', 'private_key': '.key',
             'intermediates': '.int', 'private_key_passphrase': '.pass'}
_SECRET = ('private_key', 'private_key_passphrase')


class LocalCertManager(base.CertManager):

    def __init__(self, storage_path=None, encryptor=None):
        self._storage_path = storage_path
        self._encryptor = encryptor

    @property
    def storage_path(self):
        return self._storage_path or CONF.certificates.storage_path

    @property
    def encryptor(self):
        if self._encryptor is None:
            self._encryptor = encryption.Encryptor.from_conf(CONF)
        return self._encryptor

    def _paths(self, ref):
        # A ref becomes a file name, so only accept what we hand out.
        if not uuidutils.is_uuid_like(ref):
            raise exception.ResourceNotFound(name='certificate', id=ref)
        return {field: os.path.join(self.storage_path, ref + suffix)
                for field, suffix in _SUFFIXES.items()}

    def store_cert(self, context, certificate, private_key,
                   intermediates=None, private_key_passphrase=None,
                   name='Magnum Certificate'):
        values = {'certificate': certificate, 'private_key': private_key,
                  'intermediates': intermediates,
                  'private_key_passphrase': private_key_passphrase}
        for field in _SECRET:
            if values[field] is not None:
                values[field] = self.encryptor.encrypt(values[field])
        os.makedirs(self.storage_path, mode=0o700, exist_ok=True)
        ref = uuidutils.generate_uuid()
        paths = self._paths(ref)
        try:
            for field, value in values.items():
                if value is not None:
                    _write_private(paths[field], base.to_bytes(value))
        except OSError:
            self._remove(paths)
            raise
        return ref

    def get_cert(self, context, ref):
        paths = self._paths(ref)
        values = {field: _read(path) for field, path in paths.items()}
        if values['certificate'] is None:
            raise exception.ResourceNotFound(name='certificate', id=ref)
        for field in _SECRET:
            if values[field] is not None:
                values[field] = self.encryptor.decrypt(values[field])
        return base.Cert(**values)

    def delete_cert(self, context, ref):
        if not self._remove(self._paths(ref)):
            raise exception.ResourceNotFound(name='certificate', id=ref)

    @staticmethod
    def _remove(paths):
        removed = False
        for path in paths.values():
            try:
                os.unlink(path)
                removed = True
            except FileNotFoundError:
                pass
        return removed


def _write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'wb') as f:
        f.write(data)


def _read(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except FileNotFoundError:
        return None
