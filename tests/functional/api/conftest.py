import pytest

from tests.fixtures.fake_cloud import fake_cloud  # noqa: F401
from tests.fixtures.fake_cloud import fake_cloud_server  # noqa: F401


@pytest.fixture(autouse=True)
def simulated_cloud(fake_cloud):  # noqa: F811
    """Every API test validates against the simulated Glance, Nova and
    Neutron behind the endpoint overrides."""
    return fake_cloud
