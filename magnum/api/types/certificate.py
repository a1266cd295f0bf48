from wsme import types as wtypes

from magnum.api.types import common

# Bigger than any CSR the conductor accepts; stops huge bodies at the API.
MAX_CSR_LENGTH = 64 * 1024


class Certificate(wtypes.Base):
    """Body of POST /v1/certificates: a CSR to sign with a cluster's CA."""
    cluster_uuid = wtypes.wsattr(common.string(), mandatory=True)
    csr = wtypes.wsattr(common.string(maximum=MAX_CSR_LENGTH),
                        mandatory=True)
    ca_cert_type = wtypes.wsattr(common.string(minimum=0))
    pem = wtypes.wsattr(wtypes.text, readonly=True)
    links = wtypes.wsattr(
        wtypes.ArrayType(wtypes.DictType(wtypes.text, wtypes.text)),
        readonly=True)
