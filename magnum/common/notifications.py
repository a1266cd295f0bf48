"""CADF notifications about clusters and nodegroups (reference 3.4).

``event_type`` is ``magnum.cluster.<create|update|delete>`` (and
``magnum.nodegroup.<action>``, ours: upstream has TODOs there), priority
INFO for the outcomes ``pending``/``success`` and ERROR for ``failure``,
``publisher_id`` ``container-infra.<[DEFAULT] host>``. The payload is a
pycadf Event as a dict whose target carries one attachment with the
resource's data.

Compatibility quirk, kept on purpose: upstream's cluster attachment spells
one key ``"docker_volume_size:"`` (with a trailing colon). Consumers
written against upstream (billing, auditing) read that key, so we send it
exactly so.

The notifier sends through the notification transport
(``[oslo_messaging_notifications] transport_url``, falling back to
``transport_url``) with the configured driver (default ``noop``).
"""
import threading

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils
from pycadf import attachment
from pycadf import cadftaxonomy as taxonomy
from pycadf import cadftype
from pycadf import event
from pycadf import resource

from magnum.common import rpc

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

CLUSTER_TYPE_URI = 'service/magnum/cluster'
NODEGROUP_TYPE_URI = 'service/magnum/nodegroup'

PENDING = taxonomy.OUTCOME_PENDING
SUCCESS = taxonomy.OUTCOME_SUCCESS
FAILURE = taxonomy.OUTCOME_FAILURE
ACTIONS = {'create': taxonomy.ACTION_CREATE,
           'update': taxonomy.ACTION_UPDATE,
           'delete': taxonomy.ACTION_DELETE}

_notifiers = {}
_lock = threading.Lock()


def _time(value):
    # What oslo's JSON serializer made of upstream's datetimes.
    return value.strftime(timeutils.PERFECT_TIME_FORMAT) if value else None


def _by_role(nodegroups, role):
    return [ng for ng in nodegroups or () if ng.role == role]


def cluster_data(cluster, nodegroups=()):
    """The ``cluster_data`` attachment content (upstream's keys)."""
    masters = _by_role(nodegroups, 'master')
    workers = [ng for ng in nodegroups or () if ng.role != 'master']
    return {
        'status': cluster.status,
        'status_reason': cluster.status_reason,
        'project_id': cluster.project_id,
        'created_at': _time(cluster.created_at),
        'updated_at': _time(cluster.updated_at),
        'cluster_template_id': cluster.cluster_template_id,
        'keypair': cluster.keypair,
        'docker_volume_size:': cluster.docker_volume_size,  # sic, see above
        'labels': cluster.labels,
        'master_flavor_id': cluster.master_flavor_id,
        'flavor_id': cluster.flavor_id,
        'stack_id': cluster.stack_id,
        'health_status': cluster.health_status,
        'create_timeout': cluster.create_timeout,
        'api_address': cluster.api_address,
        'discovery_url': cluster.discovery_url,
        'node_addresses': [a for ng in workers
                           for a in (ng.node_addresses or ())],
        'master_addresses': [a for ng in masters
                             for a in (ng.node_addresses or ())],
        'node_count': sum(ng.node_count or 0 for ng in workers),
        'master_count': sum(ng.node_count or 0 for ng in masters),
    }


def nodegroup_data(nodegroup):
    """The ``nodegroup_data`` attachment content."""
    return {
        'cluster_id': nodegroup.cluster_id,
        'project_id': nodegroup.project_id,
        'status': nodegroup.status,
        'status_reason': nodegroup.status_reason,
        'created_at': _time(nodegroup.created_at),
        'updated_at': _time(nodegroup.updated_at),
        'role': nodegroup.role,
        'is_default': nodegroup.is_default,
        'flavor_id': nodegroup.flavor_id,
        'image_id': nodegroup.image_id,
        'docker_volume_size': nodegroup.docker_volume_size,
        'labels': nodegroup.labels,
        'node_count': nodegroup.node_count,
        'min_node_count': nodegroup.min_node_count,
        'max_node_count': nodegroup.max_node_count,
        'node_addresses': list(nodegroup.node_addresses or ()),
        'stack_id': nodegroup.stack_id,
        'version': nodegroup.version,
    }


def _initiator(context):
    initiator = resource.Resource(typeURI=taxonomy.ACCOUNT_USER)
    for name in ('user_id', 'project_id', 'domain_id'):
        value = getattr(context, name, None) if context else None
        if value:
            setattr(initiator, name, value)
    return initiator


def _target(type_uri, uuid, name, data_name, content):
    if uuid is None:
        return resource.Resource(typeURI=type_uri, id='unknown')
    target = resource.Resource(id=uuid, name=name, typeURI=type_uri)
    target.add_attachment(attach_val=attachment.Attachment(
        typeURI=type_uri, content=content, name=data_name))
    return target


def build_event(context, action, outcome, type_uri, target):
    """A CADF activity event as the dict that goes on the wire."""
    return event.Event(
        eventType=cadftype.EVENTTYPE_ACTIVITY, outcome=outcome,
        action=ACTIONS[action], initiator=_initiator(context),
        target=target,
        observer=resource.Resource(typeURI=type_uri)).as_dict()


def cluster_event(context, action, outcome, cluster=None, nodegroups=()):
    target = (_target(CLUSTER_TYPE_URI, cluster.uuid, cluster.name,
                      'cluster_data', cluster_data(cluster, nodegroups))
              if cluster is not None else
              _target(CLUSTER_TYPE_URI, None, None, None, None))
    return build_event(context, action, outcome, CLUSTER_TYPE_URI, target)


def nodegroup_event(context, action, outcome, nodegroup):
    target = _target(NODEGROUP_TYPE_URI, nodegroup.uuid, nodegroup.name,
                     'nodegroup_data', nodegroup_data(nodegroup))
    return build_event(context, action, outcome, NODEGROUP_TYPE_URI, target)


def get_notifier(host=None):
    host = host or CONF.host
    with _lock:
        if host not in _notifiers:
            _notifiers[host] = messaging.Notifier(
                rpc.get_notification_transport(),
                publisher_id='container-infra.%s' % host)
        return _notifiers[host]


def reset():
    with _lock:
        _notifiers.clear()


def _emit(context, event_type, outcome, payload, host):
    notifier = get_notifier(host)
    send = notifier.error if outcome == FAILURE else notifier.info
    try:
        send(context.to_dict() if context is not None else {}, event_type,
             payload)
    except Exception:
        # A notification must never break the operation it describes.
        LOG.exception('Could not send notification %s', event_type)


def notify_cluster(context, action, outcome, cluster=None, nodegroups=(),
                   host=None):
    _emit(context, 'magnum.cluster.%s' % action, outcome,
          cluster_event(context, action, outcome, cluster, nodegroups), host)


def notify_nodegroup(context, action, outcome, nodegroup, host=None):
    _emit(context, 'magnum.nodegroup.%s' % action, outcome,
          nodegroup_event(context, action, outcome, nodegroup), host)
