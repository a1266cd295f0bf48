"""X.509 generation and CSR signing as pure functions on PEM bytes.

Nothing here reads configuration: every policy knob is a parameter, so the
caller (``cluster_certs``) decides and tests can exercise each rule.

Certificates are returned as PEM without the trailing newline (the wire
format upstream clients expect); private keys are PKCS#8 PEM encrypted with
the passphrase the caller chose.

CSR acceptance rule: a PEM ``CERTIFICATE REQUEST`` of at most
``MAX_CSR_BYTES`` whose self-signature verifies, carrying an RSA key of
``MIN_RSA_KEY_SIZE``..``MAX_RSA_KEY_SIZE`` bits, an EC key on P-256, P-384 or
P-521, or an Ed25519 key. Anything else is ``InvalidCsr`` (400).
"""
import collections
import datetime

from cryptography import exceptions as crypto_exc
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import ExtensionOID
from cryptography.x509.oid import NameOID

from magnum.common import exception

MAX_CSR_BYTES = 64 * 1024
MIN_RSA_KEY_SIZE = 2048
MAX_RSA_KEY_SIZE = 8192
_EC_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)
_BACKDATE = datetime.timedelta(days=1)

KeyPair = collections.namedtuple('KeyPair', 'certificate private_key')
CsrPair = collections.namedtuple('CsrPair', 'csr private_key')

# Names used by [x509] allowed_extensions; any other extension can still be
# allowed by its dotted OID.
_EXTENSION_NAMES = {
    ExtensionOID.KEY_USAGE: 'keyUsage',
    ExtensionOID.EXTENDED_KEY_USAGE: 'extendedKeyUsage',
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME: 'subjectAltName',
    ExtensionOID.BASIC_CONSTRAINTS: 'basicConstraints',
    ExtensionOID.SUBJECT_KEY_IDENTIFIER: 'subjectKeyIdentifier',
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: 'authorityKeyIdentifier',
    ExtensionOID.NAME_CONSTRAINTS: 'nameConstraints',
    ExtensionOID.CERTIFICATE_POLICIES: 'certificatePolicies',
    ExtensionOID.CRL_DISTRIBUTION_POINTS: 'crlDistributionPoints',
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: 'authorityInfoAccess',
}

# keyUsage bits by the names operators write in [x509] allowed_key_usage
# (OpenSSL's long names), matched ignoring case, spaces and underscores.
_KEY_USAGE_BITS = {
    'digitalsignature': 'digital_signature',
    'nonrepudiation': 'content_commitment',
    'contentcommitment': 'content_commitment',
    'keyencipherment': 'key_encipherment',
    'dataencipherment': 'data_encipherment',
    'keyagreement': 'key_agreement',
    'certificatesign': 'key_cert_sign',
    'keycertsign': 'key_cert_sign',
    'crlsign': 'crl_sign',
    'encipheronly': 'encipher_only',
    'decipheronly': 'decipher_only',
}
_KEY_USAGE_FIELDS = ('digital_signature', 'content_commitment',
                     'key_encipherment', 'data_encipherment', 'key_agreement',
                     'key_cert_sign', 'crl_sign', 'encipher_only',
                     'decipher_only')
_CA_BITS = frozenset(('key_cert_sign', 'crl_sign'))


def _bytes(value):
    return value.encode('utf-8') if isinstance(value, str) else value


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).rstrip(b'\n')


def _key_pem(key, passphrase):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_bytes(passphrase)))


def _name(common_name, organization=None):
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                        organization))
    return x509.Name(attrs)


def _key_usage(**bits):
    return x509.KeyUsage(**{f: bits.get(f, False) for f in _KEY_USAGE_FIELDS})


def _new_rsa_key(key_size):
    return rsa.generate_private_key(public_exponent=65537, key_size=key_size)


def _build(subject, issuer, public_key, signing_key, not_before, not_after,
           extensions):
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer)
               .public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after))
    for ext, critical in extensions:
        builder = builder.add_extension(ext, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def _validity(validity_days):
    now = datetime.datetime.now(datetime.timezone.utc)
    return now - _BACKDATE, now + datetime.timedelta(days=validity_days)


def _load_ca(ca_cert_pem, ca_key_pem, ca_key_passphrase):
    ca_cert = x509.load_pem_x509_certificate(_bytes(ca_cert_pem))
    ca_key = serialization.load_pem_private_key(
        _bytes(ca_key_pem), password=_bytes(ca_key_passphrase))
    return ca_cert, ca_key


def _authority_key_identifier(ca_cert):
    try:
        ski = ca_cert.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_cert.public_key())
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _issue(ca_cert, ca_key, subject, public_key, validity_days, extensions):
    """Sign ``public_key`` under ``ca_cert``; never outlives the CA."""
    not_before, not_after = _validity(validity_days)
    not_before = max(not_before, ca_cert.not_valid_before_utc)
    not_after = min(not_after, ca_cert.not_valid_after_utc)
    extensions = list(extensions) + [
        (x509.SubjectKeyIdentifier.from_public_key(public_key), False),
        (_authority_key_identifier(ca_cert), False),
    ]
    return _build(subject, ca_cert.subject, public_key, ca_key, not_before,
                  not_after, extensions)


def generate_ca(common_name, passphrase, *, key_size=2048,
                validity_days=1825):
    """A self-signed CA (pathlen 0) and its encrypted RSA key."""
    key = _new_rsa_key(key_size)
    name = _name(common_name)
    not_before, not_after = _validity(validity_days)
    cert = _build(name, name, key.public_key(), key, not_before, not_after, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (_key_usage(key_cert_sign=True, crl_sign=True), True),
        (x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
    ])
    return KeyPair(_cert_pem(cert), _key_pem(key, passphrase))


def generate_client_cert(ca_cert_pem, ca_key_pem, ca_key_passphrase,
                         passphrase, *, common_name, organization=None,
                         key_size=2048, validity_days=1825):
    """A TLS client certificate (clientAuth) and its encrypted RSA key."""
    ca_cert, ca_key = _load_ca(ca_cert_pem, ca_key_pem, ca_key_passphrase)
    key = _new_rsa_key(key_size)
    cert = _issue(ca_cert, ca_key, _name(common_name, organization),
                  key.public_key(), validity_days, [
                      (x509.BasicConstraints(ca=False, path_length=None),
                       True),
                      (_key_usage(digital_signature=True,
                                  key_encipherment=True), True),
                      (x509.ExtendedKeyUsage(
                          [ExtendedKeyUsageOID.CLIENT_AUTH]), False),
                  ])
    return KeyPair(_cert_pem(cert), _key_pem(key, passphrase))


def generate_csr(common_name, passphrase, *, organization=None,
                 key_size=2048):
    """A fresh RSA key and a CSR for it (as a client would make)."""
    key = _new_rsa_key(key_size)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(_name(common_name, organization))
           .sign(key, hashes.SHA256()))
    return CsrPair(csr.public_bytes(serialization.Encoding.PEM),
                   _key_pem(key, passphrase))


def fingerprint(cert_pem):
    """Lowercase hex SHA-256 of the certificate's DER encoding (what
    ``openssl x509 -outform DER | sha256sum`` prints)."""
    cert = x509.load_pem_x509_certificate(_bytes(cert_pem))
    return cert.fingerprint(hashes.SHA256()).hex()


def key_usage_fields(names):
    """Map ``[x509] allowed_key_usage`` names to KeyUsage field names."""
    fields = set()
    for name in names:
        field = _KEY_USAGE_BITS.get(
            name.replace(' ', '').replace('_', '').lower())
        if field is None:
            raise exception.ConfigInvalid(
                error_msg='Unknown key usage %r in [x509] allowed_key_usage'
                          % name)
        fields.add(field)
    return frozenset(fields)


def _invalid_csr(csr):
    preview = csr[:120] + (b'...' if len(csr) > 120 else b'')
    return exception.InvalidCsr(csr=preview)


def _load_csr(csr_pem):
    if isinstance(csr_pem, str):
        try:
            csr_pem = csr_pem.encode('ascii')
        except UnicodeEncodeError:
            raise _invalid_csr(csr_pem.encode('utf-8', 'replace'))
    if not isinstance(csr_pem, bytes) or not csr_pem.strip():
        raise exception.InvalidCsr(csr=repr(csr_pem)[:120])
    if len(csr_pem) > MAX_CSR_BYTES:
        raise _invalid_csr(csr_pem)
    try:
        csr = x509.load_pem_x509_csr(csr_pem)
        if not csr.is_signature_valid:
            raise ValueError('bad CSR signature')
        _check_public_key(csr.public_key())
        extensions = list(csr.extensions)
        subject = csr.subject
    except (ValueError, TypeError, crypto_exc.UnsupportedAlgorithm,
            x509.DuplicateExtension, x509.UnsupportedGeneralNameType):
        raise _invalid_csr(csr_pem)
    return csr.public_key(), subject, extensions


def _check_public_key(key):
    if isinstance(key, rsa.RSAPublicKey):
        if not MIN_RSA_KEY_SIZE <= key.key_size <= MAX_RSA_KEY_SIZE:
            raise ValueError('RSA key size %d' % key.key_size)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, _EC_CURVES):
            raise ValueError('EC curve %s' % key.curve.name)
    elif not isinstance(key, ed25519.Ed25519PublicKey):
        raise ValueError('unsupported key type %s' % type(key).__name__)


def _extension_name(oid):
    return _EXTENSION_NAMES.get(oid, oid.dotted_string)


def _filter_key_usage(usage, allowed_fields, allow_ca):
    keep = set(allowed_fields) if allow_ca else set(allowed_fields) - _CA_BITS
    bits = {f: f in keep and getattr(usage, f, False)
            for f in _KEY_USAGE_FIELDS if f not in ('encipher_only',
                                                    'decipher_only')}
    if bits['key_agreement']:
        for f in ('encipher_only', 'decipher_only'):
            bits[f] = f in keep and getattr(usage, f)
    if not any(bits.values()):
        return None  # RFC 5280: a keyUsage must assert at least one bit
    return _key_usage(**bits)


def _filter_extensions(extensions, allowed_extensions, allowed_fields,
                       allow_ca):
    allowed = set(allowed_extensions)
    kept = []
    for ext in extensions:
        name = _extension_name(ext.oid)
        if name not in allowed and ext.oid.dotted_string not in allowed:
            if ext.critical:
                raise exception.CertificateValidationError(extension=name)
            continue
        if ext.oid in (ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                       ExtensionOID.AUTHORITY_KEY_IDENTIFIER):
            continue  # computed by the signer, never taken from the CSR
        value = ext.value
        if ext.oid == ExtensionOID.KEY_USAGE:
            value = _filter_key_usage(value, allowed_fields, allow_ca)
            if value is None:
                continue
        elif ext.oid == ExtensionOID.BASIC_CONSTRAINTS and value.ca \
                and not allow_ca:
            if ext.critical:
                raise exception.CertificateValidationError(extension=name)
            value = x509.BasicConstraints(ca=False, path_length=None)
        kept.append((value, ext.critical))
    return kept


def sign_csr(ca_cert_pem, ca_key_pem, ca_key_passphrase, csr_pem, *,
             allowed_extensions, allowed_key_usage, allow_ca=False,
             validity_days=1825):
    """Sign a user CSR under the CA, keeping only what policy allows.

    The subject is copied from the CSR. Extensions outside
    ``allowed_extensions`` are dropped, or refused when critical; keyUsage is
    masked to ``allowed_key_usage`` and loses keyCertSign/cRLSign unless
    ``allow_ca``; a CA basicConstraints becomes CA:FALSE unless ``allow_ca``
    (refused when critical). SKI/AKI are always computed here.
    """
    allowed_fields = key_usage_fields(allowed_key_usage)
    public_key, subject, extensions = _load_csr(csr_pem)
    extensions = _filter_extensions(extensions, allowed_extensions,
                                    allowed_fields, allow_ca)
    ca_cert, ca_key = _load_ca(ca_cert_pem, ca_key_pem, ca_key_passphrase)
    try:
        cert = _issue(ca_cert, ca_key, subject, public_key, validity_days,
                      extensions)
    except ValueError:  # e.g. a subject or extension the builder rejects
        raise _invalid_csr(_bytes(csr_pem))
    return _cert_pem(cert)
