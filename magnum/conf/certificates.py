from oslo_config import cfg

group = cfg.OptGroup('certificates', title='Certificate storage options')

opts = [
    cfg.StrOpt('cert_manager_type', default='x509keypair',
               help='Backend storing cluster certificates: x509keypair '
                    '(database, encrypted), local (files) or barbican.'),
    cfg.StrOpt('storage_path', default='/var/lib/magnum/certificates/',
               help='Directory of the local backend.'),
    cfg.ListOpt('encryption_keys', default=[], secret=True,
                help='Fernet keys (urlsafe base64, 32 bytes) encrypting '
                     'private keys at rest; the first encrypts, all decrypt, '
                     'so new keys are added at the front to rotate. Used by '
                     'the x509keypair and local backends; generate a key '
                     'with "python -m magnum.certificates.encryption". With '
                     'no key at all, storing a private key is refused.'),
    cfg.StrOpt('encryption_key_file',
               help='Fallback when encryption_keys is empty, meant for a '
                    'single host or development: a file of Fernet keys, one '
                    'per line, first one encrypting. It is created (mode '
                    '0600) with a fresh key if missing, so every conductor '
                    'must share it; prefer encryption_keys in production.'),
]
