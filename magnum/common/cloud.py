"""Look-ups in Glance, Nova and Neutron for request validation.

A ``Cloud`` is made per request context. It talks to each service through a
keystoneauth session authenticated as the caller: the user's token, with the
endpoints taken from the catalog that came with it (keystonemiddleware's
``keystone.token_info``, kept on the context as ``service_catalog``). A
context without a token that is an admin context uses the service user of
``[keystone_auth]`` when one is configured. ``[<service>_client]
endpoint_override`` wins over any catalog; ``region_name`` and
``endpoint_type`` pick the catalog entry.

A service is *available* when an override or the catalog names it. Callers
ask ``has(service_type)`` and skip look-ups in services that are not there:
that is how a Keystone-less development setup (noauth, no overrides) runs.

Found resources are cached for ``[api] lookup_cache_ttl`` seconds, keyed by
the caller's project (and user, for keypairs, which Nova keeps per user), so
one project's private image never answers another project's request. Misses
are never cached: an image uploaded a second ago is found.
"""
import re
import urllib.parse

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin
from keystoneauth1 import session as ks_session
from keystoneauth1.access import service_catalog
from oslo_utils import uuidutils
import requests

from magnum.common import exception
from magnum.common import ttl_cache
import magnum.conf

CONF = magnum.conf.CONF

#: service type -> (config group, API version appended to unversioned URLs)
SERVICES = {
    'image': ('glance_client', 'v2'),
    'compute': ('nova_client', 'v2.1'),
    'network': ('neutron_client', 'v2.0'),
}
TIMEOUT = 30
_VERSIONED = re.compile(r'/v\d+(\.\d+)?(/|$)')

CACHE = ttl_cache.TTLCache(lambda: CONF.api.lookup_cache_ttl)
# One connection pool for every request's session.
_HTTP = requests.Session()


class UserToken(plugin.BaseAuthPlugin):
    """The caller's token and the catalog that came with it (v3 format).
    Without a token no auth header is sent (noauth development)."""

    def __init__(self, token, catalog=None):
        super().__init__()
        self.token = token
        self.catalog = service_catalog.ServiceCatalogV3(catalog or [])

    def get_token(self, session, **kwargs):
        return self.token

    def get_headers(self, session, **kwargs):
        return {'X-Auth-Token': self.token} if self.token else {}

    def get_endpoint(self, session, service_type=None, interface=None,
                     region_name=None, **kwargs):
        try:
            return self.catalog.url_for(service_type=service_type,
                                        interface=interface,
                                        region_name=region_name)
        except ks_exceptions.EndpointNotFound:
            return None


def _auth_for(context):
    if context.auth_token or not context.is_admin:
        return UserToken(context.auth_token, context.service_catalog)
    service_user = ks_loading.load_auth_from_conf_options(
        CONF, 'keystone_auth') if CONF.keystone_auth.auth_type else None
    return service_user or UserToken(None)


def _versioned(url, version):
    path = urllib.parse.urlsplit(url).path
    return url if _VERSIONED.search(path) else '%s/%s' % (url.rstrip('/'),
                                                          version)


def _quoted(ident):
    return urllib.parse.quote(ident, safe='')


class Cloud:
    """Validation look-ups on behalf of one request context."""

    def __init__(self, context):
        self.context = context
        self.session = ks_session.Session(auth=_auth_for(context),
                                          session=_HTTP, timeout=TIMEOUT)
        self._endpoints = {}
        self._found = {}    # this request's look-ups, even with no cache

    # -- plumbing -----------------------------------------------------------
    def endpoint(self, service_type):
        """The versioned API root of a service, or None when unknown."""
        if service_type not in self._endpoints:
            group = CONF[SERVICES[service_type][0]]
            url = group.endpoint_override
            if not url:
                try:
                    url = self.session.get_endpoint(
                        service_type=service_type,
                        interface=group.endpoint_type,
                        region_name=group.region_name)
                except ks_exceptions.ClientException as exc:
                    raise exception.AuthorizationFailure(
                        client='keystone', message=str(exc)) from None
            self._endpoints[service_type] = url and _versioned(
                url, SERVICES[service_type][1])
        return self._endpoints[service_type]

    def has(self, service_type):
        return self.endpoint(service_type) is not None

    def _get(self, service_type, path, forbidden=None, **params):
        """GET a JSON document; None on 404, ``forbidden`` raised on 403."""
        group = CONF[SERVICES[service_type][0]]
        verify = False if group.insecure else (group.ca_file or True)
        try:
            resp = self.session.get(self.endpoint(service_type) + path,
                                    params=params, raise_exc=False,
                                    verify=verify,
                                    headers={'Accept': 'application/json'})
        except ks_exceptions.ConnectionError as exc:
            raise exception.OpenStackRequestFailed(
                service=service_type, reason=str(exc)) from None
        if resp.status_code == 404:
            return None
        if resp.status_code == 403 and forbidden is not None:
            raise forbidden
        if resp.status_code in (401, 403):
            raise exception.AuthorizationFailure(
                client=service_type,
                message='HTTP %d on %s.' % (resp.status_code, path))
        if resp.status_code >= 300:
            raise exception.OpenStackRequestFailed(
                service=service_type,
                reason='HTTP %d on %s' % (resp.status_code, path))
        return resp.json()

    def _cached(self, key, find, per_user=False):
        key = (self.context.project_id,
               self.context.user_id if per_user else None) + key
        found = self._found.get(key) or CACHE.get(key)
        if found is None:
            found = find()
            CACHE.put(key, found)
        self._found[key] = found
        return found

    @staticmethod
    def _single(matches, kind, ident, not_found, id_word='ID'):
        if not matches:
            raise not_found
        if len(matches) > 1:
            raise exception.Conflict(
                "Multiple %ss exist with same name '%s'. Please use the %s "
                "%s instead." % (kind, ident, kind, id_word))
        return matches[0]

    # -- look-ups -------------------------------------------------------------
    def image(self, ident):
        """A Glance v2 image by id, else by name (several: 409)."""
        return self._cached(('image', ident), lambda: self._image(ident))

    def _image(self, ident):
        forbidden = exception.ImageNotAuthorized(image_id=ident)
        if uuidutils.is_uuid_like(ident):
            found = self._get('image', '/images/%s' % ident, forbidden)
            if found is not None:
                return found
        listed = self._get('image', '/images', forbidden, name=ident) or {}
        return self._single(listed.get('images', []), 'image', ident,
                            exception.ImageNotFound(image_id=ident),
                            id_word='id')

    def flavor(self, ident):
        """A Nova flavor by id or name (one listing serves both)."""
        return self._cached(('flavor', ident), lambda: self._flavor(ident))

    def _flavor(self, ident):
        listed = self._get('compute', '/flavors/detail') or {}
        flavors = listed.get('flavors', [])
        by_id = [f for f in flavors if f.get('id') == ident]
        return by_id[0] if by_id else self._single(
            [f for f in flavors if f.get('name') == ident], 'flavor', ident,
            exception.FlavorNotFound(flavor=ident))

    def keypair(self, name):
        """One of the caller's Nova keypairs."""
        return self._cached(('keypair', name), lambda: self._keypair(name),
                            per_user=True)

    def _keypair(self, name):
        found = self._get('compute', '/os-keypairs/%s' % _quoted(name))
        if found is None:
            raise exception.KeyPairNotFound(keypair=name)
        return found['keypair']

    def network(self, ident, external=False):
        """A Neutron network by id or name; with ``external`` only
        router:external networks count."""
        if external:
            not_found = exception.ExternalNetworkNotFound(network=ident)
            filters = {'router:external': True}
        else:
            not_found, filters = exception.FixedNetworkNotFound(
                network=ident), {}
        return self._cached(('network', external, ident), lambda: (
            self._neutron('network', ident, not_found, filters)))

    def subnet(self, ident):
        """A Neutron subnet by id or name."""
        not_found = exception.FixedSubnetNotFound(subnet=ident)
        return self._cached(('subnet', ident), lambda: (
            self._neutron('subnet', ident, not_found, {})))

    def _neutron(self, kind, ident, not_found, filters):
        plural = kind + 's'
        if uuidutils.is_uuid_like(ident):
            listed = self._get('network', '/' + plural, id=ident, **filters)
            if listed and listed.get(plural):
                return listed[plural][0]
        listed = self._get('network', '/' + plural, name=ident,
                           **filters) or {}
        return self._single(listed.get(plural, []), kind, ident, not_found)
