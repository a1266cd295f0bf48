"""Label schemas: coverage of the user guide's table, typed reading, 400s."""
import pytest

from magnum.common import exception
from magnum.drivers import labels
from drivers.k8s_coreos_v1 import driver as coreos
from drivers.k8s_fedora_atomic_v1 import driver as atomic
from drivers.k8s_fedora_coreos_v1 import driver as fcos
from drivers.k8s_fedora_ironic_v1 import driver as ironic

DRIVERS = (atomic.Driver, fcos.Driver, coreos.Driver, ironic.Driver)

# The Kubernetes labels of the user guide's label table (the Swarm, Mesos
# and rexray ones are left out), plus the Cinder CSI labels it describes.
GUIDE_LABELS = """
flannel_network_cidr flannel_backend flannel_network_subnetlen
heapster_enabled metrics_server_chart_tag metrics_server_enabled
monitoring_enabled prometheus_operator_chart_tag prometheus_adapter_enabled
prometheus_adapter_chart_tag prometheus_adapter_configmap
traefik_ingress_controller_tag admission_control_list prometheus_monitoring
grafana_admin_passwd kube_tag cloud_provider_tag etcd_tag coredns_tag
flannel_tag flannel_cni_tag heat_container_agent_tag kube_dashboard_enabled
kube_dashboard_version metrics_scraper_tag influx_grafana_dashboard_enabled
docker_volume_type boot_volume_size boot_volume_type etcd_volume_size
etcd_volume_type container_infra_prefix availability_zone cert_manager_api
ingress_controller ingress_controller_role octavia_ingress_controller_tag
nginx_ingress_controller_tag nginx_ingress_controller_chart_tag
kubelet_options kubeapi_options kubescheduler_options kubecontroller_options
kubeproxy_options cgroup_driver cloud_provider_enabled
service_cluster_ip_range keystone_auth_enabled k8s_keystone_auth_tag
tiller_enabled tiller_tag tiller_namespace helm_client_url
helm_client_sha256 helm_client_tag master_lb_floating_ip_enabled
master_lb_allowed_cidrs auto_healing_enabled auto_healing_controller
magnum_auto_healer_tag auto_scaling_enabled node_problem_detector_tag
draino_tag autoscaler_tag min_node_count max_node_count npd_enabled
use_podman selinux_mode container_runtime containerd_version
containerd_tarball_url containerd_tarball_sha256 calico_tag calico_ipv4pool
calico_ipv4pool_ipip fixed_subnet_cidr cinder_csi_enabled
cinder_csi_plugin_tag csi_attacher_tag csi_provisioner_tag
csi_snapshotter_tag csi_resizer_tag csi_node_driver_registrar_tag
""".split()


@pytest.mark.parametrize('driver_cls', DRIVERS)
def test_every_guide_label_is_declared(driver_cls):
    schema = driver_cls().labels.properties
    missing = [name for name in GUIDE_LABELS if name not in schema]
    assert missing == []
    for name in GUIDE_LABELS:
        assert {'type', 'default', 'description'} <= set(schema[name]), name
        assert schema[name]['description'].strip(), name


def test_string_values_are_read_in_their_type():
    values = fcos.Driver().label_values({
        'etcd_volume_size': '5', 'auto_scaling_enabled': 'True',
        'flannel_backend': 'host-gw', 'max_node_count': '7'})
    assert values['etcd_volume_size'] == 5
    assert values['auto_scaling_enabled'] is True
    assert values['flannel_backend'] == 'host-gw'
    assert values['max_node_count'] == 7
    assert values['boot_volume_size'] == 0          # default
    assert values['master_lb_floating_ip_enabled'] is None


@pytest.mark.parametrize('given, label, words', [
    ({'etcd_volume_size': 'big'}, 'etcd_volume_size', 'integer'),
    ({'etcd_volume_size': '-1'}, 'etcd_volume_size', 'minimum'),
    ({'auto_healing_enabled': 'maybe'}, 'auto_healing_enabled', 'true or'),
    ({'flannel_backend': 'gre'}, 'flannel_backend', 'gre'),
    ({'flannel_network_cidr': '10.0.0.0'}, 'flannel_network_cidr',
     'expected an IPv4 CIDR'),
    ({'master_lb_allowed_cidrs': '10.0.0.0/8,,'}, 'master_lb_allowed_cidrs',
     'comma list of IPv4 CIDRs'),
    ({'kube_tag': 'latest'}, 'kube_tag', 'a release such as'),
    ({'selinux_mode': 'relaxed'}, 'selinux_mode', 'relaxed'),
])
def test_bad_values_give_a_400_naming_the_label(given, label, words):
    with pytest.raises(exception.InvalidLabels) as caught:
        atomic.Driver().validate_labels(given)
    assert caught.value.code == 400
    assert label in str(caught.value)
    assert words in str(caught.value)


def test_unknown_labels_are_accepted():
    atomic.Driver().validate_labels({'my_site_label': 'anything'})


def test_distro_defaults_differ_where_the_guide_says():
    assert atomic.Driver().label_values({})['use_podman'] is False
    assert atomic.Driver().label_values({})['selinux_mode'] == 'permissive'
    assert fcos.Driver().label_values({})['use_podman'] is True
    assert fcos.Driver().label_values({})['selinux_mode'] == 'enforcing'


def test_fedora_coreos_only_accepts_podman():
    with pytest.raises(exception.InvalidLabels, match='use_podman'):
        fcos.Driver().validate_labels({'use_podman': 'false'})
    fcos.Driver().validate_labels({'use_podman': 'true'})


def test_schema_entries_must_be_complete():
    with pytest.raises(ValueError, match='lacks'):
        labels.LabelSchema({'x': {'type': 'string'}})
