"""Initial schema

The tables of upstream Magnum's head revision (b3e1cf4a2d5e) without the
vestigial federation table, plus our per-cluster reservation columns.

Revision ID: f942e9b313b1
Revises:
Create Date: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa

revision = 'f942e9b313b1'
down_revision = None
branch_labels = None
depends_on = None


def _create_table(name, *columns_and_constraints):
    """Every table: an integer id, the columns, oslo.db's timestamps,
    InnoDB and utf8mb4 on MySQL. JSON columns are TEXT."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer, primary_key=True),
        *columns_and_constraints,
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4')


def upgrade():
    _create_table(
        'cluster_template',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('name', sa.String(255)),
        sa.Column('image_id', sa.String(255)),
        sa.Column('flavor_id', sa.String(255)),
        sa.Column('master_flavor_id', sa.String(255)),
        sa.Column('keypair_id', sa.String(255)),
        sa.Column('external_network_id', sa.String(255)),
        sa.Column('fixed_network', sa.String(255)),
        sa.Column('fixed_subnet', sa.String(255)),
        sa.Column('network_driver', sa.String(255)),
        sa.Column('volume_driver', sa.String(255)),
        sa.Column('dns_nameserver', sa.String(255)),
        sa.Column('apiserver_port', sa.Integer),
        sa.Column('docker_volume_size', sa.Integer),
        sa.Column('docker_storage_driver', sa.String(255)),
        sa.Column('cluster_distro', sa.String(255)),
        sa.Column('coe', sa.String(255)),
        sa.Column('http_proxy', sa.String(255)),
        sa.Column('https_proxy', sa.String(255)),
        sa.Column('no_proxy', sa.String(255)),
        sa.Column('registry_enabled', sa.Boolean),
        sa.Column('labels', sa.Text),
        sa.Column('tls_disabled', sa.Boolean),
        sa.Column('public', sa.Boolean),
        sa.Column('server_type', sa.String(255)),
        sa.Column('insecure_registry', sa.String(255)),
        sa.Column('master_lb_enabled', sa.Boolean),
        sa.Column('floating_ip_enabled', sa.Boolean),
        sa.Column('hidden', sa.Boolean),
        sa.Column('tags', sa.String(255)),
        sa.Column('driver', sa.String(255)),
        sa.UniqueConstraint('uuid', name='uniq_cluster_template0uuid'))
    op.create_index('ix_cluster_template_project_id', 'cluster_template',
                    ['project_id'])

    _create_table(
        'cluster',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('name', sa.String(255)),
        sa.Column('cluster_template_id', sa.String(255)),
        sa.Column('keypair', sa.String(255)),
        sa.Column('docker_volume_size', sa.Integer),
        sa.Column('labels', sa.Text),
        sa.Column('master_flavor_id', sa.String(255)),
        sa.Column('flavor_id', sa.String(255)),
        sa.Column('stack_id', sa.String(255)),
        sa.Column('api_address', sa.String(255)),
        sa.Column('status', sa.String(20)),
        sa.Column('status_reason', sa.Text),
        sa.Column('health_status', sa.String(20)),
        sa.Column('health_status_reason', sa.Text),
        sa.Column('create_timeout', sa.Integer),
        sa.Column('discovery_url', sa.String(255)),
        sa.Column('coe_version', sa.String(255)),
        sa.Column('container_version', sa.String(255)),
        sa.Column('ca_cert_ref', sa.String(512)),
        sa.Column('magnum_cert_ref', sa.String(512)),
        sa.Column('etcd_ca_cert_ref', sa.String(512)),
        sa.Column('front_proxy_ca_cert_ref', sa.String(512)),
        sa.Column('fixed_network', sa.String(255)),
        sa.Column('fixed_subnet', sa.String(255)),
        sa.Column('floating_ip_enabled', sa.Boolean),
        sa.Column('master_lb_enabled', sa.Boolean),
        sa.Column('reservation', sa.String(255)),
        sa.Column('reservation_expires', sa.DateTime),
        sa.UniqueConstraint('uuid', name='uniq_cluster0uuid'))
    op.create_index('ix_cluster_project_id', 'cluster', ['project_id'])
    op.create_index('ix_cluster_status', 'cluster', ['status'])

    _create_table(
        'nodegroup',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('cluster_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('docker_volume_size', sa.Integer),
        sa.Column('labels', sa.Text),
        sa.Column('flavor_id', sa.String(255)),
        sa.Column('image_id', sa.String(255)),
        sa.Column('node_addresses', sa.Text),
        sa.Column('node_count', sa.Integer),
        sa.Column('role', sa.String(255)),
        sa.Column('max_node_count', sa.Integer),
        sa.Column('min_node_count', sa.Integer),
        sa.Column('is_default', sa.Boolean),
        sa.Column('stack_id', sa.String(255)),
        sa.Column('status', sa.String(20)),
        sa.Column('status_reason', sa.Text),
        sa.Column('version', sa.String(20)),
        sa.Column('node_labels', sa.Text),
        sa.Column('node_taints', sa.Text),
        sa.UniqueConstraint('uuid', name='uniq_nodegroup0uuid'),
        sa.UniqueConstraint('cluster_id', 'name',
                            name='uniq_nodegroup0cluster_id0name'))

    _create_table(
        'x509keypair',
        sa.Column('uuid', sa.String(36)),
        sa.Column('certificate', sa.Text),
        sa.Column('private_key', sa.Text),
        sa.Column('private_key_passphrase', sa.Text),
        sa.Column('intermediates', sa.Text),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.UniqueConstraint('uuid', name='uniq_x509keypair0uuid'))

    _create_table(
        'magnum_service',
        sa.Column('host', sa.String(255)),
        sa.Column('binary', sa.String(255)),
        sa.Column('disabled', sa.Boolean),
        sa.Column('disabled_reason', sa.String(255)),
        sa.Column('last_seen_up', sa.DateTime),
        sa.Column('forced_down', sa.Boolean),
        sa.Column('report_count', sa.Integer, nullable=False),
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_magnum_service0host0binary'))

    _create_table(
        'quotas',
        sa.Column('project_id', sa.String(255)),
        sa.Column('resource', sa.String(255)),
        sa.Column('hard_limit', sa.Integer),
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'))
