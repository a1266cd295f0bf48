"""Magnum's error body: {"errors": [{request_id, code, status, title,
detail, links}]}. The title is the detail up to its first full stop, as
upstream clients display it."""
import json


def error_body(status, detail, code='client'):
    detail = detail or ''
    title = detail.split('.')[0] if detail else ''
    return {'errors': [{'request_id': '', 'code': code, 'status': status,
                        'title': title, 'detail': detail, 'links': []}]}


def error_json(status, detail, code='client'):
    return json.dumps(error_body(status, detail, code))
