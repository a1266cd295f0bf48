"""Typed inputs the conductor hands to drivers, and the results drivers give
back. Inputs are frozen snapshots of the database rows (reference section 6),
so a driver cannot write to the database and rendering stays pure."""
import dataclasses
from typing import Optional


class _RowSnapshot:
    """Views built from any object or dict carrying the column values."""

    @classmethod
    def from_row(cls, row, **overrides):
        get = row.get if isinstance(row, dict) else (
            lambda name, default=None: getattr(row, name, default))
        values = {}
        for field in dataclasses.fields(cls):
            value = get(field.name, None)
            missing = dataclasses.MISSING
            if value is None and field.default_factory is not missing:
                value = field.default_factory()
            elif value is None and field.default is not missing:
                value = field.default
            if isinstance(value, dict):
                value = dict(value)
            elif isinstance(value, list):
                value = tuple(value)
            values[field.name] = value
        values.update(overrides)
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class TemplateView(_RowSnapshot):
    uuid: str
    name: Optional[str] = None
    coe: str = 'kubernetes'
    server_type: str = 'vm'
    cluster_distro: Optional[str] = None
    driver: Optional[str] = None
    image_id: Optional[str] = None
    flavor_id: Optional[str] = None
    master_flavor_id: Optional[str] = None
    keypair_id: Optional[str] = None
    external_network_id: Optional[str] = None
    fixed_network: Optional[str] = None
    fixed_subnet: Optional[str] = None
    network_driver: Optional[str] = None
    volume_driver: Optional[str] = None
    dns_nameserver: Optional[str] = None
    apiserver_port: Optional[int] = None
    docker_volume_size: Optional[int] = None
    docker_storage_driver: Optional[str] = None
    http_proxy: Optional[str] = None
    https_proxy: Optional[str] = None
    no_proxy: Optional[str] = None
    registry_enabled: bool = False
    insecure_registry: Optional[str] = None
    tls_disabled: bool = False
    master_lb_enabled: bool = False
    floating_ip_enabled: bool = True
    labels: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ClusterView(_RowSnapshot):
    uuid: str
    name: Optional[str] = None
    project_id: Optional[str] = None
    user_id: Optional[str] = None
    cluster_template_id: Optional[str] = None
    keypair: Optional[str] = None
    docker_volume_size: Optional[int] = None
    master_flavor_id: Optional[str] = None
    flavor_id: Optional[str] = None
    fixed_network: Optional[str] = None
    fixed_subnet: Optional[str] = None
    floating_ip_enabled: Optional[bool] = None
    master_lb_enabled: Optional[bool] = None
    create_timeout: Optional[int] = None
    discovery_url: Optional[str] = None
    stack_id: Optional[str] = None
    coe_version: Optional[str] = None
    labels: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class NodeGroupView(_RowSnapshot):
    uuid: str
    name: str
    role: str = 'worker'
    is_default: bool = False
    node_count: int = 1
    min_node_count: int = 0
    max_node_count: Optional[int] = None
    flavor_id: Optional[str] = None
    image_id: Optional[str] = None
    docker_volume_size: Optional[int] = None
    stack_id: Optional[str] = None
    version: Optional[str] = None
    labels: dict = dataclasses.field(default_factory=dict)
    node_labels: dict = dataclasses.field(default_factory=dict)
    node_taints: tuple = ()

    @property
    def is_master(self):
        return self.role == 'master'


# Status words of Magnum's API (reference section 2); the Heat engine maps
# Heat's own vocabulary onto these.
CREATE_IN_PROGRESS = 'CREATE_IN_PROGRESS'
CREATE_COMPLETE = 'CREATE_COMPLETE'
CREATE_FAILED = 'CREATE_FAILED'
UPDATE_IN_PROGRESS = 'UPDATE_IN_PROGRESS'
UPDATE_COMPLETE = 'UPDATE_COMPLETE'
UPDATE_FAILED = 'UPDATE_FAILED'
DELETE_IN_PROGRESS = 'DELETE_IN_PROGRESS'
DELETE_COMPLETE = 'DELETE_COMPLETE'
DELETE_FAILED = 'DELETE_FAILED'
ROLLBACK_IN_PROGRESS = 'ROLLBACK_IN_PROGRESS'
ROLLBACK_COMPLETE = 'ROLLBACK_COMPLETE'
ROLLBACK_FAILED = 'ROLLBACK_FAILED'
RESUME_COMPLETE = 'RESUME_COMPLETE'
RESUME_FAILED = 'RESUME_FAILED'
RESTORE_COMPLETE = 'RESTORE_COMPLETE'
SNAPSHOT_COMPLETE = 'SNAPSHOT_COMPLETE'
CHECK_COMPLETE = 'CHECK_COMPLETE'
ADOPT_COMPLETE = 'ADOPT_COMPLETE'


@dataclasses.dataclass(frozen=True)
class ObservedNodeGroup:
    """What the infrastructure says about one nodegroup (None: not
    known from this look)."""
    name: str
    node_count: Optional[int] = None
    node_addresses: Optional[tuple] = ()


@dataclasses.dataclass(frozen=True)
class Observation:
    """One look at a cluster's or nodegroup's stack.

    ``status`` is one of the Magnum status words above; ``found`` is False
    when the stack no longer exists (a finished delete, or lost infra).
    """
    status: Optional[str]
    status_reason: str = ''
    found: bool = True
    stack_id: Optional[str] = None
    api_address: Optional[str] = None
    coe_version: Optional[str] = None
    container_version: Optional[str] = None
    nodegroups: tuple = ()

    def nodegroup(self, name):
        for observed in self.nodegroups:
            if observed.name == name:
                return observed
        return None
