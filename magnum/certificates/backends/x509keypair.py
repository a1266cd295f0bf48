"""Backend keeping certificates in the ``x509keypair`` table.

The private key and its passphrase are Fernet-encrypted before they reach
the database; the ref is the row's uuid and lookups are project-scoped.
"""
from oslo_config import cfg

from magnum.certificates import encryption
from magnum.certificates.backends import base
from magnum.db import x509keypairs

CONF = cfg.CONF


def _text(value):
    return None if value is None else base.to_bytes(value).decode('utf-8')


class X509KeyPairCertManager(base.CertManager):

    def __init__(self, encryptor=None):
        self._encryptor = encryptor

    @property
    def encryptor(self):
        # Resolved on first use so a bad key is reported where it matters.
        if self._encryptor is None:
            self._encryptor = encryption.Encryptor.from_conf(CONF)
        return self._encryptor

    def _encrypt(self, value):
        return None if value is None else self.encryptor.encrypt(value)

    def _decrypt(self, value):
        return None if value is None else self.encryptor.decrypt(value)

    def store_cert(self, context, certificate, private_key,
                   intermediates=None, private_key_passphrase=None,
                   name='Magnum Certificate'):
        row = x509keypairs.create(
            context, certificate=_text(certificate),
            intermediates=_text(intermediates),
            private_key=self._encrypt(private_key),
            private_key_passphrase=self._encrypt(private_key_passphrase))
        return row.uuid

    def get_cert(self, context, ref):
        row = x509keypairs.get(context, ref)
        return base.Cert(
            certificate=base.to_bytes(row.certificate),
            private_key=self._decrypt(row.private_key),
            intermediates=base.to_bytes(row.intermediates),
            private_key_passphrase=self._decrypt(row.private_key_passphrase))

    def delete_cert(self, context, ref):
        x509keypairs.delete(context, ref)
