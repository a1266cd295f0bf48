"""Backend keeping certificates in Barbican (``key-manager``), over plain
REST through a keystoneauth session of the service user ([keystone_auth]).

Each piece is a text/plain secret; a ``certificate`` container ties them
together and its URL is the ref. Only resource ids are taken from refs, and
requests always go to the catalog's (or ``[barbican_client]
endpoint_override``) endpoint, so a stored ref can never send our token
elsewhere.
"""
from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_utils import uuidutils

from magnum.certificates.backends import base
from magnum.common import exception

CONF = cfg.CONF

# Barbican's slot names in a ``certificate`` container are the Cert field
# names; each maps to the name of its secret.
_SECRET_NAMES = {'certificate': 'Certificate', 'private_key': 'Private Key',
                 'intermediates': 'Intermediates',
                 'private_key_passphrase': 'Private Key Passphrase'}


def _service_session():
    auth = ks_loading.load_auth_from_conf_options(CONF, 'keystone_auth')
    return ks_loading.load_session_from_conf_options(
        CONF, 'keystone_auth', auth=auth)


def _resource_id(ref):
    resource_id = ref.rstrip('/').rsplit('/', 1)[-1]
    if not uuidutils.is_uuid_like(resource_id):
        raise exception.ResourceNotFound(name='certificate', id=ref)
    return resource_id


class BarbicanCertManager(base.CertManager):

    def __init__(self, session=None):
        self._session = session
        self._client = None

    @property
    def client(self):
        if self._client is None:
            conf = CONF.barbican_client
            self._client = adapter.Adapter(
                self._session or _service_session(),
                service_type='key-manager', interface=conf.endpoint_type,
                region_name=conf.region_name,
                endpoint_override=conf.endpoint_override)
        return self._client

    def _create_secret(self, name, payload):
        resp = self.client.post('v1/secrets', json={
            'name': name, 'payload': payload.decode('utf-8'),
            'payload_content_type': 'text/plain'})
        return resp.json()['secret_ref']

    def _delete_secret(self, ref):
        try:
            self.client.delete('v1/secrets/%s' % _resource_id(ref))
        except ks_exc.NotFound:
            pass

    def store_cert(self, context, certificate, private_key,
                   intermediates=None, private_key_passphrase=None,
                   name='Magnum Certificate'):
        values = {'certificate': certificate, 'private_key': private_key,
                  'intermediates': intermediates,
                  'private_key_passphrase': private_key_passphrase}
        secret_refs = []
        try:
            for slot, value in values.items():
                if value is not None:
                    ref = self._create_secret(_SECRET_NAMES[slot],
                                              base.to_bytes(value))
                    secret_refs.append({'name': slot, 'secret_ref': ref})
            resp = self.client.post('v1/containers', json={
                'type': 'certificate', 'name': name,
                'secret_refs': secret_refs})
            return resp.json()['container_ref']
        except Exception:
            for secret in secret_refs:
                self._delete_secret(secret['secret_ref'])
            raise

    def _container(self, ref):
        try:
            return self.client.get(
                'v1/containers/%s' % _resource_id(ref)).json()
        except ks_exc.NotFound:
            raise exception.ResourceNotFound(name='certificate', id=ref)

    def get_cert(self, context, ref):
        values = {}
        for secret in self._container(ref).get('secret_refs', []):
            if secret['name'] in _SECRET_NAMES:
                resp = self.client.get(
                    'v1/secrets/%s/payload' % _resource_id(
                        secret['secret_ref']),
                    headers={'Accept': 'text/plain'})
                values[secret['name']] = resp.content
        return base.Cert(**values)

    def delete_cert(self, context, ref):
        container = self._container(ref)
        try:
            self.client.delete('v1/containers/%s' % _resource_id(ref))
        except ks_exc.NotFound:
            pass
        for secret in container.get('secret_refs', []):
            self._delete_secret(secret['secret_ref'])
