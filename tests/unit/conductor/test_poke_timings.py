"""The DEBUG timings of the notification fast path: how long after Heat
sent it a notification was heard, and when each step of a poke ended."""
import datetime

from oslo_utils import timeutils

from magnum.conductor import reconcile
from magnum.conductor import service


def test_age_of_a_notification(monkeypatch):
    timeutils.set_time_override(datetime.datetime(2026, 11, 21, 16, 40, 2,
                                                  500000))
    try:
        assert service._age(
            {'timestamp': '2026-11-21 16:40:00.250000'}) == '2.250'
        assert service._age({'timestamp': '2026-11-21T16:40:01Z'}) == \
            '1.500'
    finally:
        timeutils.clear_time_override()


def test_age_without_a_usable_timestamp():
    assert service._age({}) == '?'
    assert service._age({'timestamp': None}) == '?'
    assert service._age({'timestamp': 'yesterday'}) == '?'


def test_stopwatch_names_each_step_in_order(monkeypatch):
    ticks = iter([100.0, 100.25, 101.5])
    monkeypatch.setattr(reconcile.time, 'monotonic', lambda: next(ticks))
    watch = reconcile.Stopwatch()
    watch.mark('reserved')
    watch.mark('observed CREATE_COMPLETE')
    assert str(watch) == 'reserved 0.250 s, observed CREATE_COMPLETE 1.500 s'
