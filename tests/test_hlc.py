"""The hybrid logical clock is bounded: remote stamps move it at most the allowed offset, it never overflows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counter.records.ids import MAX_LOGICAL, HybridClock, format_stamp, parse_stamp, parse_stamp_or_none

WALL = 1_795_000_000_000
BOUND = 600_000


def test_a_forged_stamp_moves_the_clock_only_to_the_bound() -> None:
    clock = HybridClock("Q1", max_ahead_ms=BOUND)
    assert clock.observe("999999999999999-99999-Q2", wall=WALL) is False
    stamp = clock.now(wall=WALL)
    assert parse_stamp(stamp) == (WALL + BOUND, 1)
    assert parse_stamp_or_none(stamp) is not None


def test_a_stamp_within_the_bound_is_adopted() -> None:
    clock = HybridClock("Q1", max_ahead_ms=BOUND)
    assert clock.observe(format_stamp(WALL + 5_000, 7, "Q2"), wall=WALL) is True
    assert parse_stamp(clock.now(wall=WALL)) == (WALL + 5_000, 8)


def test_the_logical_counter_never_outgrows_five_digits() -> None:
    clock = HybridClock("Q1", max_ahead_ms=BOUND)
    clock.observe(format_stamp(WALL, MAX_LOGICAL, "Q2"), wall=WALL)
    stamps = [clock.now(wall=WALL) for _ in range(3)]
    assert [parse_stamp(s) for s in stamps] == [(WALL + 1, 0), (WALL + 1, 1), (WALL + 1, 2)]
    assert all(parse_stamp_or_none(s) for s in stamps)


def test_a_poisoned_seed_is_clamped_so_a_damaged_counter_recovers() -> None:
    clock = HybridClock("Q1", "999999999999999-99999-Q2", max_ahead_ms=BOUND)
    physical, _ = parse_stamp(clock.now())
    assert physical < 999_999_999_999_999


def test_an_unreadable_stamp_is_ignored() -> None:
    clock = HybridClock("Q1", max_ahead_ms=BOUND)
    assert clock.observe("999999999999999-100000-Q1", wall=WALL) is False
    assert parse_stamp(clock.now(wall=WALL)) == (WALL, 0)


@given(
    st.lists(
        st.tuples(st.integers(0, 10**15 - 1), st.integers(0, MAX_LOGICAL), st.integers(-10**6, 10**6)),
        max_size=30,
    )
)
def test_stamps_always_grow_and_always_fit_the_format(observed: list[tuple[int, int, int]]) -> None:
    clock = HybridClock("Q1", max_ahead_ms=BOUND)
    last, latest_wall = "", WALL
    for physical, logical, step in observed:
        latest_wall = max(latest_wall, WALL + step)
        clock.observe(format_stamp(physical, logical, "Q2"), wall=WALL)
        stamp = clock.now(wall=WALL + step)
        assert parse_stamp_or_none(stamp) is not None
        assert stamp > last
        assert parse_stamp(stamp)[0] <= latest_wall + BOUND + len(observed)
        last = stamp
