"""OpenStack-API-Version handling for the container-infra service."""
import microversion_parse
import webob.exc

from magnum.api import errors

SERVICE = 'container-infrastructure-management'
ALIASES = (SERVICE, 'container-infrastructure', 'container-infra')
HEADER = 'OpenStack-API-Version'
MIN = (1, 1)
MAX = (1, 14)


def fmt(version):
    return '%d.%d' % version


class NotAcceptable(Exception):
    def __init__(self, body):
        super().__init__(body)
        self.body = body


def _unsupported(requested):
    return {'errors': [{
        'code': 'magnum.microversion-unsupported',
        'title': 'Requested microversion is unsupported',
        'description': (
            'Version %s was requested but the minor version is not '
            'supported by this service. The supported version range is: '
            '[%s %s, %s %s].' % (requested, SERVICE, fmt(MIN), SERVICE,
                                 fmt(MAX))),
        'links': [{'rel': 'help', 'href': 'http://docs.openstack.org/'
                   'api-guide/compute/microversions.html'}],
        'max_version': fmt(MAX), 'min_version': fmt(MIN)}]}


def parse(raw):
    """Return (version tuple, raw requested string) for the value of the
    OpenStack-API-Version header, or raise NotAcceptable.

    No header means the minimum; ``latest`` means the maximum.
    """
    if not raw:
        return MIN, fmt(MIN)
    headers = {HEADER: raw}
    requested = next((v for v in (microversion_parse.get_version(
        headers, service_type=s) for s in ALIASES) if v), None)
    if requested is None:
        raise NotAcceptable(errors.error_body(
            406, 'Invalid service type for OpenStack-API-Version header',
            code=''))
    if requested == 'latest':
        return MAX, requested
    try:
        major, minor = (int(p) for p in requested.split('.'))
    except ValueError:
        raise NotAcceptable(errors.error_body(
            406, 'Invalid OpenStack-API-Version header value %s' % requested,
            code=''))
    if major != 1 or not MIN <= (major, minor) <= MAX:
        raise NotAcceptable(_unsupported(requested))
    return (major, minor), requested


def response_headers(requested):
    return {
        'OpenStack-API-Minimum-Version': '%s %s' % (SERVICE, fmt(MIN)),
        'OpenStack-API-Maximum-Version': '%s %s' % (SERVICE, fmt(MAX)),
        HEADER: '%s %s' % (SERVICE, requested),
        'Vary': HEADER,
    }


def require(request, version, method):
    """406 unless the request's microversion is at least ``version``."""
    if request.version < version:
        raise webob.exc.HTTPNotAcceptable(
            'Version %s was requested but the requested API %s is not '
            'supported for this version.' % (request.requested_version,
                                             method))
