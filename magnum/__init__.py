"""Magnum: Container Infrastructure Management service.

oslo.service (pulled in by oslo.messaging) defaults to eventlet; we run on
plain threads (ARCHITECTURE rule 10), so its threading backend is chosen
before anything imports it, unless the host process (a tool importing us
as a plugin) has already chosen one.
"""
from oslo_service import backend as _oslo_service_backend

if _oslo_service_backend.get_backend_type() is None:
    _oslo_service_backend.init_backend(
        _oslo_service_backend.BackendType.THREADING)
