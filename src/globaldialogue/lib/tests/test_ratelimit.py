"""Rate limits (lib.ratelimit): windows open at the first hit, not on the clock."""

from unittest import mock

from globaldialogue.lib import ratelimit


def test_hits_a_moment_apart_share_a_window_even_across_a_minute_boundary(db):
    with mock.patch.object(ratelimit.time, "time", return_value=1_000_059.9):
        assert ratelimit.retry_after("t", "10.0.0.1", (1, 60)) is None
    with mock.patch.object(ratelimit.time, "time", return_value=1_000_060.1):
        assert ratelimit.retry_after("t", "10.0.0.1", (1, 60)) == 60


def test_the_wait_is_what_is_left_of_the_window(db):
    with mock.patch.object(ratelimit.time, "time", return_value=500.0):
        ratelimit.retry_after("t", "a", (1, 60))
    with mock.patch.object(ratelimit.time, "time", return_value=530.0):
        assert ratelimit.retry_after("t", "a", (1, 60)) == 30


def test_zero_disables(db):
    assert all(ratelimit.retry_after("t", "b", (0, 1)) is None for _ in range(5))
