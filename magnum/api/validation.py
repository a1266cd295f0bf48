"""Request checks: which network and volume drivers a COE supports and
storage-driver rules (the seed user guide's matrix decides what each COE
supports; magnum.conf decides what is allowed), then driver resolution,
label checks and OpenStack look-ups (magnum.common.cloud)."""
from oslo_config import cfg

from magnum.common import cloud as clouds
from magnum.common import exception
from magnum.drivers import loader

CONF = cfg.CONF

NETWORK_DRIVERS = {
    'kubernetes': ('flannel', 'calico'),
    'swarm': ('docker', 'flannel'),
    'swarm-mode': ('docker', 'flannel'),
    'mesos': ('docker',),
    'dcos': ('docker',),
}
VOLUME_DRIVERS = {
    'kubernetes': ('cinder',),
    'swarm': ('rexray',),
    'swarm-mode': ('rexray',),
    'mesos': ('rexray',),
    'dcos': ('rexray',),
}
_CONF_PREFIX = {'swarm-mode': 'swarm', 'dcos': 'mesos'}


def _network_conf(coe):
    prefix = _CONF_PREFIX.get(coe, coe)
    group = CONF.cluster_template
    return (getattr(group, '%s_allowed_network_drivers' % prefix),
            getattr(group, '%s_default_network_driver' % prefix))


def check_coe(coe):
    if coe not in NETWORK_DRIVERS:
        raise exception.InvalidParameterValue(
            err='Requested COE type %s is not supported.' % coe)


def network_driver(coe, driver):
    """The network driver to store: the given one when supported and
    allowed, else the COE's default."""
    allowed, default = _network_conf(coe)
    if not driver:
        return default
    supported = NETWORK_DRIVERS[coe]
    if driver not in supported:
        raise exception.InvalidParameterValue(
            err='Network driver type %s is not supported, expecting a %s '
                'network driver.' % (driver, '/'.join(supported)))
    if 'all' not in allowed and driver not in allowed:
        raise exception.InvalidParameterValue(
            err='Network driver type %s is not allowed, expecting a %s '
                'network driver.' % (driver, '/'.join(allowed)))
    return driver


def volume_driver(coe, driver):
    if driver and driver not in VOLUME_DRIVERS[coe]:
        raise exception.InvalidParameterValue(
            err='Volume driver type %s is not supported, expecting a %s '
                'volume driver.' % (driver, '/'.join(VOLUME_DRIVERS[coe])))


def docker_storage(storage_driver, volume_size):
    if storage_driver == 'devicemapper' and (volume_size or 0) < 3:
        raise exception.InvalidParameterValue(
            err='docker volume size %s GB is not valid, expecting minimum '
                'value 3GB for devicemapper storage driver.' % volume_size)


def cluster_template(values):
    """Static checks of a template's values, filling the network driver."""
    check_coe(values.get('coe'))
    values['network_driver'] = network_driver(values['coe'],
                                              values.get('network_driver'))
    volume_driver(values['coe'], values.get('volume_driver'))
    docker_storage(values.get('docker_storage_driver'),
                   values.get('docker_volume_size'))
    return values


def _boot_volume_size(labels):
    raw = (labels or {}).get('boot_volume_size')
    if raw is None or raw == '':
        return CONF.cinder.default_boot_volume_size
    try:
        return int(raw)
    except ValueError:
        raise exception.InvalidLabels(
            err='boot_volume_size must be an integer') from None


def _check_root_disks(cloud, labels, flavors):
    """Without a boot volume the nodes boot from the flavor's root disk, so
    each flavor must have one. A flavor left unset cannot be checked and is
    refused as upstream does ("Unable to find flavor None.")."""
    if _boot_volume_size(labels) > 0:
        return
    for ident in flavors:
        if ident is None:
            raise exception.FlavorNotFound(flavor=None)
        if not cloud.flavor(ident).get('disk'):
            raise exception.FlavorZeroRootVolumeNotSupported()


def _resolve_template_driver(cloud, values):
    """The driver of a template, recording ``driver`` and
    ``cluster_distro`` in ``values``.

    The name comes from the request, else the image's ``magnum_driver``
    property, else ``[drivers] default_driver``; without one the
    (server_type, image os_distro, coe) tuple decides and ``driver`` stays
    unset, so a later image change re-resolves it. Without an image service
    the os_distro cannot be read: a name is then required and the distro is
    the one the driver provides for the server type and COE.
    """
    server_type = values.get('server_type') or 'vm'
    name = values.get('driver')
    if cloud.has('image'):
        image = cloud.image(values['image_id'])
        os_distro = image.get('os_distro')
        if not os_distro:
            raise exception.OSDistroFieldNotFound(image_id=values['image_id'])
        name = name or image.get('magnum_driver')
    else:
        os_distro = None
    name = name or CONF.drivers.default_driver
    if not name and not os_distro:
        raise exception.InvalidParameterValue(
            err='No image service is available to read the os_distro of '
                'image %s: name a driver in the cluster template or set '
                '[drivers] default_driver.' % values['image_id'])
    driver = loader.get_driver(server_type, os_distro, values['coe'], name)
    values['driver'] = name
    values['cluster_distro'] = os_distro or next(
        (os for st, os, coe in driver.provides
         if (st, coe) == (server_type, values['coe'])),
        values.get('cluster_distro'))
    return driver


def _check_networks(cloud, external, fixed, subnet):
    if not cloud.has('network'):
        return
    if external:
        cloud.network(external, external=True)
    if fixed:
        cloud.network(fixed)
    if subnet:
        cloud.subnet(subnet)


def cluster_template_resources(context, values, old_labels=None):
    """Resolve the template's driver and check its labels and OpenStack
    resources: image (through the driver resolution), flavors, networks and
    the flavors' root disks (at PATCH against the labels before the patch).
    Look-ups in a service the caller's catalog lacks are skipped."""
    cloud = clouds.Cloud(context)
    driver = _resolve_template_driver(cloud, values)
    driver.validate_labels(values.get('labels'))
    flavors = [values[f] for f in ('flavor_id', 'master_flavor_id')
               if values.get(f)]
    if cloud.has('compute'):
        for ident in flavors:
            cloud.flavor(ident)
    _check_networks(cloud, values.get('external_network_id'),
                    values.get('fixed_network'), values.get('fixed_subnet'))
    if cloud.has('compute'):
        _check_root_disks(cloud, values.get('labels') if old_labels is None
                          else old_labels, flavors)
    return values


def cluster_resources(context, values, template):
    """Check a cluster's labels against its template's driver and its
    OpenStack resources; the cluster's values win over the template's
    (labels, flavors, keypair, fixed network and subnet)."""
    def effective(field, template_field=None):
        return values.get(field) or getattr(template, template_field or field)

    cloud = clouds.Cloud(context)
    labels = effective('labels')
    loader.get_driver_for_template(template).validate_labels(labels)
    if cloud.has('compute'):
        flavors = [effective('flavor_id'), effective('master_flavor_id')]
        _check_root_disks(cloud, labels, flavors)
        for ident in filter(None, flavors):
            cloud.flavor(ident)
    _check_networks(cloud, template.external_network_id,
                    effective('fixed_network'), effective('fixed_subnet'))
    keypair = effective('keypair', 'keypair_id')
    if keypair and cloud.has('compute'):
        cloud.keypair(keypair)
    return values
