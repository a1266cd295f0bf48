"""Memoized argument specs for pecan's router.

pecan 1.8 inspects controller signatures several times per request, and
each inspection builds a new namedtuple class; that was a quarter of a
cluster GET. A function's signature never changes, so the spec is cached
per underlying function.
"""
import functools

import pecan.core
import pecan.rest
import pecan.routing
import pecan.util

_ORIGINAL = pecan.util.getargspec


@functools.lru_cache(maxsize=4096)
def _spec_of(func):
    return _ORIGINAL(func)


def getargspec(method):
    # A bound method's spec is its function's (pecan keeps 'self' in both).
    return _spec_of(getattr(method, '__func__', method))


def install():
    for module in (pecan.util, pecan.core, pecan.rest, pecan.routing):
        module.getargspec = getargspec
