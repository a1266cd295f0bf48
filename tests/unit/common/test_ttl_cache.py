from magnum.common import ttl_cache


class Clock:
    now = 100.0

    def __call__(self):
        return self.now


def test_entries_expire_and_the_oldest_go_first():
    clock, ttl = Clock(), [10]
    cache = ttl_cache.TTLCache(lambda: ttl[0], size=2, clock=clock)
    cache.put('a', 1)
    cache.put('b', 2)
    assert cache.get('a') == 1      # 'b' is now the least recently used
    cache.put('c', 3)
    assert (cache.get('a'), cache.get('b'), cache.get('c')) == (1, None, 3)
    clock.now += 10
    assert cache.get('a', 'gone') == 'gone'
    ttl[0] = 0
    cache.put('d', 4)
    assert cache.get('d') is None
