"""What every resource controller shares: body parsing, JSON-patch,
pagination and links."""
import ast
import json

import jsonpatch
from oslo_config import cfg
from oslo_utils import uuidutils
import pecan
import wsme
import wsme.exc
from wsme import types as wtypes
import wsme.rest.json

from magnum.common import exception
from magnum.common import policy

CONF = cfg.CONF

COMMON_INTERNAL = ('/created_at', '/id', '/links', '/updated_at', '/uuid',
                   '/project_id', '/user_id')
LITERAL_FIELDS = ('/labels', '/health_status_reason', '/node_labels',
                  '/node_taints')


def context():
    return pecan.request.context


def scope_all_projects(ctx, resource, action):
    """Admins whose ``<resource>:<action>_all_projects`` rule passes act on
    every project's rows; everyone else stays in their own project."""
    if ctx.is_admin and policy.enforce(
            ctx, '%s:%s_all_projects' % (resource, action), do_raise=False):
        ctx.all_tenants = True


def json_body(argname):
    """The request body as JSON; 400 when missing or malformed."""
    raw = pecan.request.body
    if not raw or not raw.strip():
        raise wsme.exc.ClientSideError('Missing argument: "%s"' % argname)
    try:
        return json.loads(raw)
    except ValueError:
        raise wsme.exc.ClientSideError('Request is not in valid JSON format')


def parse(wstype, data, argname):
    """Validate ``data`` into a WSME ``wstype`` instance, reporting the
    offending field the way upstream Magnum's clients expect."""
    if not isinstance(data, dict):
        raise wsme.exc.InvalidInput(argname, data, 'Value not a valid dict')
    attrs = {a.name: a for a in wtypes.list_attributes(wstype)}
    unknown = sorted(set(data) - set(attrs))
    if unknown:
        raise wsme.exc.ClientSideError(
            'Unknown attribute for argument %s: %s'
            % (argname, ', '.join(unknown)))
    obj = wstype()
    for name, value in data.items():
        attr = attrs[name]
        if getattr(attr, 'readonly', False):
            raise wsme.exc.InvalidInput(name, value,
                                        'Cannot set read only field.')
        try:
            value = wsme.rest.json.fromjson(attr.datatype, value)
            setattr(obj, attr.key, value)
        except wsme.exc.ClientSideError:
            raise
        except (ValueError, TypeError) as e:
            raise wsme.exc.InvalidInput(name, value, str(e))
    for attr in attrs.values():
        if attr.mandatory and getattr(obj, attr.key) in (wtypes.Unset, None):
            raise wsme.exc.InvalidInput(attr.name, None,
                                        'Mandatory field missing.')
    return obj


def as_values(wsobj):
    """The attributes a WSME object was given (Unset ones left out)."""
    return {a.key: getattr(wsobj, a.key)
            for a in wtypes.list_attributes(type(wsobj))
            if getattr(wsobj, a.key) is not wtypes.Unset}


# -- JSON patch ---------------------------------------------------------------
def validate_patch(patch, internal=(), non_removable=()):
    """Check a JSON-patch body (a list of ops) against Magnum's rules."""
    if not isinstance(patch, list):
        raise wsme.exc.InvalidInput('patch', patch, 'Value not a valid list')
    internal = COMMON_INTERNAL + tuple(internal)
    for op in patch:
        if not isinstance(op, dict) or set(op) - {'op', 'path', 'value'}:
            raise wsme.exc.InvalidInput('patch', op, 'Invalid patch operation')
        path, verb = op.get('path'), op.get('op')
        if verb not in ('add', 'replace', 'remove'):
            raise wsme.exc.InvalidInput('op', verb,
                                        'Value should be one of: add, '
                                        'replace, remove')
        if not isinstance(path, str) or not path.startswith('/') or \
                any(not part for part in path[1:].split('/')):
            raise wsme.exc.InvalidInput('path', path, 'Invalid path')
        value = op.get('value')
        if isinstance(value, (dict, list)) and path not in LITERAL_FIELDS:
            raise wsme.exc.InvalidInput('value', value, 'Wrong type')
        if path in internal:
            raise wsme.exc.ClientSideError(
                "'%s' is an internal attribute and can not be updated"
                % path)
        if verb == 'remove' and path in non_removable:
            raise wsme.exc.ClientSideError(
                "'%s' is a mandatory attribute and can not be removed" % path)
        if verb != 'remove' and 'value' not in op:
            raise wsme.exc.ClientSideError(
                "'add' and 'replace' operations needs value")
    return patch


def apply_patch(doc, patch):
    """Apply a validated patch to a plain dict, with Magnum's extra rules:
    top-level ``add`` only fills null fields, and dict/list fields accept
    a Python-literal string."""
    ops = []
    for op in patch:
        op = dict(op)
        top = op['path'].count('/') == 1
        key = op['path'][1:]
        if op['op'] == 'add' and top:
            if key not in doc:
                raise exception.PatchError(
                    patch=patch, reason='Adding a new attribute %s to the '
                    'root of the resource is not allowed.' % op['path'])
            if doc[key] is not None:
                raise exception.PatchError(
                    patch=patch, reason="The attribute %s has existed, please "
                    "use 'replace' operation instead." % op['path'])
        if op['op'] in ('add', 'replace') and op['path'] in LITERAL_FIELDS \
                and isinstance(op['value'], str):
            try:
                op['value'] = ast.literal_eval(op['value'])
            except (ValueError, SyntaxError) as e:
                raise exception.PatchError(patch=patch, reason=e)
        ops.append(op)
    try:
        return jsonpatch.apply_patch(doc, ops)
    except (jsonpatch.JsonPatchException,
            jsonpatch.JsonPointerException, KeyError, IndexError) as e:
        raise exception.PatchError(patch=patch, reason=e)


# -- collections --------------------------------------------------------------
def page_params(marker=None, limit=None, sort_key='id', sort_dir='asc',
                marker_is_uuid=True, **_filters):
    """Validated pagination arguments for a list query (other query
    parameters are the caller's filters)."""
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise wsme.exc.InvalidInput('limit', limit,
                                        'unable to convert to int')
        if limit <= 0:
            raise wsme.exc.ClientSideError('Limit must be positive')
    limit = min(limit or CONF.api.max_limit, CONF.api.max_limit)
    sort_dir = sort_dir or 'asc'
    if sort_dir not in ('asc', 'desc'):
        raise wsme.exc.ClientSideError(
            "Invalid sort direction: %s. Acceptable values are 'asc' or "
            "'desc'" % sort_dir)
    if marker is not None and marker_is_uuid and \
            not uuidutils.is_uuid_like(marker):
        raise wsme.exc.InvalidInput('marker', marker,
                                    'unable to convert to uuid')
    return {'limit': limit, 'marker': marker, 'sort_key': sort_key or 'id',
            'sort_dir': sort_dir}


def base_url():
    return pecan.request.application_url


def links(collection, ident, url=None):
    """``url``: the base URL, when the caller already has it (lists)."""
    url = url or base_url()
    return [{'href': '%s/v1/%s/%s' % (url, collection, ident), 'rel': 'self'},
            {'href': '%s/%s/%s' % (url, collection, ident),
             'rel': 'bookmark'}]


def collection(key, items, page, path, marker_of=lambda item: item['uuid']):
    """``{key: items, "next": url}``; ``next`` only when the page is full."""
    body = {key: items}
    if page['limit'] and len(items) == page['limit']:
        body['next'] = (
            '%s/v1/%s?sort_key=%s&sort_dir=%s&limit=%d&marker=%s' % (
                base_url(), path, page['sort_key'], page['sort_dir'],
                page['limit'], marker_of(items[-1])))
    return body


def timestamp(value):
    return value.isoformat() + '+00:00' if value is not None else None
