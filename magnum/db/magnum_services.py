"""Queries for the service records (one row per host and binary) that
Magnum processes keep fresh with heartbeats."""
from magnum.db import api
from magnum.db import models

Model = models.MagnumService


def get_list(context):
    with api.session_for_read(context) as session:
        return session.query(Model).order_by(Model.id).all()
