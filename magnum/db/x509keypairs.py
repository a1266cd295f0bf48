"""Queries on the ``x509keypair`` table (certificate rows of the
x509keypair cert-manager backend). Values are stored as given: encrypting
the private key is the backend's job."""
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from magnum.common import exception
from magnum.db import api
from magnum.db import models

_FIELDS = ('certificate', 'private_key', 'private_key_passphrase',
           'intermediates')


def _query(session, context, uuid):
    query = session.query(models.X509KeyPair).filter(
        models.X509KeyPair.uuid == uuid)
    return api.scope_to_project(query, models.X509KeyPair, context)


def create(context, **values):
    """Insert a row owned by the caller's project and user; returns it."""
    row = models.X509KeyPair(
        uuid=values.pop('uuid', None) or uuidutils.generate_uuid(),
        project_id=context.project_id, user_id=context.user_id,
        **{k: values.pop(k, None) for k in _FIELDS})
    if values:
        raise TypeError('unknown x509keypair fields: %s' % sorted(values))
    try:
        with api.session_for_write(context) as session:
            session.add(row)
            session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.X509KeyPairAlreadyExists(uuid=row.uuid)
    return row


def get(context, uuid):
    with api.session_for_read(context) as session:
        row = _query(session, context, uuid).one_or_none()
    if row is None:
        raise exception.X509KeyPairNotFound(x509keypair=uuid)
    return row


def delete(context, uuid):
    with api.session_for_write(context) as session:
        if not _query(session, context, uuid).delete(
                synchronize_session=False):
            raise exception.X509KeyPairNotFound(x509keypair=uuid)
