"""A consistent hash ring over the live conductors.

Each host owns ``replicas`` points on a 2**64 ring (md5 of "host-i"); a key
belongs to the host of the first point at or after the key's own hash.
Adding or removing one conductor moves only about 1/N of the keys, so a
conductor joining or dying does not reshuffle every cluster.
"""
import bisect
import hashlib


def _hash(text):
    return int.from_bytes(
        hashlib.md5(text.encode('utf-8'), usedforsecurity=False).digest()[:8],
        'big')


class HashRing:
    def __init__(self, hosts, replicas=64):
        self.hosts = frozenset(hosts)
        points = sorted((_hash('%s-%d' % (host, i)), host)
                        for host in self.hosts for i in range(replicas))
        self._keys = [p for p, _ in points]
        self._owners = [h for _, h in points]

    def owner(self, key):
        """The host that owns ``key`` (None on an empty ring)."""
        if not self._keys:
            return None
        index = bisect.bisect_left(self._keys, _hash(key)) % len(self._keys)
        return self._owners[index]

    def owns(self, host, key):
        return self.owner(key) == host
