import os
import stat
import subprocess
import sys

from cryptography import fernet
import pytest

from magnum.certificates import encryption
from magnum.common import exception
from magnum import conf

CONF = conf.CONF
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def test_round_trip_of_bytes_and_text():
    box = encryption.Encryptor([encryption.generate_key()])
    token = box.encrypt(b'-----BEGIN ENCRYPTED PRIVATE KEY-----')
    assert 'PRIVATE KEY' not in token
    assert box.decrypt(token) == b'-----BEGIN ENCRYPTED PRIVATE KEY-----'
    assert box.decrypt(box.encrypt('p\u00e4ss')) == 'p\u00e4ss'.encode()


def test_first_key_encrypts_and_all_keys_decrypt():
    old, new = encryption.generate_key(), encryption.generate_key()
    old_token = encryption.Encryptor([old]).encrypt(b'secret')
    rotated = encryption.Encryptor([new, old])
    assert rotated.decrypt(old_token) == b'secret'
    new_token = rotated.encrypt(b'secret')
    assert fernet.Fernet(new).decrypt(new_token.encode()) == b'secret'
    with pytest.raises(fernet.InvalidToken):
        fernet.Fernet(old).decrypt(new_token.encode())


def test_unknown_key_cannot_decrypt():
    token = encryption.Encryptor([encryption.generate_key()]).encrypt(b's')
    other = encryption.Encryptor([encryption.generate_key()])
    with pytest.raises(exception.ConfigInvalid) as err:
        other.decrypt(token)
    assert 'cannot be decrypted' in str(err.value)


def test_no_key_refuses_with_a_clear_error():
    with pytest.raises(exception.ConfigInvalid) as err:
        encryption.Encryptor([])
    assert 'encryption_keys' in str(err.value)
    assert 'python -m magnum.certificates.encryption' in str(err.value)


def test_invalid_key_is_reported_by_position_without_its_value():
    good = encryption.generate_key()
    with pytest.raises(exception.ConfigInvalid) as err:
        encryption.Encryptor([good, 'not-a-fernet-key-but-secret'])
    assert '#2' in str(err.value)
    assert 'not-a-fernet-key-but-secret' not in str(err.value)


def test_from_conf_uses_configured_keys(config):
    key = encryption.generate_key()
    config.config(group='certificates', encryption_keys=[key])
    token = encryption.Encryptor.from_conf(CONF).encrypt(b'x')
    assert fernet.Fernet(key).decrypt(token.encode()) == b'x'


def test_from_conf_without_keys_refuses(config):
    with pytest.raises(exception.ConfigInvalid):
        encryption.Encryptor.from_conf(CONF)


def test_key_file_is_created_private_and_reused(config, tmp_path):
    path = tmp_path / 'fernet.keys'
    config.config(group='certificates', encryption_key_file=str(path))
    token = encryption.Encryptor.from_conf(CONF).encrypt(b'x')
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys = path.read_text().split()
    assert len(keys) == 1
    assert fernet.Fernet(keys[0]).decrypt(token.encode()) == b'x'
    assert encryption.Encryptor.from_conf(CONF).decrypt(token) == b'x'


def test_configured_keys_win_over_the_key_file(config, tmp_path):
    key = encryption.generate_key()
    path = tmp_path / 'fernet.keys'
    config.config(group='certificates', encryption_keys=[key],
                  encryption_key_file=str(path))
    token = encryption.Encryptor.from_conf(CONF).encrypt(b'x')
    assert not path.exists()
    assert fernet.Fernet(key).decrypt(token.encode()) == b'x'


def test_module_prints_a_usable_key():
    out = subprocess.run([sys.executable, '-m',
                          'magnum.certificates.encryption'],
                         cwd=REPO, capture_output=True, text=True,
                         check=True).stdout
    box = encryption.Encryptor([out.strip()])
    assert box.decrypt(box.encrypt(b'x')) == b'x'
