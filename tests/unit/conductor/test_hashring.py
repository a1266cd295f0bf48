import uuid

from magnum.conductor import hashring

KEYS = [str(uuid.UUID(int=i)) for i in range(2000)]


def test_every_key_has_one_owner():
    ring = hashring.HashRing(['a', 'b', 'c'])
    owners = [ring.owner(k) for k in KEYS]
    assert set(owners) == {'a', 'b', 'c'}
    for host in 'abc':
        share = owners.count(host) / len(KEYS)
        assert 0.2 < share < 0.47, (host, share)


def test_same_ring_same_answer():
    assert [hashring.HashRing(['b', 'a']).owner(k) for k in KEYS] == \
        [hashring.HashRing(['a', 'b']).owner(k) for k in KEYS]


def test_adding_a_host_moves_few_keys():
    before = hashring.HashRing(['a', 'b', 'c'])
    after = hashring.HashRing(['a', 'b', 'c', 'd'])
    moved = [k for k in KEYS if before.owner(k) != after.owner(k)]
    assert all(after.owner(k) == 'd' for k in moved)
    assert len(moved) / len(KEYS) < 0.4


def test_empty_ring():
    assert hashring.HashRing([]).owner('x') is None
