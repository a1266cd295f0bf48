"""Index clusters by template

A template PATCH or DELETE first asks whether any cluster uses the
template; without this index that reads every cluster row.

Revision ID: 5b7e0c1d2a93
Revises: f942e9b313b1
Create Date: 2026-11-21
"""
from alembic import op

revision = '5b7e0c1d2a93'
down_revision = 'f942e9b313b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cluster_cluster_template_id', 'cluster',
                    ['cluster_template_id'])
