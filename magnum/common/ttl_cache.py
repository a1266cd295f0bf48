"""A bounded, thread-safe store whose entries expire."""
import collections
import threading
import time


class TTLCache:
    """Entries live ``ttl()`` seconds, read when one is stored (0: store
    nothing); the least recently used entry goes first when it is full."""

    def __init__(self, ttl, size=4096, clock=time.monotonic):
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return default
            expires, value = item
            if expires <= self.clock():
                del self._items[key]
                return default
            self._items.move_to_end(key)
            return value

    def put(self, key, value):
        ttl = self.ttl()
        if ttl <= 0:
            return
        with self._lock:
            self._items[key] = (self.clock() + ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()
