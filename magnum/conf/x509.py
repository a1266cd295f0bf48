from oslo_config import cfg

group = cfg.OptGroup('x509', title='X.509 signing options')

opts = [
    cfg.BoolOpt('allow_ca', default=False,
                help='Allow signed certificates to be CAs.'),
    cfg.ListOpt('allowed_extensions',
                default=['keyUsage', 'extendedKeyUsage', 'subjectAltName',
                         'basicConstraints', 'subjectKeyIdentifier'],
                help='CSR extensions kept when signing.'),
    cfg.ListOpt('allowed_key_usage',
                default=['Digital Signature', 'Key Encipherment',
                         'Non Repudiation'],
                help='Key usages kept when signing.'),
    cfg.IntOpt('term_of_validity', default=1825, min=1,
               help='Days a certificate is valid.'),
    cfg.IntOpt('rsa_key_size', default=2048, min=1024,
               help='RSA key size of generated keys.'),
]
