from datetime import datetime, timedelta, timezone

import pytest

from nlsh.timeparse import parse_bound, parse_when

NOW = datetime(2024, 5, 15, 14, 30, 20)  # a Wednesday afternoon


def d(*parts: int) -> datetime:
    return datetime(*parts)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("today", d(2024, 5, 15), d(2024, 5, 16)),
        ("yesterday", d(2024, 5, 14), d(2024, 5, 15)),
        ("Yesterday 3pm", d(2024, 5, 14, 15), d(2024, 5, 14, 16)),
        ("yesterday at 3 pm", d(2024, 5, 14, 15), d(2024, 5, 14, 16)),
        ("yesterday at 15:30", d(2024, 5, 14, 15, 30), d(2024, 5, 14, 15, 31)),
        ("at 9am", d(2024, 5, 15, 9), d(2024, 5, 15, 10)),
        ("12am", d(2024, 5, 15, 0), d(2024, 5, 15, 1)),
        ("12pm", d(2024, 5, 15, 12), d(2024, 5, 15, 13)),
        ("last week", d(2024, 5, 6), d(2024, 5, 13)),
        ("this week", d(2024, 5, 13), d(2024, 5, 20)),
        ("past week", NOW - timedelta(days=7), NOW),
        ("last 3 days", NOW - timedelta(days=3), NOW),
        ("past 2 hours", NOW - timedelta(hours=2), NOW),
        ("last month", d(2024, 4, 1), d(2024, 5, 1)),
        ("this year", d(2024, 1, 1), d(2025, 1, 1)),
        ("2 hours ago", d(2024, 5, 15, 12, 30, 20), d(2024, 5, 15, 13, 30, 20)),
        ("an hour ago", d(2024, 5, 15, 13, 30, 20), NOW),
        ("30 minutes ago", d(2024, 5, 15, 14, 0, 20), d(2024, 5, 15, 14, 1, 20)),
        ("3 days ago", d(2024, 5, 12), d(2024, 5, 13)),
        ("a week ago", d(2024, 5, 6), d(2024, 5, 13)),
        ("on Monday", d(2024, 5, 13), d(2024, 5, 14)),
        ("monday", d(2024, 5, 13), d(2024, 5, 14)),
        ("last friday", d(2024, 5, 10), d(2024, 5, 11)),
        ("on Wednesday", d(2024, 5, 8), d(2024, 5, 9)),  # today is Wednesday: the one before
        ("monday 9am", d(2024, 5, 13, 9), d(2024, 5, 13, 10)),
        ("this morning", d(2024, 5, 15, 6), d(2024, 5, 15, 12)),
        ("this afternoon", d(2024, 5, 15, 12), d(2024, 5, 15, 18)),
        ("yesterday evening", d(2024, 5, 14, 18), d(2024, 5, 15)),
        ("last night", d(2024, 5, 14, 18), d(2024, 5, 15, 6)),
        ("since monday", d(2024, 5, 13), NOW),
        ("2024-05-01", d(2024, 5, 1), d(2024, 5, 2)),
        ("2024-02", d(2024, 2, 1), d(2024, 3, 1)),
        ("2023-12", d(2023, 12, 1), d(2024, 1, 1)),
        ("2024-05-01 10:00", d(2024, 5, 1, 10), d(2024, 5, 1, 10, 1)),
        ("2024-05-01T10:00:05", d(2024, 5, 1, 10, 0, 5), d(2024, 5, 1, 10, 0, 6)),
    ],
)
def test_expressions_resolve_to_ranges(text, start, end):
    assert parse_when(text, NOW) == (start, end)


def test_month_arithmetic_crosses_year_boundaries():
    assert parse_when("last month", datetime(2024, 1, 31, 8)) == (d(2023, 12, 1), d(2024, 1, 1))
    assert parse_when("2 months ago", datetime(2024, 3, 31)) == (d(2024, 1, 1), d(2024, 2, 1))


def test_week_starts_on_monday_even_on_a_sunday():
    sunday = datetime(2024, 5, 19, 23, 0)
    assert parse_when("this week", sunday) == (d(2024, 5, 13), d(2024, 5, 20))
    assert parse_when("last week", sunday) == (d(2024, 5, 6), d(2024, 5, 13))


def test_bounds_for_since_and_until():
    assert parse_bound("yesterday", NOW, end=False) == d(2024, 5, 14)
    assert parse_bound("yesterday", NOW, end=True) == d(2024, 5, 15)  # --until yesterday includes it
    assert parse_bound("2 hours ago", NOW, end=False) == NOW - timedelta(hours=2)
    assert parse_bound("2 hours ago", NOW, end=True) == NOW - timedelta(hours=2)  # an instant is itself
    assert parse_bound("yesterday 3pm", NOW, end=True) == d(2024, 5, 14, 15)


def test_aware_now_gives_aware_results_and_iso_offsets_are_converted():
    now = datetime(2024, 5, 15, 14, 30, tzinfo=timezone.utc)
    start, end = parse_when("yesterday", now)
    assert (start, end) == (datetime(2024, 5, 14, tzinfo=timezone.utc), datetime(2024, 5, 15, tzinfo=timezone.utc))
    start, _ = parse_when("2024-05-01T12:00:00+02:00", now)
    assert start == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty time expression"),
        ("   ", "empty time expression"),
        ("whenever", "cannot read 'whenever' as a time"),
        ("3 parsecs ago", "cannot read"),
        ("2024-13-01", "not a valid date"),
        ("2024-13", "month must be 01-12"),
        ("25:00", "not a time of day"),
        ("13pm", "hour must be 1-12"),
    ],
)
def test_unreadable_expressions_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_when(text, NOW)


def test_error_message_suggests_what_works():
    with pytest.raises(ValueError) as info:
        parse_when("the other day", NOW)
    assert "last week" in str(info.value) and "yesterday 3pm" in str(info.value)
