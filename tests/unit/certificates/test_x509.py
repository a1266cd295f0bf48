import datetime
import subprocess

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
import pytest

from magnum.certificates import x509
from magnum.common import exception

DEFAULT_USAGE = ['Digital Signature', 'Key Encipherment', 'Non Repudiation']
DEFAULT_EXTENSIONS = ['keyUsage', 'extendedKeyUsage', 'subjectAltName',
                      'basicConstraints', 'subjectKeyIdentifier']
PRIVATE_OID = cx509.ObjectIdentifier('1.3.6.1.4.1.55555.1')


def load_cert(pem):
    return cx509.load_pem_x509_certificate(pem)


def ext(cert, cls):
    return cert.extensions.get_extension_for_class(cls)


def has_ext(cert, cls):
    try:
        ext(cert, cls)
        return True
    except cx509.ExtensionNotFound:
        return False


@pytest.fixture(scope='module')
def client_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_csr(key, *extensions, cn='user'):
    builder = cx509.CertificateSigningRequestBuilder().subject_name(
        cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, cn)]))
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) \
        else hashes.SHA256()
    return builder.sign(key, algorithm).public_bytes(
        serialization.Encoding.PEM)


def sign(ca, csr, **policy):
    policy.setdefault('allowed_extensions', DEFAULT_EXTENSIONS)
    policy.setdefault('allowed_key_usage', DEFAULT_USAGE)
    return load_cert(x509.sign_csr(*ca, csr, **policy))


def usage(**bits):
    fields = dict.fromkeys(x509._KEY_USAGE_FIELDS, False)
    fields.update(bits)
    return cx509.KeyUsage(**fields)


# -- generation ---------------------------------------------------------------

def test_ca_has_the_ca_profile(ca):
    cert = load_cert(ca[0])
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, 'test-ca')])
    assert cert.subject == cert.issuer == name
    constraints = ext(cert, cx509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca and constraints.value.path_length == 0
    key_usage = ext(cert, cx509.KeyUsage)
    assert key_usage.critical
    assert key_usage.value.key_cert_sign and key_usage.value.crl_sign
    assert not key_usage.value.digital_signature
    assert ext(cert, cx509.SubjectKeyIdentifier).value == \
        cx509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    cert.verify_directly_issued_by(cert)


def test_ca_validity_is_backdated_one_day_and_lasts_the_term(ca):
    cert = load_cert(ca[0])
    now = datetime.datetime.now(datetime.timezone.utc)
    backdate = now - cert.not_valid_before_utc
    assert datetime.timedelta(hours=23) < backdate <= datetime.timedelta(
        days=1, hours=1)
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert lifetime == datetime.timedelta(days=31)


def test_pem_has_no_trailing_newline(ca):
    assert ca[0].startswith(b'-----BEGIN CERTIFICATE-----')
    assert ca[0].endswith(b'-----END CERTIFICATE-----')


def test_private_key_is_encrypted_pkcs8(ca):
    _, key_pem, passphrase = ca
    assert key_pem.startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----')
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(key_pem, password=None)
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(key_pem, password=b'wrong')
    key = serialization.load_pem_private_key(key_pem, password=passphrase)
    assert key.public_key() == load_cert(ca[0]).public_key()


def test_serial_numbers_are_random(ca):
    first = x509.generate_ca('a', b'pw', validity_days=1)
    assert load_cert(first.certificate).serial_number != \
        load_cert(ca[0]).serial_number


def test_key_size_is_a_parameter():
    pair = x509.generate_ca('big', b'pw', key_size=3072, validity_days=1)
    assert load_cert(pair.certificate).public_key().key_size == 3072
    key = serialization.load_pem_private_key(pair.private_key, b'pw')
    assert key.key_size == 3072
    assert key.public_key().public_numbers().e == 65537


def test_client_cert_profile(ca):
    pair = x509.generate_client_cert(*ca, b'client-pw', common_name='admin',
                                     organization='system:masters',
                                     validity_days=10)
    cert = load_cert(pair.certificate)
    ca_cert = load_cert(ca[0])
    cert.verify_directly_issued_by(ca_cert)
    assert cert.issuer == ca_cert.subject
    assert cert.subject.get_attributes_for_oid(
        NameOID.COMMON_NAME)[0].value == 'admin'
    assert cert.subject.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME)[0].value == 'system:masters'
    constraints = ext(cert, cx509.BasicConstraints)
    assert constraints.critical and not constraints.value.ca
    key_usage = ext(cert, cx509.KeyUsage)
    assert key_usage.critical
    assert key_usage.value == usage(digital_signature=True,
                                    key_encipherment=True)
    assert list(ext(cert, cx509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.CLIENT_AUTH]
    key = serialization.load_pem_private_key(pair.private_key, b'client-pw')
    assert key.public_key() == cert.public_key()


def test_client_cert_chain_passes_openssl_verify(ca, tmp_path):
    pair = x509.generate_client_cert(*ca, b'pw', common_name='admin',
                                     validity_days=10)
    (tmp_path / 'ca.pem').write_bytes(ca[0] + b'\n')
    (tmp_path / 'client.pem').write_bytes(pair.certificate + b'\n')
    result = subprocess.run(
        ['openssl', 'verify', '-purpose', 'sslclient', '-CAfile',
         str(tmp_path / 'ca.pem'), str(tmp_path / 'client.pem')],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(': OK')


def test_openssl_rejects_a_cert_from_another_ca(ca, tmp_path):
    other = x509.generate_ca('other', b'pw', validity_days=1)
    pair = x509.generate_client_cert(other.certificate, other.private_key,
                                     b'pw', b'pw', common_name='admin')
    (tmp_path / 'ca.pem').write_bytes(ca[0] + b'\n')
    (tmp_path / 'client.pem').write_bytes(pair.certificate + b'\n')
    result = subprocess.run(
        ['openssl', 'verify', '-CAfile', str(tmp_path / 'ca.pem'),
         str(tmp_path / 'client.pem')], capture_output=True, text=True)
    assert result.returncode != 0


def test_generate_csr_round_trip(ca):
    csr_pem, key_pem = x509.generate_csr('admin', b'pw',
                                         organization='system:masters')
    cert = sign(ca, csr_pem)
    cert.verify_directly_issued_by(load_cert(ca[0]))
    key = serialization.load_pem_private_key(key_pem, b'pw')
    assert cert.public_key() == key.public_key()
    assert cert.subject.rfc4514_string() == 'O=system:masters,CN=admin'


# -- signing: validity --------------------------------------------------------

def test_signed_cert_validity_follows_the_term(ca, client_key):
    short = x509.generate_ca('short', b'pw', validity_days=100)
    cert = load_cert(x509.sign_csr(
        short.certificate, short.private_key, b'pw', make_csr(client_key),
        allowed_extensions=DEFAULT_EXTENSIONS,
        allowed_key_usage=DEFAULT_USAGE, validity_days=7))
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert datetime.timedelta(days=7) < lifetime <= datetime.timedelta(
        days=8)


def test_signed_cert_never_outlives_its_ca(ca, client_key):
    cert = sign(ca, make_csr(client_key), validity_days=3650)
    assert cert.not_valid_after_utc == load_cert(ca[0]).not_valid_after_utc


def test_signed_cert_copies_subject_and_sets_issuer(ca, client_key):
    cert = sign(ca, make_csr(client_key, cn='kube-user'))
    assert cert.subject.rfc4514_string() == 'CN=kube-user'
    assert cert.issuer == load_cert(ca[0]).subject
    cert.verify_directly_issued_by(load_cert(ca[0]))


def test_plain_csr_gets_only_computed_identifiers(ca, client_key):
    cert = sign(ca, make_csr(client_key))
    oids = {e.oid for e in cert.extensions}
    assert oids == {cx509.ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                    cx509.ExtensionOID.AUTHORITY_KEY_IDENTIFIER}
    assert ext(cert, cx509.AuthorityKeyIdentifier).value.key_identifier == \
        ext(load_cert(ca[0]), cx509.SubjectKeyIdentifier).value.digest


# -- signing: extension filtering ---------------------------------------------

def test_allowed_extensions_pass(ca, client_key):
    san = cx509.SubjectAlternativeName([cx509.DNSName('api.example.test')])
    eku = cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
    cert = sign(ca, make_csr(client_key, (san, False), (eku, True)))
    assert ext(cert, cx509.SubjectAlternativeName).value == san
    assert ext(cert, cx509.ExtendedKeyUsage).value == eku
    assert ext(cert, cx509.ExtendedKeyUsage).critical


def test_disallowed_non_critical_extension_is_dropped(ca, client_key):
    san = cx509.SubjectAlternativeName([cx509.DNSName('a.test')])
    private = cx509.UnrecognizedExtension(PRIVATE_OID, b'\x05\x00')
    cert = sign(ca, make_csr(client_key, (san, False), (private, False)),
                allowed_extensions=['keyUsage'])
    assert not has_ext(cert, cx509.SubjectAlternativeName)
    assert PRIVATE_OID not in {e.oid for e in cert.extensions}


def test_disallowed_critical_extension_is_refused(ca, client_key):
    private = cx509.UnrecognizedExtension(PRIVATE_OID, b'\x05\x00')
    with pytest.raises(exception.CertificateValidationError) as err:
        sign(ca, make_csr(client_key, (private, True)))
    assert err.value.code == 400
    assert PRIVATE_OID.dotted_string in str(err.value)


def test_disallowed_critical_named_extension_names_it(ca, client_key):
    san = cx509.SubjectAlternativeName([cx509.DNSName('a.test')])
    with pytest.raises(exception.CertificateValidationError) as err:
        sign(ca, make_csr(client_key, (san, True)),
             allowed_extensions=['keyUsage'])
    assert str(err.value) == "Extension 'subjectAltName' not allowed"


def test_extension_can_be_allowed_by_dotted_oid(ca, client_key):
    private = cx509.UnrecognizedExtension(PRIVATE_OID, b'\x05\x00')
    cert = sign(ca, make_csr(client_key, (private, True)),
                allowed_extensions=[PRIVATE_OID.dotted_string])
    assert cert.extensions.get_extension_for_oid(PRIVATE_OID).value == \
        private


def test_key_usage_is_masked_to_allowed_usages(ca, client_key):
    requested = usage(digital_signature=True, data_encipherment=True,
                      key_encipherment=True)
    cert = sign(ca, make_csr(client_key, (requested, True)))
    key_usage = ext(cert, cx509.KeyUsage)
    assert key_usage.critical
    assert key_usage.value == usage(digital_signature=True,
                                    key_encipherment=True)


def test_key_usage_names_are_matched_loosely(ca, client_key):
    requested = usage(content_commitment=True, digital_signature=True)
    cert = sign(ca, make_csr(client_key, (requested, False)),
                allowed_key_usage=['non_repudiation'])
    assert ext(cert, cx509.KeyUsage).value == usage(content_commitment=True)


def test_ca_usages_removed_without_allow_ca(ca, client_key):
    requested = usage(digital_signature=True, key_cert_sign=True,
                      crl_sign=True)
    allowed = DEFAULT_USAGE + ['Certificate Sign', 'CRL Sign']
    cert = sign(ca, make_csr(client_key, (requested, True)),
                allowed_key_usage=allowed)
    assert ext(cert, cx509.KeyUsage).value == usage(digital_signature=True)
    cert = sign(ca, make_csr(client_key, (requested, True)),
                allowed_key_usage=allowed, allow_ca=True)
    assert ext(cert, cx509.KeyUsage).value == requested


def test_key_usage_with_nothing_allowed_is_dropped(ca, client_key):
    requested = usage(key_cert_sign=True)
    cert = sign(ca, make_csr(client_key, (requested, True)))
    assert not has_ext(cert, cx509.KeyUsage)


def test_key_agreement_only_bits_follow_key_agreement(ca):
    key = ec.generate_private_key(ec.SECP256R1())
    requested = usage(key_agreement=True, encipher_only=True)
    cert = sign(ca, make_csr(key, (requested, False)),
                allowed_key_usage=['Key Agreement'])
    assert ext(cert, cx509.KeyUsage).value == usage(key_agreement=True)
    cert = sign(ca, make_csr(key, (requested, False)),
                allowed_key_usage=['Key Agreement', 'Encipher Only'])
    assert ext(cert, cx509.KeyUsage).value == requested


def test_unknown_key_usage_name_is_a_config_error(ca, client_key):
    with pytest.raises(exception.ConfigInvalid):
        sign(ca, make_csr(client_key), allowed_key_usage=['Make Coffee'])


def test_non_critical_ca_constraint_becomes_ca_false(ca, client_key):
    constraint = cx509.BasicConstraints(ca=True, path_length=None)
    cert = sign(ca, make_csr(client_key, (constraint, False)))
    value = ext(cert, cx509.BasicConstraints).value
    assert value.ca is False


def test_critical_ca_constraint_is_refused(ca, client_key):
    constraint = cx509.BasicConstraints(ca=True, path_length=None)
    with pytest.raises(exception.CertificateValidationError) as err:
        sign(ca, make_csr(client_key, (constraint, True)))
    assert 'basicConstraints' in str(err.value)


def test_ca_constraint_kept_with_allow_ca(ca, client_key):
    constraint = cx509.BasicConstraints(ca=True, path_length=0)
    cert = sign(ca, make_csr(client_key, (constraint, True)), allow_ca=True)
    assert ext(cert, cx509.BasicConstraints).value == constraint


def test_non_ca_constraint_is_kept(ca, client_key):
    constraint = cx509.BasicConstraints(ca=False, path_length=None)
    cert = sign(ca, make_csr(client_key, (constraint, True)))
    assert ext(cert, cx509.BasicConstraints).critical
    assert ext(cert, cx509.BasicConstraints).value == constraint


def test_csr_ski_is_replaced_by_the_real_one(ca, client_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fake = cx509.SubjectKeyIdentifier.from_public_key(other.public_key())
    cert = sign(ca, make_csr(client_key, (fake, False)))
    assert ext(cert, cx509.SubjectKeyIdentifier).value == \
        cx509.SubjectKeyIdentifier.from_public_key(client_key.public_key())


# -- signing: accepted keys and hostile CSRs ----------------------------------

@pytest.mark.parametrize('make_key', [
    lambda: ec.generate_private_key(ec.SECP256R1()),
    lambda: ec.generate_private_key(ec.SECP384R1()),
    ed25519.Ed25519PrivateKey.generate,
], ids=['p256', 'p384', 'ed25519'])
def test_modern_key_types_are_accepted(ca, make_key):
    key = make_key()
    cert = sign(ca, make_csr(key))
    assert cert.public_key() == key.public_key()


def test_csr_as_text_is_accepted(ca, client_key):
    cert = sign(ca, make_csr(client_key).decode('ascii'))
    assert cert.public_key() == client_key.public_key()


def _rsa_csr(bits):
    return make_csr(rsa.generate_private_key(public_exponent=65537,
                                             key_size=bits))


def _bad_signature_csr(key):
    csr = cx509.load_pem_x509_csr(make_csr(key))
    der = bytearray(csr.public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0xff  # inside the signature bits
    return cx509.load_der_x509_csr(bytes(der)).public_bytes(
        serialization.Encoding.PEM)


HOSTILE = {
    'garbage': lambda ca, key: b'this is not a csr',
    'empty': lambda ca, key: b'',
    'none': lambda ca, key: None,
    'number': lambda ca, key: 42,
    'non-ascii text': lambda ca, key: '-----BEGIN CERTIFICATE REQUEST-----é',
    'certificate pem': lambda ca, key: ca[0],
    'private key pem': lambda ca, key: ca[1],
    'truncated': lambda ca, key: make_csr(key)[:200],
    'bad base64': lambda ca, key: (b'-----BEGIN CERTIFICATE REQUEST-----\n'
                                   b'!!!!\n-----END CERTIFICATE REQUEST-----'),
    'huge': lambda ca, key: make_csr(key) + b'\n' * x509.MAX_CSR_BYTES,
    'bad signature': lambda ca, key: _bad_signature_csr(key),
    'rsa 1024': lambda ca, key: _rsa_csr(1024),
    'dsa': lambda ca, key: make_csr(dsa.generate_private_key(2048)),
    'secp256k1': lambda ca, key: make_csr(
        ec.generate_private_key(ec.SECP256K1())),
}


@pytest.mark.parametrize('name', sorted(HOSTILE))
def test_hostile_csr_is_invalid_csr(ca, client_key, name):
    csr = HOSTILE[name](ca, client_key)
    with pytest.raises(exception.InvalidCsr) as err:
        sign(ca, csr)
    assert err.value.code == 400
    assert str(err.value).startswith('Received invalid csr')
    assert len(str(err.value)) < 200


def test_ca_without_ski_still_signs_with_a_matching_aki(client_key):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, 'legacy')])
    now = datetime.datetime.now(datetime.timezone.utc)
    legacy = (cx509.CertificateBuilder().subject_name(name).issuer_name(name)
              .public_key(key.public_key()).serial_number(1)
              .not_valid_before(now).not_valid_after(
                  now + datetime.timedelta(days=2))
              .add_extension(cx509.BasicConstraints(ca=True, path_length=0),
                             critical=True)
              .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b'pw'))
    ca = (legacy.public_bytes(serialization.Encoding.PEM), key_pem, b'pw')
    cert = sign(ca, make_csr(client_key))
    cert.verify_directly_issued_by(legacy)
    assert ext(cert, cx509.AuthorityKeyIdentifier).value == \
        cx509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key())
