"""Fernet encryption of private keys at rest.

Keys come from ``[certificates] encryption_keys`` (the first encrypts, all
decrypt; rotate by adding a new key at the front and keep the old ones as
long as rows written with them exist) or, when that list is empty, from the
key file named by ``[certificates] encryption_key_file``. With neither,
storing a private key is refused rather than written in the clear.

``python -m magnum.certificates.encryption`` prints a new key.
"""
import os

from cryptography import fernet

from magnum.common import exception

_NOT_CONFIGURED = (
    'No key to encrypt private keys at rest: set [certificates] '
    'encryption_keys (generate one with "python -m '
    'magnum.certificates.encryption") or [certificates] encryption_key_file.')


def generate_key():
    """A new Fernet key as text, suitable for ``encryption_keys``."""
    return fernet.Fernet.generate_key().decode('ascii')


def _read_key_file(path):
    """Keys from ``path`` (one per line), creating it with one key if absent.

    Creation uses O_EXCL and mode 0600, so concurrent starters agree on the
    file that won and nobody else can read it.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, 'w') as f:
            f.write(generate_key() + '\n')
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def _fernets(keys):
    result = []
    for position, key in enumerate(keys, 1):
        try:
            result.append(fernet.Fernet(key))
        except (ValueError, TypeError):
            # Name the position only: the key itself is a secret.
            raise exception.ConfigInvalid(
                error_msg='[certificates] encryption key #%d is not a valid '
                          'Fernet key (32 url-safe base64-encoded bytes).'
                          % position)
    return result


class Encryptor:
    """Encrypts and decrypts secrets (bytes) with a Fernet key list."""

    def __init__(self, keys):
        if not keys:
            raise exception.ConfigInvalid(error_msg=_NOT_CONFIGURED)
        self._fernet = fernet.MultiFernet(_fernets(keys))

    @classmethod
    def from_conf(cls, conf):
        keys = list(conf.certificates.encryption_keys)
        if not keys and conf.certificates.encryption_key_file:
            keys = _read_key_file(conf.certificates.encryption_key_file)
        return cls(keys)

    def encrypt(self, plaintext):
        """Token (text) for ``plaintext`` (bytes or text)."""
        if isinstance(plaintext, str):
            plaintext = plaintext.encode('utf-8')
        return self._fernet.encrypt(plaintext).decode('ascii')

    def decrypt(self, token):
        """Plaintext bytes of ``token``; ConfigInvalid if no key opens it."""
        if isinstance(token, str):
            token = token.encode('utf-8')
        try:
            return self._fernet.decrypt(token)
        except fernet.InvalidToken:
            raise exception.ConfigInvalid(
                error_msg='A stored private key cannot be decrypted with '
                          'any of the [certificates] encryption keys.')


if __name__ == '__main__':
    print(generate_key())
