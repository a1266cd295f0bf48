"""SQLAlchemy models. Column names and types follow upstream Magnum's schema
so data and clients carry over; the lock columns on ``cluster`` are ours."""
import json

from oslo_db.sqlalchemy import models as oslo_models
import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy import types


class JSONEncoded(types.TypeDecorator):
    """JSON text column; ``None`` is stored as the type's empty value."""
    impl = sa.Text
    cache_ok = True

    def __init__(self, empty, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty = empty

    def process_bind_param(self, value, dialect):
        return json.dumps(self.empty() if value is None else value)

    def process_result_value(self, value, dialect):
        return self.empty() if value is None else json.loads(value)


def JSONDict():
    return JSONEncoded(dict)


def JSONList():
    return JSONEncoded(list)


class Base(orm.DeclarativeBase, oslo_models.ModelBase,
           oslo_models.TimestampMixin):
    __table_args__ = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}

    def as_dict(self):
        return {c.name: getattr(self, c.key) for c in self.__table__.columns}


def _table_args(*constraints):
    return constraints + (Base.__table_args__,)


class ClusterTemplate(Base):
    __tablename__ = 'cluster_template'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_cluster_template0uuid'),
        sa.Index('ix_cluster_template_project_id', 'project_id'))

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    name = sa.Column(sa.String(255))
    image_id = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    master_flavor_id = sa.Column(sa.String(255))
    keypair_id = sa.Column(sa.String(255))
    external_network_id = sa.Column(sa.String(255))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    network_driver = sa.Column(sa.String(255))
    volume_driver = sa.Column(sa.String(255))
    dns_nameserver = sa.Column(sa.String(255))
    apiserver_port = sa.Column(sa.Integer)
    docker_volume_size = sa.Column(sa.Integer)
    docker_storage_driver = sa.Column(sa.String(255))
    cluster_distro = sa.Column(sa.String(255))
    coe = sa.Column(sa.String(255))
    http_proxy = sa.Column(sa.String(255))
    https_proxy = sa.Column(sa.String(255))
    no_proxy = sa.Column(sa.String(255))
    registry_enabled = sa.Column(sa.Boolean, default=False)
    labels = sa.Column(JSONDict())
    tls_disabled = sa.Column(sa.Boolean, default=False)
    public = sa.Column(sa.Boolean, default=False)
    server_type = sa.Column(sa.String(255))
    insecure_registry = sa.Column(sa.String(255))
    master_lb_enabled = sa.Column(sa.Boolean, default=False)
    floating_ip_enabled = sa.Column(sa.Boolean, default=True)
    hidden = sa.Column(sa.Boolean, default=False)
    tags = sa.Column(sa.String(255))
    driver = sa.Column(sa.String(255))


class Cluster(Base):
    __tablename__ = 'cluster'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_cluster0uuid'),
        sa.Index('ix_cluster_project_id', 'project_id'),
        sa.Index('ix_cluster_status', 'status'),
        # Ours: "does a cluster use this template?" without a table scan.
        sa.Index('ix_cluster_cluster_template_id', 'cluster_template_id'))

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    name = sa.Column(sa.String(255))
    cluster_template_id = sa.Column(sa.String(255))
    keypair = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    labels = sa.Column(JSONDict())
    master_flavor_id = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    stack_id = sa.Column(sa.String(255))
    api_address = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    health_status = sa.Column(sa.String(20))
    health_status_reason = sa.Column(JSONDict())
    create_timeout = sa.Column(sa.Integer)
    discovery_url = sa.Column(sa.String(255))
    coe_version = sa.Column(sa.String(255))
    container_version = sa.Column(sa.String(255))
    ca_cert_ref = sa.Column(sa.String(512))
    magnum_cert_ref = sa.Column(sa.String(512))
    etcd_ca_cert_ref = sa.Column(sa.String(512))
    front_proxy_ca_cert_ref = sa.Column(sa.String(512))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    floating_ip_enabled = sa.Column(sa.Boolean, default=True)
    master_lb_enabled = sa.Column(sa.Boolean, default=False)
    # Ours: the per-cluster reservation (who drives the cluster, until when).
    reservation = sa.Column(sa.String(255))
    reservation_expires = sa.Column(sa.DateTime)


class NodeGroup(Base):
    __tablename__ = 'nodegroup'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_nodegroup0uuid'),
        sa.UniqueConstraint('cluster_id', 'name',
                            name='uniq_nodegroup0cluster_id0name'))

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    cluster_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    labels = sa.Column(JSONDict())
    flavor_id = sa.Column(sa.String(255))
    image_id = sa.Column(sa.String(255))
    node_addresses = sa.Column(JSONList())
    node_count = sa.Column(sa.Integer)
    role = sa.Column(sa.String(255))
    max_node_count = sa.Column(sa.Integer)
    min_node_count = sa.Column(sa.Integer)
    is_default = sa.Column(sa.Boolean, default=False)
    stack_id = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    version = sa.Column(sa.String(20))
    node_labels = sa.Column(JSONDict())
    node_taints = sa.Column(JSONList())


class X509KeyPair(Base):
    __tablename__ = 'x509keypair'
    __table_args__ = _table_args(
        sa.UniqueConstraint('uuid', name='uniq_x509keypair0uuid'))

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36))
    certificate = sa.Column(sa.Text)
    private_key = sa.Column(sa.Text)
    private_key_passphrase = sa.Column(sa.Text)
    intermediates = sa.Column(sa.Text)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))


class MagnumService(Base):
    __tablename__ = 'magnum_service'
    __table_args__ = _table_args(
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_magnum_service0host0binary'))

    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    disabled = sa.Column(sa.Boolean, default=False)
    disabled_reason = sa.Column(sa.String(255))
    last_seen_up = sa.Column(sa.DateTime)
    forced_down = sa.Column(sa.Boolean, default=False)
    report_count = sa.Column(sa.Integer, nullable=False, default=0)


class Quota(Base):
    __tablename__ = 'quotas'
    __table_args__ = _table_args(
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'))

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    hard_limit = sa.Column(sa.Integer)
