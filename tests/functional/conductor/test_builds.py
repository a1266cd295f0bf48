"""A conductor bounds its concurrent infrastructure builds, so a burst of
creates leaves the orchestrator room to answer status reads."""
import threading

from tests.functional.conductor import fakedriver
from tests.functional.conductor.conftest import status_of
from tests.functional.conductor.conftest import wait_for


class CrowdedCreates(fakedriver.FakeDriver):
    """Each create waits a little for company, and counts the most that
    ever ran together."""

    def __init__(self, cloud):
        super().__init__(cloud, who='conductor-a')
        self.running = self.most = 0
        self._changed = threading.Condition()

    def create_cluster(self, dctx, spec):
        with self._changed:
            self.running += 1
            self.most = max(self.most, self.running)
            self._changed.notify_all()
            self._changed.wait_for(lambda: self.running > 2, timeout=1.5)
        try:
            return super().create_cluster(dctx, spec)
        finally:
            with self._changed:
                self.running -= 1


def test_creates_wait_for_a_build_slot(database, rows, cloud, conductor_conf,
                                       ctx, rpc_client, start_conductor):
    conductor_conf.set_override('build_concurrency', 2, group='conductor')
    driver = CrowdedCreates(cloud)
    start_conductor('conductor-a', driver=driver)
    uuids = [rows.cluster(name='burst%d' % i) for i in range(6)]
    for uuid in uuids:
        rpc_client.cluster_create(ctx, uuid, 60)
    wait_for(lambda: all(status_of(u) == 'CREATE_COMPLETE' for u in uuids),
             what='every create')
    assert driver.most == 2
